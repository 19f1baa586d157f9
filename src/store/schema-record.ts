/**
 * The clinical record a clinic keeps beside the sessions: allergies (and the "no known allergies"
 * statement), the problem list and prior treatment trials. Conventions as in schema.ts: `clinic_id`
 * on every table, primary key `(clinic_id, id)`, clinic-inclusive foreign keys, UUIDv7 ids, units in
 * names. Nothing is deleted: a change copies the previous row into `revisions` and bumps `version`;
 * a wrong entry is marked `entered-in-error` with the reason.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ALLERGY_SEVERITIES,
  ALLERGY_SOURCES,
  ALLERGY_STATUSES,
  DIAGNOSIS_STATUSES,
  TRIAL_ADHERENCES,
  TRIAL_RESPONSES,
  TRIAL_STATUSES,
  type AllergySeverity,
  type AllergySource,
  type AllergyStatus,
  type DiagnosisStatus,
  type TrialAdherence,
  type TrialResponse,
  type TrialStatus,
} from '../clinical/vocabulary/clinical-record';
import { clinicId, createdAt, id, inList } from './columns';
import { patients, users } from './schema';

const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const allergies = pgTable(
  'allergies',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    /** As entered (drug name, brand or free text). */
    substance: text('substance').notNull(),
    /** The generic name the substance resolved to; null when it is free text. */
    substanceGeneric: text('substance_generic'),
    substanceFreeText: boolean('substance_free_text').notNull(),
    reaction: text('reaction'),
    severity: text('severity').$type<AllergySeverity>().notNull(),
    status: text('status').$type<AllergyStatus>().notNull().default('active'),
    source: text('source').$type<AllergySource>().notNull(),
    notes: text('notes'),
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('allergies_patient_idx').on(t.clinicId, t.patientId),
    check('allergies_status_check', inList('status', ALLERGY_STATUSES)),
    check('allergies_severity_check', inList('severity', ALLERGY_SEVERITIES)),
    check('allergies_source_check', inList('source', ALLERGY_SOURCES)),
    check('allergies_free_text_check', sql`substance_free_text = (substance_generic is null)`),
  ],
);

/**
 * "No known allergies", stated by a clinician at a time. Append-only: the latest statement is the
 * one that holds, until an allergy is recorded after it.
 */
export const allergyStatements = pgTable(
  'allergy_statements',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.recordedBy], foreignColumns: [users.clinicId, users.id] }),
    index('allergy_statements_patient_idx').on(t.clinicId, t.patientId),
  ],
);

export const diagnoses = pgTable(
  'diagnoses',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    /** A code of the clinic's ICD-10-CM subset; null for a free-text diagnosis. */
    icd10cmCode: text('icd10cm_code'),
    description: text('description').notNull(),
    freeText: boolean('free_text').notNull(),
    status: text('status').$type<DiagnosisStatus>().notNull().default('active'),
    onsetDate: date('onset_date', { mode: 'string' }),
    notes: text('notes'),
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('diagnoses_patient_idx').on(t.clinicId, t.patientId),
    check('diagnoses_status_check', inList('status', DIAGNOSIS_STATUSES)),
    check('diagnoses_free_text_check', sql`free_text = (icd10cm_code is null)`),
  ],
);

export const treatmentTrials = pgTable(
  'treatment_trials',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    drug: text('drug').notNull(),
    doseMgPerDay: doublePrecision('dose_mg_per_day'),
    durationWeeks: doublePrecision('duration_weeks'),
    adherence: text('adherence').$type<TrialAdherence>().notNull(),
    response: text('response').$type<TrialResponse>().notNull(),
    reasonStopped: text('reason_stopped'),
    currentEpisode: boolean('current_episode').notNull(),
    /** The prescriber's judgement; null until marked. */
    adequateDose: boolean('adequate_dose'),
    adequateDuration: boolean('adequate_duration'),
    startDate: date('start_date', { mode: 'string' }),
    notes: text('notes'),
    status: text('status').$type<TrialStatus>().notNull().default('active'),
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('treatment_trials_patient_idx').on(t.clinicId, t.patientId),
    check('treatment_trials_status_check', inList('status', TRIAL_STATUSES)),
    check('treatment_trials_adherence_check', inList('adherence', TRIAL_ADHERENCES)),
    check('treatment_trials_response_check', inList('response', TRIAL_RESPONSES)),
    check('treatment_trials_dose_check', sql`dose_mg_per_day is null or dose_mg_per_day > 0`),
    check('treatment_trials_duration_check', sql`duration_weeks is null or duration_weeks > 0`),
  ],
);
