/** Request and response contracts of the clinic routes and of creating a clinic. */
import { z } from 'zod';
import { isTimeZone } from '../../clinical/calendar';
import {
  CLINIC_LOCALES,
  clinicLocaleSchema,
  DEFAULT_CLINIC_LOCALE,
} from '../../clinical/vocabulary/date-format';
import { optionalText, trimmed } from './common';

/**
 * How the clinic writes dates: a BCP 47 tag from the supported list. One numeric pattern per
 * locale (DD/MM/YYYY for en-GB), used by every list, picker and message.
 */
export const clinicLocaleField = z
  .string({ error: `must be one of the supported locales: ${CLINIC_LOCALES.join(', ')}` })
  .trim()
  .pipe(clinicLocaleSchema);

/** A new clinic: its name, the IANA time zone its dates are kept in and how it writes them. */
export const clinicCreateSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  timeZone: z
    .string()
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Europe/London')
    .default('UTC'),
  locale: clinicLocaleField.default(DEFAULT_CLINIC_LOCALE),
});
export type ClinicCreate = z.infer<typeof clinicCreateSchema>;

export const clinicOverviewResponse = z.object({
  clinic: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string(), locale: z.string() }),
  patientCount: z.int(),
  /** True for an admin while the clinic has no patients: the start page offers the demo. */
  canLoadDemo: z.boolean(),
});

export const demoSummaryResponse = z.object({
  patients: z.int(),
  bodyMeasurements: z.int(),
  medications: z.int(),
  allergies: z.int(),
  noKnownAllergies: z.int(),
  diagnoses: z.int(),
  treatmentTrials: z.int(),
  notes: z.int(),
  staff: z.int(),
  courses: z.int(),
  sessions: z.int(),
  sessionEvents: z.int(),
  assessments: z.int(),
  itemAnswers: z.int(),
  alerts: z.int(),
  outcomeFacts: z.int(),
});

/**
 * The clinic's identity as an admin edits it. The time zone decides the clinic's "today", due dates
 * and calendars; instants are stored in UTC, so changing it moves no recorded time.
 */
export const clinicIdentitySchema = z.object({
  name: trimmed(200),
  address: optionalText(500),
  phone: optionalText(40).refine(
    (v) => v == null || /^[+(]?[0-9][0-9 ().\-/]*(?:\s*(?:ext\.?|x)\s*[0-9]+)?$/i.test(v),
    'must be a phone number: digits, spaces, + ( ) - . / and an optional extension',
  ),
  timeZone: z
    .string({ error: 'must be an IANA time zone such as America/Chicago' })
    .trim()
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as America/Chicago'),
  /** Optional so an older client that sends no locale keeps the clinic's current one. */
  locale: clinicLocaleField.optional(),
});
export type ClinicIdentityInput = z.input<typeof clinicIdentitySchema>;
export type ClinicIdentity = z.output<typeof clinicIdentitySchema>;

export const clinicIdentityResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  timeZone: z.string(),
  /** A tag from the supported list (clinical/vocabulary/date-format.ts). */
  locale: z.string(),
  /** The clinic's date today in its time zone, so an admin sees what a zone change does. */
  today: z.iso.date(),
});
