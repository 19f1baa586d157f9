import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addBodyMeasurement } from '../store/body-measurements';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

/** Clinical facts cannot come from the future: every writer refuses them, and readers ignore them. */
describeEachStore('clinical facts cannot come from the future', ({ store }) => {
  const NOW = new Date('2026-11-26T12:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let staff: Session;
  let mrn = 0;
  const newPatient = async (): Promise<string> =>
    (
      await staff.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ mrn: `FF-${++mrn}` }),
      })
    ).json().id;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => NOW });
    clinic = await seedClinic(store(), 'Future Facts Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);
  });

  const planFor = (patientId: string) =>
    nurse.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { patientId, dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 },
    });

  it('a weight dated 2062 is refused naming measuredAt, stores nothing, and the dose stays 35 mg', async () => {
    const patientId = await newPatient();
    const url = `/api/patients/${patientId}/body-measurements`;
    const ok = await nurse.request({
      method: 'POST',
      url,
      payload: { measuredAt: '2026-11-26T09:00:00Z', weightKg: 70 },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const future = await nurse.request({
      method: 'POST',
      url,
      payload: { measuredAt: '2062-01-01T09:00:00Z', weightKg: 120 },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields[0].path).toBe('body.measuredAt');
    expect(future.json().error.fields[0].message).toMatch(/future/);
    expect((await nurse.request({ method: 'GET', url })).json().items).toHaveLength(1);
    const plan = await planFor(patientId);
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().doseMg).toBeCloseTo(35, 9);
  });

  it('a weight a few minutes ahead of the server clock (clock skew) is accepted', async () => {
    const patientId = await newPatient();
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/body-measurements`,
      payload: { measuredAt: new Date(NOW.getTime() + 60_000).toISOString(), weightKg: 70 },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('a future-dated weight already on record does not drive the dose (60 mg instead of 35 mg)', async () => {
    const patientId = await newPatient();
    await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/body-measurements`,
      payload: { measuredAt: '2026-11-26T09:00:00Z', weightKg: 70 },
    });
    // Written below the use case, as rows stored before the rule existed were.
    await addBodyMeasurement(
      store().db,
      clinic.id,
      patientId,
      { measuredAt: '2062-01-01T09:00:00Z', weightKg: 120 },
      clinic.users.nurse.id,
      NOW,
    );
    const history = await nurse.request({
      method: 'GET',
      url: `/api/patients/${patientId}/body-measurements`,
    });
    expect(history.json().items).toHaveLength(2);
    expect(history.json().latest).toEqual({
      weightKg: 70,
      weighedAt: '2026-11-26T09:00:00.000Z',
      heightCm: null,
    });
    const plan = await planFor(patientId);
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().actualWeightKg).toBe(70);
    expect(plan.json().doseMg).toBeCloseTo(35, 9);
  });

  it("a future-dated weight on record neither blocks the session's dose plan nor drives its dose", async () => {
    const patientId = await newPatient();
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    await addBodyMeasurement(
      store().db,
      clinic.id,
      patientId,
      { measuredAt: '2062-01-01T09:00:00Z', weightKg: 120 },
      clinic.users.nurse.id,
      NOW,
    );
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-11-26' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const base = `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
    const checkIn = await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    await recordPreSessionAssessments(nurse, patientId, new Date(NOW.getTime() - 30 * 60_000));
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 70 },
    });
    expect(ck.statusCode, ck.body).toBe(200);
    await nurse.request({
      method: 'POST',
      url: `${base}/observations`,
      payload: { kind: 'moaas', score: 5 },
    });
    const dose = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { lotNumber: 'L1' },
    });
    expect(dose.statusCode, dose.body).toBe(200);
    expect(dose.json().dosePlan.weightKg).toBe(70);
    expect(dose.json().dosePlan.doseMg).toBeCloseTo(35, 9);
  });

  it('a course starting 9999-12-31 is a 400 naming startDate, not a 500', async () => {
    const patientId = await newPatient();
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    for (const preview of [true, false]) {
      const res = await prescriber.request({
        method: 'POST',
        url: `/api/patients/${patientId}/courses`,
        payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '9999-12-31', preview },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[0].path).toBe('body.startDate');
    }
    const ahead = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2028-01-10' },
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error.fields[0].path).toBe('body.startDate');
    const courses = await prescriber.request({ method: 'GET', url: `/api/patients/${patientId}/courses` });
    expect(courses.json()).toEqual([]);
  });

  it('a date of birth of 9999-12-31 or before 1900 is a 400 naming dateOfBirth', async () => {
    for (const dateOfBirth of ['9999-12-31', '2026-11-27', '1899-12-31']) {
      const res = await staff.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ mrn: `FF-DOB-${dateOfBirth}`, dateOfBirth }),
      });
      expect(res.statusCode, dateOfBirth).toBe(400);
      expect(res.json().error.fields[0].path).toBe('body.dateOfBirth');
    }
  });

  it('a taper start dose of 1e9 mg is a 400 naming startDoseMg, for every drug', async () => {
    for (const drug of ['sertraline', 'venlafaxine', 'diazepam', 'desvenlafaxine', 'vortioxetine']) {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/tapers`;
      const res = await prescriber.request({
        method: 'POST',
        url,
        payload: {
          drug,
          startDoseMg: 1e9,
          mode: 'proportional',
          stepPct: 10,
          intervalDays: 28,
          startDate: '2026-12-01',
          infusionDates: [],
        },
      });
      expect(res.statusCode, `${drug}: ${res.body}`).toBe(400);
      expect(res.json().error.fields[0].path).toBe('body.startDoseMg');
      expect((await prescriber.request({ method: 'GET', url })).json().items).toEqual([]);
    }
  });
});
