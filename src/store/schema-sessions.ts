/**
 * Treatment courses and sessions. Conventions as in schema.ts: `clinic_id` on every table,
 * primary key `(clinic_id, id)`, clinic-inclusive foreign keys, UUIDv7 ids, timestamptz, units in
 * column names (and in the JSON keys of payloads, e.g. `sbpMmHg`).
 *
 * Nothing a clinician recorded is overwritten:
 * - an eligibility screening is stored with its computed result; a correction is a new screening;
 *   the prescriber's sign-off is a separate row, at most one per screening;
 * - clinic scheduling settings and clinic course templates are versioned by appending rows (the
 *   newest row wins);
 * - a course stores the template exactly as scheduled (snapshot) with its scheduled sessions;
 * - everything that happens in a session (check-in, checklist, dose plan, dosing start, vitals,
 *   alert decisions, CADSS-6 / MOAA/S, adverse events, discharge, REMS form submission) is an
 *   append-only row in `session_events`, its payload validated by zod per kind before insert.
 */
import { sql } from 'drizzle-orm';
import {
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
import type {
  CourseTemplate,
  DoseSpec,
  EligibilityResult,
  IntakeAnswers,
  ScheduleConflict,
} from '../clinical/protocols';
import type { SessionSettings } from '../clinical/session';

/** A jsonb object with no keys. */
type EmptyJson = Record<string, never>;
import type { SessionEventPayload } from '../clinical/session';
import { SESSION_EVENT_KINDS, type SessionEventKind } from '../clinical/vocabulary/session-events';
import { clinicId, createdAt, id, inList } from './columns';
import { clinics, patients, users } from './schema';
import { diagnoses } from './schema-record';

import { MODALITIES } from '../clinical/vocabulary/modalities';
import {
  BOOKING_CHANGE_KINDS,
  BOOKING_CHANGE_SCOPES,
  type BookingChangeKind,
  type BookingChangeScope,
} from '../clinical/vocabulary/booking';

export { MODALITIES };
export const ELIGIBILITY_STATUSES = ['eligible', 'needs-review', 'not-eligible'] as const;
export const SIGN_OFF_DECISIONS = ['approve', 'decline'] as const;
/** The kinds of session event: the session core's list (one payload schema per kind). */
export { SESSION_EVENT_KINDS, type SessionEventKind };

/** An intake eligibility screening: the answers and the result the pure core computed from them. */
export const eligibilityScreenings = pgTable(
  'eligibility_screenings',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    modality: text('modality').notNull(),
    answers: jsonb('answers').$type<IntakeAnswers>().notNull(),
    result: jsonb('result').$type<EligibilityResult>().notNull(),
    status: text('status').notNull(),
    screenedBy: uuid('screened_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.screenedBy], foreignColumns: [users.clinicId, users.id] }),
    index('eligibility_screenings_patient_idx').on(t.clinicId, t.patientId),
    check('eligibility_screenings_modality_check', inList('modality', MODALITIES)),
    check('eligibility_screenings_status_check', inList('status', ELIGIBILITY_STATUSES)),
  ],
);

/** The prescriber's sign-off of one screening (who, when, decision, note). One per screening. */
export const eligibilitySignOffs = pgTable(
  'eligibility_sign_offs',
  {
    clinicId: clinicId(),
    id: id(),
    screeningId: uuid('screening_id').notNull(),
    decision: text('decision').notNull(),
    note: text('note'),
    signedBy: uuid('signed_by').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.screeningId],
      foreignColumns: [eligibilityScreenings.clinicId, eligibilityScreenings.id],
    }),
    foreignKey({ columns: [t.clinicId, t.signedBy], foreignColumns: [users.clinicId, users.id] }),
    uniqueIndex('eligibility_sign_offs_screening_unique').on(t.clinicId, t.screeningId),
    check('eligibility_sign_offs_decision_check', inList('decision', SIGN_OFF_DECISIONS)),
  ],
);

/** Clinic scheduling and session settings (hours, rooms, durations, vial/bag); newest row wins. */
export const clinicSessionSettings = pgTable(
  'clinic_session_settings',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    /** Validated again on read: rows written before a setting existed lack it. */
    settings: jsonb('settings').$type<SessionSettings>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
  ],
);

/** A clinic's own course template (validated by courseTemplateSchema). Edits append a new row. */
export const clinicCourseTemplates = pgTable(
  'clinic_course_templates',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    /** The template's own id (stable across edits); the newest row with this key is current. */
    templateKey: text('template_key').notNull(),
    name: text('name').notNull(),
    modality: text('modality').notNull(),
    template: jsonb('template').$type<CourseTemplate>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('clinic_course_templates_key_idx').on(t.clinicId, t.templateKey),
    check('clinic_course_templates_modality_check', inList('modality', MODALITIES)),
  ],
);

/** A treatment course: the template as scheduled (snapshot) and the conflicts found. */
export const courses = pgTable(
  'courses',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    templateKey: text('template_key').notNull(),
    /** Empty in rows made by hand (fixtures): readers parse it before use. */
    template: jsonb('template').$type<CourseTemplate | EmptyJson>().notNull(),
    modality: text('modality').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    conflicts: jsonb('conflicts').$type<ScheduleConflict[]>().notNull(),
    /** The diagnosis the course treats (one of the patient's problem list); optional for older courses. */
    primaryDiagnosisId: uuid('primary_diagnosis_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    foreignKey({
      columns: [t.clinicId, t.primaryDiagnosisId],
      foreignColumns: [diagnoses.clinicId, diagnoses.id],
    }),
    index('courses_patient_idx').on(t.clinicId, t.patientId),
    // The dashboard's prescriber filter lists who created courses.
    index('courses_created_by_idx').on(t.clinicId, t.createdBy),
    check('courses_modality_check', inList('modality', MODALITIES)),
  ],
);

/** One scheduled session of a course (local date + minutes from local midnight, clinic time zone). */
export const treatmentSessions = pgTable(
  'treatment_sessions',
  {
    clinicId: clinicId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    sequence: integer('sequence').notNull(),
    phaseId: text('phase_id').notNull(),
    phaseLabel: text('phase_label').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    startMin: integer('start_min').notNull(),
    endMin: integer('end_min').notNull(),
    roomId: text('room_id').notNull(),
    targetDate: date('target_date', { mode: 'string' }).notNull(),
    shiftedDays: integer('shifted_days').notNull(),
    /** Empty in rows made by hand (fixtures): readers parse it before use. */
    dose: jsonb('dose').$type<DoseSpec | EmptyJson>().notNull(),
    fixedDoseMg: doublePrecision('fixed_dose_mg'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.courseId], foreignColumns: [courses.clinicId, courses.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    uniqueIndex('treatment_sessions_sequence_unique').on(t.clinicId, t.courseId, t.sequence),
    index('treatment_sessions_date_idx').on(t.clinicId, t.date),
    // A patient's sessions: outcome facts are recomputed per patient on every write.
    index('treatment_sessions_patient_idx').on(t.clinicId, t.patientId),
    check(
      'treatment_sessions_minutes_check',
      sql`start_min >= 0 and end_min > start_min and end_min <= 1440`,
    ),
  ],
);

/** Append-only log of everything recorded in a session. */
export const sessionEvents = pgTable(
  'session_events',
  {
    clinicId: clinicId(),
    id: id(),
    sessionId: uuid('session_id').notNull(),
    kind: text('kind').$type<SessionEventKind>().notNull(),
    /** Minutes after dosing start (first device / infusion start) the entry refers to, when it does. */
    timeMin: doublePrecision('time_min'),
    payload: jsonb('payload').$type<SessionEventPayload>().notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [treatmentSessions.clinicId, treatmentSessions.id],
    }),
    foreignKey({ columns: [t.clinicId, t.recordedBy], foreignColumns: [users.clinicId, users.id] }),
    index('session_events_session_idx').on(t.clinicId, t.sessionId, t.recordedAt),
    // "Patients in treatment" on the dashboard: dosing starts in the last 28 days.
    index('session_events_dosing_start_idx')
      .on(t.clinicId, t.recordedAt)
      .where(sql`kind = 'dosing-start'`),
    // One check-in and one dosing start per session, whatever races past the use case's lock.
    uniqueIndex('session_events_one_check_in')
      .on(t.clinicId, t.sessionId)
      .where(sql`kind = 'check-in'`),
    uniqueIndex('session_events_one_dosing_start')
      .on(t.clinicId, t.sessionId)
      .where(sql`kind = 'dosing-start'`),
    check('session_events_kind_check', inList('kind', SESSION_EVENT_KINDS)),
  ],
);

/**
 * Append-only log of booking changes: a session rescheduled, cancelled or marked a no-show, each
 * with its reason, who and when, and the booking before and after. A reschedule also moves the
 * session's row to the new booking in the same transaction (every reader of the calendar follows
 * it); the earlier bookings stay here. A session's status is derived from these rows and its
 * events, never stored (clinical/session/booking.ts).
 */
export const bookingChanges = pgTable(
  'booking_changes',
  {
    clinicId: clinicId(),
    id: id(),
    sessionId: uuid('session_id').notNull(),
    courseId: uuid('course_id').notNull(),
    kind: text('kind').$type<BookingChangeKind>().notNull(),
    /** 'course' when the change came from cancelling the whole course. */
    scope: text('scope').$type<BookingChangeScope>().notNull(),
    reason: text('reason').notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    fromStartMin: integer('from_start_min').notNull(),
    fromEndMin: integer('from_end_min').notNull(),
    fromRoomId: text('from_room_id').notNull(),
    toDate: date('to_date', { mode: 'string' }),
    toStartMin: integer('to_start_min'),
    toEndMin: integer('to_end_min'),
    toRoomId: text('to_room_id'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [treatmentSessions.clinicId, treatmentSessions.id],
    }),
    foreignKey({ columns: [t.clinicId, t.courseId], foreignColumns: [courses.clinicId, courses.id] }),
    foreignKey({ columns: [t.clinicId, t.recordedBy], foreignColumns: [users.clinicId, users.id] }),
    index('booking_changes_session_idx').on(t.clinicId, t.sessionId, t.recordedAt),
    index('booking_changes_course_idx').on(t.clinicId, t.courseId),
    check('booking_changes_kind_check', inList('kind', BOOKING_CHANGE_KINDS)),
    check('booking_changes_scope_check', inList('scope', BOOKING_CHANGE_SCOPES)),
    check(
      'booking_changes_to_check',
      sql`(kind = 'reschedule') = (to_date is not null and to_start_min is not null and to_end_min is not null and to_room_id is not null)`,
    ),
  ],
);
