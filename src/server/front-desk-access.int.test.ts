/**
 * Minimum necessary: the front desk (`staff`) keeps search, demographics and contact, the clinic
 * calendar and a course's session dates, the due list and portal links; everything clinical —
 * assessment answers and scores, alerts, medications, weights, course doses, tapers, session
 * records, PK, FHIR and clinical exports — is refused, while a nurse reads the same URLs.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
} from './test-support';

const NOW = new Date('2026-03-02T14:00:00Z');

describeEachStore('front-desk access (minimum necessary)', ({ store }) => {
  let app: FastifyInstance;
  let staff: Session;
  let nurse: Session;
  let patientId: string;
  let courseId: string;
  let sessionId: string;
  let responseId: string;
  let taperId: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => NOW });
    const clinic = await seedClinic(store(), 'Front Desk Clinic');
    staff = await login(app, clinic.users.staff);
    nurse = await login(app, clinic.users.nurse);
    const prescriber = await login(app, clinic.users.prescriber);

    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    expect(p.statusCode).toBe(201);
    patientId = p.json().id;
    const base = `/api/patients/${patientId}`;
    await recordPreSessionAssessments(nurse, patientId, new Date('2026-03-01T10:00:00Z'));
    const list = await nurse.request({ method: 'GET', url: `${base}/assessments` });
    responseId = list.json().items[0].id;
    const weight = await nurse.request({
      method: 'POST',
      url: `${base}/body-measurements`,
      payload: { measuredAt: '2026-03-01T10:00:00Z', weightKg: 70 },
    });
    expect(weight.statusCode).toBe(201);
    const med = await nurse.request({
      method: 'POST',
      url: `${base}/medications`,
      payload: { name: 'Sertraline', dose: 100, doseUnit: 'mg', frequency: 'daily' },
    });
    expect(med.statusCode).toBe(201);
    await screenEligible(nurse, patientId);
    const course = await prescriber.request({
      method: 'POST',
      url: `${base}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    courseId = course.json().id;
    sessionId = course.json().sessions[0].id;
    const taper = await prescriber.request({
      method: 'POST',
      url: `${base}/tapers`,
      payload: {
        drug: 'sertraline',
        startDoseMg: 100,
        mode: 'occupancy',
        stepPp: 10,
        intervalDays: 28,
        startDate: '2026-03-09',
        infusionDates: [],
      },
    });
    expect(taper.statusCode).toBe(201);
    taperId = taper.json().id;
  });

  const denied = (): [string, string][] => {
    const base = `/api/patients/${patientId}`;
    return [
      ['item-level PHQ-9 answers, suicidality and C-SSRS risk', `${base}/assessments`],
      ['assessment versions', `${base}/assessments/${responseId}/versions`],
      ['trajectories', `${base}/trajectory`],
      ['alerts', '/api/alerts'],
      ['medications', `${base}/medications`],
      ['interactions', `${base}/interactions`],
      ['weights', `${base}/body-measurements`],
      ['courses with their doses', `${base}/courses`],
      ['a course with its doses', `${base}/courses/${courseId}`],
      ['course suggestions', `${base}/courses/${courseId}/suggestions`],
      ['a session record', `${base}/sessions/${sessionId}`],
      ['eligibility screenings', `${base}/eligibility`],
      ['tapers', `${base}/tapers`],
      ['a taper', `${base}/tapers/${taperId}`],
      ['a taper calendar (PDF)', `${base}/tapers/${taperId}/pdf`],
      ['a taper calendar (ICS)', `${base}/tapers/${taperId}/ics`],
      ['taper monitoring', `${base}/tapers/${taperId}/monitoring`],
      ['FHIR export', `${base}/fhir`],
      ['scores export', '/api/exports/scores.csv'],
      ['sessions export', '/api/exports/sessions.csv'],
      ['outcomes', '/api/outcomes/summary'],
      ['PK models', '/api/pk/models'],
    ];
  };

  it('refuses every clinical read to the front desk that a nurse may make', async () => {
    const failures: string[] = [];
    for (const [what, url] of denied()) {
      const asStaff = await staff.request({ method: 'GET', url });
      if (asStaff.statusCode !== 403) failures.push(`staff ${what}: ${asStaff.statusCode}`);
      const asNurse = await nurse.request({ method: 'GET', url });
      if (asNurse.statusCode !== 200) failures.push(`nurse ${what}: ${asNurse.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps search, demographics, the schedule, the due list and portal links for the front desk', async () => {
    const base = `/api/patients/${patientId}`;
    const failures: string[] = [];
    for (const url of [
      '/api/patients?q=Person',
      base,
      '/api/calendar?from=2026-03-01&to=2026-03-31',
      '/api/calendar.ics?from=2026-03-01&to=2026-03-31',
      `${base}/courses/${courseId}/ics`,
      '/api/due',
      `${base}/due`,
      `${base}/portal-links`,
    ]) {
      const res = await staff.request({ method: 'GET', url });
      if (res.statusCode !== 200) failures.push(`${url}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);

    const calendar = await staff.request({
      method: 'GET',
      url: '/api/calendar?from=2026-03-01&to=2026-03-31',
    });
    const entry = calendar.json().items.find((i: { sessionId: string }) => i.sessionId === sessionId);
    expect(entry).toMatchObject({ courseId, patientId, date: '2026-03-02' });
    expect(JSON.stringify(calendar.json())).not.toMatch(/dose/i);

    const edit = await staff.request({ method: 'PATCH', url: base, payload: { phone: '555-0100' } });
    expect(edit.statusCode).toBe(200);
    const link = await staff.request({ method: 'POST', url: `${base}/portal-links`, payload: {} });
    expect(link.statusCode).toBe(201);
  });

  it('tells the web which chart sections the front desk may open', async () => {
    const me = async (s: Session) =>
      (await s.request({ method: 'GET', url: '/api/auth/me' })).json().capabilities as string[];
    expect(await me(staff)).not.toContain('clinical.read');
    expect(await me(nurse)).toContain('clinical.read');
  });
});
