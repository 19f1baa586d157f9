import { describe, expect, it } from 'vitest';
import { getInstrument, scoreInstrument } from '../clinical/instruments';
import {
  courseInputFromSessions,
  courseOutcome,
  summariseOutcomes,
  type CourseOutcome,
} from '../clinical/outcomes';
import {
  adverseEventSchema,
  currentScreening,
  defaultVitalsThresholds,
  intakeAnswersSchema,
  evaluateVitals,
  overdueRemsForms,
  type Modality,
} from '../clinical/protocols';
import {
  adverseEventSubmitSchema,
  alertDecisionSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  dosingActionSubmitSchema,
  dosingStartSchema,
  observationSchema,
  orderPayloadSchema,
  remsSubmittedSchema,
  rescueGivenSchema,
  signOrderSchema,
  vitalsEntrySchema,
  DEFAULT_SESSION_SETTINGS,
  type SessionSettings,
} from '../clinical/session';
import { DemoBookings, demoClinicSettings, demoHistoryDays, sessionsPerYear } from './bookings';
import { demoStaff, generatePatients, type DemoRows } from './generate';
import { networkSizes } from './network';
import { clinicThresholds } from './session-events';

const now = new Date('2026-11-26T15:00:00Z');
const clinicId = '0193a000-0000-7000-8000-0000000000c1';
const spec = (seed: number, timeZone = 'America/New_York', settings?: SessionSettings) => ({
  clinicId,
  timeZone,
  now,
  seed,
  staff: demoStaff(clinicId, seed),
  ...(settings ? { settings } : {}),
});

/** Pairs of sessions booked in the same room at overlapping times. */
function overlaps(rows: DemoRows): string[] {
  const byRoomDay = new Map<string, { id: string; startMin: number; endMin: number }[]>();
  for (const s of rows.treatmentSessions) {
    const key = `${s.date}|${s.roomId}`;
    const list = byRoomDay.get(key) ?? [];
    list.push({ id: s.id!, startMin: s.startMin!, endMin: s.endMin! });
    byRoomDay.set(key, list);
  }
  const out: string[] = [];
  for (const [key, list] of byRoomDay) {
    list.sort((a, b) => a.startMin - b.startMin);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.startMin < list[i - 1]!.endMin) out.push(`${key}: ${list[i - 1]!.id} / ${list[i]!.id}`);
    }
  }
  return out;
}

describe('demo generator', () => {
  const rows = generatePatients(spec(7), 0, 120);

  it(
    'is deterministic: the same seed gives the same rows, ids included; another seed does not',
    { timeout: 120_000 },
    () => {
      // Generated again in two batches sharing the clinic's bookings: every table equals the whole run.
      const bookings = new DemoBookings(DEFAULT_SESSION_SETTINGS);
      const head = generatePatients(spec(7), 0, 60, bookings);
      const tail = generatePatients(spec(7), 60, 120, bookings);
      const again = Object.fromEntries(
        Object.entries(head).map(([table, list]) => [table, [...list, ...tail[table as keyof DemoRows]]]),
      );
      expect(again).toEqual(rows);
      // Another seed: other patients and other scores (compared over as many rows as it made).
      const other = generatePatients(spec(8), 0, 20);
      const ids = other.patients.map((p) => p.id);
      expect(ids).not.toEqual(rows.patients.slice(0, ids.length).map((p) => p.id));
      const scores = other.assessmentResponses.map((r) => r.totalScore);
      expect(scores).not.toEqual(rows.assessmentResponses.slice(0, scores.length).map((r) => r.totalScore));
      const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      for (const e of rows.sessionEvents) expect(e.id).toMatch(v7);
      expect(new Set(rows.assessmentItemAnswers.map((a) => a.id)).size).toBe(
        rows.assessmentItemAnswers.length,
      );
    },
  );

  it('books every session in a free slot of a clinic room within opening hours (no overlaps)', () => {
    expect(overlaps(rows)).toEqual([]);
    expectInSettings(rows, DEFAULT_SESSION_SETTINGS);
  });

  it("follows the clinic's own settings: its rooms, hours, chair times and lower hold threshold", () => {
    const sbpHold = 150;
    const thresholds = (m: Modality) => {
      const t = defaultVitalsThresholds(m);
      return { ...t, holdSbpAboveMmHg: { ...t.holdSbpAboveMmHg, value: sbpHold } };
    };
    const day = [{ openMin: 9 * 60 + 15, closeMin: 18 * 60 }];
    const settings: SessionSettings = {
      ...DEFAULT_SESSION_SETTINGS,
      rooms: ['Chair A', 'Chair B', 'Chair C'],
      clinicHours: [[], day, day, [], day, day, [{ openMin: 8 * 60, closeMin: 13 * 60 }]],
      closedDates: ['2026-11-13'],
      sessionDurationMin: { 'iv-ketamine': 105, esketamine: 135 },
      slotStepMin: 15,
      vialMgPerMl: 10,
      bagMl: 50,
      thresholds: { 'iv-ketamine': thresholds('iv-ketamine'), esketamine: thresholds('esketamine') },
    };
    const custom = generatePatients(spec(5, 'America/New_York', settings), 0, 120);
    expectInSettings(custom, settings);
    expect(custom.treatmentSessions.some((s) => s.date === '2026-11-13')).toBe(false);
    // The pump program uses the clinic's vial strength.
    const plans = custom.sessionEvents.filter((e) => e.kind === 'dose-plan');
    for (const e of plans) {
      const pump = (e.payload as { pump: { vialMgPerMl?: number } | null }).pump;
      if (pump) expect(JSON.stringify(pump)).toContain('"vialMgPerMl":10');
    }
    // Every post-dose reading above the clinic's SBP hold has a decision for that alert.
    const decided = new Set(
      custom.sessionEvents
        .filter((e) => e.kind === 'alert-decision')
        .map(
          (e) =>
            `${(e.payload as { vitalsEventId: string }).vitalsEventId}|${(e.payload as { alertId: string }).alertId}`,
        ),
    );
    const above = custom.sessionEvents.filter(
      (e) => e.kind === 'vitals' && e.timeMin! > 0 && (e.payload as { sbpMmHg: number }).sbpMmHg > sbpHold,
    );
    expect(above.length).toBeGreaterThan(10);
    for (const e of above) expect(decided.has(`${e.id}|VIT-SBP-HOLD`)).toBe(true);
    // No pre-dose reading reaches the hold (such a patient would not be dosed).
    for (const e of custom.sessionEvents) {
      if (e.kind === 'vitals' && e.timeMin === 0) {
        expect((e.payload as { sbpMmHg: number }).sbpMmHg).toBeLessThanOrEqual(sbpHold);
      }
    }
    expect(clinicThresholds(settings, 'esketamine').holdSbpAboveMmHg.value).toBe(sbpHold);
  });

  it('marks most REMS forms submitted within 7 days, a few late or outstanding', () => {
    const sessions = new Map(rows.treatmentSessions.map((s) => [s.id!, s]));
    const esk = new Set(rows.courses.filter((c) => c.modality === 'esketamine').map((c) => c.id!));
    const discharged = rows.sessionEvents.filter(
      (e) => e.kind === 'discharge' && esk.has(sessions.get(e.sessionId)!.courseId),
    );
    const submitted = new Map(
      rows.sessionEvents
        .filter((e) => e.kind === 'rems-submitted')
        .map((e) => [e.sessionId, (e.payload as { submittedOn: string }).submittedOn]),
    );
    expect(discharged.length).toBeGreaterThan(20);
    const overdue = overdueRemsForms(
      discharged.map((e) => {
        const date = sessions.get(e.sessionId)!.date;
        const on = submitted.get(e.sessionId);
        return { sessionId: e.sessionId, sessionDate: date, ...(on ? { submittedOn: on } : {}) };
      }),
      '2026-11-26',
    );
    expect(overdue.length).toBeLessThanOrEqual(discharged.length * 0.1);
    expect(submitted.size).toBeGreaterThan(discharged.length * 0.8);
  });

  it('has demo staff: 2–3 prescribers and 2–3 nurses at example.org, courses created by prescribers', () => {
    const staff = demoStaff(clinicId, 7);
    const prescribers = staff.filter((s) => s.role === 'prescriber');
    const nurses = staff.filter((s) => s.role === 'nurse');
    expect(prescribers.length).toBeGreaterThanOrEqual(2);
    expect(prescribers.length).toBeLessThanOrEqual(3);
    expect(nurses.length).toBeGreaterThanOrEqual(2);
    expect(nurses.length).toBeLessThanOrEqual(3);
    for (const s of staff) expect(s.email).toMatch(/@demo\.example\.org$/);
    const prescriberIds = new Set(prescribers.map((s) => s.id));
    for (const c of rows.courses) expect(prescriberIds.has(c.createdBy)).toBe(true);
    expect(new Set(rows.courses.map((c) => c.createdBy)).size).toBeGreaterThanOrEqual(2);
  });

  it('keeps references inside the generated rows and nothing in the future', () => {
    const patientIds = new Set(rows.patients.map((p) => p.id));
    const courseIds = new Set(rows.courses.map((c) => c.id));
    const sessionIds = new Set(rows.treatmentSessions.map((s) => s.id));
    const responseIds = new Set(rows.assessmentResponses.map((r) => r.id));
    const patientCreated = new Map(rows.patients.map((p) => [p.id!, p.createdAt!.getTime()]));
    const firstSession = new Map<string, string>();
    for (const s of rows.treatmentSessions) if (s.sequence === 1) firstSession.set(s.courseId, s.date);
    for (const c of rows.courses) {
      expect(patientIds.has(c.patientId)).toBe(true);
      // A course is created after its patient and no later than its first session's day.
      expect(c.createdAt!.getTime()).toBeGreaterThanOrEqual(patientCreated.get(c.patientId)!);
      expect(c.createdAt!.toISOString().slice(0, 10) <= firstSession.get(c.id!)!).toBe(true);
    }
    for (const s of rows.treatmentSessions) expect(courseIds.has(s.courseId)).toBe(true);
    for (const e of rows.sessionEvents) {
      expect(sessionIds.has(e.sessionId)).toBe(true);
      expect(e.recordedAt.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    for (const r of rows.assessmentResponses) {
      expect(r.createdAt!.getTime()).toBeLessThanOrEqual(now.getTime());
      if (r.sessionId) expect(sessionIds.has(r.sessionId)).toBe(true);
    }
    for (const a of rows.assessmentItemAnswers) expect(responseIds.has(a.responseId)).toBe(true);
    for (const a of rows.alerts) expect(responseIds.has(a.responseId)).toBe(true);
    // Sessions this week (Monday 2026-11-23 to Sunday 2026-11-29), for the dashboard's header.
    expect(
      rows.treatmentSessions.filter((s) => s.date >= '2026-11-23' && s.date <= '2026-11-29').length,
    ).toBeGreaterThan(0);
    // Some sessions are still ahead (courses in progress), and those have no events.
    const dosed = new Set(rows.sessionEvents.map((e) => e.sessionId));
    const future = rows.treatmentSessions.filter((s) => s.date > '2026-11-27');
    expect(future.length).toBeGreaterThan(0);
    for (const s of future) expect(dosed.has(s.id!)).toBe(false);
  });

  it('gives every session event a payload that passes the zod schema of its HTTP route', () => {
    const sessions = new Map(rows.treatmentSessions.map((s) => [s.id!, s]));
    const modality = new Map(rows.courses.map((c) => [c.id!, c.modality as Modality]));
    const vitals = new Map(rows.sessionEvents.filter((e) => e.kind === 'vitals').map((e) => [e.id!, e]));
    const byKind = (kind: string) =>
      new Map(rows.sessionEvents.filter((e) => e.kind === kind).map((e) => [e.id!, e]));
    const orders = byKind('order-signed');
    const plans = byKind('dose-plan');
    const prescribers = new Set(
      demoStaff(clinicId, 7)
        .filter((m) => m.role === 'prescriber')
        .map((m) => m.id),
    );
    const kinds = new Set<string>();
    for (const e of rows.sessionEvents) {
      kinds.add(e.kind);
      const p = e.payload as Record<string, unknown>;
      const session = sessions.get(e.sessionId)!;
      switch (e.kind) {
        case 'check-in':
          expect(p).toEqual({ note: null });
          checkInSchema.parse({});
          break;
        case 'dosing-start': {
          // Dosed against the session's signed order (the order-signed event of the same session).
          const order = orders.get(p.orderEventId as string);
          expect(order?.sessionId).toBe(e.sessionId);
          expect(order!.recordedAt.getTime()).toBeLessThan(e.recordedAt.getTime());
          expect(p.note).toBeNull();
          dosingStartSchema.parse({});
          break;
        }
        case 'order-signed': {
          // Signed by a prescriber, as the sign-order route stores it.
          expect(prescribers.has(e.recordedBy)).toBe(true);
          const order = orderPayloadSchema.strict().parse(p);
          signOrderSchema.parse({
            ...(order.doseMgPerKg !== null ? { doseMgPerKg: order.doseMgPerKg } : { doseMg: order.doseMg }),
            ...(order.durationMin !== null ? { durationMin: order.durationMin } : {}),
            maxDoseMg: order.maxDoseMg,
            holdConditions: order.holdConditions,
            rescues: order.rescues,
          });
          expect(order.drug).toBe(
            modality.get(session.courseId) === 'esketamine' ? 'esketamine' : 'ketamine',
          );
          break;
        }
        case 'dose-verified': {
          // Someone other than the recording nurse checked the plan in force.
          expect(p.verifierUserId).not.toBe(e.recordedBy);
          expect(plans.get(p.planEventId as string)?.sessionId).toBe(e.sessionId);
          break;
        }
        case 'rescue-given': {
          rescueGivenSchema.parse({
            drug: p.drug,
            doseMg: p.doseMg,
            route: p.route,
            reason: p.reason,
            atMin: e.timeMin,
          });
          expect(p.deviationReason).toBeNull();
          expect(orders.get(p.orderEventId as string)?.sessionId).toBe(e.sessionId);
          expect(p.drug).toBe('ondansetron');
          break;
        }
        case 'vitals':
          expect(vitalsEntrySchema.parse({ ...p, timeMin: e.timeMin })).toEqual({ ...p, timeMin: e.timeMin });
          break;
        case 'checklist': {
          expect(checklistSubmitSchema.strict().parse(p.input)).toEqual(p.input);
          expect((p.result as { overall: string }).overall).not.toBe('blocked');
          break;
        }
        case 'dose-plan': {
          const body = {
            lotNumber: p.lotNumber,
            ...(p.modality === 'esketamine' && session.fixedDoseMg === null ? { doseMg: p.doseMg } : {}),
          };
          dosePlanSubmitSchema.parse(body);
          expect(p.modality).toBe(modality.get(session.courseId));
          if (p.modality === 'iv-ketamine') {
            // 0.5 mg/kg of the patient's weight of the day (the pump program's dose).
            expect(p.doseMgPerKg).toBe(0.5);
            expect(p.doseMg as number).toBeCloseTo((p.weightKg as number) * 0.5, 6);
          } else {
            expect([56, 84]).toContain(p.doseMg);
          }
          break;
        }
        case 'alert-decision': {
          alertDecisionSubmitSchema.parse(p);
          const reading = vitals.get(p.vitalsEventId as string)!;
          expect(reading.sessionId).toBe(e.sessionId);
          const alerts = evaluateVitals(
            { ...(reading.payload as object), timeMin: reading.timeMin },
            defaultVitalsThresholds(modality.get(session.courseId)!),
          );
          expect(alerts.some((a) => a.id === p.alertId && a.requiresDecision)).toBe(true);
          break;
        }
        case 'moaas': {
          observationSchema.parse({ kind: 'moaas', timeMin: e.timeMin, score: p.score });
          break;
        }
        case 'dosing-action': {
          // IV only (esketamine has no infusion to pause); the entry the route stores.
          dosingActionSubmitSchema.parse({ action: p.action, atMin: e.timeMin, note: p.note });
          expect(modality.get(session.courseId)).toBe('iv-ketamine');
          break;
        }
        case 'adverse-event': {
          expect(adverseEventSubmitSchema.parse(p)).toEqual(p);
          adverseEventSchema.parse(p);
          expect(p.timeMin).toBe(e.timeMin);
          break;
        }
        case 'discharge': {
          expect(dischargeSubmitSchema.strict().parse(p.answers)).toEqual(p.answers);
          expect((p.result as { allowed: boolean }).allowed).toBe(true);
          expect(p.atMin).toBe(e.timeMin);
          break;
        }
        case 'rems-submitted': {
          // POST …/rems/submitted stores its body; esketamine only, on or after the session's day.
          expect(remsSubmittedSchema.strict().parse(p)).toEqual(p);
          expect(modality.get(session.courseId)).toBe('esketamine');
          expect((p.submittedOn as string) >= session.date).toBe(true);
          expect(e.timeMin).toBeNull();
          break;
        }
        default:
          throw new Error(`unexpected event kind ${e.kind}`);
      }
    }
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'check-in',
        'checklist',
        'discharge',
        'dose-plan',
        'dose-verified',
        'dosing-start',
        'order-signed',
        'rems-submitted',
        'rescue-given',
        'vitals',
      ]),
    );
  });

  it('screens every patient: each course and each check-in has a current eligible or approved screening', () => {
    const local = (d: Date) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/New_York',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(d);
    const validDays = DEFAULT_SESSION_SETTINGS.screening.validDays;
    const screeningsOf = (patientId: string) =>
      rows.eligibilityScreenings
        .filter((x) => x.patientId === patientId)
        .sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
    const gate = (patientId: string, modality: Modality, at: Date) =>
      currentScreening({
        modality,
        onDate: local(at),
        // Only screenings recorded before the act count.
        screenings: screeningsOf(patientId)
          .filter((x) => x.createdAt!.getTime() <= at.getTime())
          .map((x) => ({
            id: x.id!,
            modality: x.modality as Modality,
            status: x.status as 'eligible' | 'needs-review',
            screenedOn: local(x.createdAt!),
            signOff: (() => {
              const so = rows.eligibilitySignOffs.find((o) => o.screeningId === x.id);
              return so && so.signedAt!.getTime() <= at.getTime()
                ? { decision: so.decision as 'approve' }
                : null;
            })(),
          })),
        validDays,
      });
    expect(rows.eligibilityScreenings.length).toBeGreaterThanOrEqual(
      new Set(rows.courses.map((c) => c.patientId)).size,
    );
    for (const x of rows.eligibilityScreenings) {
      expect(intakeAnswersSchema.safeParse(x.answers).success).toBe(true);
      expect(x.status).not.toBe('not-eligible');
    }
    for (const c of rows.courses) {
      const g = gate(c.patientId, c.modality as Modality, c.createdAt!);
      expect(g.ok, g.message).toBe(true);
    }
    const sessionById = new Map(rows.treatmentSessions.map((t) => [t.id!, t]));
    const courseById = new Map(rows.courses.map((c) => [c.id!, c]));
    let checkIns = 0;
    for (const e of rows.sessionEvents.filter((x) => x.kind === 'check-in')) {
      const course = courseById.get(sessionById.get(e.sessionId)!.courseId)!;
      const g = gate(course.patientId, course.modality as Modality, e.recordedAt!);
      expect(g.ok, g.message).toBe(true);
      checkIns++;
    }
    expect(checkIns).toBeGreaterThan(0);
    // Each stored checklist had its PHQ-9 and C-SSRS screener on record that day.
    const responsesOn = new Set(
      rows.assessmentResponses
        .filter((r) => r.context === 'pre-session')
        .map((r) => `${r.sessionId}|${r.instrument}`),
    );
    for (const e of rows.sessionEvents.filter((x) => x.kind === 'checklist')) {
      expect(responsesOn.has(`${e.sessionId}|phq9`)).toBe(true);
      expect(responsesOn.has(`${e.sessionId}|cssrs-screener`)).toBe(true);
    }
  });

  it('stores the totals the clinical scorer gives for the stored items (0–3 integers)', () => {
    const items = new Map<string, Record<string, number | null>>();
    const cssrs = new Set(
      rows.assessmentResponses.filter((r) => r.instrument === 'cssrs-screener').map((r) => r.id!),
    );
    for (const a of rows.assessmentItemAnswers) {
      // Only the C-SSRS screener's skip logic leaves an item unanswered (stored as null).
      if (a.value === null || a.value === undefined) expect(cssrs.has(a.responseId)).toBe(true);
      else {
        expect(Number.isInteger(a.value)).toBe(true);
        expect(a.value).toBeGreaterThanOrEqual(0);
        expect(a.value).toBeLessThanOrEqual(3);
      }
      const m = items.get(a.responseId) ?? {};
      m[a.itemId] = a.value ?? null;
      items.set(a.responseId, m);
    }
    let partial = 0;
    for (const r of rows.assessmentResponses) {
      expect(r.rootId).toBe(r.id);
      expect(r.version).toBe(1);
      expect(r.enteredBy).toBeTruthy();
      const answers = items.get(r.id!)!;
      if (r.partialItemIds) {
        partial++;
        expect(r.partialItemIds).toEqual(['9']);
        expect(Object.keys(answers)).toEqual(['9']);
        expect(r.totalScore).toBeNull();
        expect(r.suicidality).toBe(answers['9']! >= 1);
        continue;
      }
      const score = scoreInstrument(r.instrument, answers);
      expect(r.totalScore).toBe(score.total);
      expect(r.severity).toBe(score.severity ?? null);
      expect(r.flags).toEqual(score.flags);
      expect(r.suicidality).toBe(score.flags.includes('suicidality'));
      const def = getInstrument(r.instrument);
      expect(Object.keys(answers).length).toBe(def.items.length);
    }
    expect(partial).toBeGreaterThan(0);
    const positive = rows.assessmentResponses.filter((r) => r.suicidality).length;
    expect(rows.alerts.length).toBe(positive);
  });
});

/** Every session in one of the clinic's rooms, within its opening hours, for its chair time; no overlaps. */
function expectInSettings(rows: DemoRows, settings: SessionSettings) {
  expect(overlaps(rows)).toEqual([]);
  const modality = new Map(rows.courses.map((c) => [c.id!, c.modality as Modality]));
  for (const s of rows.treatmentSessions) {
    expect(settings.rooms).toContain(s.roomId);
    const open = settings.clinicHours[new Date(`${s.date}T12:00:00Z`).getUTCDay()]!;
    expect(open.some((h) => s.startMin! >= h.openMin && s.endMin! <= h.closeMin)).toBe(true);
    expect(s.endMin! - s.startMin!).toBe(settings.sessionDurationMin[modality.get(s.courseId)!]);
  }
}

/**
 * The dashboard's pure pipeline over generated rows (as src/server/routes/outcomes.ts runs it), up to
 * the course outcomes that summariseOutcomes takes. Every map is keyed by patient, session or response,
 * all of which belong to one patient, so rows generated patient by patient in batches give the same
 * outcomes, in the same order, as the rows of all patients at once.
 */
function courseOutcomes(rows: DemoRows): CourseOutcome[] {
  const sessions = new Map(rows.treatmentSessions.map((s) => [s.id!, s]));
  const dosed = new Map<string, { courseId: string; phaseId: string; at: Date }[]>();
  for (const e of rows.sessionEvents) {
    if (e.kind !== 'dosing-start') continue;
    const s = sessions.get(e.sessionId)!;
    const list = dosed.get(s.patientId) ?? [];
    list.push({ courseId: s.courseId, phaseId: s.phaseId, at: e.recordedAt });
    dosed.set(s.patientId, list);
  }
  const items = new Map<string, Record<string, number>>();
  for (const a of rows.assessmentItemAnswers) {
    const m = items.get(a.responseId) ?? {};
    if (typeof a.value === 'number') m[a.itemId] = a.value;
    items.set(a.responseId, m);
  }
  const phq9 = new Map<string, { at: Date; score: number; items: Record<string, number> }[]>();
  for (const r of rows.assessmentResponses) {
    if (r.instrument !== 'phq9' || typeof r.totalScore !== 'number') continue;
    const list = phq9.get(r.patientId) ?? [];
    list.push({ at: r.administeredAt, score: r.totalScore, items: items.get(r.id!) ?? {} });
    phq9.set(r.patientId, list);
  }
  const outcomes: CourseOutcome[] = [];
  for (const c of rows.courses) {
    const input = courseInputFromSessions({
      courseId: c.id!,
      instrument: 'phq9',
      patientSessions: dosed.get(c.patientId) ?? [],
      assessments: phq9.get(c.patientId) ?? [],
      now,
    });
    if (input) outcomes.push(courseOutcome(input));
  }
  return outcomes;
}

describe('demo trajectories (3,000 patients, no database)', () => {
  it('land the dashboard near the published real-world figures', { timeout: 120_000 }, () => {
    // Rooms enough for 3,000 patients in a year (two rooms would spread them over years).
    const settings = {
      ...DEFAULT_SESSION_SETTINGS,
      rooms: Array.from({ length: 40 }, (_, i) => `Room ${i + 1}`),
    };
    expect(demoHistoryDays(settings, 3000)).toBe(365);
    // The same 3,000 patients as one generatePatients(…, 0, 3000) call (batches sharing the clinic's
    // bookings equal the whole run: see the determinism test), each batch reduced and then dropped:
    // holding all rows at once (~700,000 item answers) cost a quarter of the test in garbage collection.
    const all = spec(20261126, 'UTC', settings);
    const bookings = new DemoBookings(settings);
    const outcomes: CourseOutcome[] = [];
    let dosed = 0;
    let hypertension = 0;
    for (let from = 0; from < 3000; from += 250) {
      const rows = generatePatients(all, from, from + 250, bookings);
      outcomes.push(...courseOutcomes(rows));
      dosed += rows.sessionEvents.filter((e) => e.kind === 'dosing-start').length;
      // Sessions with a hypertension event (a session's events all come in its patient's batch).
      hypertension += new Set(
        rows.sessionEvents
          .filter(
            (e) =>
              e.kind === 'adverse-event' && (e.payload as { category: string }).category === 'hypertension',
          )
          .map((e) => e.sessionId),
      ).size;
    }
    const s = summariseOutcomes(outcomes);
    expect(s.evaluable).toBeGreaterThan(1500);
    // ORKA-1 (McInnes 2022): response 53.6 %, remission 28.9 % (±4 points).
    expect(s.response.proportion!).toBeGreaterThan(0.496);
    expect(s.response.proportion!).toBeLessThan(0.576);
    expect(s.remission.proportion!).toBeGreaterThan(0.249);
    expect(s.remission.proportion!).toBeLessThan(0.329);
    // Durability without maintenance ≈80 % at 4 weeks, ≈60 % at 8 weeks.
    expect(s.durabilityAt.days28.survival).toBeGreaterThan(0.72);
    expect(s.durabilityAt.days28.survival).toBeLessThan(0.88);
    expect(s.durabilityAt.days56.survival).toBeGreaterThan(0.5);
    expect(s.durabilityAt.days56.survival).toBeLessThan(0.7);
    // SI decreased in 73 % of those with baseline SI (±10 points), increased in few (6 %).
    expect(s.suicidalityDecreased.proportion!).toBeGreaterThan(0.63);
    expect(s.suicidalityDecreased.proportion!).toBeLessThan(0.83);
    expect(s.suicidalityIncreased.proportion!).toBeLessThan(0.12);
    expect(s.rapidResponse24h.total).toBeGreaterThan(0);
    expect(s.rapidResponse4h.total).toBeGreaterThan(0);
    // Severe hypertension in 0.98 % of sessions (Yale review).
    expect(hypertension / dosed).toBeGreaterThan(0.003);
    expect(hypertension / dosed).toBeLessThan(0.02);
  });
});

describe('demo room capacity', () => {
  it('keeps the default settings for a small network clinic and sizes rooms for a large one', () => {
    expect(demoClinicSettings(DEFAULT_SESSION_SETTINGS, 60)).toBe(DEFAULT_SESSION_SETTINGS);
    const big = demoClinicSettings(DEFAULT_SESSION_SETTINGS, 5000);
    expect(big.rooms.length).toBeGreaterThan(2);
    expect(big.rooms.length).toBeLessThanOrEqual(50);
    expect(sessionsPerYear(big)).toBeGreaterThanOrEqual(5000 * 10);
    // Beyond 50 rooms the patients are spread over more years instead of overbooking.
    const huge = demoClinicSettings(DEFAULT_SESSION_SETTINGS, 40_000);
    expect(huge.rooms).toHaveLength(50);
    expect(demoHistoryDays(huge, 40_000)).toBeGreaterThan(365);
    expect(demoHistoryDays(DEFAULT_SESSION_SETTINGS, 60)).toBe(365);
  });
});

describe('networkSizes', () => {
  it('spreads patients over clinics with the largest near 40 % and none empty', () => {
    const sizes = networkSizes(100_000, 10);
    expect(sizes.reduce((a, b) => a + b)).toBe(100_000);
    expect(sizes[0]! / 100_000).toBeGreaterThan(0.38);
    expect(sizes[0]! / 100_000).toBeLessThan(0.42);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(networkSizes(5, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(networkSizes(60, 1)).toEqual([60]);
    expect(networkSizes(3, 2).reduce((a, b) => a + b)).toBe(3);
  });
});
