/** Request and response contracts of login, logout, the current user and password change. */
import { z } from 'zod';
import { passwordSchema, userDto } from './users';

export const loginBody = z.object({
  email: z.string().trim().min(1, 'must not be empty').max(254),
  password: z.string().min(1, 'must not be empty').max(256),
});

export const meResponse = z.object({ user: userDto, csrfToken: z.string() });

export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});
