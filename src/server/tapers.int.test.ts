import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEvents } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

interface Step {
  date: string;
  doseMg: number | null;
  targetDoseMg: number;
  occupancyPct: number | null;
  how: string;
  kind: string;
}

const sertralinePlan = {
  drug: 'sertraline',
  startDoseMg: 100,
  mode: 'occupancy',
  stepPp: 10,
  intervalDays: 28,
  startDate: '2026-01-05',
  infusionDates: ['2026-02-02'],
};

describeEachStore('taper plans API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let patientId: string;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-01-20T12:00:00Z') });
    clinic = await seedClinic(store(), 'Taper Clinic');
    other = await seedClinic(store(), 'Other Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    patientId = p.json().id;
    base = `/api/patients/${patientId}/tapers`;
  });

  /** A new patient's taper URL: one open taper per drug per patient, so tests that start a plan each use their own. */
  const newPatientTapers = async (): Promise<string> => {
    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    return `/api/patients/${p.json().id}/tapers`;
  };

  it('prescribers create a plan the server computes; clinicians read it; the front desk may neither read nor create it', async () => {
    for (const s of [nurse, staff]) {
      const denied = await s.request({ method: 'POST', url: base, payload: sertralinePlan });
      expect(denied.statusCode).toBe(403);
    }
    const res = await prescriber.request({ method: 'POST', url: base, payload: sertralinePlan });
    expect(res.statusCode).toBe(201);
    const plan = res.json();
    expect(plan).toMatchObject({
      drug: 'sertraline',
      status: 'active',
      currentVersion: 1,
      mode: 'occupancy',
    });
    const steps: Step[] = plan.versions[0].schedule.steps;
    expect(steps[0]).toMatchObject({ date: '2026-01-05', doseMg: 100, kind: 'start' });
    expect(steps.at(-1)).toMatchObject({ doseMg: 0, kind: 'stop' });
    // Doses fall, and the change due 2026-02-02 (an infusion day) was moved away from it.
    for (let i = 1; i < steps.length; i++) {
      const dose = (k: number) => steps[k]!.doseMg ?? steps[k]!.targetDoseMg;
      expect(dose(i)).toBeLessThan(dose(i - 1));
    }
    expect(steps.map((s) => s.date)).not.toContain('2026-02-02');
    expect(plan.versions[0].schedule.model.status).toBe('S');

    // Every step states a dose: the front desk (staff) cannot read a taper at all.
    expect((await staff.request({ method: 'GET', url: base })).statusCode).toBe(403);
    expect((await staff.request({ method: 'GET', url: `${base}/${plan.id}` })).statusCode).toBe(403);
    const list = await nurse.request({ method: 'GET', url: base });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({
      id: plan.id,
      stepCount: steps.length,
      endDate: steps.at(-1)!.date,
    });
    const read = await nurse.request({ method: 'GET', url: `${base}/${plan.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().versions[0].schedule.steps).toEqual(steps);

    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, plan.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['taper.create', 'taper.read']);
  });

  it('flags benzodiazepine doses above 8 mg/day diazepam-equivalent on infusion days', async () => {
    const res = await prescriber.request({
      method: 'POST',
      url: base,
      payload: {
        drug: 'diazepam',
        startDoseMg: 20,
        mode: 'proportional',
        stepPct: 10,
        intervalDays: 14,
        startDate: '2026-01-05',
        infusionDates: ['2026-01-08', '2027-06-01'],
      },
    });
    expect(res.statusCode).toBe(201);
    const schedule = res.json().versions[0].schedule;
    // 20 mg diazepam on 8 Jan is above the threshold; by June 2027 the taper has stopped.
    expect(schedule.infusionFlags).toEqual([
      expect.objectContaining({ date: '2026-01-08', level: 'above', thresholdMgPerDay: 8, planDoseMg: 20 }),
    ]);
  });

  it('refuses impossible parameters naming the field', async () => {
    const res = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...sertralinePlan, stepPct: 10 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('stepPct');
    const unknown = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...sertralinePlan, drug: 'notadrug' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('drug');
  });

  it('check-in → suggestion; a step-back is a new version and the old one is kept', async () => {
    const base = await newPatientTapers();
    const created = (await prescriber.request({ method: 'POST', url: base, payload: sertralinePlan })).json();
    const v1 = created.versions[0];
    const url = `${base}/${created.id}`;
    const firstChange = v1.schedule.steps[1] as Step;

    const staffCheckIn = await staff.request({
      method: 'POST',
      url: `${url}/check-ins`,
      payload: { date: firstChange.date, answers: {}, tolerable: true },
    });
    expect(staffCheckIn.statusCode).toBe(403);
    expect((await staff.request({ method: 'GET', url: `${url}/monitoring` })).statusCode).toBe(403);

    const mild = await nurse.request({
      method: 'POST',
      url: `${url}/check-ins`,
      payload: { date: firstChange.date, answers: { sleep: 1 }, tolerable: true },
    });
    expect(mild.statusCode).toBe(201);
    expect(mild.json().suggestion.decision).toBe('continue');
    const severe = await nurse.request({
      method: 'POST',
      url: `${url}/check-ins`,
      payload: { date: addDays(firstChange.date, 7), answers: { dizziness: 3 }, tolerable: false, note: 'n' },
    });
    expect(severe.statusCode).toBe(201);
    expect(severe.json().suggestion).toMatchObject({ decision: 'step-back', urgentReview: false });
    expect(severe.json().checkIn.recordedByName).toBe('nurse Taper Clinic');

    // Nurses do not decide; who and why are required.
    const decision = {
      date: addDays(firstChange.date, 7),
      decision: 'step-back',
      stepPp: 5,
      reason: 'dizzy',
    };
    expect(
      (await nurse.request({ method: 'POST', url: `${url}/decisions`, payload: decision })).statusCode,
    ).toBe(403);
    const noReason = await prescriber.request({
      method: 'POST',
      url: `${url}/decisions`,
      payload: { ...decision, reason: '  ' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    const sameStep = await prescriber.request({
      method: 'POST',
      url: `${url}/decisions`,
      payload: { ...decision, stepPp: 10 },
    });
    expect(sameStep.statusCode).toBe(400); // NICE NG222 1.4.22: smaller steps after a step-back

    const res = await prescriber.request({ method: 'POST', url: `${url}/decisions`, payload: decision });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.decision).toMatchObject({
      decision: 'step-back',
      suggested: 'step-back',
      overridesSuggestion: false,
      reason: 'dizzy',
      decidedByName: 'prescriber Taper Clinic',
      versionId: v1.id,
    });
    expect(body.newVersion).toMatchObject({
      number: 2,
      previousVersionId: v1.id,
      decisionId: body.decision.id,
    });
    const v2Steps: Step[] = body.newVersion.schedule.steps;
    // Restarted at the previous step's dose (the start dose) from the decision date, with 5 pp steps.
    expect(v2Steps[0]).toMatchObject({ date: decision.date, doseMg: 100 });
    expect(body.newVersion.schedule.stepPp).toBe(5);

    const read = (await nurse.request({ method: 'GET', url })).json();
    expect(read.versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);
    expect(read.versions[0]).toEqual(v1); // the old version is unchanged
    expect(read.currentVersion).toBe(2);
    // The calendar of the new version starts with the restarted dose; version 1's is still there.
    const ics2 = await nurse.request({ method: 'GET', url: `${url}/ics` });
    expect(ics2.body.match(/BEGIN:VEVENT/g)).toHaveLength(v2Steps.length);
    expect(ics2.body).toContain(`DTSTART;VALUE=DATE:${decision.date.replaceAll('-', '')}`);
    const ics1 = await nurse.request({ method: 'GET', url: `${url}/ics?version=1` });
    expect(ics1.body.match(/BEGIN:VEVENT/g)).toHaveLength(v1.schedule.steps.length - 1);

    // A continue that overrides the suggestion is recorded as such.
    const cont = await prescriber.request({
      method: 'POST',
      url: `${url}/decisions`,
      payload: {
        date: addDays(firstChange.date, 8),
        decision: 'continue',
        reason: 'patient wishes to go on',
      },
    });
    expect(cont.statusCode).toBe(201);
    expect(cont.json()).toMatchObject({ newVersion: null, decision: { overridesSuggestion: true } });

    const monitoring = (await nurse.request({ method: 'GET', url: `${url}/monitoring` })).json();
    expect(monitoring.checkIns).toHaveLength(2);
    expect(monitoring.decisions.map((d: { decision: string }) => d.decision)).toEqual([
      'step-back',
      'continue',
    ]);
  });

  it('pause and resume keep the previous state; a cancelled plan takes no check-ins', async () => {
    const base = await newPatientTapers();
    const created = (await prescriber.request({ method: 'POST', url: base, payload: sertralinePlan })).json();
    const url = `${base}/${created.id}`;
    const change = (status: string, s = prescriber) =>
      s.request({ method: 'POST', url: `${url}/status`, payload: { status, reason: `${status} now` } });
    expect((await change('paused', nurse)).statusCode).toBe(403);
    expect((await change('paused')).json()).toMatchObject({ status: 'paused', version: 2 });
    expect((await change('active')).json()).toMatchObject({ status: 'active', version: 3 });
    expect((await change('cancelled')).json()).toMatchObject({ status: 'cancelled' });
    expect((await change('active')).statusCode).toBe(409);
    const checkIn = await nurse.request({
      method: 'POST',
      url: `${url}/check-ins`,
      payload: { date: '2026-01-12', answers: {}, tolerable: true },
    });
    expect(checkIn.statusCode).toBe(409);
    const monitoring = (await prescriber.request({ method: 'GET', url: `${url}/monitoring` })).json();
    expect(monitoring.statusReasons.map((r: { fromStatus: string; reason: string }) => r.fromStatus)).toEqual(
      ['active', 'paused', 'active'],
    );
    expect(monitoring.statusReasons[0].reason).toBe('paused now');
  });

  it('exports a PDF and an ICS file; other clinics get 404', async () => {
    const base = await newPatientTapers();
    const created = (await prescriber.request({ method: 'POST', url: base, payload: sertralinePlan })).json();
    const url = `${base}/${created.id}`;
    expect((await staff.request({ method: 'GET', url: `${url}/pdf` })).statusCode).toBe(403);
    expect((await staff.request({ method: 'GET', url: `${url}/ics` })).statusCode).toBe(403);
    const pdf = await nurse.request({ method: 'GET', url: `${url}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const ics = await nurse.request({ method: 'GET', url: `${url}/ics` });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const events = ics.body.match(/BEGIN:VEVENT/g) ?? [];
    expect(events).toHaveLength(created.versions[0].schedule.steps.length - 1);
    expect((await nurse.request({ method: 'GET', url: `${url}/pdf?version=9` })).statusCode).toBe(404);

    const outsider = await login(app, other.users.admin);
    for (const path of ['', '/pdf', '/ics', '/monitoring']) {
      const res = await outsider.request({ method: 'GET', url: `${url}${path}` });
      expect(res.statusCode, path).toBe(404);
    }
    const list = await outsider.request({ method: 'GET', url: base });
    expect(list.statusCode).toBe(404);
    const write = await outsider.request({
      method: 'POST',
      url: `${url}/check-ins`,
      payload: { date: '2026-01-12', answers: {}, tolerable: true },
    });
    expect(write.statusCode).toBe(404);
  });
});

describeEachStore('taper plans a patient can follow', ({ store }) => {
  let app: FastifyInstance;
  let prescriber: Session;
  let staff: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-01-20T12:00:00Z') });
    const clinic = await seedClinic(store(), 'Followable Taper Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);
  });

  const newPatientTapers = async (): Promise<string> => {
    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    return `/api/patients/${p.json().id}/tapers`;
  };

  const venlafaxine = {
    drug: 'venlafaxine',
    startDoseMg: 225,
    mode: 'proportional',
    stepPct: 10,
    intervalDays: 28,
    startDate: '2026-01-05',
    infusionDates: [],
    forms: { market: 'US' },
  };

  it('refuses a second open taper of the same drug for the same patient with 409, names the drug, writes nothing', async () => {
    const base = await newPatientTapers();
    const first = await prescriber.request({ method: 'POST', url: base, payload: venlafaxine });
    expect(first.statusCode).toBe(201);
    const second = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...venlafaxine, stepPct: 5 },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toMatch(/already has an active venlafaxine taper/);
    expect(second.body).toContain('drug');
    // the same drug written differently is the same drug
    const shouted = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...venlafaxine, drug: ' Venlafaxine ' },
    });
    expect(shouted.statusCode).toBe(409);
    // a paused plan is still open
    const url = `${base}/${first.json().id}`;
    await prescriber.request({
      method: 'POST',
      url: `${url}/status`,
      payload: { status: 'paused', reason: 'holiday' },
    });
    expect((await prescriber.request({ method: 'POST', url: base, payload: venlafaxine })).statusCode).toBe(
      409,
    );
    // another drug is allowed; after cancelling, a new venlafaxine plan is allowed
    const other = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...venlafaxine, drug: 'sertraline', startDoseMg: 100, forms: undefined },
    });
    expect(other.statusCode).toBe(201);
    const list = (await prescriber.request({ method: 'GET', url: base })).json().items;
    expect(list).toHaveLength(2);
    await prescriber.request({
      method: 'POST',
      url: `${url}/status`,
      payload: { status: 'cancelled', reason: 'replan' },
    });
    expect((await prescriber.request({ method: 'POST', url: base, payload: venlafaxine })).statusCode).toBe(
      201,
    );
  });

  it('returns the total duration up front and what to take each time; no step is undeliverable', async () => {
    const base = await newPatientTapers();
    const res = await prescriber.request({ method: 'POST', url: base, payload: venlafaxine });
    expect(res.statusCode).toBe(201);
    const detail = res.json();
    const schedule = detail.versions[0].schedule;
    const last = schedule.steps.at(-1);
    expect(detail).toMatchObject({
      totalDurationDays: last.day,
      endDate: last.date,
      planStatus: 'complete',
      undeliverableSteps: 0,
    });
    expect(detail.durationText).toBe(schedule.durationText);
    expect(detail.durationText).toMatch(/^\d+ weeks \(about /);
    expect(detail.compoundedSteps).toBeGreaterThan(0);
    expect(schedule.dosesPerDay).toBe(2);
    expect(schedule.finalDoseSource.citation).toMatch(/Maudsley/);
    for (const s of schedule.steps.filter((x: { kind: string }) => x.kind === 'reduce')) {
      expect(s.deliverable).toBe(true);
      expect(s.take.text).toMatch(/ a day$/);
      if (s.preparation) expect(s.preparation.text).toMatch(/compounding pharmacy/);
    }
    const list = (await prescriber.request({ method: 'GET', url: base })).json().items;
    expect(list[0]).toMatchObject({ totalDurationDays: last.day, durationText: detail.durationText });
  });

  it('with compounding off, the plan ends before zero with the reason (no stop step)', async () => {
    const base = await newPatientTapers();
    const res = await prescriber.request({
      method: 'POST',
      url: base,
      payload: { ...venlafaxine, drug: 'duloxetine', startDoseMg: 60, allowCompounding: false },
    });
    expect(res.statusCode).toBe(201);
    const schedule = res.json().versions[0].schedule;
    expect(schedule.status).toBe('ends-before-zero');
    expect(schedule.endReason).toMatch(/compounding is off/);
    expect(schedule.steps.at(-1).kind).not.toBe('stop');
    expect(res.json().planStatus).toBe('ends-before-zero');
  });
});

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
