/**
 * Measurement-based care: assessment responses with item-level answers, the self-report
 * portal's magic links, and suicidality alerts. Same conventions as schema.ts: `clinic_id` on every
 * table, primary key `(clinic_id, id)`, clinic-inclusive foreign keys, UUIDv7 ids, timestamptz.
 *
 * Nothing recorded is overwritten: a correction of a response is a NEW row whose `supersedes_id`
 * points at the version it corrects (one correction per version, so versions form a chain).
 *
 * `session_id` is a nullable uuid WITHOUT a foreign key for now: there is no sessions table yet.
 * When one lands, a migration adds the clinic-inclusive foreign key.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { clinicId, createdAt, id, inList } from './columns';
import { INSTRUMENT_IDS } from '../clinical/vocabulary/instruments';
import { patients, users } from './schema';

export const ASSESSMENT_CONTEXTS = [
  'baseline',
  'pre-session',
  'post-4h',
  'post-24h',
  'weekly',
  'ad-hoc',
] as const;
export type AssessmentContextValue = (typeof ASSESSMENT_CONTEXTS)[number];

import { ALERT_ACTIONS, ALERT_KINDS, RESPONDENTS } from '../clinical/vocabulary/records';
export { ALERT_ACTIONS, ALERT_KINDS, RESPONDENTS } from '../clinical/vocabulary/records';
import type { AlertAction, AlertKind, Respondent } from '../clinical/vocabulary/records';
export type { AlertAction, AlertKind, Respondent };

/** Expiring magic links for the self-report portal; only the SHA-256 of the token is stored. */
export const portalLinks = pgTable(
  'portal_links',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    useCount: integer('use_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    uniqueIndex('portal_links_token_hash_unique').on(t.tokenHash),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    foreignKey({ columns: [t.clinicId, t.revokedBy], foreignColumns: [users.clinicId, users.id] }),
    index('portal_links_patient_idx').on(t.clinicId, t.patientId, t.createdAt),
    check('portal_links_expiry_after_creation', sql`expires_at > created_at`),
    check(
      'portal_links_revocation_complete',
      sql`(revoked_at is null and revoked_by is null) or (revoked_at is not null and revoked_by is not null)`,
    ),
  ],
);

/** One completed instrument (one version of it). Item answers are in `assessment_item_answers`. */
export const assessmentResponses = pgTable(
  'assessment_responses',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    instrument: text('instrument').notNull(),
    /** Definition version the answers were given against (e.g. "1.0"). */
    instrumentVersion: text('instrument_version').notNull(),
    context: text('context').$type<AssessmentContextValue>().notNull(),
    /** The linked treatment session; no foreign key yet (no sessions table exists). */
    sessionId: uuid('session_id'),
    administeredAt: timestamp('administered_at', { withTimezone: true }).notNull(),
    respondent: text('respondent').$type<Respondent>().notNull(),
    /** The staff user who entered or rated it; null when the patient answered through a portal link. */
    enteredBy: uuid('entered_by'),
    /** The portal link the patient used; null when a staff user entered it. */
    portalLinkId: uuid('portal_link_id'),
    /** As scored by src/clinical/instruments (scoreInstrument) at the time of recording. */
    totalScore: integer('total_score'),
    severity: text('severity'),
    cssrsRisk: text('cssrs_risk'),
    flags: text('flags')
      .array()
      .$type<string[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * Null when the whole instrument was given; otherwise the only items asked (e.g. PHQ-9 item 9
     * alone at +4 h after a session). A partial response has no total or severity.
     */
    partialItemIds: text('partial_item_ids').array().$type<string[]>(),
    /** True when any suicide item is positive (also tracked item by item). */
    suicidality: boolean('suicidality').notNull(),
    /** 1 for the first recording; a correction is version + 1 and supersedes the previous row. */
    version: integer('version').notNull().default(1),
    /** The first version's id (equal to `id` for version 1): groups a response and its corrections. */
    rootId: uuid('root_id').notNull(),
    supersedesId: uuid('supersedes_id'),
    correctionReason: text('correction_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.enteredBy], foreignColumns: [users.clinicId, users.id] }),
    foreignKey({
      columns: [t.clinicId, t.portalLinkId],
      foreignColumns: [portalLinks.clinicId, portalLinks.id],
    }),
    foreignKey({
      columns: [t.clinicId, t.supersedesId],
      foreignColumns: [t.clinicId, t.id],
    }),
    uniqueIndex('assessment_responses_supersedes_unique').on(t.clinicId, t.supersedesId),
    index('assessment_responses_patient_idx').on(t.clinicId, t.patientId, t.administeredAt),
    check('assessment_responses_instrument_check', inList('instrument', INSTRUMENT_IDS)),
    check('assessment_responses_context_check', inList('context', ASSESSMENT_CONTEXTS)),
    check('assessment_responses_respondent_check', inList('respondent', RESPONDENTS)),
    check(
      'assessment_responses_one_author',
      sql`(entered_by is not null and portal_link_id is null) or (entered_by is null and portal_link_id is not null and respondent = 'patient')`,
    ),
    check(
      'assessment_responses_version_chain',
      sql`(version = 1 and supersedes_id is null and root_id = id) or (version > 1 and supersedes_id is not null and correction_reason is not null)`,
    ),
    check(
      'assessment_responses_cssrs_risk_check',
      sql`cssrs_risk is null or cssrs_risk in ('none', 'low', 'moderate', 'high')`,
    ),
  ],
);

/**
 * Item-level answers, one row per item of a response. Suicide items carry `suicide_item = true` and
 * `positive`, so suicidality can be charted and queried as its own track.
 */
export const assessmentItemAnswers = pgTable(
  'assessment_item_answers',
  {
    clinicId: clinicId(),
    id: id(),
    responseId: uuid('response_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    itemId: text('item_id').notNull(),
    /** Null for an item skipped by skip logic or left blank (unscored items). */
    value: integer('value'),
    suicideItem: boolean('suicide_item').notNull(),
    /** For suicide items: whether this answer is positive (src/clinical isSuicideItemPositive). */
    positive: boolean('positive'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.responseId],
      foreignColumns: [assessmentResponses.clinicId, assessmentResponses.id],
    }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    uniqueIndex('assessment_item_answers_item_unique').on(t.clinicId, t.responseId, t.itemId),
    index('assessment_item_answers_suicide_idx')
      .on(t.clinicId, t.patientId)
      .where(sql`suicide_item`),
    check('assessment_item_answers_positive_only_for_suicide_items', sql`suicide_item or positive is null`),
  ],
);

/**
 * Clinician inbox: created in the same transaction as the response that raised it; acknowledged
 * (never deleted) with a note and the action taken, by whom and when.
 */
export const alerts = pgTable(
  'alerts',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    responseId: uuid('response_id').notNull(),
    kind: text('kind').$type<AlertKind>().notNull(),
    /** What raised it, without PHI beyond the chart: e.g. "PHQ-9 item 9 = 2". */
    reason: text('reason').notNull(),
    createdAt: createdAt(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by'),
    acknowledgementNote: text('acknowledgement_note'),
    actionTaken: text('action_taken').$type<AlertAction>(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({
      columns: [t.clinicId, t.responseId],
      foreignColumns: [assessmentResponses.clinicId, assessmentResponses.id],
    }),
    foreignKey({ columns: [t.clinicId, t.acknowledgedBy], foreignColumns: [users.clinicId, users.id] }),
    index('alerts_open_idx')
      .on(t.clinicId, t.createdAt)
      .where(sql`acknowledged_at is null`),
    index('alerts_patient_idx').on(t.clinicId, t.patientId),
    check('alerts_kind_check', inList('kind', ALERT_KINDS)),
    check('alerts_action_check', sql`action_taken is null or ${inList('action_taken', ALERT_ACTIONS)}`),
    check(
      'alerts_acknowledgement_complete',
      sql`(acknowledged_at is null and acknowledged_by is null and acknowledgement_note is null and action_taken is null) or (acknowledged_at is not null and acknowledged_by is not null and acknowledgement_note is not null and length(trim(acknowledgement_note)) > 0 and action_taken is not null)`,
    ),
  ],
);

export type AssessmentResponseRow = typeof assessmentResponses.$inferSelect;
export type PortalLinkRow = typeof portalLinks.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
