/**
 * Response shapes (zod, so they appear in the OpenAPI document) and the mappers from what the use
 * cases return. Dates leave the server as ISO 8601 strings; derived values (ages, class tags) come
 * computed from src/app.
 */
import { z } from 'zod';
import type { BodyMeasurement } from '../app/measurements';
import type { MedicationView } from '../app/medications';
import type { PatientWithAge } from '../app/patients';
import type { User } from '../app/users';
import { MEDICATION_CLASSES } from '../clinical/vocabulary/medication-classes';
import { RECORD_STATUSES, SEX_AT_BIRTH } from '../clinical/vocabulary/records';
import { STAFF_ROLES } from '../clinical/vocabulary/roles';
import { userDto } from './schemas/users';

const nullableString = z.string().nullable();

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    // `message` and each field's `message` are sentences for a person; `path` and `code` are for programs.
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
  requestId: z.string(),
});

/** Standard error responses every authenticated route can return. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};

/** For writes that may need the user's confirmation first (422 `confirmation_required`). */
export const confirmableErrorResponses = { ...errorResponses, 422: errorResponse };

export { userDto };
export const toUserDto = (u: User): z.infer<typeof userDto> => ({
  id: u.id,
  clinicId: u.clinicId,
  email: u.email,
  name: u.name,
  role: u.role,
  mustChangePassword: u.mustChangePassword,
  disabled: u.disabled,
  clinicalLead: u.clinicalLead,
  npi: u.npi,
  deaNumber: u.deaNumber,
  licenceState: u.licenceState,
  licenceNumber: u.licenceNumber,
  twoFactorEnabled: u.twoFactorEnabledAt !== null,
  createdAt: u.createdAt.toISOString(),
});

export const patientDto = z.object({
  id: z.uuid(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  sexAtBirth: z.enum(SEX_AT_BIRTH),
  genderIdentity: nullableString,
  pronouns: nullableString,
  phone: nullableString,
  email: nullableString,
  emergencyContactName: nullableString,
  emergencyContactPhone: nullableString,
  emergencyContactRelationship: nullableString,
  version: z.int(),
  /** Whole years on the clinic's today. */
  ageYears: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const toPatientDto = (p: PatientWithAge): z.infer<typeof patientDto> => ({
  id: p.id,
  mrn: p.mrn,
  givenName: p.givenName,
  familyName: p.familyName,
  dateOfBirth: p.dateOfBirth,
  sexAtBirth: p.sexAtBirth,
  genderIdentity: p.genderIdentity,
  pronouns: p.pronouns,
  phone: p.phone,
  email: p.email,
  emergencyContactName: p.emergencyContactName,
  emergencyContactPhone: p.emergencyContactPhone,
  emergencyContactRelationship: p.emergencyContactRelationship,
  version: p.version,
  ageYears: p.ageYears,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

/** Entered in error: kept for the record, never counted (latest weight, doses, BMI, flags). */
const recordStatus = z.enum(RECORD_STATUSES);

export const bodyMeasurementDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  measuredAt: z.string(),
  weightKg: z.number().nullable(),
  heightCm: z.number().nullable(),
  /** BMI from this weight and the latest height known at that time (clinical/body.ts). */
  bmi: z.number().nullable(),
  recordedBy: z.uuid(),
  status: recordStatus,
  statusReason: nullableString,
  version: z.int(),
});
export type BodyMeasurementDto = z.infer<typeof bodyMeasurementDto>;

/** The history and the weight and height that count now (the latest active ones not after now). */
export const bodyMeasurementHistoryDto = z.object({
  items: z.array(bodyMeasurementDto),
  latest: z.object({
    weightKg: z.number().nullable(),
    weighedAt: z.string().nullable(),
    heightCm: z.number().nullable(),
  }),
});
export const toBodyMeasurementDto = (m: BodyMeasurement, bmi: number | null): BodyMeasurementDto => ({
  id: m.id,
  patientId: m.patientId,
  measuredAt: m.measuredAt.toISOString(),
  weightKg: m.weightKg,
  heightCm: m.heightCm,
  bmi,
  recordedBy: m.recordedBy,
  status: m.status,
  statusReason: m.statusReason,
  version: m.version,
});

export const medicationDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  name: z.string(),
  rxnormCode: nullableString,
  dose: z.number().nullable(),
  doseUnit: nullableString,
  frequency: nullableString,
  /** Tags the clinician added. */
  classTags: z.array(z.enum(MEDICATION_CLASSES)),
  /** Tags the built-in drug dictionary derives from the name or RxNorm code; always applied. */
  derivedClassTags: z.array(z.enum(MEDICATION_CLASSES)),
  /** What the rules use: derived and added tags together. */
  effectiveClassTags: z.array(z.enum(MEDICATION_CLASSES)),
  status: recordStatus,
  statusReason: nullableString,
  /** Set when the dose was recorded above the labelled maximum after confirmation. */
  doseAboveMaximum: z
    .object({
      comparedMg: z.number(),
      maxMgPerDay: z.number(),
      source: z.string(),
      confirmedBy: z.string(),
      confirmedAt: z.string(),
    })
    .nullable(),
  startDate: nullableString,
  stopDate: nullableString,
  notes: nullableString,
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const toMedicationDto = (m: MedicationView): z.infer<typeof medicationDto> => ({
  id: m.id,
  patientId: m.patientId,
  name: m.name,
  rxnormCode: m.rxnormCode,
  dose: m.dose,
  doseUnit: m.doseUnit,
  frequency: m.frequency,
  classTags: m.classTags,
  derivedClassTags: m.derivedClassTags,
  effectiveClassTags: m.effectiveClassTags,
  status: m.status,
  statusReason: m.statusReason,
  doseAboveMaximum: m.doseAboveMaximum,
  startDate: m.startDate,
  stopDate: m.stopDate,
  notes: m.notes,
  version: m.version,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

export { STAFF_ROLES };
