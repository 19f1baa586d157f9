/**
 * Repository for what happens in a treatment session: an append-only event log. The caller
 * (src/app/sessions) decides with the session core which events to append and refreshes derived
 * facts itself; nothing here updates or deletes a row.
 */
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { NewSessionEvent } from '../clinical/session';
import { patients } from './schema';
import { courses, sessionEvents, treatmentSessions, type SessionEventKind } from './schema-sessions';
import type { Queryable } from './tx';

export type SessionEventRow = typeof sessionEvents.$inferSelect;
export type SessionEventWithAuthor = SessionEventRow & { recordedByName: string };

/**
 * The channel a session's appends are announced on: the payload is `<sessionId>:<event count>`.
 * NOTIFY is delivered when the appending transaction commits (never for one rolled back), to every
 * server process listening on the database.
 */
export const SESSION_CHANGE_CHANNEL = 'rein_session_events';

/** Appends events (already decided and validated by the session core) at one instant. */
export async function insertSessionEvents(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  events: readonly NewSessionEvent[],
  recordedBy: string,
  recordedAt: Date,
): Promise<SessionEventRow[]> {
  if (events.length === 0) return [];
  // Sent together (the announcement's count runs after the insert, on the same connection): the
  // course lock the use case holds is released one round trip sooner.
  const [rows] = await Promise.all([
    db
      .insert(sessionEvents)
      .values(
        events.map((e) => ({
          clinicId,
          sessionId,
          kind: e.kind,
          timeMin: e.timeMin,
          payload: e.payload,
          recordedBy,
          recordedAt,
        })),
      )
      .returning(),
    db.execute(
      sql`select pg_notify(${SESSION_CHANGE_CHANNEL}, ${sessionId} || ':' || (select count(*) from ${sessionEvents} where ${sessionEvents.sessionId} = ${sessionId}))`,
    ),
  ]);
  return rows;
}

/** How many events a session has: its version, as announced on SESSION_CHANGE_CHANNEL. */
export async function countSessionEvents(
  db: Queryable,
  clinicId: string,
  sessionId: string,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sessionEvents)
    .where(and(eq(sessionEvents.clinicId, clinicId), eq(sessionEvents.sessionId, sessionId)));
  return row?.n ?? 0;
}

/**
 * Inserts one event as given, unchecked (older shapes included): the path tests and fixtures use,
 * through src/app/sessions/append.ts, to store records as older writers left them.
 */
export async function insertUncheckedSessionEvent(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  event: { kind: SessionEventKind; timeMin?: number | null; payload: unknown },
  recordedBy: string,
  recordedAt: Date,
): Promise<SessionEventRow> {
  const [row] = await db
    .insert(sessionEvents)
    .values({
      clinicId,
      sessionId,
      kind: event.kind,
      timeMin: event.timeMin ?? null,
      // Stored verbatim (older shapes included); readers parse with the session core.
      payload: sql`${JSON.stringify(event.payload ?? {})}::jsonb`,
      recordedBy,
      recordedAt,
    })
    .returning();
  return row!;
}

/** A session event row as the driver returns it to the raw query below. */
interface RawSessionEventRow {
  clinic_id: string;
  id: string;
  session_id: string;
  kind: SessionEventKind;
  time_min: number | null;
  payload: unknown;
  recorded_by: string;
  recorded_at: Date | string;
  name: string;
}

/**
 * A session's events in the order they were recorded. Written as SQL and mapped here: a session
 * is read on every append and every live update, and the query builder's work per call and per
 * row (building the select, mapping each column) was a large part of that read.
 */
export async function listSessionEvents(
  db: Queryable,
  clinicId: string,
  sessionId: string,
): Promise<SessionEventWithAuthor[]> {
  const result = (await db.execute(
    sql`select e.clinic_id, e.id, e.session_id, e.kind, e.time_min, e.payload, e.recorded_by, e.recorded_at, u.name
        from session_events e join users u on u.clinic_id = e.clinic_id and u.id = e.recorded_by
        where e.clinic_id = ${clinicId} and e.session_id = ${sessionId}
        order by e.recorded_at, e.id`,
  )) as unknown as { rows: RawSessionEventRow[] };
  return result.rows.map((r) => ({
    clinicId: r.clinic_id,
    id: r.id,
    sessionId: r.session_id,
    kind: r.kind,
    timeMin: r.time_min,
    payload: (typeof r.payload === 'string'
      ? JSON.parse(r.payload)
      : r.payload) as SessionEventRow['payload'],
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at instanceof Date ? r.recorded_at : new Date(r.recorded_at),
    recordedByName: r.name,
  }));
}

/** Events of the given kinds for many sessions (e.g. discharge and REMS submission for all esketamine sessions). */
export async function listEventsOfKinds(
  db: Queryable,
  clinicId: string,
  sessionIds: string[],
  kinds: SessionEventKind[],
): Promise<SessionEventRow[]> {
  if (sessionIds.length === 0) return [];
  return db
    .select()
    .from(sessionEvents)
    .where(
      and(
        eq(sessionEvents.clinicId, clinicId),
        inArray(sessionEvents.sessionId, sessionIds),
        inArray(sessionEvents.kind, kinds),
      ),
    )
    .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id));
}

/** An esketamine treatment that was discharged and has no REMS form marked submitted. */
export interface TreatmentAwaitingRems {
  sessionId: string;
  patientId: string;
  date: string;
  givenName: string;
  familyName: string;
  mrn: string;
}

/**
 * Esketamine sessions dated before `datedBefore` with a discharge and no REMS submission, oldest
 * first, at most `limit`, with how many there are in all: the candidates of the overdue list,
 * chosen in SQL so the work is bounded by what is outstanding, not by the clinic's history.
 */
export async function listTreatmentsAwaitingRems(
  db: Queryable,
  clinicId: string,
  opts: { datedBefore: string; limit: number },
): Promise<{ rows: TreatmentAwaitingRems[]; total: number }> {
  const hasEvent = (kind: SessionEventKind) =>
    sql`exists (select 1 from ${sessionEvents} where ${sessionEvents.clinicId} = ${treatmentSessions.clinicId} and ${sessionEvents.sessionId} = ${treatmentSessions.id} and ${sessionEvents.kind} = ${kind})`;
  const where = and(
    eq(treatmentSessions.clinicId, clinicId),
    eq(courses.modality, 'esketamine'),
    sql`${treatmentSessions.date} < ${opts.datedBefore}`,
    hasEvent('discharge'),
    sql`not ${hasEvent('rems-submitted')}`,
  );
  const courseJoin = and(
    eq(courses.clinicId, treatmentSessions.clinicId),
    eq(courses.id, treatmentSessions.courseId),
  );
  const rows = await db
    .select({
      sessionId: treatmentSessions.id,
      patientId: treatmentSessions.patientId,
      date: treatmentSessions.date,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
    })
    .from(treatmentSessions)
    .innerJoin(courses, courseJoin)
    .innerJoin(
      patients,
      and(eq(patients.clinicId, treatmentSessions.clinicId), eq(patients.id, treatmentSessions.patientId)),
    )
    .where(where)
    .orderBy(asc(treatmentSessions.date), asc(treatmentSessions.id))
    .limit(opts.limit);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(treatmentSessions)
    .innerJoin(courses, courseJoin)
    .where(where);
  return { rows, total: count?.n ?? 0 };
}

/** Dates (clinic-local, YYYY-MM-DD) of a patient's scheduled sessions on or after `fromDate`, sorted. */
export async function listPatientSessionDates(
  db: Queryable,
  clinicId: string,
  patientId: string,
  fromDate: string,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ date: treatmentSessions.date })
    .from(treatmentSessions)
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        eq(treatmentSessions.patientId, patientId),
        gte(treatmentSessions.date, fromDate),
      ),
    )
    .orderBy(asc(treatmentSessions.date));
  return rows.map((r) => r.date);
}

/**
 * A patient's dosed sessions in every course: the dosing start (its instant), the session and its
 * course's modality, and every dose-plan payload of the session in the order recorded (the caller
 * reads the one in force at dosing start). One statement: the plans are gathered per start.
 */
export async function listPatientDosings(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<
  {
    sessionId: string;
    courseId: string;
    sequence: number;
    modality: string;
    startedAt: Date;
    dosePlans: { payload: unknown; recordedAt: Date }[];
  }[]
> {
  const plans = alias(sessionEvents, 'plan');
  const starts = await db
    .select({
      sessionId: treatmentSessions.id,
      courseId: treatmentSessions.courseId,
      sequence: treatmentSessions.sequence,
      modality: courses.modality,
      startedAt: sessionEvents.recordedAt,
      dosePlans: sql<{ payload: unknown; recordedAt: string }[]>`(
        select coalesce(json_agg(json_build_object('payload', ${plans.payload}, 'recordedAt', ${plans.recordedAt})
                                 order by ${plans.recordedAt}, ${plans.id}), '[]'::json)
        from ${sessionEvents} as plan
        where ${plans.clinicId} = ${sessionEvents.clinicId} and ${plans.sessionId} = ${sessionEvents.sessionId}
          and ${plans.kind} = 'dose-plan')`,
    })
    .from(sessionEvents)
    .innerJoin(
      treatmentSessions,
      and(
        eq(treatmentSessions.clinicId, sessionEvents.clinicId),
        eq(treatmentSessions.id, sessionEvents.sessionId),
      ),
    )
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(
      and(
        eq(sessionEvents.clinicId, clinicId),
        eq(treatmentSessions.patientId, patientId),
        eq(sessionEvents.kind, 'dosing-start'),
      ),
    )
    .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id));
  return starts.map((s) => ({
    ...s,
    dosePlans: (typeof s.dosePlans === 'string'
      ? (JSON.parse(s.dosePlans) as typeof s.dosePlans)
      : s.dosePlans
    ).map((p) => ({ payload: p.payload, recordedAt: new Date(p.recordedAt) })),
  }));
}

/**
 * Holds the patient's row lock until the transaction ends, so two dosing starts for one patient
 * run one after the other and the second reads the first's dose (the minimum days between doses
 * hold even when starts arrive at the same moment).
 */
export async function lockPatientForDosing(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<void> {
  await db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.clinicId, clinicId), eq(patients.id, patientId)))
    .for('update');
}
