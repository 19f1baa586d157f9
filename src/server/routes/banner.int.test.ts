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
  type Session,
  type TestClinic,
} from '../test-support';

/**
 * The patient banner: what every clinical page shows at its top, from the record's own rules,
 * for clinicians only and for the caller's clinic only.
 */
const NOW = new Date('2026-03-02T09:00:00Z'); // a Monday; clinic time zone UTC

describeEachStore('patient banner API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  const now = NOW;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Banner Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
  });

  const banner = (s: Session, patientId: string) =>
    s.request({ method: 'GET', url: `/api/patients/${patientId}/banner` });

  it('says what is not known rather than leaving it out', async () => {
    const p = await nurse.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ dateOfBirth: '1990-03-03' }),
    });
    const res = await banner(nurse, p.json().id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      // the birthday is tomorrow on the clinic's today
      ageYears: 35,
      allergies: { state: 'unknown', active: [] },
      weight: null,
      course: null,
      phq9: null,
      suicideRisk: null,
      rems: null,
    });
  });

  it('gathers allergies, weight, course, PHQ-9 direction, the risk flag and REMS', async () => {
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'esketamine');
    const allergy = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/allergies`,
      payload: { substance: 'penicillin', reaction: 'hives', severity: 'moderate', source: 'patient' },
    });
    expect(allergy.statusCode, allergy.body).toBe(201);
    await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/body-measurements`,
      payload: { weightKg: 71.5, heightCm: null, measuredAt: '2026-02-27T10:00:00Z' },
    });
    // PHQ-9 of 18 a week ago, then 12 today; item 9 is positive in both (two open alerts).
    await recordPreSessionAssessments(
      nurse,
      patientId,
      new Date('2026-02-23T09:00:00Z'),
      undefined,
      [2, 2, 2, 2, 2, 2, 2, 2, 2],
    );
    await recordPreSessionAssessments(
      nurse,
      patientId,
      new Date('2026-03-02T08:00:00Z'),
      undefined,
      [2, 2, 2, 1, 1, 1, 1, 1, 1],
    );
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'esketamine-trd-label', startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const course = c.json() as { id: string; sessions: { id: string; sequence: number }[] };
    const base = `/api/patients/${patientId}/sessions/${course.sessions[0]!.id}`;
    await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, remsPatientEnrolled: true },
    });
    expect(ck.statusCode, ck.body).toBe(200);

    const res = await banner(prescriber, patientId);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json();
    expect(b.allergies).toEqual({
      state: 'list',
      active: [{ substance: 'penicillin', reaction: 'hives', severity: 'moderate' }],
    });
    expect(b.weight).toEqual({ weightKg: 71.5, measuredOn: '2026-02-27' });
    expect(b.course).toMatchObject({
      courseId: course.id,
      modality: 'esketamine',
      total: course.sessions.length,
      dosed: 0,
      current: { sessionId: course.sessions[0]!.id, sequence: 1, date: '2026-03-02' },
    });
    expect(b.phq9).toMatchObject({
      latest: { total: 12 },
      previous: { total: 18 },
      change: -6,
      direction: 'down',
      // no dosing yet: the baseline is the first score on record
      baseline: 18,
    });
    expect(b.suicideRisk).toMatchObject({ tier: 'positive-item', openCount: 2 });
    expect(b.rems).toEqual({ enrolled: true, confirmedOn: '2026-03-02' });
  });

  it('is for clinicians of the patient’s clinic only, and audited', async () => {
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    const frontDesk = await login(app, clinic.users.staff);
    expect((await banner(frontDesk, patientId)).statusCode).toBe(403);
    const other = await seedClinic(store(), 'Other Clinic');
    const stranger = await login(app, other.users.nurse);
    expect((await banner(stranger, patientId)).statusCode).toBe(404);
    const admin = await login(app, clinic.users.admin);
    const audit = await admin.request({ method: 'GET', url: '/api/audit/export.csv' });
    expect(audit.body).toContain('patient.banner');
  });
});
