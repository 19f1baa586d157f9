/** Request and response contracts of the user-account routes (shared with the web's forms). */
import { z } from 'zod';
import { ROLES, STAFF_ROLES } from '../../clinical/vocabulary/roles';

const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an email address' }));

/** Password policy: long passphrases over composition rules (NIST SP 800-63B §5.1.1.2). */
export const PASSWORD_MIN_LENGTH = 12;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'must be at most 256 characters')
  .refine((p) => new Set(p).size >= 5, 'is too repetitive');

export const staffRoleSchema = z.enum(STAFF_ROLES);

export const userCreateSchema = z.object({
  email: emailSchema,
  name: trimmed(200),
  role: staffRoleSchema,
  password: passwordSchema,
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object({
    name: trimmed(200),
    role: staffRoleSchema,
    disabled: z.boolean(),
  })
  .partial();
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const userParams = z.object({ userId: z.uuid({ error: 'must be a user id (UUID)' }) });

/** Creating an account: without a password a strong temporary one is generated and returned once. */
export const userCreateBody = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: staffRoleSchema,
  password: passwordSchema.optional(),
});
export type UserCreateBody = z.infer<typeof userCreateBody>;

export const userDto = z.object({
  id: z.uuid(),
  clinicId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserDto = z.infer<typeof userDto>;

export const userCreatedResponse = z.object({ user: userDto, temporaryPassword: z.string().optional() });
export const temporaryPasswordResponse = z.object({ temporaryPassword: z.string() });
export const unlockResponse = z.object({ locksLifted: z.number().int() });
