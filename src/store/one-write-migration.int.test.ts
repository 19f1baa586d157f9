/**
 * Migration 0019 on a database that already holds what racing requests stored before it: a
 * session checked in three times and started twice. The migration keeps the first check-in and
 * the first dosing start, turns each later duplicate into a note (nothing deleted), and then the
 * database refuses a second check-in or dosing start of a session, which a use case reports as a
 * conflict.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, samplePatient, screenEligible, seedClinic } from '../server/test-support';
import { raceConflictOf } from './locks';
import { MIGRATIONS_FOLDER } from './open';
import { sessionEvents } from './schema-sessions';
import { insertSessionEvents, insertUncheckedSessionEvent } from './sessions';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';

const MIGRATION = readFileSync(resolve(MIGRATIONS_FOLDER, '0019_one_write_per_request.sql'), 'utf8');
/** The statements of 0019 that clean up duplicates and create the two unique indexes. */
const DEDUPLICATE_AND_INDEX = MIGRATION.split('--> statement-breakpoint')
  .map((s) => s.trim())
  .filter((s) => !/idempotency_keys/.test(s));

describeEachStore('migration 0019: one check-in and one dosing start per session', ({ store }) => {
  let clinicId: string;
  let nurseId: string;
  let sessionId: string;

  beforeAll(async () => {
    const app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Migrating Clinic');
    clinicId = clinic.id;
    nurseId = clinic.users.nurse.id;
    const prescriber = await login(app, clinic.users.prescriber);
    const patientId = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    sessionId = course.json().sessions[0].id as string;
    await app.close();
  });

  it('keeps the first of each, turns the rest into notes, then refuses a second one as a conflict', async () => {
    const db = store().db;
    await db.execute(sql`drop index session_events_one_check_in`);
    await db.execute(sql`drop index session_events_one_dosing_start`);
    const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 8, 0, s));
    const stored = await inClinic(db, clinicId, async (tx) => {
      const add = (kind: 'check-in' | 'dosing-start', s: number) =>
        insertUncheckedSessionEvent(
          tx,
          clinicId,
          sessionId,
          { kind, payload: { note: null } },
          nurseId,
          at(s),
        );
      return [
        await add('check-in', 0),
        await add('check-in', 0),
        await add('check-in', 1),
        await add('dosing-start', 5),
        await add('dosing-start', 6),
      ];
    });

    for (const statement of DEDUPLICATE_AND_INDEX) await db.execute(sql.raw(statement));

    const rows = await db
      .select()
      .from(sessionEvents)
      .where(and(eq(sessionEvents.clinicId, clinicId), eq(sessionEvents.sessionId, sessionId)))
      .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id));
    expect(rows.map((r) => r.kind)).toEqual(['check-in', 'note', 'note', 'dosing-start', 'note']);
    expect(rows.map((r) => r.id)).toEqual(stored.map((r) => r.id));
    expect(rows[0]!.id).toBe(stored[0]!.id);
    expect(rows[1]!.payload).toEqual({
      text: 'Duplicate check-in entry stored by a simultaneous request; the first check-in entry of this session stands.',
    });
    expect(rows[4]!.recordedBy).toBe(nurseId);

    const second = await inClinic(db, clinicId, (tx) =>
      insertSessionEvents(
        tx,
        clinicId,
        sessionId,
        [{ kind: 'dosing-start', timeMin: 0, payload: { note: null } }],
        nurseId,
        at(9),
      ),
    ).catch((err: unknown) => err);
    expect(raceConflictOf(second)).toMatchObject({ field: 'session', message: 'dosing has already started' });
  });
});
