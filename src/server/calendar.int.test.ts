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

describeEachStore('clinic calendar', ({ store }) => {
  let app: FastifyInstance;
  let prescriber: Session;
  let staff: Session;
  let sessions: Array<{ id: string; date: string; startMin: number; endMin: number; roomId: string }>;
  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Calendar Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);
    const p = (
      await prescriber.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ familyName: 'Calendarova' }),
      })
    ).json();
    await screenEligible(prescriber, p.id, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p.id}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2027-05-03' },
    });
    expect(course.statusCode, course.body).toBe(201);
    sessions = course.json().sessions;
  });

  it("lists the week's sessions with patient, room and times, for front desk too", async () => {
    const res = await staff.request({ method: 'GET', url: '/api/calendar?from=2027-05-03&to=2027-05-09' });
    expect(res.statusCode, res.body).toBe(200);
    const inWeek = sessions.filter((s) => s.date >= '2027-05-03' && s.date <= '2027-05-09');
    expect(inWeek.length).toBeGreaterThanOrEqual(1);
    expect(res.json().items.map((i: { sessionId: string }) => i.sessionId)).toEqual(inWeek.map((s) => s.id));
    expect(res.json().items[0]).toMatchObject({
      patientName: expect.stringContaining('Calendarova'),
      roomId: inWeek[0]!.roomId,
    });
  });

  it('exports the range as ICS without patient names', async () => {
    const res = await staff.request({
      method: 'GET',
      url: '/api/calendar.ics?from=2027-05-01&to=2027-06-30',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body.match(/BEGIN:VEVENT/g)).toHaveLength(sessions.length);
    expect(res.body).not.toContain('Calendarova');
  });

  it('refuses a reversed or too long range naming the field', async () => {
    const reversed = await staff.request({
      method: 'GET',
      url: '/api/calendar?from=2027-05-09&to=2027-05-03',
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields[0].path).toBe('to');
    const long = await staff.request({ method: 'GET', url: '/api/calendar?from=2027-01-01&to=2027-12-31' });
    expect(long.statusCode).toBe(400);
    const bad = await staff.request({ method: 'GET', url: '/api/calendar?from=May&to=2027-05-03' });
    expect(bad.json().error.fields[0].path).toBe('querystring.from');
  });
});
