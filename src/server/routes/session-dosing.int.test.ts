import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { appendSessionEvent } from '../../app/sessions/append';
import { lockCourseOfSession } from '../../store/locks';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  DISCHARGE_READY,
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

/**
 * Pause, resume and stop that take effect on dosing, one decision per reading, and the discharge
 * rule: the IV observation minimum after dosing ends and the recovery criteria.
 */
const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const at = (min: number) => new Date(START.getTime() + min * 60_000);

const checklist = READY_CHECKLIST;
const dischargeOk = DISCHARGE_READY;

describeEachStore('session dosing actions and discharge rule API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let admin: Session;
  let now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Dosing Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    admin = await login(app, clinic.users.admin);
  });

  /** Moves the clock in steps shorter than the 30-min idle expiry, keeping the logins alive. */
  async function advanceTo(target: Date): Promise<void> {
    while (now.getTime() < target.getTime()) {
      now = new Date(Math.min(target.getTime(), now.getTime() + 20 * 60_000));
      for (const s of [nurse, prescriber, admin]) await s.request({ method: 'GET', url: '/api/clinic' });
    }
  }

  /** A new patient, a course starting today, session 1 checked in with the checklist, dose planned, dosing started at START. */
  async function startedSession(templateId: string, extra: Record<string, unknown> = {}): Promise<string> {
    now = START;
    for (const s of [nurse, prescriber, admin]) await s.request({ method: 'GET', url: '/api/clinic' });
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const base = `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
    const checkIn = await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, weightKg: 80, ...extra },
    });
    expect(
      ck.json().checklist.overall,
      JSON.stringify(ck.json().checklist.items.filter((i: { state: string }) => i.state === 'fail')),
    ).toBe('ready');
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
    await signOrderForPlan(prescriber, base);
    const started = await nurse.request({ method: 'POST', url: `${base}/start`, payload: {} });
    expect(started.json().phase).toBe('dosing');
    return base;
  }

  const post = (url: string, payload: unknown) => nurse.request({ method: 'POST', url, payload });

  it('IV: one decision covers a 186/104 reading; pause stops the clock, pump and curve until resume; stop records mg given', async () => {
    const base = await startedSession('iv-induction-2x-weekly-3wk');
    await advanceTo(at(10));
    const s10 = (await post(`${base}/vitals`, { sbpMmHg: 130, dbpMmHg: 82, heartRateBpm: 80 })).json();
    expect(s10.dosing).toMatchObject({
      kind: 'infusion',
      state: 'running',
      runningMin: 10,
      amountGivenMg: 10,
      plannedMg: 40,
      decisionOptions: ['continue', 'pause', 'stop'],
    });
    expect(s10.nextVitals).toMatchObject({ nextDueMin: 20, reason: 'during-dosing' });

    await advanceTo(at(20));
    const s20 = (await post(`${base}/vitals`, { sbpMmHg: 186, dbpMmHg: 104, heartRateBpm: 88 })).json();
    const reading = s20.vitals.at(-1);
    expect(reading.alerts.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining(['VIT-SBP-HOLD', 'VIT-DBP-HOLD', 'VIT-SBP-RISE', 'VIT-DBP-RISE']),
    );
    // One open item for the reading, not one per SBP, DBP and rise.
    expect(s20.openAlerts).toHaveLength(1);
    expect(s20.openAlerts[0]).toMatchObject({
      vitalsEventId: reading.id,
      alertIds: ['VIT-SBP-HOLD', 'VIT-DBP-HOLD'],
    });

    const paused = (
      await post(`${base}/alert-decisions`, { vitalsEventId: reading.id, decision: 'pause' })
    ).json();
    expect(paused.openAlerts).toEqual([]);
    for (const a of paused.vitals.at(-1).alerts) expect(a.decision.decision).toBe('pause');
    expect(paused.dosing).toMatchObject({
      state: 'paused',
      pausedSinceMin: 20,
      runningMin: 20,
      amountGivenMg: 20,
      remainingMin: 20,
      remainingVtbiMl: 50.4,
      dosingEndMin: null,
      actions: ['resume', 'stop'],
      decisionOptions: ['continue', 'stop'],
    });
    expect(paused.dosing.history).toHaveLength(1);
    expect(paused.dosing.history[0]).toMatchObject({ action: 'pause', atMin: 20 });
    expect(paused.dosing.history[0].note).toContain('Systolic BP 186');
    // The recheck comes sooner while paused (clinic setting, default 5 min).
    expect(paused.nextVitals).toMatchObject({ nextDueMin: 25, reason: 'paused' });
    // A second decision on the same reading is refused.
    expect(
      (await post(`${base}/alert-decisions`, { vitalsEventId: reading.id, decision: 'stop' })).statusCode,
    ).toBe(409);

    // 15 minutes later nothing more has run: the clock, pump and curve are stopped.
    await advanceTo(at(35));
    const s35 = (await nurse.request({ method: 'GET', url: base })).json();
    expect(s35.dosing).toMatchObject({ state: 'paused', runningMin: 20, pausedMin: 15, amountGivenMg: 20 });
    expect(s35.nextVitals).toMatchObject({ nextDueMin: 25, overdueByMin: 10 });
    const curve = (await nurse.request({ method: 'GET', url: `${base}/curve` })).json();
    expect(curve.regimen).toEqual(['20 mg over 20 min at 0 min']);
    const peakAt = curve.timesMin[curve.plasmaNgPerMl.indexOf(Math.max(...curve.plasmaNgPerMl))];
    expect(peakAt).toBeCloseTo(20, 0);
    // Discharge is refused while the infusion is paused.
    const whilePaused = await post(`${base}/discharge`, { ...dischargeOk });
    expect(whilePaused.statusCode).toBe(400);
    expect(whilePaused.json().error.message).toContain('the infusion has not ended');

    expect((await post(`${base}/dosing-actions`, { action: 'pause' })).json().error.fields[0].path).toBe(
      'action',
    );
    const resumed = (await post(`${base}/dosing-actions`, { action: 'resume', note: 'BP 150/92' })).json();
    expect(resumed.dosing).toMatchObject({ state: 'running', projectedEndMin: 55, pausedSinceMin: null });
    const curve2 = (await nurse.request({ method: 'GET', url: `${base}/curve` })).json();
    expect(curve2.regimen).toEqual(['20 mg over 20 min at 0 min', '20 mg over 20 min at 35 min']);

    await advanceTo(at(44.5));
    const stopped = (
      await post(`${base}/dosing-actions`, { action: 'stop', note: 'Patient request' })
    ).json();
    // 1 mg/min × (20 + 9.5) min
    expect(stopped.dosing).toMatchObject({
      state: 'stopped',
      amountGivenMg: 29.5,
      runningMin: 29.5,
      dosingEndMin: 44.5,
      actions: [],
      decisionOptions: ['continue'],
    });
    expect(stopped.dosing.history.at(-1)).toMatchObject({ action: 'stop', amountGivenMg: 29.5 });
    expect((await post(`${base}/dosing-actions`, { action: 'resume' })).statusCode).toBe(400);
    // The observation window counts from the stop.
    expect(stopped.earliestDischargeMin).toBe(104.5);
    const curve3 = (await nurse.request({ method: 'GET', url: `${base}/curve` })).json();
    expect(curve3.regimen).toEqual(['20 mg over 20 min at 0 min', '9.5 mg over 9.5 min at 35 min']);
  });

  it('IV: discharge at minute 41 is refused naming each unmet criterion; after the window with recovery recorded it succeeds', async () => {
    const base = await startedSession('iv-induction-2x-weekly-3wk');
    await advanceTo(at(41.5));
    await post(`${base}/vitals`, { sbpMmHg: 128, dbpMmHg: 80 });
    await post(`${base}/observations`, { kind: 'moaas', score: 4 });
    await post(`${base}/observations`, {
      kind: 'cadss6',
      answers: { '1': 1, '2': 2, '6': 0, '7': 0, '15': 1, '22': 0 },
    });
    const early = await post(`${base}/discharge`, dischargeOk);
    expect(early.statusCode).toBe(400);
    const err = early.json().error;
    expect(err.fields[0].path).toBe('dischargeAtMin');
    expect(err.message).toContain('only 1 min since the infusion ended; the clinic requires 60 min');
    expect(err.message).toContain('no heart rate recorded within 15 min before discharge');
    expect(err.message).toContain('no SpO2 recorded within 15 min before discharge');
    expect(err.message).toContain('MOAA/S 4 at 41 min is below the pre-dose score 5');
    expect(err.message).toContain('dissociation not resolved: CADSS-6 4 at 41 min');

    const state = (await nurse.request({ method: 'GET', url: base })).json();
    expect(state.earliestDischargeMin).toBe(100);
    expect(state.dosing).toMatchObject({ state: 'complete', dosingEndMin: 40, amountGivenMg: 40 });

    // At 100 min, HR high and SpO2 recorded: the HR criterion alone refuses.
    await advanceTo(at(100.2));
    const fastHr = (
      await post(`${base}/vitals`, { sbpMmHg: 126, dbpMmHg: 80, heartRateBpm: 118, spo2Pct: 97 })
    ).json();
    // The reading raises an alert of its own: undecided, it is named first.
    const undecided = await post(`${base}/discharge`, dischargeOk);
    expect(undecided.json().error.fields[0].path).toBe('alerts');
    expect(undecided.json().error.message).toContain('heart rate not within thresholds');
    await post(`${base}/alert-decisions`, { vitalsEventId: fastHr.vitals.at(-1).id, decision: 'continue' });
    await post(`${base}/observations`, { kind: 'moaas', score: 5 });
    await post(`${base}/observations`, {
      kind: 'cadss6',
      answers: { '1': 0, '2': 0, '6': 0, '7': 0, '15': 0, '22': 0 },
    });
    const fast = await post(`${base}/discharge`, dischargeOk);
    expect(fast.statusCode).toBe(400);
    expect(fast.json().error.fields[0].path).toBe('vitals');
    expect(fast.json().error.message).toBe(
      'Discharge refused: heart rate not within thresholds: Heart rate 118 is above 110 (unverified).',
    );

    await advanceTo(at(105.2));
    await post(`${base}/vitals`, { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 76, spo2Pct: 98 });
    const out = await post(`${base}/discharge`, dischargeOk);
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ phase: 'discharged', discharge: { atMin: 105 } });
    const ids = out.json().discharge.result.checks.map((c: { id: string }) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'DIS-IV-MIN-OBSERVATION',
        'DIS-HR-WITHIN-THRESHOLDS',
        'DIS-SPO2-WITHIN-THRESHOLDS',
        'DIS-MOAAS-BASELINE',
        'DIS-CADSS-RESOLVED',
      ]),
    );
  });

  it('IV: the observation minimum is a clinic setting', async () => {
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    expect(settings.monitoring).toEqual({ ivMinObservationAfterDosingMin: 60, pausedRecheckEveryMin: 5 });
    const bad = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, monitoring: { ...settings.monitoring, ivMinObservationAfterDosingMin: -5 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('body.monitoring.ivMinObservationAfterDosingMin');
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, monitoring: { ...settings.monitoring, ivMinObservationAfterDosingMin: 90 } },
    });
    expect(saved.statusCode).toBe(200);
    try {
      const base = await startedSession('iv-induction-2x-weekly-3wk');
      await advanceTo(at(100.2));
      await post(`${base}/vitals`, { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 76, spo2Pct: 98 });
      await post(`${base}/observations`, { kind: 'moaas', score: 5 });
      const r = await post(`${base}/discharge`, dischargeOk);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toBe(
        'Discharge refused: only 60 min since the infusion ended; the clinic requires 90 min (earliest discharge at 130 min).',
      );
    } finally {
      await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings });
    }
  });

  it('esketamine: no infusion to pause; stop ends dosing with the devices used; 2-hour rule plus recovery', async () => {
    const base = await startedSession('esketamine-trd-label', {
      lastFoodMinBeforeDose: 180,
      lastLiquidMinBeforeDose: 60,
      remsPatientEnrolled: true,
    });
    const s0 = (await nurse.request({ method: 'GET', url: base })).json();
    expect(s0.dosing).toMatchObject({
      kind: 'devices',
      state: 'running',
      devicesPlanned: 2,
      devicesGiven: 1,
      actions: ['stop'],
      decisionOptions: ['continue', 'stop'],
    });
    await advanceTo(at(3));
    const high = (await post(`${base}/vitals`, { sbpMmHg: 184, dbpMmHg: 96 })).json();
    const reading = high.vitals.at(-1);
    const pause = await post(`${base}/alert-decisions`, { vitalsEventId: reading.id, decision: 'pause' });
    expect(pause.statusCode).toBe(400);
    expect(pause.json().error.fields[0].path).toBe('decision');
    expect(pause.json().error.message).toContain('choose continue or stop');
    expect((await post(`${base}/dosing-actions`, { action: 'pause' })).statusCode).toBe(400);
    const stop = (
      await post(`${base}/alert-decisions`, { vitalsEventId: reading.id, decision: 'stop' })
    ).json();
    expect(stop.dosing).toMatchObject({
      state: 'stopped',
      devicesGiven: 1,
      amountGivenMg: 28,
      dosingEndMin: 3,
    });
    expect(stop.openAlerts).toEqual([]);
    const curve = (await nurse.request({ method: 'GET', url: `${base}/curve` })).json();
    expect(curve.regimen).toEqual(['28 mg intranasal at 0 min']);

    await advanceTo(at(40));
    await post(`${base}/vitals`, { sbpMmHg: 150, dbpMmHg: 90 });
    await advanceTo(at(110));
    await post(`${base}/vitals`, { sbpMmHg: 130, dbpMmHg: 82, heartRateBpm: 76 });
    await post(`${base}/observations`, { kind: 'moaas', score: 5 });
    const early = await post(`${base}/discharge`, dischargeOk);
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields[0].path).toBe('dischargeAtMin');
    expect(early.json().error.message).toContain('esketamine requires at least 120 min of monitoring');
    expect(early.json().error.message).toContain('no SpO2 recorded within 15 min before discharge');
    await advanceTo(at(120.3));
    await post(`${base}/vitals`, { sbpMmHg: 128, dbpMmHg: 80, heartRateBpm: 74, spo2Pct: 97 });
    const out = await post(`${base}/discharge`, dischargeOk);
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().discharge.atMin).toBe(120);
    // The REMS form reports the dose given (one 28-mg device), not the planned 56 mg.
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: {
        ...settings,
        remsSetting: { name: 'Dosing Clinic', address: '1 Main St' },
        remsMonitoringHcp: { name: 'Dr Nurse', phone: '555-0100', email: 'hcp@example.org' },
      },
    });
    const rems = (await nurse.request({ method: 'GET', url: `${base}/rems` })).json();
    expect(rems.ok).toBe(true);
    expect(rems.form.treatment).toMatchObject({ dose: 'other', otherDoseMg: 28 });
  });

  it("a reading waits for the course's lock and is decided on what its holder appended", async () => {
    const base = await startedSession('iv-induction-2x-weekly-3wk');
    const sessionId = base.split('/').at(-1)!;
    await advanceTo(at(10));
    let reading: Promise<{
      statusCode: number;
      json: () => { vitals: { sbpMmHg: number | null }[] };
    }> | null = null;
    await inClinic(store().db, clinic.id, async (tx) => {
      await lockCourseOfSession(tx, clinic.id, sessionId);
      // Sent while the lock is held; on PostgreSQL it waits for the lock, on PGlite for the connection.
      reading = post(`${base}/vitals`, { sbpMmHg: 131, dbpMmHg: 81 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await appendSessionEvent(
        tx,
        clinic.id,
        sessionId,
        { kind: 'vitals', timeMin: 9, payload: { sbpMmHg: 129, dbpMmHg: 79 } },
        clinic.users.nurse.id,
        at(9.5),
      );
    });
    const answer = await reading!;
    expect(answer.statusCode).toBe(200);
    // Both readings are in its answer: it read the session after the holder committed.
    expect(answer.json().vitals.map((v) => v.sbpMmHg)).toEqual(expect.arrayContaining([129, 131]));
  });
});
