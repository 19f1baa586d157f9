/**
 * Validation of everything written to the store. The HTTP routes use these same schemas (and so the
 * OpenAPI document describes them) and the CLI uses them for its arguments: one definition per concept.
 */
import { z } from 'zod';
import { isTimeZone } from '../clinical/calendar';
import { plausibleNumber, type PlausibleRange } from '../clinical/plausibility';

const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
/** A number inside a plausibility range; the message states the whole allowed range. */
export const plausible = (r: PlausibleRange) => plausibleNumber(r);

export const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

// User-account contracts moved to the server's schemas; re-exported until their readers move.
export {
  emailSchema,
  PASSWORD_MIN_LENGTH,
  passwordSchema,
  staffRoleSchema,
  userCreateSchema,
  userUpdateSchema,
  type UserCreate,
  type UserUpdate,
} from '../server/schemas/users';

// Patients, body measurements and medications: src/server/schemas/patients.ts.

export const clinicCreateSchema = z.object({
  name: trimmed(200),
  timeZone: z
    .string()
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Europe/London')
    .default('UTC'),
});
export type ClinicCreate = z.infer<typeof clinicCreateSchema>;
