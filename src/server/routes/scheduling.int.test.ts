/** Scheduling that follows what happened: booking changes, course cancellation, closures, drift. */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

interface SessionDto {
  id: string;
  sequence: number;
  date: string;
  startMin: number;
  roomId: string;
  status: string;
  startDriftMin: number | null;
  startDriftWarn: boolean;
  startedAt: string | null;
  bookingChanges: { kind: string; reason: string; from: { date: string }; to: { date: string } | null }[];
}

describeEachStore('scheduling: booking changes, course cancellation and closures', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = new Date('2026-03-02T09:00:00Z'); // Monday; the seeded clinic keeps UTC time
  let admin: Session;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let patientId: string;
  let courseId: string;
  let sessions: SessionDto[];

  const course = async (pid: string, id: string) =>
    (await prescriber.request({ method: 'GET', url: `/api/patients/${pid}/courses/${id}` })).json();
  const change = (who: Session, sessionId: string, payload: Record<string, unknown>, pid = patientId) =>
    who.request({
      method: 'POST',
      url: `/api/patients/${pid}/sessions/${sessionId}/booking-changes`,
      payload,
    });

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Scheduling Clinic');
    admin = await login(app, clinic.users.admin);
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    patientId = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
  });

  it('keeps named closures as a clinic setting the scheduler skips', async () => {
    const preview = async () =>
      (
        await prescriber.request({
          method: 'POST',
          url: `/api/patients/${patientId}/courses`,
          payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02', preview: true },
        })
      ).json();
    // Twice weekly: Monday and Thursday.
    expect((await preview()).sessions.map((s: SessionDto) => s.date).slice(0, 2)).toEqual([
      '2026-03-02',
      '2026-03-05',
    ]);

    const url = '/api/clinic/closures';
    const closures = [{ date: '2026-03-05', name: 'Staff training day' }];
    expect((await staff.request({ method: 'PUT', url, payload: { closures } })).statusCode).toBe(403);
    const unnamed = await admin.request({
      method: 'PUT',
      url,
      payload: { closures: [{ date: '2026-03-05', name: ' ' }] },
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.fields[0].path).toBe('body.closures.0.name');
    const twice = await admin.request({
      method: 'PUT',
      url,
      payload: { closures: [...closures, ...closures] },
    });
    expect(twice.statusCode).toBe(400);
    const saved = await admin.request({ method: 'PUT', url, payload: { closures } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await staff.request({ method: 'GET', url })).json()).toEqual({ closures });
    // The settings carry them too, so the whole-settings form does not drop them.
    expect((await admin.request({ method: 'GET', url: '/api/session-settings' })).json().closures).toEqual(
      closures,
    );

    // Thursday is closed: the second session moves to Friday.
    expect((await preview()).sessions.map((s: SessionDto) => s.date).slice(0, 2)).toEqual([
      '2026-03-02',
      '2026-03-06',
    ]);
    const created = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(created.statusCode).toBe(201);
    courseId = created.json().id;
    sessions = created.json().sessions;
    expect(sessions.some((s) => s.date === '2026-03-05')).toBe(false);
    expect(sessions.every((s) => s.status === 'booked' && s.bookingChanges.length === 0)).toBe(true);
    expect(created.json().cancelled).toBeNull();

    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'clinic.closures.update')));
    expect(audit).toHaveLength(1);
  });

  it('reschedules a session with a reason, never into a closure, and keeps the history', async () => {
    const third = sessions[2]!;
    const noReason = await change(staff, third.id, {
      kind: 'reschedule',
      reason: '',
      date: '2026-03-10',
      startMin: 780,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].path).toBe('body.reason');
    const closed = await change(staff, third.id, {
      kind: 'reschedule',
      reason: 'patient asked',
      date: '2026-03-05',
      startMin: 780,
    });
    expect(closed.statusCode).toBe(409);
    // The day is written as the clinic's screens and pickers write it: en-US by default, then en-GB.
    expect(closed.json().error.message).toMatch(/clinic is closed on 03\/05\/2026 \(Staff training day\)/);
    const identity = { name: 'Scheduling Clinic', timeZone: 'UTC' };
    const toGb = {
      method: 'PUT' as const,
      url: '/api/clinic/identity',
      payload: { ...identity, locale: 'en-GB' },
    };
    expect((await admin.request(toGb)).statusCode).toBe(200);
    const closedGb = await change(staff, third.id, {
      kind: 'reschedule',
      reason: 'patient asked',
      date: '2026-03-05',
      startMin: 780,
    });
    expect(closedGb.json().error.message).toMatch(/clinic is closed on 05\/03\/2026 \(Staff training day\)/);
    const toUs = { ...toGb, payload: { ...identity, locale: 'en-US' } };
    expect((await admin.request(toUs)).statusCode).toBe(200);
    const past = await change(staff, third.id, {
      kind: 'reschedule',
      reason: 'x',
      date: '2026-02-27',
      startMin: 780,
    });
    expect(past.statusCode).toBe(400);

    // The front desk moves it: 13:00 on Tuesday 10 March, same room, same length.
    const moved = await change(staff, third.id, {
      kind: 'reschedule',
      reason: 'patient asked',
      date: '2026-03-10',
      startMin: 780,
    });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({
      date: '2026-03-10',
      startMin: 780,
      endMin: 900,
      roomId: third.roomId,
      status: 'booked',
      bookingChanges: [
        {
          kind: 'reschedule',
          reason: 'patient asked',
          from: { date: third.date },
          to: { date: '2026-03-10' },
        },
      ],
    });
    const read = (await course(patientId, courseId)).sessions.find((s: SessionDto) => s.id === third.id);
    expect(read.date).toBe('2026-03-10');
    const week = (await staff.request({ method: 'GET', url: '/api/calendar/week?date=2026-03-10' })).json();
    expect(week.items.find((i: { sessionId: string }) => i.sessionId === third.id)).toMatchObject({
      startMin: 780,
      status: 'booked',
    });

    // Not onto the day of the patient's next session: two infusions in a day would be refused at
    // the chair, after the patient came in.
    const fourth = sessions[3]!;
    const sameDay = await change(staff, third.id, {
      kind: 'reschedule',
      reason: 'patient asked',
      date: fourth.date,
      startMin: 600,
      roomId: 'Room 2',
    });
    expect(sameDay.statusCode, sameDay.body).toBe(409);
    expect(sameDay.json().error.message).toContain(`already has session 4 on`);
  });

  it('marks a no-show only once the booked time has come', async () => {
    const [first, second] = sessions;
    const early = await change(staff, second!.id, { kind: 'no-show', reason: 'did not come' });
    expect(early.statusCode).toBe(409);
    // The first session was booked at 08:00 today; it is 09:00.
    const missed = await change(staff, first!.id, { kind: 'no-show', reason: 'did not come' });
    expect(missed.statusCode, missed.body).toBe(201);
    expect(missed.json().status).toBe('no-show');
    expect((await change(staff, first!.id, { kind: 'cancel', reason: 'x' })).statusCode).toBe(409);
    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, first!.id)));
    expect(audit.map((a) => a.action)).toContain('booking.no-show');
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain('did not come');
  });

  it('cancels what is left of a course, and a cancelled slot is free again', async () => {
    const url = `/api/patients/${patientId}/courses/${courseId}/cancel`;
    expect((await staff.request({ method: 'POST', url, payload: { reason: 'moved away' } })).statusCode).toBe(
      403,
    );
    const out = await prescriber.request({ method: 'POST', url, payload: { reason: 'moved away' } });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toEqual({ cancelled: sessions.length - 1 });
    const after = await course(patientId, courseId);
    expect(after.cancelled).toMatchObject({ reason: 'moved away' });
    expect(after.sessions.map((s: SessionDto) => s.status)).toEqual([
      'no-show',
      ...sessions.slice(1).map(() => 'cancelled'),
    ]);
    expect((await prescriber.request({ method: 'POST', url, payload: { reason: 'again' } })).statusCode).toBe(
      409,
    );
    const second = after.sessions[1] as SessionDto;
    expect(
      (await change(staff, second.id, { kind: 'reschedule', reason: 'x', date: '2026-03-11', startMin: 600 }))
        .statusCode,
    ).toBe(409);

    // Another patient's course takes Friday's first slot, which the cancelled session held.
    const other = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    await screenEligible(prescriber, other, 'iv-ketamine');
    const preview = (
      await prescriber.request({
        method: 'POST',
        url: `/api/patients/${other}/courses`,
        payload: { templateId: 'iv-booster-single', startDate: second.date, preview: true },
      })
    ).json();
    expect(preview.sessions[0]).toMatchObject({
      date: second.date,
      startMin: second.startMin,
      roomId: second.roomId,
    });
  });

  it('shows a session in progress with its actual start and a drift warning', async () => {
    const pid = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    await screenEligible(prescriber, pid, 'iv-ketamine');
    const c = (
      await prescriber.request({
        method: 'POST',
        url: `/api/patients/${pid}/courses`,
        payload: { templateId: 'iv-booster-single', startDate: '2026-03-09' },
      })
    ).json();
    const s = c.sessions[0] as SessionDto;
    expect(s).toMatchObject({ date: '2026-03-09', startMin: 480, status: 'booked', startedAt: null });
    // The patient arrives 3½ hours after the booked 08:00.
    now = new Date('2026-03-09T11:30:00Z');
    nurse = await login(app, clinic.users.nurse);
    const base = `/api/patients/${pid}/sessions/${s.id}`;
    expect((await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} })).statusCode).toBe(
      200,
    );
    const screen = (await nurse.request({ method: 'GET', url: base })).json();
    expect(screen.session).toMatchObject({
      status: 'in-progress',
      startedAt: '2026-03-09T11:30:00.000Z',
      startDriftMin: 210,
      startDriftWarn: true,
    });
    staff = await login(app, clinic.users.staff);
    const cancel = await change(staff, s.id, { kind: 'cancel', reason: 'x' }, pid);
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error.message).toMatch(/in progress session cannot be cancelled/);

    // The clinic's threshold decides the warning: 240 minutes tolerates this start.
    admin = await login(app, clinic.users.admin);
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const put = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, scheduling: { startDriftWarnMin: 240 } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await nurse.request({ method: 'GET', url: base })).json().session).toMatchObject({
      startDriftMin: 210,
      startDriftWarn: false,
    });
    const week = (await staff.request({ method: 'GET', url: '/api/calendar/week?date=2026-03-09' })).json();
    expect(week.items.find((i: { sessionId: string }) => i.sessionId === s.id)).toMatchObject({
      status: 'in-progress',
      startedAt: '2026-03-09T11:30:00.000Z',
      endedAt: null,
    });
  });
});
