/**
 * Repository for what happens in a treatment session: an append-only event log. The
 * caller validates each payload with the zod schema for its kind and runs the clinical rules (pure
 * core) before appending; nothing here updates or deletes a row.
 */
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { FACT_EVENT_KINDS, refreshSessionOutcomeFacts } from './outcome-facts';
import { users } from './schema';
import { courses, sessionEvents, treatmentSessions, type SessionEventKind } from './schema-sessions';
import type { Queryable } from './tx';

export type SessionEventRow = typeof sessionEvents.$inferSelect;
export type SessionEventWithAuthor = SessionEventRow & { recordedByName: string };

export async function appendSessionEvent(
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
      payload: event.payload ?? {},
      recordedBy,
      recordedAt,
    })
    .returning();
  // Dosing starts, vitals (hypertension alerts) and adverse events change the dashboard's course
  // facts: recompute the patient's in this transaction.
  if ((FACT_EVENT_KINDS as readonly SessionEventKind[]).includes(event.kind)) {
    await refreshSessionOutcomeFacts(db, clinicId, sessionId, recordedAt);
  }
  return row!;
}

/** A session's events in the order they were recorded. */
export async function listSessionEvents(
  db: Queryable,
  clinicId: string,
  sessionId: string,
): Promise<SessionEventWithAuthor[]> {
  const rows = await db
    .select({ e: sessionEvents, name: users.name })
    .from(sessionEvents)
    .innerJoin(users, and(eq(users.clinicId, sessionEvents.clinicId), eq(users.id, sessionEvents.recordedBy)))
    .where(and(eq(sessionEvents.clinicId, clinicId), eq(sessionEvents.sessionId, sessionId)))
    .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id));
  return rows.map((r) => ({ ...r.e, recordedByName: r.name }));
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

/** All esketamine sessions of the clinic (with patient id and date), for the REMS overdue list. */
export async function listEsketamineSessions(
  db: Queryable,
  clinicId: string,
): Promise<{ sessionId: string; patientId: string; courseId: string; date: string }[]> {
  return db
    .select({
      sessionId: treatmentSessions.id,
      patientId: treatmentSessions.patientId,
      courseId: treatmentSessions.courseId,
      date: treatmentSessions.date,
    })
    .from(treatmentSessions)
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(courses.modality, 'esketamine')));
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
