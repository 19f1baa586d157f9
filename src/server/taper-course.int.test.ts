/** A taper is aligned with the patient's ketamine course: its session dates by default. */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
} from './test-support';

describeEachStore('taper aligned with the ketamine course', ({ store }) => {
  let app: FastifyInstance;
  let prescriber: Session;
  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Aligned Clinic');
    prescriber = await login(app, clinic.users.prescriber);
  });

  it("takes the infusion dates from the patient's scheduled sessions unless dates are given", async () => {
    const p = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    await screenEligible(prescriber, p.id, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p.id}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2027-03-01' },
    });
    expect(course.statusCode, course.body).toBe(201);
    const sessionDates: string[] = course.json().sessions.map((s: { date: string }) => s.date);
    expect(sessionDates).toHaveLength(6);
    const taper = {
      drug: 'diazepam',
      startDoseMg: 20,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 14,
      startDate: '2027-03-03',
    };
    const aligned = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p.id}/tapers`,
      payload: taper,
    });
    expect(aligned.statusCode, aligned.body).toBe(201);
    const expected = sessionDates.filter((d) => d >= '2027-03-03').sort();
    expect(aligned.json().versions[0].schedule.infusionDates).toEqual(expected);
    // One open taper per drug: cancel the first before planning the same drug again.
    const cancelled = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p.id}/tapers/${aligned.json().id}/status`,
      payload: { status: 'cancelled', reason: 'replanned without the course dates' },
    });
    expect(cancelled.statusCode).toBe(200);
    const explicit = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p.id}/tapers`,
      payload: { ...taper, infusionDates: [] },
    });
    expect(explicit.json().versions[0].schedule.infusionDates).toEqual([]);
  });
});
