import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  signOrderForPlan,
  type TestClinic,
} from '../test-support';

/**
 * The live curve covers the session's own window: an open session left for 80 days answers with
 * at most 6 h of points (it used to simulate every minute since dosing began).
 */
const START = new Date('2026-03-02T08:00:00Z');
const at = (min: number) => new Date(START.getTime() + min * 60_000);

describeEachStore('session curve is bounded to the session window', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Curve Clinic');
  });

  it('an open session 80 days after dosing: at most 6 h of one-minute points', async () => {
    now = START;
    const nurse = await login(app, clinic.users.nurse);
    const prescriber = await login(app, clinic.users.prescriber);
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const base = `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
    await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 80 },
    });
    expect((await nurse.request({ method: 'POST', url: `${base}/dose-plan`, payload: {} })).statusCode).toBe(
      200,
    );
    await signOrderForPlan(prescriber, base);
    expect((await nurse.request({ method: 'POST', url: `${base}/start`, payload: {} })).statusCode).toBe(200);

    const early = (await nurse.request({ method: 'GET', url: `${base}/curve` })).json();
    expect(early.timesMin.at(-1)).toBe(180);

    now = at(80 * 24 * 60);
    const later = await login(app, clinic.users.nurse);
    const res = await later.request({ method: 'GET', url: `${base}/curve` });
    expect(res.statusCode, res.body).toBe(200);
    const curve = res.json();
    expect(curve.timesMin.at(-1)).toBe(360);
    expect(curve.timesMin.length).toBeLessThanOrEqual(361);
    expect(curve.plasmaNgPerMl).toHaveLength(curve.timesMin.length);
    expect(curve.nowMin).toBe(80 * 24 * 60);
  });
});
