import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { wilsonInterval } from '../../clinical/outcomes';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

const phq9 = (answers: number[], administeredAt: string) => ({
  instrument: 'phq9',
  version: '1.0.0',
  context: 'weekly',
  administeredAt,
  answers,
});
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describeEachStore('outcomes summary', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let staff: Session;
  let lastDate: string;
  const now = new Date('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Outcomes Clinic');
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    const prescriber = await login(app, clinic.users.prescriber);
    const patientId = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    const sessions = course.json().sessions as { id: string; date: string; phaseId: string }[];
    expect(sessions.length).toBe(6);
    lastDate = sessions[sessions.length - 1]!.date;
    await inClinic(store().db, clinic.id, async (tx) => {
      const u = clinic.users.nurse.id;
      for (const [i, s] of sessions.entries()) {
        const t = (min: number) => new Date(Date.parse(`${s.date}T08:00:00Z`) + min * 60_000);
        await appendSessionEvent(
          tx,
          clinic.id,
          s.id,
          { kind: 'dosing-start', timeMin: 0, payload: {} },
          u,
          t(0),
        );
        if (i === 1) {
          await appendSessionEvent(
            tx,
            clinic.id,
            s.id,
            { kind: 'vitals', timeMin: 30, payload: { sbpMmHg: 190, dbpMmHg: 95 } },
            u,
            t(30),
          );
          await appendSessionEvent(
            tx,
            clinic.id,
            s.id,
            {
              kind: 'adverse-event',
              timeMin: 20,
              payload: { category: 'nausea', severity: 'mild', actionTaken: 'observed', serious: false },
            },
            u,
            t(20),
          );
        }
      }
    });
    for (const [answers, at] of [
      [[3, 3, 2, 2, 2, 2, 2, 2, 1, 2], '2026-03-01T09:00:00Z'], // 19, item 9 = 1
      [[1, 1, 0, 0, 1, 0, 0, 0, 0, 0], `${addDays(lastDate, 2)}T09:00:00Z`], // 3: response and remission
      [[2, 2, 1, 1, 1, 1, 1, 1, 0, 1], `${addDays(lastDate, 16)}T08:00:00Z`], // 10: 47 % fall → relapse
    ] as const) {
      const r = await nurse.request({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        payload: phq9([...answers], at),
      });
      expect(r.statusCode).toBe(201);
    }
  }, 60_000);

  it('computes response, remission, suicidality, durability and session rates for the clinic', async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/outcomes/summary' });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.courses).toBe(1);
    expect(s.evaluable).toBe(1);
    expect(s.response).toEqual(
      expect.objectContaining({ successes: 1, total: 1, lower: wilsonInterval(1, 1).lower, upper: 1 }),
    );
    expect(s.remission).toMatchObject({ successes: 1, total: 1 });
    expect(s.suicidalityDecreased).toMatchObject({ successes: 1, total: 1 });
    expect(s.durability).toMatchObject({ n: 1, events: 1, censored: 0 });
    // Relapse 16 days after the last session date (08:00 → 08:00).
    expect(s.durability.steps[0]).toMatchObject({ time: 16, survival: 0 });
    expect(s.durability.at28Days.survival).toBe(0);
    expect(s.sessions.dosed).toBe(6);
    expect(s.sessions.adverseEvents).toMatchObject({ successes: 1, total: 6, events: 1 });
    expect(s.sessions.hypertensionAlerts).toMatchObject({ successes: 1, total: 6 });
    expect(s.benchmarks.response.value).toBe(53.6);
    expect(s.relapseDefinition.criterion).toBe('loss-of-response');
    expect(s.remissionThreshold).toMatchObject({ comparator: '<', value: 5 });
    expect(s.prescribers).toEqual([{ id: clinic.users.prescriber.id, name: expect.any(String) }]);
    const byOther = (
      await nurse.request({
        method: 'GET',
        url: `/api/outcomes/summary?prescriberId=${clinic.users.nurse.id}`,
      })
    ).json();
    expect(byOther.courses).toBe(0);
    const byPrescriber = (
      await nurse.request({
        method: 'GET',
        url: `/api/outcomes/summary?prescriberId=${clinic.users.prescriber.id}`,
      })
    ).json();
    expect(byPrescriber.courses).toBe(1);
  });

  it('applies the clinic’s PHQ-9 remission threshold when set', async () => {
    const admin = await login(app, clinic.users.admin);
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const put = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, outcomes: { remissionThresholds: { phq9: { comparator: '<', value: 3 } } } },
    });
    expect(put.statusCode).toBe(200);
    const s = (await nurse.request({ method: 'GET', url: '/api/outcomes/summary' })).json();
    // End-of-induction score 3: remission under the default (< 5), not under the clinic's < 3.
    expect(s.remission).toMatchObject({ successes: 0, total: 1 });
    expect(s.remissionThreshold).toMatchObject({ comparator: '<', value: 3 });
    expect(s.remissionThreshold.source).toMatch(/clinic setting/);
  });

  it('filters by modality and date, rejects a backwards range, and is for clinical roles only', async () => {
    const esk = (
      await nurse.request({ method: 'GET', url: '/api/outcomes/summary?modality=esketamine' })
    ).json();
    expect(esk.courses).toBe(0);
    expect(esk.response).toMatchObject({ total: 0, proportion: null });
    const later = (
      await nurse.request({ method: 'GET', url: '/api/outcomes/summary?from=2026-04-01' })
    ).json();
    expect(later.courses).toBe(0);
    expect(
      (await nurse.request({ method: 'GET', url: '/api/outcomes/summary?from=2026-04-01&to=2026-03-01' }))
        .statusCode,
    ).toBe(400);
    expect((await staff.request({ method: 'GET', url: '/api/outcomes/summary' })).statusCode).toBe(403);
  });
});
