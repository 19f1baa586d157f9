/**
 * Medication taper plans. Conventions as in schema.ts: `clinic_id` on every table, primary
 * key `(clinic_id, id)`, clinic-inclusive foreign keys, UUIDv7 ids, timestamptz, units in names.
 *
 * Nothing a clinician recorded is overwritten:
 * - a replan (after a hold or step-back) is a new row in `taper_plan_versions`, linked to the
 *   version it replaces; earlier versions stay as they were;
 * - status changes of a plan (pause, resume, complete, cancel) copy the previous row into
 *   `revisions` (who, when, why) and bump `version`, like patients and medications;
 * - check-ins and decisions are append-only.
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
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DecisionSuggestion, TaperPlan, TaperPlanInput, Severity } from '../clinical/taper';
import { clinicId, createdAt, id, inList } from './columns';
import { patients, users } from './schema';

import { TAPER_DECISIONS, TAPER_PLAN_STATUSES, type TaperPlanStatus } from '../clinical/vocabulary/tapers';

export { TAPER_DECISIONS, TAPER_PLAN_STATUSES };
export type { TaperPlanStatus };
export const TAPER_MODES = ['occupancy', 'proportional'] as const;

/** One taper of one drug for one patient; its schedule lives in `taper_plan_versions`. */
export const taperPlans = pgTable(
  'taper_plans',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    drug: text('drug').notNull(),
    status: text('status').$type<TaperPlanStatus>().notNull().default('active'),
    /** Row version for status changes; earlier rows are kept in `revisions`. */
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('taper_plans_patient_idx').on(t.clinicId, t.patientId),
    check('taper_plans_status_check', inList('status', TAPER_PLAN_STATUSES)),
  ],
);

/**
 * A computed schedule. Version 1 is the plan as created; each replan is a new version that names
 * the version it replaces and the decision that caused it. `request` is the planner input exactly
 * as validated (including the prescriber's planned infusion dates); `plan` is the planner output
 * (steps, flags, rules, warnings) as a snapshot, so a later change of the planner's tables does not
 * silently change what the patient was given.
 */
export const taperPlanVersions = pgTable(
  'taper_plan_versions',
  {
    clinicId: clinicId(),
    id: id(),
    planId: uuid('plan_id').notNull(),
    number: integer('number').notNull(),
    previousVersionId: uuid('previous_version_id'),
    /**
     * The decision that produced this version (hold / step-back); null for version 1. Not a foreign
     * key: decisions reference the version they were taken on, and the pair would be circular.
     */
    decisionId: uuid('decision_id'),
    mode: text('mode').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    startDoseMg: doublePrecision('start_dose_mg').notNull(),
    /** Planned ketamine infusion dates the prescriber entered (courses arrive in a later issue). */
    infusionDates: date('infusion_dates', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    /** The validated planner request, with the drug. */
    request: jsonb('request').$type<TaperPlanInput>().notNull(),
    plan: jsonb('plan').$type<TaperPlan>().notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.planId], foreignColumns: [taperPlans.clinicId, taperPlans.id] }),
    foreignKey({
      columns: [t.clinicId, t.previousVersionId],
      foreignColumns: [t.clinicId, t.id],
    }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    uniqueIndex('taper_plan_versions_number_unique').on(t.clinicId, t.planId, t.number),
    check('taper_plan_versions_mode_check', inList('mode', TAPER_MODES)),
    check('taper_plan_versions_number_positive', sql`number >= 1`),
    check('taper_plan_versions_start_dose_positive', sql`start_dose_mg > 0`),
    check('taper_plan_versions_previous_check', sql`(number = 1) = (previous_version_id is null)`),
  ],
);

/** A weekly withdrawal check-in (free checklist, not the DESS) with the suggestion it produced. */
export const taperCheckIns = pgTable(
  'taper_check_ins',
  {
    clinicId: clinicId(),
    id: id(),
    planId: uuid('plan_id').notNull(),
    checkInDate: date('check_in_date', { mode: 'string' }).notNull(),
    /** Item id → severity 0–3. */
    answers: jsonb('answers').$type<Readonly<Partial<Record<string, Severity>>>>().notNull(),
    tolerable: boolean('tolerable').notNull(),
    note: text('note'),
    /** The rule-based suggestion computed when the check-in was recorded. */
    suggestion: jsonb('suggestion').$type<DecisionSuggestion>().notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.planId], foreignColumns: [taperPlans.clinicId, taperPlans.id] }),
    foreignKey({ columns: [t.clinicId, t.recordedBy], foreignColumns: [users.clinicId, users.id] }),
    index('taper_check_ins_plan_idx').on(t.clinicId, t.planId, t.checkInDate),
  ],
);

/** A prescriber's decision: what the rules suggested, what was chosen, who, why and when. */
export const taperDecisions = pgTable(
  'taper_decisions',
  {
    clinicId: clinicId(),
    id: id(),
    planId: uuid('plan_id').notNull(),
    /** The plan version in effect when the decision was taken. */
    versionId: uuid('version_id').notNull(),
    decisionDate: date('decision_date', { mode: 'string' }).notNull(),
    suggested: text('suggested').notNull(),
    suggestion: jsonb('suggestion').$type<DecisionSuggestion>().notNull(),
    decision: text('decision').notNull(),
    overridesSuggestion: boolean('overrides_suggestion').notNull(),
    reason: text('reason').notNull(),
    decidedBy: uuid('decided_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.planId], foreignColumns: [taperPlans.clinicId, taperPlans.id] }),
    foreignKey({
      columns: [t.clinicId, t.versionId],
      foreignColumns: [taperPlanVersions.clinicId, taperPlanVersions.id],
    }),
    foreignKey({ columns: [t.clinicId, t.decidedBy], foreignColumns: [users.clinicId, users.id] }),
    index('taper_decisions_plan_idx').on(t.clinicId, t.planId),
    check('taper_decisions_decision_check', inList('decision', TAPER_DECISIONS)),
    check('taper_decisions_suggested_check', inList('suggested', TAPER_DECISIONS)),
    check('taper_decisions_reason_present', sql`length(trim(reason)) > 0`),
  ],
);
