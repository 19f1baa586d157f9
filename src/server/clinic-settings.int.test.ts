/**
 * Clinic settings that change clinical arithmetic: the dose planner's defaults and binding session
 * maximum, and per-clinic remission thresholds.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

describeEachStore('clinic settings in clinical arithmetic', ({ store }) => {
  let app: FastifyInstance;
  let admin: Session;
  let prescriber: Session;
  const plan = { dose: '0.5 mg/kg over 40 min', weightKg: 80, vialMgPerMl: 50, bagMl: 100 };
  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Settings Clinic');
    admin = await login(app, clinic.users.admin);
    prescriber = await login(app, clinic.users.prescriber);
  });

  async function changeSettings(change: (s: Record<string, unknown>) => Record<string, unknown>) {
    const current = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const res = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: change(current),
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('uses the default session maximum (1 mg/kg) and actual weight until the clinic changes them', async () => {
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    expect(settings.dosing).toEqual({ weightBasis: 'actual', pumpResolutionMlPerH: 0.1 });
    const res = await prescriber.request({ method: 'POST', url: '/api/pk/plan', payload: plan });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().doseMg).toBeCloseTo(40, 10);
  });

  it("binds the planner to the clinic's maximum and dosing defaults", async () => {
    await changeSettings((s) => ({
      ...s,
      clinicMaxDoseMgPerKg: 0.6,
      dosing: { weightBasis: 'actual', pumpResolutionMlPerH: 1 },
    }));
    const above = await prescriber.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { ...plan, dose: '0.75 mg/kg over 45 min' },
    });
    expect(above.statusCode).toBe(400);
    expect(above.json().error.message).toMatch(/0\.6 mg\/kg/);
    const raise = await prescriber.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { ...plan, maxMgPerKgPerSession: 2 },
    });
    expect(raise.statusCode).toBe(400);
    expect(raise.json().error.fields[0].path).toBe('maxMgPerKgPerSession');
    // Pump resolution 1 mL/h: 100.8 mL over 40 min = 151.2 mL/h → 151 mL/h.
    const ok = await prescriber.request({ method: 'POST', url: '/api/pk/plan', payload: plan });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(JSON.stringify(ok.json())).toMatch(/"rateMlPerH":151(,|})/);
  });

  it("applies the clinic's remission threshold to the trajectory, labelled as the clinic's", async () => {
    const p = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    const record = (total: number[], at: string, context: string) =>
      prescriber.request({
        method: 'POST',
        url: `/api/patients/${p.id}/assessments`,
        payload: { instrument: 'phq9', version: '1.0.0', context, administeredAt: at, answers: total },
      });
    expect((await record([3, 3, 2, 2, 2, 2, 2, 2, 0], '2026-10-01T10:00:00Z', 'baseline')).statusCode).toBe(
      201,
    );
    // A total of 6: not in remission by the default (< 5), in remission by a clinic threshold of <= 6.
    expect((await record([1, 1, 1, 1, 1, 1, 0, 0, 0], '2026-11-01T10:00:00Z', 'weekly')).statusCode).toBe(
      201,
    );
    const phq9 = async () =>
      (await prescriber.request({ method: 'GET', url: `/api/patients/${p.id}/trajectory` }))
        .json()
        .series.find((s: { instrument: string }) => s.instrument === 'phq9');
    const before = await phq9();
    expect(before.remission).toMatchObject({ comparator: '<', value: 5 });
    expect(before.latest.remission).toBe(false);
    await changeSettings((s) => ({
      ...s,
      outcomes: { remissionThresholds: { phq9: { comparator: '<=', value: 6 } } },
    }));
    const after = await phq9();
    expect(after.remission).toMatchObject({ comparator: '<=', value: 6 });
    expect(after.remission.source).toMatch(/^clinic setting \(default < 5/);
    expect(after.latest.remission).toBe(true);
  });
});
