import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  parseSessionEvent,
  parseSessionEvents,
  SESSION_EVENT_KINDS,
  type NewSessionEvent,
  type SessionEvent,
} from './events';
import {
  applySessionEvent,
  foldSessionFrom,
  decisionOn,
  EMPTY_SESSION_RECORD,
  foldSession,
  minutesSinceDosingStart,
  sessionPhase,
} from './fold';
import { sessionState } from './state';
import { CURVE_MAX_WINDOW_MIN, CURVE_MIN_WINDOW_MIN, curveWindowMin } from './project';
import { checkIn, eskPlan, ivPlan, recorded, SETTINGS, start, T0, vitals } from './test-fixtures';
import { defaultVitalsThresholds, sessionVitalsEvaluator } from '../protocols';
import type { SessionSettingsInput } from './rules';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);

describe('parseSessionEvent', () => {
  it('types a stored row by its kind and fills defaults of older rows', () => {
    const e = parseSessionEvent({
      id: 'a',
      kind: 'alert-decision',
      timeMin: 30,
      payload: { vitalsEventId: 'v', alertId: 'VIT-SBP-HOLD', decision: 'continue' },
      recordedBy: 'u',
      recordedAt: T0,
    });
    expect(e?.kind).toBe('alert-decision');
    if (e?.kind === 'alert-decision') expect(e.payload).toMatchObject({ alertIds: [], note: null });
  });

  it('lists rows it cannot read instead of dropping or throwing', () => {
    const rows = [
      { id: 'ok', kind: 'check-in', timeMin: null, payload: { note: null }, recordedBy: 'u', recordedAt: T0 },
      {
        id: 'bad',
        kind: 'vitals',
        timeMin: 1,
        payload: { sbpMmHg: 'high' },
        recordedBy: 'u',
        recordedAt: T0,
      },
      { id: 'unknown', kind: 'teleport', timeMin: 1, payload: {}, recordedBy: 'u', recordedAt: T0 },
    ];
    const { events, unreadable } = parseSessionEvents(rows);
    expect(events.map((e) => e.id)).toEqual(['ok']);
    expect(unreadable).toEqual(['bad', 'unknown']);
  });

  it('knows every kind the store allows', () => {
    expect(SESSION_EVENT_KINDS).toContain('rems-submitted');
    expect(SESSION_EVENT_KINDS).toContain('dosing-action');
  });
});

describe('foldSession', () => {
  it('keeps the first check-in, dosing start and discharge, and the latest plan and checklist', () => {
    const first = recorded(ivPlan(40), -10);
    const second = recorded(ivPlan(48), -5);
    const s1 = recorded(start, 0);
    const s2 = recorded(start, 1);
    const r = foldSession([recorded(checkIn, -30), recorded(checkIn, -29), first, second, s1, s2]);
    expect(r.dosePlan?.id).toBe(second.id);
    expect(r.dosingStart?.id).toBe(s1.id);
    expect(sessionPhase(r)).toBe('dosing');
  });

  it('moves through the phases in order', () => {
    const evs: NewSessionEvent[] = [checkIn, ivPlan(), start];
    const phases = [sessionPhase(EMPTY_SESSION_RECORD)];
    let r = EMPTY_SESSION_RECORD;
    for (const e of evs) {
      r = applySessionEvent(r, recorded(e));
      phases.push(sessionPhase(r));
    }
    expect(phases).toEqual(['scheduled', 'checked-in', 'dose-planned', 'dosing']);
  });

  it('counts minutes from the dosing start', () => {
    const r = foldSession([recorded(start, 0)]);
    expect(minutesSinceDosingStart(r, at(12.345))).toBe(12.3);
    expect(minutesSinceDosingStart(foldSession([]), at(5))).toBeNull();
  });

  it('the latest decision on an entry is the one that counts', () => {
    const v = recorded(vitals(30, { sbpMmHg: 190, dbpMmHg: 90 }), 30);
    const d = (decision: 'continue' | 'stop', m: number) =>
      recorded(
        {
          kind: 'alert-decision',
          timeMin: 30,
          payload: { vitalsEventId: v.id, alertId: 'x', alertIds: [], decision, note: null },
        },
        m,
      );
    const r = foldSession([v, d('continue', 31), d('stop', 32)]);
    expect(decisionOn(r, v.id)?.payload.decision).toBe('stop');
    expect(decisionOn(r, 'other')).toBeNull();
  });

  it('property: folding is the same as applying one event at a time, and lists keep every entry', () => {
    const kinds = fc.constantFrom<NewSessionEvent>(
      checkIn,
      ivPlan(),
      start,
      vitals(10, { heartRateBpm: 80 }),
      { kind: 'moaas', timeMin: 5, payload: { score: 4, scoreMax: 5, unverified: [] } },
      { kind: 'rems-submitted', timeMin: null, payload: { submittedOn: '2026-12-02' } },
    );
    fc.assert(
      fc.property(fc.array(kinds, { maxLength: 30 }), (list) => {
        const events: SessionEvent[] = list.map((e, i) => recorded(e, i));
        const r = foldSession(events);
        let step = EMPTY_SESSION_RECORD;
        for (const e of events) step = applySessionEvent(step, e);
        expect(r).toEqual(step);
        expect(r.vitals.length).toBe(events.filter((e) => e.kind === 'vitals').length);
        expect(r.observations.length).toBe(events.filter((e) => e.kind === 'moaas').length);
        // A prefix never has a later phase than the whole.
        const order = ['scheduled', 'checked-in', 'checklist-done', 'dose-planned', 'dosing', 'discharged'];
        const half = foldSession(events.slice(0, Math.floor(events.length / 2)));
        expect(order.indexOf(sessionPhase(half))).toBeLessThanOrEqual(order.indexOf(sessionPhase(r)));
      }),
    );
  });

  it('property: folding new events onto an earlier record equals folding them all, and leaves it as it was', () => {
    const kinds = fc.constantFrom<NewSessionEvent>(
      checkIn,
      ivPlan(),
      start,
      vitals(10, { heartRateBpm: 80 }),
      { kind: 'moaas', timeMin: 5, payload: { score: 4, scoreMax: 5, unverified: [] } },
      {
        kind: 'dosing-action',
        timeMin: 12,
        payload: { action: 'pause', note: null, amountGivenMg: 10, runningMin: 12 },
      },
      { kind: 'rems-submitted', timeMin: null, payload: { submittedOn: '2026-12-02' } },
    );
    fc.assert(
      fc.property(fc.array(kinds, { maxLength: 30 }), fc.nat(), (list, cut) => {
        const events: SessionEvent[] = list.map((e, i) => recorded(e, i));
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const earlier = foldSession(events.slice(0, k));
        const snapshot = structuredClone(earlier);
        expect(foldSessionFrom(earlier, events.slice(k))).toEqual(foldSession(events));
        expect(earlier).toEqual(snapshot);
      }),
    );
  });
});

describe('sessionState', () => {
  it('property: judging the same events again (remembered) or other thresholds gives what a fresh judgement does', () => {
    const reading = fc.record({
      timeMin: fc.integer({ min: -20, max: 90 }),
      sbpMmHg: fc.integer({ min: 60, max: 220 }),
      dbpMmHg: fc.integer({ min: 40, max: 130 }),
      spo2Pct: fc.integer({ min: 80, max: 100 }),
    });
    const defaults = defaultVitalsThresholds('iv-ketamine');
    const stricter: SessionSettingsInput = {
      ...SETTINGS,
      thresholds: {
        ...SETTINGS.thresholds,
        'iv-ketamine': { ...defaults, spo2BelowPct: { ...defaults.spo2BelowPct, value: 95 } },
      },
    };
    fc.assert(
      fc.property(
        fc.array(reading, { maxLength: 12 }),
        fc.array(reading, { maxLength: 4 }),
        (first, more) => {
          const toEvents = (rs: typeof first, from: number) =>
            rs.map(({ timeMin, ...v }, i) => recorded(vitals(timeMin, v), from + i));
          const base = [recorded(ivPlan(), -5), recorded(start, 0), ...toEvents(first, 1)];
          const events = [...base, ...toEvents(more, 100)];
          const fresh = (settings: SessionSettingsInput) =>
            sessionState(foldSession(structuredClone(events)), 'iv-ketamine', settings, at(95));
          sessionState(foldSession(base), 'iv-ketamine', SETTINGS, at(95));
          const record = foldSession(events);
          // The same event objects judged again: earlier readings' baseline may have moved.
          expect(sessionState(record, 'iv-ketamine', SETTINGS, at(95))).toEqual(fresh(SETTINGS));
          expect(sessionState(record, 'iv-ketamine', stricter, at(95))).toEqual(fresh(stricter));
          expect(sessionState(record, 'iv-ketamine', SETTINGS, at(95))).toEqual(fresh(SETTINGS));
          // Remembered judgements are shared by equal readings of any session: each is what the
          // evaluator of all the session's readings (which remembers nothing) gives.
          for (const settings of [SETTINGS, stricter]) {
            const s = sessionState(record, 'iv-ketamine', settings, at(95));
            const evaluate = sessionVitalsEvaluator(s.thresholds);
            expect(s.vitals.map((v) => v.alerts)).toEqual(
              evaluate(s.vitals.map((v) => ({ timeMin: v.timeMin, ...v.values }))),
            );
          }
        },
      ),
    );
  });

  it('judges each measure of a reading anew in every session, whatever equal readings were judged before', () => {
    const judgedAlerts = (v: Parameters<typeof vitals>[1]) => {
      const events = [recorded(ivPlan(), -5), recorded(start, 0), recorded(vitals(20, v), 20)];
      const s = sessionState(foldSession(events), 'iv-ketamine', SETTINGS, at(21));
      return s.vitals[0]!.alerts.map((a) => a.id);
    };
    const same = { sbpMmHg: 130, dbpMmHg: 80, heartRateBpm: 80, spo2Pct: 97 };
    expect(judgedAlerts(same)).toEqual([]);
    // Each differs from the reading judged above in one measure only.
    expect(judgedAlerts({ ...same, spo2Pct: 85 })).not.toEqual([]);
    expect(judgedAlerts({ ...same, heartRateBpm: 160 })).not.toEqual([]);
    expect(judgedAlerts({ ...same, dbpMmHg: 120 })).not.toEqual([]);
    expect(judgedAlerts({ ...same, sbpMmHg: 200 })).not.toEqual([]);
    expect(judgedAlerts(same)).toEqual([]);
  });

  it('raises a hold alert on a severe reading and lists it open until decided', () => {
    const base = recorded(vitals(0, { sbpMmHg: 120, dbpMmHg: 80 }), -10);
    const high = recorded(vitals(30, { sbpMmHg: 195, dbpMmHg: 105 }), 30);
    const events = [recorded(ivPlan(), -5), recorded(start, 0), base, high];
    const s = sessionState(foldSession(events), 'iv-ketamine', SETTINGS, at(31));
    expect(s.openAlerts).toHaveLength(1);
    expect(s.openAlerts[0]).toMatchObject({ entryId: high.id, source: 'vitals', timeMin: 30 });
    const decided = sessionState(
      foldSession([
        ...events,
        recorded(
          {
            kind: 'alert-decision',
            timeMin: 30,
            payload: {
              vitalsEventId: high.id,
              alertId: s.openAlerts[0]!.alertIds[0]!,
              alertIds: [],
              decision: 'continue',
              note: null,
            },
          },
          31,
        ),
      ]),
      'iv-ketamine',
      SETTINGS,
      at(32),
    );
    expect(decided.openAlerts).toEqual([]);
    expect(decided.vitals.find((v) => v.event.id === high.id)?.decision?.payload.decision).toBe('continue');
  });

  it('a serious adverse event needs a decision; a mild one does not', () => {
    const ae = (serious: boolean) =>
      recorded(
        {
          kind: 'adverse-event',
          timeMin: 12,
          payload: { category: 'nausea', severity: 'mild', actionTaken: 'observed', timeMin: 12, serious },
        },
        12,
      );
    const s = sessionState(
      foldSession([recorded(ivPlan()), recorded(start), ae(true), ae(false)]),
      'iv-ketamine',
      SETTINGS,
      at(13),
    );
    expect(s.openAlerts.map((o) => o.source)).toEqual(['adverse-event']);
  });

  it('IV: a pause stops the infusion clock; the earliest discharge follows the end of dosing', () => {
    const pause = recorded(
      {
        kind: 'dosing-action',
        timeMin: 10,
        payload: { action: 'pause', note: null, amountGivenMg: 10, runningMin: 10 },
      },
      10,
    );
    const s = sessionState(
      foldSession([
        recorded(vitals(0, { heartRateBpm: 70 }), -5),
        recorded(ivPlan(40, 40)),
        recorded(start),
        pause,
      ]),
      'iv-ketamine',
      SETTINGS,
      at(20),
    );
    expect(s.dosing).toMatchObject({ kind: 'infusion', state: 'paused', amountGivenMg: 10, runningMin: 10 });
    expect(s.dosing?.actions).toEqual(['resume', 'stop']);
    expect(s.nextVitals?.reason).toBe('paused');
  });

  it('esketamine: devices every 5 min; 120 min before discharge', () => {
    const s = sessionState(
      foldSession([recorded(eskPlan(3)), recorded(start)]),
      'esketamine',
      SETTINGS,
      at(6),
    );
    expect(s.dosing).toMatchObject({ kind: 'devices', devicesGiven: 2, devicesPlanned: 3, state: 'running' });
    expect(s.earliestDischargeMin).toBe(120);
    expect(s.dosing?.actions).toEqual(['stop']);
  });

  it('no dosing, no next vitals before dosing starts', () => {
    const s = sessionState(foldSession([recorded(checkIn)]), 'iv-ketamine', SETTINGS, at(0));
    expect(s).toMatchObject({ dosing: null, nextVitals: null, nowMin: null, phase: 'checked-in' });
  });
});

describe('curveWindowMin', () => {
  const discharged = (atMin: number) =>
    recorded({
      kind: 'discharge',
      timeMin: atMin,
      payload: {
        atMin,
        answers: {
          sedationResolved: true,
          dissociationResolved: true,
          respiratoryDepressionResolved: true,
          mentalStatusAtBaseline: true,
          clinicallyStable: true,
          escortPresent: true,
        },
        result: { allowed: true, message: 'ok', checks: [], missing: [], earliestDischargeMin: 100 },
      },
    });

  it('covers the session window: 3 h at least, 6 h at most, 30 min past discharge or now', () => {
    const open = foldSession([recorded(start)]);
    expect(curveWindowMin({ record: open, nowMin: 10 })).toBe(CURVE_MIN_WINDOW_MIN);
    expect(curveWindowMin({ record: open, nowMin: 200.2 })).toBe(231);
    expect(curveWindowMin({ record: open, nowMin: 80 * 24 * 60 })).toBe(CURVE_MAX_WINDOW_MIN);
    const closed = foldSession([recorded(start), discharged(250)]);
    expect(curveWindowMin({ record: closed, nowMin: 80 * 24 * 60 })).toBe(280);
  });

  it('property: always within [3 h, 6 h]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (nowMin) => {
        const w = curveWindowMin({ record: foldSession([recorded(start)]), nowMin });
        expect(w).toBeGreaterThanOrEqual(CURVE_MIN_WINDOW_MIN);
        expect(w).toBeLessThanOrEqual(CURVE_MAX_WINDOW_MIN);
      }),
    );
  });
});
