/**
 * Row locks a use case takes before it reads what a rule is checked against, so that two
 * requests racing on the same record are decided one after the other: the second one waits for
 * the first to commit and then sees what it wrote. Each lock lasts until the caller's transaction
 * ends.
 *
 * `FOR NO KEY UPDATE` rather than `FOR UPDATE`: inserts into tables whose foreign keys point at
 * the locked row take a key-share lock on it, and must not wait behind these locks.
 */
import { sql } from 'drizzle-orm';
import { ConflictError, pgErrorOf } from './errors';
import type { Queryable } from './tx';

/** The clinic's row: serializes changes to who administers the clinic. */
export async function lockClinic(db: Queryable, clinicId: string): Promise<void> {
  await db.execute(sql`select id from clinics where id = ${clinicId} for no key update`);
}

/** A patient's row: serializes what is counted or due per patient (links, portal submissions). */
export async function lockPatient(db: Queryable, clinicId: string, patientId: string): Promise<void> {
  await db.execute(
    sql`select id from patients where clinic_id = ${clinicId} and id = ${patientId} for no key update`,
  );
}

/**
 * The course a treatment session belongs to: serializes every write to the sessions of one course,
 * so a rule over the session (one check-in, one dosing start) or over the course's sessions holds.
 */
export async function lockCourseOfSession(db: Queryable, clinicId: string, sessionId: string): Promise<void> {
  await db.execute(sql`
    select c.id from courses c
    join treatment_sessions s on s.clinic_id = c.clinic_id and s.course_id = c.id
    where s.clinic_id = ${clinicId} and s.id = ${sessionId}
    for no key update of c`);
}

/**
 * What a unique constraint refused when two writers raced past the checks above it, as the
 * conflict the loser would have been told about had it come second: a version conflict, a second
 * check-in or dosing start. Null for any other error.
 */
const RACE_CONSTRAINTS: Record<string, { field: string; message: string }> = {
  revisions_resource_version_unique: {
    field: 'version',
    message: 'this record was changed by someone else at the same time; reload and try again',
  },
  session_events_one_check_in: { field: 'session', message: 'already checked in' },
  session_events_one_dosing_start: { field: 'session', message: 'dosing has already started' },
};

export function raceConflictOf(err: unknown): ConflictError | null {
  const e = pgErrorOf(err);
  if (e?.code === '23505' && e.constraint && RACE_CONSTRAINTS[e.constraint]) {
    const { field, message } = RACE_CONSTRAINTS[e.constraint]!;
    return new ConflictError(field, message);
  }
  // Serialization failure or deadlock: the other writer won; this one may try again.
  if (e?.code === '40001' || e?.code === '40P01') {
    return new ConflictError('request', 'the same record was being changed at the same time; try again');
  }
  return null;
}
