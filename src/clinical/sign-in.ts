/**
 * Two-factor sign-in: who must use an authenticator app, what the sign-in asks for after the
 * password, and the shape of recovery codes. Pure: the code check itself is otplib's (RFC 6238),
 * called by the use cases with the time as an input.
 */
import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from './vocabulary/roles';

/**
 * By default the roles that can order ketamine or change who may (prescribers, admins) sign in
 * with a second factor. A clinic policy, not a clinical figure; an admin may widen or narrow it.
 */
export const DEFAULT_TWO_FACTOR_REQUIRED_ROLES: readonly StaffRole[] = ['prescriber', 'admin'];

export const twoFactorRequiredRolesSchema = z
  .array(z.enum(STAFF_ROLES))
  .max(STAFF_ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, 'list each role once');

export const securitySettingsSchema = z.object({ twoFactorRequiredRoles: twoFactorRequiredRolesSchema });
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

/** A clinic's stored choice (null: never changed) as the rules read it. */
export function securitySettingsOf(stored: readonly StaffRole[] | null): SecuritySettings {
  return { twoFactorRequiredRoles: [...(stored ?? DEFAULT_TWO_FACTOR_REQUIRED_ROLES)] };
}

/**
 * What a correct password leads to: `code` — the account has an authenticator, so the sign-in waits
 * for a code; `enrol` — the clinic requires one and the account has none, so the user may only set
 * it up; `none` — signed in. `requirementOn` is the deployment's switch (REIN_TWO_FACTOR_REQUIRED);
 * an account that set up an authenticator is always asked for it.
 */
export function secondFactorStep(input: {
  role: StaffRole;
  requiredRoles: readonly StaffRole[];
  requirementOn: boolean;
  enrolled: boolean;
}): 'code' | 'enrol' | 'none' {
  if (input.enrolled) return 'code';
  if (input.requirementOn && input.requiredRoles.includes(input.role)) return 'enrol';
  return 'none';
}

/** Codes from the authenticator app: six digits (spaces people type are ignored). */
export const totpCodeSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'enter the 6-digit code from your authenticator app'));

/**
 * How far either side of the server's clock a code is still accepted, in seconds: one 30-second
 * step, for phones whose clocks drift and codes typed as the step turns (RFC 6238 §5.2).
 */
export const TOTP_TOLERANCE_SECONDS = 30;

export const RECOVERY_CODE_COUNT = 10;

/**
 * Recovery codes are 10 lowercase base32 letters shown as two groups of five; what a person types
 * (case, spaces, dashes) is normalized before comparing.
 */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]+/g, '');
}

export const recoveryCodeSchema = z
  .string()
  .max(40)
  .transform(normalizeRecoveryCode)
  .pipe(z.string().regex(/^[a-z2-7]{10}$/, 'enter a recovery code as it was shown, e.g. abcde-fghij'));

export function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
