import { clinicCreateSchema } from '../server/schemas/clinic';
import { emailSchema, passwordSchema } from '../server/schemas/users';
import type { Db } from '../store/open';
import { generatePassword } from '../store/passwords';
import { countClinics } from '../store/users';
import { createClinicWithAdmin } from './clinic';

export interface FirstRunOptions {
  clinicName: string;
  /** The first clinic's IANA time zone (REIN_CLINIC_TIME_ZONE); UTC when not given. */
  clinicTimeZone?: string | undefined;
  /** How the first clinic writes dates (REIN_CLINIC_LOCALE); en-US when not given. */
  clinicLocale?: string | undefined;
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
}

export type FirstRunResult =
  { created: false } | { created: true; clinicId: string; email: string; generatedPassword: string | null };

export const DEFAULT_ADMIN_EMAIL = 'admin@rein.local';

/**
 * On an empty database, creates the first clinic and its admin. With REIN_ADMIN_EMAIL and
 * REIN_ADMIN_PASSWORD set (non-interactive deployments) it uses them; otherwise it generates a strong
 * password that the caller prints once, and the admin must change it at first login. The clinic is
 * named by REIN_CLINIC_NAME, placed in REIN_CLINIC_TIME_ZONE and writes dates as REIN_CLINIC_LOCALE
 * does (all editable later by an admin).
 * No password is ever hard-coded.
 */
export async function ensureFirstClinic(db: Db, opts: FirstRunOptions): Promise<FirstRunResult> {
  // Configuration is checked on every start, so a mistake in it is reported even after the first run.
  const emailCheck = emailSchema.safeParse(opts.adminEmail ?? DEFAULT_ADMIN_EMAIL);
  if (!emailCheck.success) throw new Error(`REIN_ADMIN_EMAIL ${emailCheck.error.issues[0]!.message}`);
  const email = emailCheck.data;
  if (opts.adminEmail && !opts.adminPassword) {
    throw new Error(
      'REIN_ADMIN_EMAIL is set but REIN_ADMIN_PASSWORD is not: set both, or neither to generate one.',
    );
  }
  if (opts.adminPassword) {
    const check = passwordSchema.safeParse(opts.adminPassword);
    if (!check.success) throw new Error(`REIN_ADMIN_PASSWORD ${check.error.issues[0]!.message}`);
  }
  const clinicCheck = clinicCreateSchema.safeParse({
    name: opts.clinicName,
    timeZone: opts.clinicTimeZone,
    locale: opts.clinicLocale,
  });
  if (!clinicCheck.success) {
    const issue = clinicCheck.error.issues[0]!;
    throw new Error(
      issue.path[0] === 'timeZone'
        ? `REIN_CLINIC_TIME_ZONE "${opts.clinicTimeZone}" is not an IANA time zone: use a name such as ` +
            'America/Chicago, Europe/London or Australia/Sydney (or leave it unset for UTC).'
        : issue.path[0] === 'locale'
          ? `REIN_CLINIC_LOCALE "${opts.clinicLocale}" ${issue.message} (or leave it unset for en-US).`
          : `REIN_CLINIC_NAME ${issue.message}`,
    );
  }
  if ((await countClinics(db)) > 0) return { created: false };
  const generatedPassword = opts.adminPassword ? null : generatePassword();
  const password = opts.adminPassword ?? generatedPassword!;
  const created = await createClinicWithAdmin(db, {
    clinic: clinicCheck.data,
    admin: { email, name: 'Clinic administrator', password },
    mustChangePassword: generatedPassword !== null,
    createdBy: 'system',
    audit: ({ adminId }) => ({
      action: 'clinic.bootstrap',
      resourceType: 'user',
      resourceId: adminId,
      details: { generatedPassword: generatedPassword !== null },
    }),
  });
  return { created: true, clinicId: created.clinicId, email: created.adminEmail, generatedPassword };
}
