import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
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
  signOrderForPlan,
  type TestClinic,
} from '../test-support';

// One dose per session, on its day: the dosing start checks the session's scheduled date (the
// clinic's window, or a recorded reason) and the clinic's minimum days since the patient's last
// dose of the same modality; an esketamine session's ordered dose is changed by a prescriber only.
// The clinic's time zone is UTC; 2026-03-02 is a Monday.
describeEachStore('dosing on the session’s day', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = new Date('2026-03-02T08:00:00Z');
  let nurse: Session;
  let prescriber: Session;
  let admin: Session;

  /** Moves the clock and logs everyone in again (logins expire after 30 idle minutes). */
  async function atTime(iso: string): Promise<void> {
    now = new Date(iso);
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    admin = await login(app, clinic.users.admin);
  }

  beforeAll(async () => {
    // Each day of the scenario logs its staff in again: more logins a minute than the default limit.
    app = await createTestApp(store(), { now: () => now, loginRateLimitPerMinute: 1000 });
    clinic = await seedClinic(store(), 'Dosing Day Clinic');
    await atTime('2026-03-02T08:00:00Z');
  });

  async function newPatient(...modalities: ('iv-ketamine' | 'esketamine')[]): Promise<string> {
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    expect(p.statusCode).toBe(201);
    await screenEligible(prescriber, p.json().id, ...modalities);
    return p.json().id as string;
  }

  async function schedule(patientId: string, templateId: string, startDate: string) {
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate },
    });
    expect(c.statusCode, c.body).toBe(201);
    return c.json() as { id: string; sessions: { id: string; date: string }[] };
  }

  /**
   * Check-in, today's assessments, a ready checklist, the dose plan and the prescriber's order for
   * it: everything before the start.
   */
  async function readyToStart(patientId: string, sessionId: string, dosePlan: object = {}) {
    const base = `/api/patients/${patientId}/sessions/${sessionId}`;
    expect((await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} })).statusCode).toBe(
      200,
    );
    await recordPreSessionAssessments(nurse, patientId, new Date(now.getTime() - 10 * 60_000), sessionId);
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: {
        ...READY_CHECKLIST,
        weightKg: 70,
        lastFoodMinBeforeDose: 180,
        lastLiquidMinBeforeDose: 60,
        remsPatientEnrolled: true,
      },
    });
    expect(ck.json().checklist.overall, ck.body).toBe('ready');
    const plan = await nurse.request({ method: 'POST', url: `${base}/dose-plan`, payload: dosePlan });
    expect(plan.statusCode, plan.body).toBe(200);
    await signOrderForPlan(prescriber, base);
    return base;
  }

  it('starts one session of a course today; a second and third started at once are refused', async () => {
    await atTime('2026-03-02T08:00:00Z');
    const pid = await newPatient('iv-ketamine');
    const course = await schedule(pid, 'iv-induction-2x-weekly-3wk', '2026-03-02');
    expect(course.sessions.slice(0, 3).map((s) => s.date)).toEqual([
      '2026-03-02',
      '2026-03-05',
      '2026-03-09',
    ]);
    const bases: string[] = [];
    for (const s of course.sessions.slice(0, 3)) bases.push(await readyToStart(pid, s.id));

    const starts = [];
    for (const base of bases) {
      starts.push(await nurse.request({ method: 'POST', url: `${base}/start`, payload: {} }));
      now = new Date(now.getTime() + 200); // 0.2 s apart
    }
    expect(starts.map((r) => r.statusCode)).toEqual([200, 409, 409]);
    expect(starts[0]!.json().phase).toBe('dosing');
    for (const r of starts.slice(1)) {
      expect(r.json().error.fields[0].path).toBe('scheduleOverrideReason');
      expect(r.json().error.message).toMatch(/scheduled for 2026-03-0[59].*today is 2026-03-02/);
    }

    // A reason for the wrong day does not lift the minimum interval: this course was dosed today.
    const overridden = await nurse.request({
      method: 'POST',
      url: `${bases[1]}/start`,
      payload: { scheduleOverrideReason: 'Patient asked to come early' },
    });
    expect(overridden.statusCode).toBe(409);
    expect(overridden.json().error.fields[0].path).toBe('minDaysBetweenDoses');
    expect(overridden.json().error.message).toMatch(/2026-03-02 \(session 1 of this course\).*2026-03-03/);

    for (const base of bases.slice(1)) {
      const s = (await nurse.request({ method: 'GET', url: base })).json();
      expect(s.phase).toBe('dose-planned');
      expect(s.dosingStartedAt).toBeNull();
      expect(s.dosingDay.blockers.map((b: { field: string }) => b.field)).toEqual([
        'scheduleOverrideReason',
        'minDaysBetweenDoses',
      ]);
    }
    const started = await store()
      .db.select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'session.start')));
    expect(started).toHaveLength(1);
  });

  it('gives one dose when three sessions of a course are started at the same moment', async () => {
    await atTime('2026-03-23T08:00:00Z');
    const pid = await newPatient('iv-ketamine');
    const course = await schedule(pid, 'iv-induction-2x-weekly-3wk', '2026-03-23');
    const bases: string[] = [];
    for (const s of course.sessions.slice(0, 3)) bases.push(await readyToStart(pid, s.id));
    // Reasons for the two off-day sessions: only the minimum interval stands between them.
    const starts = await Promise.all(
      bases.map((base) =>
        nurse.request({
          method: 'POST',
          url: `${base}/start`,
          payload: { scheduleOverrideReason: 'All at once' },
        }),
      ),
    );
    expect(starts.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    for (const r of starts.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.fields[0].path).toBe('minDaysBetweenDoses');
    }
  });

  it('refuses a start on a day other than the scheduled one, then records the override reason', async () => {
    await atTime('2026-03-09T09:00:00Z');
    const pid = await newPatient('iv-ketamine');
    const course = await schedule(pid, 'iv-induction-2x-weekly-3wk', '2026-03-09');
    const second = course.sessions[1]!;
    expect(second.date).toBe('2026-03-12');

    // Checking in on the wrong day is allowed (the patient is here) but the session says so.
    await atTime('2026-03-11T09:00:00Z');
    const base = await readyToStart(pid, second.id);
    const before = (await nurse.request({ method: 'GET', url: base })).json();
    expect(before.dosingDay).toMatchObject({
      scheduledOn: '2026-03-12',
      today: '2026-03-11',
      daysFromScheduled: -1,
      onScheduledDay: false,
      windowDays: 0,
    });

    const refused = await nurse.request({ method: 'POST', url: `${base}/start`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.fields[0].path).toBe('scheduleOverrideReason');
    expect(refused.json().error.message).toContain('give reason for dosing off schedule');

    const blank = await nurse.request({
      method: 'POST',
      url: `${base}/start`,
      payload: { scheduleOverrideReason: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields[0].path).toBe('body.scheduleOverrideReason');

    const ok = await nurse.request({
      method: 'POST',
      url: `${base}/start`,
      payload: { scheduleOverrideReason: 'Travelling on Thursday; prescriber agreed' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().phase).toBe('dosing');
    expect(ok.json().scheduleOverride).toMatchObject({
      reason: 'Travelling on Thursday; prescriber agreed',
      scheduledOn: '2026-03-12',
      dosedOn: '2026-03-11',
      daysFromScheduled: -1,
      by: expect.stringContaining('nurse'),
    });
    const audit = await store()
      .db.select({ details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.clinicId, clinic.id),
          eq(auditEvents.action, 'session.start'),
          eq(auditEvents.resourceId, second.id),
        ),
      );
    // The audit row says an override was used and by how many days; the reason text stays in the record.
    expect(audit.map((a) => a.details)).toEqual([{ scheduleOverride: true, daysFromScheduled: -1 }]);

    // The clinic may widen the window: the third session (2026-03-16) a day early needs no reason then.
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    expect(settings.dosingDays).toEqual({
      scheduledDayWindowDays: 0,
      minDaysBetweenDoses: { 'iv-ketamine': 1, esketamine: 2 },
    });
    const widened = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, dosingDays: { ...settings.dosingDays, scheduledDayWindowDays: 1 } },
    });
    expect(widened.statusCode).toBe(200);
    await atTime('2026-03-15T09:00:00Z');
    const third = await readyToStart(pid, course.sessions[2]!.id);
    const early = await nurse.request({ method: 'POST', url: `${third}/start`, payload: {} });
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json().scheduleOverride).toBeNull();
    await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings });
  });

  it('keeps the minimum days since the last dose of the same modality, across courses', async () => {
    await atTime('2026-03-02T10:00:00Z');
    const pid = await newPatient('esketamine');
    const a = await schedule(pid, 'esketamine-trd-label', '2026-03-02');
    const first = await readyToStart(pid, a.sessions[0]!.id);
    expect((await nurse.request({ method: 'POST', url: `${first}/start`, payload: {} })).statusCode).toBe(
      200,
    );

    // A second esketamine course starting the next day: its first session is on its day, but the
    // patient had esketamine yesterday (the clinic's default minimum is 2 days).
    await atTime('2026-03-03T10:00:00Z');
    const b = await schedule(pid, 'esketamine-trd-label', '2026-03-03');
    expect(b.sessions[0]!.date).toBe('2026-03-03');
    const other = await readyToStart(pid, b.sessions[0]!.id);
    const refused = await nurse.request({ method: 'POST', url: `${other}/start`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.fields[0].path).toBe('minDaysBetweenDoses');
    expect(refused.json().error.message).toMatch(
      /esketamine dose: 2026-03-02 \(another course\).*at least 2 days apart.*2026-03-04/,
    );
    const stillRefused = await nurse.request({
      method: 'POST',
      url: `${other}/start`,
      payload: { scheduleOverrideReason: 'Prescriber asked' },
    });
    expect(stillRefused.statusCode).toBe(409);

    // Another modality does not count: this patient may have IV ketamine the same day.
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const fewer = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: {
        ...settings,
        dosingDays: { ...settings.dosingDays, minDaysBetweenDoses: { 'iv-ketamine': 1, esketamine: 1 } },
      },
    });
    expect(fewer.statusCode).toBe(200);
    const allowed = await nurse.request({ method: 'POST', url: `${other}/start`, payload: {} });
    expect(allowed.statusCode, allowed.body).toBe(200);
    await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings });
  });

  it('lets only a prescriber change an esketamine session’s dose from its order', async () => {
    await atTime('2026-03-02T12:00:00Z');
    const pid = await newPatient('esketamine');
    const course = await schedule(pid, 'esketamine-trd-label', '2026-03-02');
    const day1 = await readyToStart(pid, course.sessions[0]!.id);
    expect((await nurse.request({ method: 'GET', url: day1 })).json().orderedDoseMg).toBe(56);
    expect((await nurse.request({ method: 'POST', url: `${day1}/start`, payload: {} })).statusCode).toBe(200);

    // Session 2 (Thursday): the order carries the course's last dose, 56 mg.
    await atTime('2026-03-05T12:00:00Z');
    const second = course.sessions[1]!;
    expect(second.date).toBe('2026-03-05');
    const base = await readyToStart(pid, second.id);
    const s = (await nurse.request({ method: 'GET', url: base })).json();
    expect(s.orderedDoseMg).toBe(56);
    expect(s.dosePlan).toMatchObject({ doseMg: 56, devices: 2 });

    const nurse84 = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { doseMg: 84 },
    });
    expect(nurse84.statusCode).toBe(403);
    expect(nurse84.json().error.message).toMatch(/^Dose: only a prescriber.*56 mg/);
    expect((await nurse.request({ method: 'GET', url: base })).json().dosePlan.doseMg).toBe(56);

    const prescriber84 = await prescriber.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { doseMg: 84 },
    });
    expect(prescriber84.statusCode, prescriber84.body).toBe(200);
    expect(prescriber84.json().dosePlan).toMatchObject({ doseMg: 84, devices: 3 });
    const audit = await store()
      .db.select({ details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.clinicId, clinic.id),
          eq(auditEvents.action, 'session.dose_plan'),
          eq(auditEvents.resourceId, second.id),
        ),
      );
    expect(audit.map((a) => a.details)).toContainEqual({ doseMg: 84, orderedDoseMg: 56 });
    // The prescriber's dose is now this session's order: the nurse may plan it again (a lot number).
    const again = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { lotNumber: 'LOT-7' },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().orderedDoseMg).toBe(84);
    expect(again.json().dosePlan).toMatchObject({ doseMg: 84, lotNumber: 'LOT-7' });
    // The order signed for 56 mg does not cover 84 mg: the prescriber signs the new dose.
    await signOrderForPlan(prescriber, base);
    expect(
      (await nurse.request({ method: 'POST', url: `${base}/start`, payload: {} })).json().dosing,
    ).toMatchObject({
      plannedMg: 84,
    });
  });
});
