/**
 * Request schemas of patients, body measurements and medications. Pure zod, shared by the routes,
 * the importers and the web's forms; the plausibility ranges and medication classes come from the core.
 */
import { z } from 'zod';
import { MEDICATION_CLASSES } from '../../clinical/medication-classes';
import { EARLIEST_DATE_OF_BIRTH } from '../../clinical/patient';
import { PLAUSIBLE } from '../../clinical/plausibility';
// The sex-at-birth vocabulary is defined with the patients table (its check constraint lists it).
import { SEX_AT_BIRTH } from '../../clinical/vocabulary';
import { emailSchema, isoDate, optionalText, plausible, trimmed } from './common';

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
export const medicationParams = patientParams.extend({
  medicationId: z.uuid({ error: 'must be a medication id (UUID)' }),
});
export const measurementParams = patientParams.extend({
  measurementId: z.uuid({ error: 'must be a measurement id (UUID)' }),
});

export const patientListQuery = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const dateOfBirth = isoDate.refine(
  (d) => d >= EARLIEST_DATE_OF_BIRTH,
  `must be after ${EARLIEST_DATE_OF_BIRTH}`,
);

export const patientCreateSchema = z.object({
  mrn: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'at most 64 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may contain only letters, digits, dot, dash and underscore'),
  givenName: trimmed(100),
  familyName: trimmed(100),
  dateOfBirth,
  sexAtBirth: z.enum(SEX_AT_BIRTH),
  genderIdentity: optionalText(100),
  pronouns: optionalText(40),
  phone: optionalText(40),
  email: emailSchema.nullish().or(z.literal('').transform(() => null)),
  emergencyContactName: optionalText(200),
  emergencyContactPhone: optionalText(40),
  emergencyContactRelationship: optionalText(60),
});
export type PatientCreate = z.infer<typeof patientCreateSchema>;

export const patientUpdateSchema = patientCreateSchema.partial().extend({
  /** Optimistic concurrency: the version the editor saw; a stale edit is refused, never merged. */
  version: z.int().positive().optional(),
  reason: optionalText(500),
});
export type PatientUpdate = z.infer<typeof patientUpdateSchema>;

export const bodyMeasurementCreateSchema = z
  .object({
    measuredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    weightKg: plausible(PLAUSIBLE.weightKg).nullish(),
    heightCm: plausible(PLAUSIBLE.heightCm).nullish(),
  })
  .refine((m) => m.weightKg != null || m.heightCm != null, {
    message: 'give a weight, a height or both',
    path: ['weightKg'],
  });
export type BodyMeasurementCreate = z.infer<typeof bodyMeasurementCreateSchema>;

export const medicationClassSchema = z.enum(MEDICATION_CLASSES);

const medicationFields = {
  name: trimmed(200),
  rxnormCode: z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, 'must be an RxNorm concept id (digits)')
    .nullish()
    .or(z.literal('').transform(() => null)),
  dose: z.number().positive('must be positive').max(100_000).nullish(),
  doseUnit: optionalText(20),
  frequency: optionalText(100),
  classTags: z.array(medicationClassSchema).max(10).default([]),
  startDate: isoDate.nullish().or(z.literal('').transform(() => null)),
  stopDate: isoDate.nullish().or(z.literal('').transform(() => null)),
  notes: optionalText(1000),
};

const stopAfterStart = (m: { startDate?: string | null; stopDate?: string | null }) =>
  !m.startDate || !m.stopDate || m.stopDate >= m.startDate;

/**
 * A dose above the drug's labelled maximum is refused (422 `confirmation_required`) until the
 * clinician confirms it; the confirmation is recorded with the medication.
 */
const confirmAboveMaximum = z.boolean().optional();

export const medicationCreateSchema = z
  .object({ ...medicationFields, confirmAboveMaximum })
  .refine(stopAfterStart, { message: 'must not be before the start date', path: ['stopDate'] });
export type MedicationCreate = z.infer<typeof medicationCreateSchema>;

export const medicationUpdateSchema = z
  .object(medicationFields)
  .partial()
  .extend({
    version: z.int().positive().optional(),
    /** Required when the change stops the medication. */
    reason: optionalText(500),
    confirmAboveMaximum,
  });
export type MedicationUpdate = z.infer<typeof medicationUpdateSchema>;

/** Marking a weight, height or medication entered in error always says why. */
export const enteredInErrorSchema = z.object({
  reason: trimmed(500),
  /** Optimistic concurrency: the version the clinician saw. */
  version: z.int().positive().optional(),
});
export type EnteredInError = z.infer<typeof enteredInErrorSchema>;
