/**
 * Pre-aggregated outcome facts for the clinic dashboard. One row per treatment
 * course that has at least one dosed session: what the pure core (src/clinical/outcomes) concluded
 * about it, and its per-session safety counts. The rows are derived, never entered: every write that
 * can change them (a PHQ-9 recorded or corrected, a session event appended, the clinic's remission or
 * vitals thresholds changed) recomputes the patient's rows in the same transaction
 * (src/app/outcome-facts.ts), and `rebuildOutcomeFacts` recomputes a whole clinic. The dashboard
 * counts these rows instead of re-deriving every course from item-level answers on each request.
 */
import {
  boolean,
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
import { clinicId } from './columns';
import { clinics, patients, users } from './schema';
import { courses } from './schema-sessions';

export const courseOutcomeFacts = pgTable(
  'course_outcome_facts',
  {
    clinicId: clinicId(),
    courseId: uuid('course_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    modality: text('modality').notNull(),
    /** The course's start date (the dashboard's date filter). */
    startDate: date('start_date', { mode: 'string' }).notNull(),
    /** The prescriber who created the course (the dashboard's prescriber filter). */
    prescriberId: uuid('prescriber_id').notNull(),
    /** The course has a dosed induction session, so it counts as an outcome course. */
    hasInduction: boolean('has_induction').notNull(),
    /** Baseline and end-of-induction scores both present (baseline > 0). */
    evaluable: boolean('evaluable').notNull(),
    response: boolean('response'),
    remission: boolean('remission'),
    rapidResponse4h: boolean('rapid_response_4h'),
    rapidResponse24h: boolean('rapid_response_24h'),
    /** Suicide item (PHQ-9 item 9) at baseline and end of induction, when both were answered. */
    suicidalityBaseline: integer('suicidality_baseline'),
    suicidalityChange: integer('suicidality_change'),
    suicidalityDecreased: boolean('suicidality_decreased'),
    suicidalityIncreased: boolean('suicidality_increased'),
    /** Days from the last induction session to relapse or censoring (responders only). */
    durabilityDays: doublePrecision('durability_days'),
    relapsed: boolean('relapsed'),
    dosedSessions: integer('dosed_sessions').notNull(),
    sessionsWithAdverseEvent: integer('sessions_with_adverse_event').notNull(),
    adverseEvents: integer('adverse_events').notNull(),
    sessionsWithSeriousAdverseEvent: integer('sessions_with_serious_adverse_event').notNull(),
    seriousAdverseEvents: integer('serious_adverse_events').notNull(),
    sessionsWithHypertensionAlert: integer('sessions_with_hypertension_alert').notNull(),
    hypertensionAlerts: integer('hypertension_alerts').notNull(),
    /** Start of the course's latest dosed session ("patients in treatment": dosed in the last 28 days). */
    lastDosedAt: timestamp('last_dosed_at', { withTimezone: true }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.courseId] }),
    foreignKey({ columns: [t.clinicId, t.courseId], foreignColumns: [courses.clinicId, courses.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.prescriberId], foreignColumns: [users.clinicId, users.id] }),
    index('course_outcome_facts_start_idx').on(t.clinicId, t.startDate),
    index('course_outcome_facts_patient_idx').on(t.clinicId, t.patientId),
    index('course_outcome_facts_last_dosed_idx').on(t.clinicId, t.lastDosedAt),
  ],
);

/**
 * Which version of the fact computation a clinic's facts were built with. Written when a clinic is
 * created (no courses yet, so its facts are complete) and by every full rebuild. `rein serve`
 * rebuilds, at start, each clinic whose row is missing (a database from before the facts existed)
 * or older than `OUTCOME_FACTS_VERSION` (src/app/outcome-facts.ts) — one indexed read per clinic.
 */
export const outcomeFactBuilds = pgTable('outcome_fact_builds', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  version: integer('version').notNull(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull(),
});
