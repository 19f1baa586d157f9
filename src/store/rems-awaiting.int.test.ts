/**
 * The REMS overdue list reads its candidates in SQL: esketamine treatments with a discharge and no
 * submission, dated before a day, oldest first, at most a limit, with the number outstanding.
 */
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, samplePatient, screenEligible, seedClinic } from '../server/test-support';
import { insertUncheckedSessionEvent, listTreatmentsAwaitingRems } from './sessions';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';

describeEachStore('esketamine treatments awaiting a REMS form', ({ store }) => {
  let clinicId: string;
  let nurseId: string;
  let sessions: { id: string; date: string }[];

  beforeAll(async () => {
    const app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'REMS Clinic');
    clinicId = clinic.id;
    nurseId = clinic.users.nurse.id;
    const prescriber = await login(app, clinic.users.prescriber);
    const patientId = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id as string;
    await screenEligible(prescriber, patientId, 'esketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'esketamine-trd-label', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    sessions = (course.json().sessions as { id: string; date: string }[]).slice(0, 5);
    await app.close();
    // Sessions 1–4 discharged; session 2's form submitted; session 5 never took place.
    await inClinic(store().db, clinicId, async (tx) => {
      const add = (i: number, kind: 'discharge' | 'rems-submitted', payload: object) =>
        insertUncheckedSessionEvent(tx, clinicId, sessions[i]!.id, { kind, payload }, nurseId, new Date());
      for (const i of [0, 1, 2, 3]) await add(i, 'discharge', { note: null });
      await add(1, 'rems-submitted', { submittedOn: sessions[1]!.date });
    });
  });

  const list = (datedBefore: string, limit: number) =>
    inClinic(store().db, clinicId, (tx) => listTreatmentsAwaitingRems(tx, clinicId, { datedBefore, limit }));

  it('lists discharged, unsubmitted treatments oldest first, capped, with the total outstanding', async () => {
    const all = await list('2100-01-01', 10);
    expect(all.rows.map((r) => r.sessionId)).toEqual([sessions[0]!.id, sessions[2]!.id, sessions[3]!.id]);
    expect(all.total).toBe(3);
    expect(all.rows[0]).toMatchObject({ givenName: expect.any(String), mrn: expect.stringMatching(/^MRN-/) });

    const capped = await list('2100-01-01', 2);
    expect(capped.rows.map((r) => r.sessionId)).toEqual([sessions[0]!.id, sessions[2]!.id]);
    expect(capped.total).toBe(3);
  });

  it('leaves out sessions dated on or after the day given', async () => {
    const before = await list(sessions[2]!.date, 10);
    expect(before.rows.map((r) => r.sessionId)).toEqual([sessions[0]!.id]);
    expect(before.total).toBe(1);
  });
});
