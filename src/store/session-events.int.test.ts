/**
 * A session's events as its use cases read them (listSessionEvents, written as SQL): every column
 * as the query builder maps it, the recorder's name, in the order recorded (time, then id).
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, samplePatient, screenEligible, seedClinic } from '../server/test-support';
import { sessionEvents } from './schema-sessions';
import { insertUncheckedSessionEvent, listSessionEvents } from './sessions';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';

describeEachStore('listSessionEvents', ({ store }) => {
  let clinicId: string;
  let nurse: { id: string; name: string };
  let sessionId: string;

  beforeAll(async () => {
    const app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Events Clinic');
    clinicId = clinic.id;
    nurse = { id: clinic.users.nurse.id, name: 'nurse Events Clinic' };
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
    expect(course.statusCode).toBe(201);
    sessionId = course.json().sessions[0].id as string;
    await app.close();
  });

  it('reads every column as the query builder maps it, with the recorder, in recorded order', async () => {
    const t = Date.parse('2026-03-02T08:00:00.123Z');
    const rows = await inClinic(store().db, clinicId, async (tx) => {
      const add = (timeMin: number | null, payload: unknown, atMs: number) =>
        insertUncheckedSessionEvent(
          tx,
          clinicId,
          sessionId,
          { kind: 'vitals', timeMin, payload },
          nurse.id,
          new Date(atMs),
        );
      // Stored out of time order, two at one instant (ordered by id), a fractional minute, no minute.
      await add(12.5, { sbpMmHg: 130, dbpMmHg: 80 }, t + 60_000);
      await add(null, { spo2Pct: 97.5, nested: { a: [1, 'two'] } }, t);
      await add(20, { heartRateBpm: 70 }, t + 60_000);
      const listed = await listSessionEvents(tx, clinicId, sessionId);
      const built = await tx
        .select()
        .from(sessionEvents)
        .where(and(eq(sessionEvents.clinicId, clinicId), eq(sessionEvents.sessionId, sessionId)))
        .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id));
      return { listed, built };
    });
    expect(rows.listed).toHaveLength(3);
    expect(rows.listed).toEqual(rows.built.map((r) => ({ ...r, recordedByName: nurse.name })));
    expect(rows.listed[0]).toMatchObject({
      timeMin: null,
      payload: { spo2Pct: 97.5, nested: { a: [1, 'two'] } },
    });
    expect(rows.listed[0]!.recordedAt).toEqual(new Date(t));
    expect(rows.listed[1]!.id < rows.listed[2]!.id).toBe(true);
  });
});
