/** Request and response contracts of the user-account routes (shared with the web's forms). */
import { z } from 'zod';
import {
  checkDeaNumber,
  checkLicenceNumber,
  checkLicenceState,
  checkNpi,
  type CredentialCheck,
} from '../../clinical/credentials';
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

/**
 * A prescriber identifier as typed: checked and normalized by the core's rule; blank (or null)
 * clears it.
 */
const credential = (check: (input: string) => CredentialCheck) =>
  z
    .string()
    .max(60, 'at most 60 characters')
    .transform((typed, ctx) => {
      if (typed.trim() === '') return null;
      const result = check(typed);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    })
    .nullable();

/** NPI, DEA registration and state licence (src/clinical/credentials). */
export const userCredentialsSchema = z.object({
  npi: credential(checkNpi),
  deaNumber: credential(checkDeaNumber),
  licenceState: credential(checkLicenceState),
  licenceNumber: credential(checkLicenceNumber),
});

export const userUpdateSchema = z
  .object({
    name: trimmed(200),
    role: staffRoleSchema,
    disabled: z.boolean(),
    /** The clinical-lead sign-off (an admin or prescriber; who may grant it: src/app/users.ts). */
    clinicalLead: z.boolean(),
  })
  .extend(userCredentialsSchema.shape)
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
  clinicalLead: z.boolean(),
  npi: z.string().nullable(),
  deaNumber: z.string().nullable(),
  licenceState: z.string().nullable(),
  licenceNumber: z.string().nullable(),
  /** Signs in with an authenticator-app code after the password. */
  twoFactorEnabled: z.boolean(),
  createdAt: z.string(),
});
export type UserDto = z.infer<typeof userDto>;

export const userCreatedResponse = z.object({ user: userDto, temporaryPassword: z.string().optional() });
export const temporaryPasswordResponse = z.object({ temporaryPassword: z.string() });
export const unlockResponse = z.object({ locksLifted: z.number().int() });
