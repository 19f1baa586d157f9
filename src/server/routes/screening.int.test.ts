import { and, eq, gte } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { bodyMeasurements } from '../../store/schema';
import { sessionEvents } from '../../store/schema-sessions';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  eligibleAnswers,
  login,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

/**
 * Screening that screens and a checklist backed by the record: every safety question answered,
 * IV BP-hazard contraindications, no course or check-in without a current screening, PHQ-9 /
 * C-SSRS / weight / pregnancy test from the record and the clinic's rules, no duplicate rows on a
 * resubmitted checklist, and no date of birth in the future.
 */

const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const DAY = 86_400_000;
const IV = 'iv-induction-2x-weekly-3wk';

const checklist = {
  identityConfirmed: true,
  baselineSbpMmHg: 122,
  baselineDbpMmHg: 78,
  baselineHeartRateBpm: 72,
  escortArranged: true,
  pregnancyTest: 'negative',
  interactionReviewDone: true,
  weightKg: 80,
};

describeEachStore('screening and pre-session checklist API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let admin: Session;
  let now = START;

  const relogin = async () => {
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    admin = await login(app, clinic.users.admin);
  };

  beforeAll(async () => {
    // The clock jumps days ahead and back, so the staff log in again often.
    app = await createTestApp(store(), { now: () => now, loginRateLimitPerMinute: 1000 });
    clinic = await seedClinic(store(), 'Screening Clinic');
    await relogin();
  });

  const newPatient = async (overrides: Record<string, unknown> = {}) => {
    const res = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient(overrides),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const schedule = (pid: string, templateId = IV, preview = false) =>
    prescriber.request({
      method: 'POST',
      url: `/api/patients/${pid}/courses`,
      payload: { templateId, startDate: now.toISOString().slice(0, 10), preview },
    });
  const screen = (pid: string, answers: Record<string, unknown>) =>
    nurse.request({ method: 'POST', url: `/api/patients/${pid}/eligibility`, payload: { answers } });
  const settings = async (change: (s: Record<string, unknown>) => Record<string, unknown>) => {
    const current = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const res = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: change(current),
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('refuses a screening with an unanswered safety question, naming it', async () => {
    const pid = await newPatient();
    for (const field of ['seizureDisorder', 'pregnant', 'currentSuicidalIntent', 'baselineSbpMmHg']) {
      const answers: Record<string, unknown> = eligibleAnswers('iv-ketamine');
      delete answers[field];
      const res = await screen(pid, answers);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual([
        expect.objectContaining({
          path: `body.answers.${field}`,
          message: expect.stringMatching(/not answered/),
        }),
      ]);
    }
    const none = (await nurse.request({ method: 'GET', url: `/api/patients/${pid}/eligibility` })).json();
    expect(none).toEqual([]);
    const ok = await screen(pid, eligibleAnswers('iv-ketamine'));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().status).toBe('eligible');
  });

  it('IV: uncontrolled hypertension is a contraindication that cannot be signed off', async () => {
    const pid = await newPatient();
    const res = await screen(pid, eligibleAnswers('iv-ketamine', { hypertension: 'uncontrolled' }));
    expect(res.json()).toMatchObject({
      status: 'not-eligible',
      reasons: [{ ruleId: 'ELIG-CI-IV-HTN-UNCONTROLLED', kind: 'contraindication' }],
    });
    const approve = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${pid}/eligibility/${res.json().id}/sign-off`,
      payload: { decision: 'approve', note: 'BP fine at home' },
    });
    expect(approve.statusCode).toBe(400);
    expect((await schedule(pid)).statusCode).toBe(409);
  });

  it('schedules a course only with a current eligible or approved screening', async () => {
    now = START;
    await relogin();
    const pid = await newPatient();
    const none = await schedule(pid);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.fields[0]).toMatchObject({
      path: 'screening',
      message: expect.stringMatching(/no eligibility screening for IV ketamine/),
    });
    expect((await schedule(pid, IV, true)).statusCode).toBe(200); // a preview saves nothing

    // Needs review (seizure disorder): refused until a prescriber approves it with a note.
    const review = await screen(pid, eligibleAnswers('iv-ketamine', { seizureDisorder: 'yes' }));
    expect(review.json().status).toBe('needs-review');
    expect((await schedule(pid)).json().error.message).toMatch(/not been approved/);
    const approved = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${pid}/eligibility/${review.json().id}/sign-off`,
      payload: { decision: 'approve', note: 'seizure-free for 10 years, neurology agrees' },
    });
    expect(approved.statusCode).toBe(201);
    // An IV screening does not cover esketamine.
    expect((await schedule(pid, 'esketamine-trd-label')).statusCode).toBe(409);
    const course = await schedule(pid);
    expect(course.statusCode, course.body).toBe(201);

    // 91 days later the screening is no longer current (clinic default 90 days)…
    now = new Date(START.getTime() + 91 * DAY);
    await relogin();
    const stale = await schedule(pid);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/91 days old.*within 90 days/);
    // …unless the clinic allows longer.
    await settings((s) => ({
      ...s,
      screening: { validDays: { value: 120, status: 'clinic', source: 'Clinic setting' } },
    }));
    expect((await schedule(pid)).statusCode).toBe(201);
    await settings((s) => ({
      ...s,
      screening: { validDays: { value: 90, status: 'clinic', source: 'Clinic setting' } },
    }));
  });

  it('checks a patient in only with a current screening; a newer not-eligible one blocks', async () => {
    now = START;
    await relogin();
    const pid = await newPatient();
    await screenEligible(prescriber, pid, 'iv-ketamine');
    const course = (await schedule(pid)).json();
    const [first, second] = course.sessions as { id: string; date: string }[];
    const base = (id: string) => `/api/patients/${pid}/sessions/${id}`;
    const before = (await nurse.request({ method: 'GET', url: base(first!.id) })).json();
    expect(before.screening).toMatchObject({ ok: true });

    await screen(pid, eligibleAnswers('iv-ketamine', { intracerebralHemorrhageHistory: 'yes' }));
    const refused = await nurse.request({ method: 'POST', url: `${base(first!.id)}/check-in`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.fields[0]).toMatchObject({
      path: 'screening',
      message: expect.stringMatching(/not eligible/),
    });
    expect((await nurse.request({ method: 'GET', url: base(first!.id) })).json().phase).toBe('scheduled');

    await screenEligible(prescriber, pid, 'iv-ketamine');
    const ok = await nurse.request({ method: 'POST', url: `${base(first!.id)}/check-in`, payload: {} });
    expect(ok.statusCode, ok.body).toBe(200);

    // Long after the screening the next session cannot be started without screening again.
    now = new Date(Date.parse(`${second!.date}T08:00:00Z`) + 100 * DAY);
    await relogin();
    const late = await nurse.request({ method: 'POST', url: `${base(second!.id)}/check-in`, payload: {} });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/days old/);
  });

  it('passes PHQ-9 and C-SSRS only with responses on record in the clinic window', async () => {
    now = START;
    await relogin();
    const pid = await newPatient({ sexAtBirth: 'male' });
    await screenEligible(prescriber, pid, 'iv-ketamine');
    const course = (await schedule(pid)).json();
    const base = `/api/patients/${pid}/sessions/${course.sessions[0].id}`;
    await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    const item = (
      res: { json(): { checklist: { items: { id: string; state: string; message: string }[] } } },
      id: string,
    ) => res.json().checklist.items.find((i) => i.id === id)!;

    // Ticking a box is not a response: the old phq9Done/cssrsDone fields are ignored.
    const ticked = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: 'not-applicable', phq9Done: true, cssrsDone: true },
    });
    expect(ticked.json().checklist.overall).toBe('blocked');
    expect(item(ticked, 'CHK-PHQ9').state).toBe('fail');
    expect(item(ticked, 'CHK-CSSRS').message).toMatch(/no response on record/);

    // Yesterday's responses are outside the default window (the session day).
    await recordPreSessionAssessments(nurse, pid, new Date(START.getTime() - DAY));
    const yesterday = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: 'not-applicable' },
    });
    expect(item(yesterday, 'CHK-PHQ9')).toMatchObject({
      state: 'fail',
      message: expect.stringMatching(/1 day/),
    });

    // A clinic window of one day accepts them.
    const oneDay = { value: 1, status: 'clinic', source: 'Clinic setting' };
    await settings((s) => ({
      ...s,
      checklist: { ...(s.checklist as object), phq9WithinDays: oneDay, cssrsWithinDays: oneDay },
    }));
    const within = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: 'not-applicable' },
    });
    expect(item(within, 'CHK-PHQ9').state).toBe('pass');
    expect(item(within, 'CHK-CSSRS').state).toBe('pass');
    expect(within.json().checklist.overall).toBe('ready');
    await settings((s) => {
      const zero = { value: 0, status: 'clinic', source: 'Clinic setting' };
      return { ...s, checklist: { ...(s.checklist as object), phq9WithinDays: zero, cssrsWithinDays: zero } };
    });
  });

  it("requires a pregnancy test where the clinic's rule says so, and records weight and BP once", async () => {
    now = START;
    await relogin();
    const pid = await newPatient({ sexAtBirth: 'female' });
    await screenEligible(prescriber, pid, 'iv-ketamine');
    const course = (await schedule(pid)).json();
    const sessionId = course.sessions[0].id as string;
    const base = `/api/patients/${pid}/sessions/${sessionId}`;
    await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    await recordPreSessionAssessments(nurse, pid, new Date(START.getTime() - 30 * 60_000));
    const preg = (res: { json(): { checklist: { items: { id: string; state: string }[] } } }) =>
      res.json().checklist.items.find((i) => i.id === 'CHK-PREGNANCY-TEST')!.state;

    const na = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: 'not-applicable' },
    });
    expect(preg(na)).toBe('fail');
    expect(na.json().checklist.overall).toBe('blocked');
    const missing = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: undefined },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields[0].path).toBe('body.pregnancyTest');

    const ok = await nurse.request({ method: 'POST', url: `${base}/checklist`, payload: checklist });
    expect(preg(ok)).toBe('pass');
    expect(ok.json().checklist.overall).toBe('ready');
    // Submitted again unchanged: still one weight today and one baseline reading.
    const again = await nurse.request({ method: 'POST', url: `${base}/checklist`, payload: checklist });
    expect(again.json().checklist.overall).toBe('ready');
    const weights = await store()
      .db.select()
      .from(bodyMeasurements)
      .where(
        and(
          eq(bodyMeasurements.clinicId, clinic.id),
          eq(bodyMeasurements.patientId, pid),
          gte(bodyMeasurements.measuredAt, new Date(START.getTime() - 8 * 3600_000)),
        ),
      );
    expect(weights.map((w) => w.weightKg)).toEqual([80]);
    const baselines = await store()
      .db.select()
      .from(sessionEvents)
      .where(
        and(
          eq(sessionEvents.clinicId, clinic.id),
          eq(sessionEvents.sessionId, sessionId),
          eq(sessionEvents.kind, 'vitals'),
        ),
      );
    expect(baselines).toHaveLength(1);
    // A corrected weight or BP is a new measurement (append-only), not a silent change.
    const corrected = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, weightKg: 81, baselineSbpMmHg: 126 },
    });
    expect(corrected.json().latestWeight).toEqual({ weightKg: 81, measuredOn: '2026-03-02' });
    expect(corrected.json().vitals.filter((v: { timeMin: number }) => v.timeMin <= 0)).toHaveLength(2);

    // The clinic rule "none": not required, so "not applicable" passes as n/a.
    await settings((s) => ({
      ...s,
      checklist: { ...(s.checklist as object), pregnancyTestRequiredFor: 'none' },
    }));
    const none = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...checklist, pregnancyTest: 'not-applicable' },
    });
    expect(preg(none)).toBe('not-applicable');
    await settings((s) => ({
      ...s,
      checklist: { ...(s.checklist as object), pregnancyTestRequiredFor: 'not-male' },
    }));
  });

  it('refuses a date of birth in the future on create, edit and FHIR import', async () => {
    now = START;
    await relogin();
    const tomorrow = '2026-03-03';
    const created = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ dateOfBirth: tomorrow }),
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.fields[0]).toMatchObject({
      path: 'body.dateOfBirth',
      message: expect.stringMatching(/future/),
    });
    expect(
      (
        await staff.request({
          method: 'POST',
          url: '/api/patients',
          payload: samplePatient({ dateOfBirth: '2026-03-02' }),
        })
      ).statusCode,
    ).toBe(201);

    const pid = await newPatient();
    const edited = await staff.request({
      method: 'PATCH',
      url: `/api/patients/${pid}`,
      payload: { dateOfBirth: tomorrow },
    });
    expect(edited.statusCode).toBe(400);
    expect(edited.json().error.fields[0].path).toBe('body.dateOfBirth');
    expect((await staff.request({ method: 'GET', url: `/api/patients/${pid}` })).json().dateOfBirth).toBe(
      '1980-04-12',
    );

    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:p1',
          resource: {
            resourceType: 'Patient',
            identifier: [{ value: 'FUTURE-1' }],
            name: [{ family: 'Later', given: ['Not'] }],
            birthDate: tomorrow,
            gender: 'female',
          },
        },
      ],
    };
    const imported = await nurse.request({ method: 'POST', url: '/api/fhir/import', payload: bundle });
    expect(imported.statusCode).toBe(422);
    expect(imported.json().issues).toEqual([
      expect.objectContaining({
        entry: 0,
        resourceType: 'Patient',
        path: 'birthDate',
        message: expect.stringMatching(/future/),
      }),
    ]);
  });
});
