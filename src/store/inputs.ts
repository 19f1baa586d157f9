/**
 * Validation of everything written to the store. The HTTP routes use these same schemas (and so the
 * OpenAPI document describes them) and the CLI uses them for its arguments: one definition per concept.
 */
import { z } from 'zod';
import { plausibleNumber, type PlausibleRange } from '../clinical/plausibility';
import { STAFF_ROLES } from './schema';

const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
/** A number inside a plausibility range; the message states the whole allowed range. */
export const plausible = (r: PlausibleRange) => plausibleNumber(r);

export const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

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

// Patients, body measurements and medications: src/server/schemas/patients.ts.

export const clinicCreateSchema = z.object({
  name: trimmed(200),
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/London')
    .default('UTC'),
});
export type ClinicCreate = z.infer<typeof clinicCreateSchema>;
