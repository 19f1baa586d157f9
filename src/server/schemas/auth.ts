/** Request and response contracts of login, logout, the current user and password change. */
import { z } from 'zod';
import { recoveryCodeSchema, securitySettingsSchema, totpCodeSchema } from '../../clinical/sign-in';
import { passwordSchema, userDto } from './users';

export const loginBody = z.object({
  email: z.string().trim().min(1, 'must not be empty').max(254),
  password: z.string().min(1, 'must not be empty').max(256),
});

export const meResponse = z.object({ user: userDto, csrfToken: z.string() });

/** The second step of a sign-in: a code from the authenticator app, or one recovery code. */
export const secondFactorBody = z
  .object({ code: totpCodeSchema.optional(), recoveryCode: recoveryCodeSchema.optional() })
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), {
    message: 'enter either the code from your authenticator app or a recovery code',
    path: ['code'],
  });

export const enrolmentStartResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrDataUrl: z.string(),
});

export const enrolmentConfirmBody = z.object({ code: totpCodeSchema });

export const securitySettingsBody = securitySettingsSchema;

export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});
