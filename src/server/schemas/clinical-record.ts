/**
 * Request and response contracts of the clinical record: allergies and the "no known allergies"
 * statement, the problem list, prior treatment trials and a course's primary diagnosis. Pure zod
 * over the core's vocabulary, shared by the routes and the web's forms.
 */
import { z } from 'zod';
import {
  ALLERGY_SEVERITIES,
  ALLERGY_SOURCES,
  ALLERGY_STATE_KINDS,
  ALLERGY_STATUSES,
  DIAGNOSIS_STATUSES,
  TRIAL_ADHERENCES,
  TRIAL_RESPONSES,
  TRIAL_STATUSES,
  icd10cmCodeSchema,
} from '../../clinical/vocabulary/clinical-record';
import { isoDate, optionalText, trimmed } from './common';
import { patientParams } from './patients';

export const allergyParams = patientParams.extend({
  allergyId: z.uuid({ error: 'must be an allergy id (UUID)' }),
});
export const diagnosisParams = patientParams.extend({
  diagnosisId: z.uuid({ error: 'must be a diagnosis id (UUID)' }),
});
export const trialParams = patientParams.extend({
  trialId: z.uuid({ error: 'must be a treatment trial id (UUID)' }),
});
export const coursePrimaryDiagnosisParams = patientParams.extend({
  courseId: z.uuid({ error: 'must be a course id (UUID)' }),
});

const optionalDate = isoDate.nullish().or(z.literal('').transform(() => null));
const version = z.int().positive().optional();
/** Why a change was made; required when an entry is marked entered in error. */
const reason = optionalText(500);
const reasonWhenInError = {
  message: 'say why the entry is marked entered in error',
  path: ['reason'],
};

/** A new allergy is active, inactive or resolved; "entered in error" is only ever a change. */
export const allergyCreateSchema = z.object({
  substance: trimmed(200),
  reaction: optionalText(500),
  severity: z.enum(ALLERGY_SEVERITIES),
  source: z.enum(ALLERGY_SOURCES),
  status: z.enum(['active', 'inactive', 'resolved']).default('active'),
  notes: optionalText(1000),
});
export type AllergyCreate = z.infer<typeof allergyCreateSchema>;

export const allergyUpdateSchema = z
  .object({
    reaction: optionalText(500),
    severity: z.enum(ALLERGY_SEVERITIES).optional(),
    source: z.enum(ALLERGY_SOURCES).optional(),
    status: z.enum(ALLERGY_STATUSES).optional(),
    notes: optionalText(1000),
    reason,
    version,
  })
  .refine((u) => u.status !== 'entered-in-error' || !!u.reason, reasonWhenInError);
export type AllergyUpdate = z.infer<typeof allergyUpdateSchema>;

/** "No known allergies" carries nothing but who said it and when (from the session and the clock). */
export const noKnownAllergiesSchema = z.object({});

export const diagnosisCreateSchema = z
  .object({
    icd10cmCode: icd10cmCodeSchema.nullish().or(z.literal('').transform(() => null)),
    /** Required without a code (a free-text diagnosis); ignored with one (the code's title is used). */
    description: optionalText(300),
    onsetDate: optionalDate,
    notes: optionalText(1000),
  })
  .refine((d) => !!d.icd10cmCode || !!d.description, {
    message: 'choose a code or describe the diagnosis',
    path: ['description'],
  });
export type DiagnosisCreate = z.infer<typeof diagnosisCreateSchema>;

export const diagnosisUpdateSchema = z
  .object({
    status: z.enum(DIAGNOSIS_STATUSES).optional(),
    onsetDate: optionalDate,
    notes: optionalText(1000),
    reason,
    version,
  })
  .refine((u) => u.status !== 'entered-in-error' || !!u.reason, reasonWhenInError);
export type DiagnosisUpdate = z.infer<typeof diagnosisUpdateSchema>;

const trialFields = {
  drug: trimmed(200),
  doseMgPerDay: z.number().positive('must be positive').max(100_000).nullish(),
  durationWeeks: z.number().positive('must be positive').max(520, 'at most 520 weeks').nullish(),
  adherence: z.enum(TRIAL_ADHERENCES),
  response: z.enum(TRIAL_RESPONSES),
  reasonStopped: optionalText(500),
  currentEpisode: z.boolean(),
  /** The prescriber's judgement of the dose; null when not judged. */
  adequateDose: z.boolean().nullable(),
  /** The prescriber's judgement of the duration; null when not judged. */
  adequateDuration: z.boolean().nullable(),
  startDate: optionalDate,
  notes: optionalText(1000),
};

export const trialCreateSchema = z.object(trialFields);
export type TrialCreate = z.infer<typeof trialCreateSchema>;

export const trialUpdateSchema = z
  .object(trialFields)
  .partial()
  .extend({ status: z.enum(TRIAL_STATUSES).optional(), reason, version })
  .refine((u) => u.status !== 'entered-in-error' || !!u.reason, reasonWhenInError);
export type TrialUpdate = z.infer<typeof trialUpdateSchema>;

export const coursePrimaryDiagnosisSchema = z.object({
  /** A diagnosis on the patient's problem list, or null to clear it. */
  diagnosisId: z.uuid({ error: 'must be a diagnosis id (UUID)' }).nullable(),
});
export type CoursePrimaryDiagnosis = z.infer<typeof coursePrimaryDiagnosisSchema>;

// Responses -----------------------------------------------------------------------------------------

const nullableString = z.string().nullable();

export const allergyDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  substance: z.string(),
  substanceGeneric: nullableString,
  /** True when the substance matched no drug of the dictionary: the clinician's words only. */
  substanceFreeText: z.boolean(),
  reaction: nullableString,
  severity: z.enum(ALLERGY_SEVERITIES),
  source: z.enum(ALLERGY_SOURCES),
  status: z.enum(ALLERGY_STATUSES),
  statusReason: nullableString,
  notes: nullableString,
  version: z.int(),
  recordedBy: z.uuid(),
  recordedAt: z.string(),
  updatedAt: z.string(),
});

export const diagnosisDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  icd10cmCode: nullableString,
  description: z.string(),
  freeText: z.boolean(),
  status: z.enum(DIAGNOSIS_STATUSES),
  statusReason: nullableString,
  onsetDate: nullableString,
  notes: nullableString,
  version: z.int(),
  recordedBy: z.uuid(),
  recordedAt: z.string(),
});

export const trialDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  drug: z.string(),
  doseMgPerDay: z.number().nullable(),
  durationWeeks: z.number().nullable(),
  adherence: z.enum(TRIAL_ADHERENCES),
  response: z.enum(TRIAL_RESPONSES),
  reasonStopped: nullableString,
  currentEpisode: z.boolean(),
  adequateDose: z.boolean().nullable(),
  adequateDuration: z.boolean().nullable(),
  startDate: nullableString,
  notes: nullableString,
  status: z.enum(TRIAL_STATUSES),
  statusReason: nullableString,
  version: z.int(),
  recordedBy: z.uuid(),
  recordedAt: z.string(),
});

export const allergyStateDto = z.object({
  kind: z.enum(ALLERGY_STATE_KINDS),
  /** Who stated "no known allergies", and when (kind `no-known-allergies` only). */
  recordedBy: z.uuid().nullable(),
  recordedByName: nullableString,
  recordedAt: nullableString,
  activeCount: z.int(),
});

export const treatmentResistanceDto = z.object({
  resistant: z.boolean(),
  adequateFailedTreatments: z.int(),
  required: z.int(),
  countingTrialIds: z.array(z.uuid()),
  judgements: z.array(
    z.object({ trialId: z.uuid(), drug: z.string(), counts: z.boolean(), reasons: z.array(z.string()) }),
  ),
  statement: z.string(),
  definition: z.object({ text: z.string(), source: z.string(), status: z.string(), adequacy: z.string() }),
});

export const clinicalRecordDto = z.object({
  allergyState: allergyStateDto,
  allergies: z.array(allergyDto),
  diagnoses: z.array(diagnosisDto),
  trials: z.array(trialDto),
  treatmentResistance: treatmentResistanceDto,
  courses: z.array(z.object({ courseId: z.uuid(), primaryDiagnosisId: z.uuid().nullable() })),
});
export type ClinicalRecordDto = z.infer<typeof clinicalRecordDto>;
