/** Booster timing from the patient's own measured time to relapse. */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { appendSessionEvent } from '../app/sessions/append';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('booster from the patient’s own relapse', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Booster Clinic');
    prescriber = await login(app, clinic.users.prescriber);
  });

  const phq9 = (patientId: string, answers: number[], at: string) =>
    prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: { instrument: 'phq9', version: '1.0.0', context: 'weekly', administeredAt: at, answers },
    });
  /** Marks sessions as completed the way the session workflow ends them: a discharge event. */
  const complete = (sessionIds: string[]) =>
    inClinic(store().db, clinic.id, async (tx) => {
      for (const id of sessionIds) {
        await appendSessionEvent(
          tx,
          clinic.id,
          id,
          { kind: 'discharge', timeMin: 120, payload: {} },
          clinic.users.nurse.id,
          new Date(),
        );
      }
    });

  it('uses the relapse measured after the earlier course, not the 18-day median', async () => {
    const p = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    await screenEligible(prescriber, p.id, 'iv-ketamine');
    const first = (
      await prescriber.request({
        method: 'POST',
        url: `/api/patients/${p.id}/courses`,
        payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-01-05' },
      })
    ).json();
    await complete(first.sessions.map((s: { id: string }) => s.id));
    const last = first.sessions.at(-1) as { date: string; startMin: number };
    const lastStart = Date.parse(`${last.date}T00:00:00Z`) + last.startMin * 60_000;
    expect((await phq9(p.id, [3, 3, 3, 3, 2, 2, 2, 2, 0], '2026-01-04T10:00:00Z')).statusCode).toBe(201); // 20
    expect((await phq9(p.id, [1, 1, 1, 1, 1, 1, 1, 1, 0], `${last.date}T23:00:00Z`)).statusCode).toBe(201); // 8: response
    expect((await phq9(p.id, [2, 2, 2, 2, 2, 2, 1, 1, 0], '2026-02-12T10:00:00Z')).statusCode).toBe(201); // 14: lost
    const expectedDays = Math.round((Date.parse('2026-02-12T10:00:00Z') - lastStart) / 86_400_000);

    const second = (
      await prescriber.request({
        method: 'POST',
        url: `/api/patients/${p.id}/courses`,
        payload: { templateId: 'iv-booster-single', startDate: '2026-03-02' },
      })
    ).json();
    await complete([second.sessions[0].id]);
    const res = await prescriber.request({
      method: 'GET',
      url: `/api/patients/${p.id}/courses/${second.id}/suggestions`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const booster = res.json().booster;
    expect(booster.kind).toBe('patient-measured');
    const due = new Date(Date.parse(`${second.sessions[0].date}T00:00:00Z`) + expectedDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(booster.dueDate).toBe(due);
    expect(booster.message).toContain(`${expectedDays} days`);
    expect(expectedDays).not.toBe(18);
  });
});
