import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { DueAssessment } from '../../clinical/instruments';
import { listAudit } from '../../store/audit';
import { recordAssessmentInTx as recordAssessment } from '../../app/assessments';
import { localToUtc as zonedToUtc } from '../../clinical/calendar';
import { alerts, assessmentItemAnswers, assessmentResponses } from '../../store/schema-measurement';
import { courses, treatmentSessions } from '../../store/schema-sessions';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import { portalInstruments } from '../../clinical/instruments/portal';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

const phq9 = (values: number[], extra: Record<string, unknown> = {}) => ({
  instrument: 'phq9',
  version: '1.0.0',
  context: 'ad-hoc',
  administeredAt: '2026-03-02T10:00:00Z',
  answers: values,
  ...extra,
});

describeEachStore('assessments and alerts over HTTP', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let frontDesk: Session;
  let patientId: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-03-10T12:00:00Z') });
    clinic = await seedClinic(store(), 'Measure Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    frontDesk = await login(app, clinic.users.staff);
    patientId = (
      await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
  });

  it('stores item-level answers with the core score, instrument version, author and context', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([2, 2, 2, 2, 1, 1, 1, 1, 0, 1], { context: 'baseline' }),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.assessment).toMatchObject({
      instrument: 'phq9',
      instrumentVersion: '1.0.0',
      context: 'baseline',
      respondent: 'patient',
      enteredBy: clinic.users.nurse.id,
      portalLinkId: null,
      totalScore: 12,
      severity: 'moderate',
      suicidality: false,
      version: 1,
    });
    expect(body.assessment.items).toHaveLength(10);
    expect(body.assessment.items.find((i: { itemId: string }) => i.itemId === '9')).toEqual({
      itemId: '9',
      value: 0,
      suicideItem: true,
      positive: false,
    });
    expect(body.alert).toBeNull();
    const audits = await listAudit(store().db, clinic.id, { resourceId: body.assessment.id });
    expect(audits.map((a) => a.action)).toEqual(['assessment.create']);
  });

  it('refuses an out-of-range answer naming the item, and a stale form version', async () => {
    const bad = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([0, 0, 0, 0, 0, 0, 0, 0, 4]),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/item 9/i);
    const stale = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([0, 0, 0, 0, 0, 0, 0, 0, 0], { version: '0.9' }),
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.fields[0].path).toBe('version');
  });

  it('front desk may neither read nor record assessments, nor see the alert inbox', async () => {
    const post = await frontDesk.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]),
    });
    expect(post.statusCode).toBe(403);
    expect(
      (await frontDesk.request({ method: 'GET', url: `/api/patients/${patientId}/assessments` })).statusCode,
    ).toBe(403);
    expect((await frontDesk.request({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(403);
  });

  it('a positive item 9 raises an alert that every clinician sees; acknowledgement records note, action, who and when', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([1, 1, 1, 1, 1, 1, 1, 1, 2]),
    });
    expect(res.statusCode).toBe(201);
    const { assessment, alert } = res.json();
    expect(assessment.suicidality).toBe(true);
    expect(alert).toMatchObject({ kind: 'suicidality' });
    expect(alert.reason).toContain('item 9 = 2');

    const inbox = await prescriber.request({ method: 'GET', url: '/api/alerts' });
    const open = inbox.json().items.filter((a: { id: string }) => a.id === alert.id);
    expect(open).toHaveLength(1);
    expect(open[0].patient.familyName).toBe('Person');

    const empty = await prescriber.request({
      method: 'POST',
      url: `/api/alerts/${alert.id}/acknowledge`,
      payload: { note: '  ', action: 'contacted-patient' },
    });
    expect(empty.statusCode).toBe(400);
    const ack = await prescriber.request({
      method: 'POST',
      url: `/api/alerts/${alert.id}/acknowledge`,
      payload: { note: 'Called; safety plan reviewed, seen tomorrow.', action: 'safety-plan-reviewed' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({
      acknowledgedBy: clinic.users.prescriber.id,
      acknowledgedAt: '2026-03-10T12:00:00.000Z',
      actionTaken: 'safety-plan-reviewed',
    });
    const again = await nurse.request({
      method: 'POST',
      url: `/api/alerts/${alert.id}/acknowledge`,
      payload: { note: 'twice', action: 'other' },
    });
    expect(again.statusCode).toBe(409);
    const after = await nurse.request({ method: 'GET', url: '/api/alerts' });
    expect(after.json().items.some((a: { id: string }) => a.id === alert.id)).toBe(false);
    const all = await nurse.request({ method: 'GET', url: '/api/alerts?status=all' });
    expect(all.json().items.some((a: { id: string }) => a.id === alert.id)).toBe(true);
    const audits = await listAudit(store().db, clinic.id, { resourceType: 'alert', resourceId: alert.id });
    expect(audits.map((a) => a.action).sort()).toEqual(['alert.acknowledge', 'alert.create']);
  });

  it('PHQ-9 item 9 asked alone is stored as a partial response with no total, and still raises the alert', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([], { answers: { '9': 1 }, itemIds: ['9'], context: 'post-4h' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().assessment).toMatchObject({
      partialItemIds: ['9'],
      totalScore: null,
      severity: null,
      suicidality: true,
    });
    expect(res.json().assessment.items).toEqual([
      { itemId: '9', value: 1, suicideItem: true, positive: true },
    ]);
    expect(res.json().alert.kind).toBe('suicidality');
    const notSuicide = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([], { answers: { '1': 1 }, itemIds: ['1'] }),
    });
    expect(notSuicide.statusCode).toBe(400);
    expect(notSuicide.json().error.message).toMatch(/only suicide items/);
    const extra = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([], { answers: { '9': 0, '2': 3 }, itemIds: ['9'] }),
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.fields[0].path).toBe('item 2');
    const range = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([], { answers: { '9': 4 }, itemIds: ['9'] }),
    });
    expect(range.statusCode).toBe(400);
    expect(range.json().error.fields[0].path).toBe('item 9');
  });

  it('C-SSRS high risk raises a cssrs-risk alert', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: {
        instrument: 'cssrs-screener',
        version: '1.0.0',
        context: 'pre-session',
        administeredAt: '2026-03-09T09:00:00Z',
        answers: [1, 1, 0, 1, 0, 0, null],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().score.risk).toBe('high');
    expect(res.json().alert.kind).toBe('cssrs-risk');
  });

  it('a correction is a new version linked to the previous one; the original is kept', async () => {
    const first = (
      await nurse.request({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        payload: {
          instrument: 'madrs',
          version: '1.0.0',
          context: 'post-24h',
          administeredAt: '2026-03-09T10:00:00Z',
          answers: [3, 3, 2, 2, 2, 2, 2, 2, 2, 0],
        },
      })
    ).json().assessment;
    expect(first.respondent).toBe('clinician');
    const noReason = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments/${first.id}/corrections`,
      payload: { answers: [3, 3, 2, 2, 2, 2, 2, 2, 2, 1] },
    });
    expect(noReason.statusCode).toBe(400);
    const fixed = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments/${first.id}/corrections`,
      payload: { answers: [3, 3, 2, 2, 2, 2, 2, 2, 2, 1], reason: 'Item 10 transcribed wrongly' },
    });
    expect(fixed.statusCode).toBe(201);
    const v2 = fixed.json();
    expect(v2.assessment).toMatchObject({
      version: 2,
      supersedesId: first.id,
      rootId: first.id,
      totalScore: 21,
    });
    expect(v2.alert.kind).toBe('suicidality');
    const twice = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments/${first.id}/corrections`,
      payload: { answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], reason: 'again' },
    });
    expect(twice.statusCode).toBe(409);
    const versions = await nurse.request({
      method: 'GET',
      url: `/api/patients/${patientId}/assessments/${v2.assessment.id}/versions`,
    });
    expect(
      versions
        .json()
        .items.map((v: { version: number; totalScore: number; current: boolean }) => [
          v.version,
          v.totalScore,
          v.current,
        ]),
    ).toEqual([
      [1, 20, false],
      [2, 21, true],
    ]);
    const list = await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/assessments` });
    const ids = list.json().items.map((a: { id: string }) => a.id);
    expect(ids).toContain(v2.assessment.id);
    expect(ids).not.toContain(first.id);
  });

  it('the trajectory uses the core outcome rules and keeps suicide items as their own track', async () => {
    const other = (
      await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    const post = (answers: number[], at: string, context: string) =>
      nurse.request({
        method: 'POST',
        url: `/api/patients/${other}/assessments`,
        payload: phq9(answers, { administeredAt: at, context }),
      });
    await post([3, 3, 2, 2, 2, 2, 2, 2, 1], '2026-03-01T09:00:00Z', 'baseline'); // 19
    await post([1, 1, 1, 1, 1, 1, 1, 1, 0], '2026-03-05T09:00:00Z', 'weekly'); // 8
    await post([1, 0, 1, 0, 1, 0, 1, 0, 0], '2026-03-09T09:00:00Z', 'weekly'); // 4
    const res = await nurse.request({ method: 'GET', url: `/api/patients/${other}/trajectory` });
    expect(res.statusCode).toBe(200);
    const phq = res.json().series.find((s: { instrument: string }) => s.instrument === 'phq9');
    expect(phq.points.map((p: { total: number }) => p.total)).toEqual([19, 8, 4]);
    expect(phq.baseline.total).toBe(19);
    expect(phq.responseLine).toBe(9.5);
    expect(phq.remission).toMatchObject({ comparator: '<', value: 5 });
    expect(phq.latest).toMatchObject({ total: 4, response: true, remission: true });
    const track = res.json().suicidality;
    expect(track.map((t: { value: number; positive: boolean }) => [t.value, t.positive])).toEqual([
      [1, true],
      [0, false],
      [0, false],
    ]);
  });

  it('scheduled treatment sessions drive pre-session and +4 h items; PHQ-9 item 9 alone completes the +4 h check', async () => {
    const pid = (
      await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    // A course with one session today 07:00–08:30 (clinic time zone UTC); now is 12:00.
    await inClinic(store().db, clinic.id, async (tx) => {
      const [course] = await tx
        .insert(courses)
        .values({
          clinicId: clinic.id,
          patientId: pid,
          templateKey: 'test',
          template: {},
          modality: 'iv-ketamine',
          startDate: '2026-03-10',
          conflicts: [],
          createdBy: clinic.users.prescriber.id,
        })
        .returning();
      await tx.insert(treatmentSessions).values({
        clinicId: clinic.id,
        courseId: course!.id,
        patientId: pid,
        sequence: 1,
        phaseId: 'induction',
        phaseLabel: 'Induction',
        date: '2026-03-10',
        startMin: 7 * 60,
        endMin: 8 * 60 + 30,
        roomId: 'room-1',
        targetDate: '2026-03-10',
        shiftedDays: 0,
        dose: {},
      });
    });
    const due = async () =>
      (await nurse.request({ method: 'GET', url: `/api/patients/${pid}/due` })).json().items as Array<{
        ruleId: string;
        status: string;
        dueAt: string;
        sessionId: string | null;
        actionable: boolean;
      }>;
    const before = await due();
    const post4h = before.find((d) => d.ruleId === 'post-4h-si')!;
    expect(post4h).toMatchObject({ status: 'due', dueAt: '2026-03-10T12:30:00.000Z', actionable: true });
    expect(post4h.sessionId).not.toBeNull();
    expect(before.find((d) => d.ruleId === 'pre-session-phq9')).toMatchObject({
      status: 'overdue',
      actionable: true,
    });
    expect(before.find((d) => d.ruleId === 'post-24h-si')).toMatchObject({
      status: 'upcoming',
      actionable: false,
    });
    const rec = await nurse.request({
      method: 'POST',
      url: `/api/patients/${pid}/assessments`,
      payload: phq9([], {
        answers: { '9': 0 },
        itemIds: ['9'],
        context: 'post-4h',
        sessionId: post4h.sessionId,
        administeredAt: '2026-03-10T12:00:00Z',
      }),
    });
    expect(rec.statusCode).toBe(201);
    expect((await due()).find((d) => d.ruleId === 'post-4h-si')).toMatchObject({ status: 'done' });
    const wrongSession = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([0, 0, 0, 0, 0, 0, 0, 0, 0], { sessionId: post4h.sessionId }),
    });
    expect(wrongSession.statusCode).toBe(400);
    expect(wrongSession.json().error.fields[0].path).toBe('sessionId');
  });

  it('the due list shows baseline items, overdue first, and disappears when done', async () => {
    const fresh = (
      await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    const due = await frontDesk.request({ method: 'GET', url: `/api/patients/${fresh}/due` });
    expect(due.json().items.map((d: { ruleId: string; status: string }) => [d.ruleId, d.status])).toEqual([
      ['baseline-cssrs', 'due'],
      ['baseline-phq9', 'due'],
    ]);
    // The first patient completed a PHQ-9 baseline but no C-SSRS at baseline: that is overdue.
    const list = await frontDesk.request({ method: 'GET', url: '/api/due' });
    const lines = list.json().items.filter((r: { patientId: string }) => r.patientId === patientId) as {
      overdue: boolean;
      item: { ruleId: string };
    }[];
    expect(lines.map((l) => [l.item.ruleId, l.overdue])).toEqual([['baseline-cssrs', true]]);
    // Earliest due first: the overdue baseline comes before the fresh patient's baselines due now.
    expect(list.json().items[0].overdue).toBe(true);
  });
});

describe('clinic wall-clock times', () => {
  it('converts a local session time to UTC across time zones and DST', () => {
    expect(zonedToUtc('2026-01-15', 9 * 60, 'America/New_York').toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    // US DST began 2026-03-08 at 02:00 local: 03:30 is EDT (UTC−4).
    expect(zonedToUtc('2026-03-08', 3 * 60 + 30, 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(zonedToUtc('2026-07-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedToUtc('2026-07-01', 9 * 60, 'UTC').toISOString()).toBe('2026-07-01T09:00:00.000Z');
  });
});

describe('portal offers', () => {
  const due = (over: Partial<DueAssessment>): DueAssessment => ({
    ruleId: 'r',
    context: 'baseline',
    anyOf: [{ instrument: 'phq9' }],
    dueAt: new Date(0),
    windowStart: new Date(0),
    windowEnd: new Date(0),
    status: 'due',
    ...over,
  });
  it('offers due self-report items (item 9 alone after a session), a missing baseline, never clinician scales', () => {
    expect(
      portalInstruments([
        due({ ruleId: 'baseline-cssrs', anyOf: [{ instrument: 'cssrs-screener' }], status: 'overdue' }),
        due({ ruleId: 'baseline-phq9', status: 'overdue' }),
        due({ ruleId: 'weekly-gad7', context: 'weekly', anyOf: [{ instrument: 'gad7' }], status: 'overdue' }),
        due({
          ruleId: 'post-4h-si',
          context: 'post-4h',
          anyOf: [{ instrument: 'phq9', itemIds: ['9'] }, { instrument: 'ssi' }],
        }),
        due({ ruleId: 'weekly-phq9', context: 'weekly', status: 'upcoming' }),
      ]),
    ).toEqual([{ instrument: 'phq9', context: 'baseline' }]);
    expect(
      portalInstruments([
        due({
          ruleId: 'post-4h-si',
          context: 'post-4h',
          anyOf: [{ instrument: 'phq9', itemIds: ['9'] }, { instrument: 'ssi' }],
        }),
        due({ ruleId: 'weekly-gad7', context: 'weekly', anyOf: [{ instrument: 'gad7' }] }),
      ]),
    ).toEqual([
      { instrument: 'phq9', context: 'post-4h', itemIds: ['9'] },
      { instrument: 'gad7', context: 'weekly' },
    ]);
  });
});

describeEachStore('assessment store transactions', ({ store }) => {
  let clinic: TestClinic;
  let patientId: string;
  beforeAll(async () => {
    clinic = await seedClinic(store(), 'Tx Clinic');
    const app = await createTestApp(store());
    const s = await login(app, clinic.users.nurse);
    patientId = (await s.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })).json()
      .id;
  });

  const countRows = async () => {
    const db = store().db;
    const r = await db.select().from(assessmentResponses).where(eq(assessmentResponses.clinicId, clinic.id));
    const a = await db.select().from(alerts).where(eq(alerts.clinicId, clinic.id));
    const i = await db
      .select()
      .from(assessmentItemAnswers)
      .where(
        and(eq(assessmentItemAnswers.clinicId, clinic.id), eq(assessmentItemAnswers.patientId, patientId)),
      );
    return { responses: r.length, alerts: a.length, items: i.length };
  };

  describe('response and alert commit or roll back together', () => {
    it('a failure after the alert insert rolls back the response, its items and its alert', async () => {
      const before = await countRows();
      await expect(
        inClinic(store().db, clinic.id, async (tx) => {
          const rec = await recordAssessment(
            tx,
            clinic.id,
            patientId,
            {
              instrument: 'phq9',
              version: '1.0.0',
              context: 'ad-hoc',
              administeredAt: new Date('2026-03-01T09:00:00Z'),
              answers: [0, 0, 0, 0, 0, 0, 0, 0, 3],
            },
            { kind: 'user', userId: clinic.users.nurse.id },
            new Date('2026-03-01T10:00:00Z'),
          );
          expect(rec.alert).not.toBeNull();
          // A later write in the same transaction fails (here: an alert for a response that does not exist).
          await tx.insert(alerts).values({
            clinicId: clinic.id,
            patientId,
            responseId: '00000000-0000-7000-8000-000000000000',
            kind: 'suicidality',
            reason: 'dangling',
          });
        }),
      ).rejects.toThrow();
      expect(await countRows()).toEqual(before);
    });

    it('the database refuses an acknowledgement without a note (check constraint)', async () => {
      const rec = await inClinic(store().db, clinic.id, (tx) =>
        recordAssessment(
          tx,
          clinic.id,
          patientId,
          {
            instrument: 'ssi',
            version: '1.0.0',
            context: 'post-4h',
            administeredAt: new Date('2026-03-01T09:00:00Z'),
            answers: Array.from({ length: 19 }, (_, k) => (k === 0 ? 1 : 0)),
          },
          { kind: 'user', userId: clinic.users.nurse.id },
          new Date('2026-03-01T10:00:00Z'),
        ),
      );
      expect(rec.alert?.kind).toBe('suicidality');
      await expect(
        store()
          .db.update(alerts)
          .set({ acknowledgedAt: new Date(), acknowledgedBy: clinic.users.nurse.id, actionTaken: 'other' })
          .where(and(eq(alerts.clinicId, clinic.id), eq(alerts.id, rec.alert!.id))),
      ).rejects.toThrow();
    });
  });
});

describeEachStore('measurement tenancy', ({ store }) => {
  it("clinic A cannot read, correct, acknowledge or revoke clinic B's assessments, alerts or links", async () => {
    const app = await createTestApp(store());
    const a = await seedClinic(store(), 'Clinic A');
    const b = await seedClinic(store(), 'Clinic B');
    const bNurse = await login(app, b.users.nurse);
    const bPatient = (
      await bNurse.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ familyName: 'Bsecret' }),
      })
    ).json().id;
    const rec = (
      await bNurse.request({
        method: 'POST',
        url: `/api/patients/${bPatient}/assessments`,
        payload: phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]),
      })
    ).json();
    const link = (
      await bNurse.request({ method: 'POST', url: `/api/patients/${bPatient}/portal-links`, payload: {} })
    ).json();
    const aNurse = await login(app, a.users.nurse);
    const attempts = [
      { method: 'GET', url: `/api/patients/${bPatient}/assessments/${rec.assessment.id}/versions` },
      {
        method: 'POST',
        url: `/api/patients/${bPatient}/assessments/${rec.assessment.id}/corrections`,
        payload: { answers: [0, 0, 0, 0, 0, 0, 0, 0, 0], reason: 'takeover' },
      },
      {
        method: 'POST',
        url: `/api/alerts/${rec.alert.id}/acknowledge`,
        payload: { note: 'x', action: 'other' },
      },
      { method: 'POST', url: `/api/patients/${bPatient}/portal-links/${link.link.id}/revoke` },
      { method: 'GET', url: `/api/patients/${bPatient}/trajectory` },
      { method: 'GET', url: `/api/patients/${bPatient}/due` },
    ];
    for (const attempt of attempts) {
      const res = await aNurse.request(attempt);
      expect([attempt.url, res.statusCode]).toEqual([attempt.url, 404]);
      expect(res.body).not.toContain('Bsecret');
    }
    const inbox = await aNurse.request({ method: 'GET', url: '/api/alerts?status=all' });
    expect(inbox.json().items).toEqual([]);
    const due = await aNurse.request({ method: 'GET', url: '/api/due' });
    expect(due.body).not.toContain('Bsecret');
    // B's alert is still open and B's link still works.
    expect((await bNurse.request({ method: 'GET', url: '/api/alerts' })).json().items).toHaveLength(1);
    const token = link.url.split('/portal/')[1];
    expect((await app.inject({ method: 'GET', url: `/api/portal/${token}` })).statusCode).toBe(200);
  });
});
