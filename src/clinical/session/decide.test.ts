import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import type { NewSessionEvent, SessionEvent } from './events';
import { foldSession } from './fold';
import {
  checkMaximumDose,
  decideAdverseEvent,
  decideAlertDecision,
  decideCheckIn,
  decideChecklist,
  decideDischarge,
  decideDosePlan,
  decideDosingAction,
  decideDosingStart,
  decideObservation,
  decideRemsSubmitted,
  decideVitals,
  SessionRefusal,
} from './decide';
import { esketamineDevices, esketamineDosingEndMin, esketamineRegimen } from './rules';
import { sessionState } from './state';
import { checkIn, eskPlan, ivOrder, ivPlan, recorded, SETTINGS, start, T0, vitals } from './test-fixtures';
import type { Modality } from '../protocols';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const stateOf = (
  events: (NewSessionEvent | SessionEvent)[],
  nowMin = 0,
  modality: Modality = 'iv-ketamine',
) =>
  sessionState(
    foldSession(events.map((e, i) => ('id' in e ? e : recorded(e, e.kind === 'dosing-start' ? 0 : -30 + i)))),
    modality,
    SETTINGS,
    at(nowMin),
  );
const refused = (fn: () => unknown, reason: 'conflict' | 'forbidden', field?: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionRefusal);
    expect((e as SessionRefusal).reason).toBe(reason);
    if (field) expect((e as SessionRefusal).field).toBe(field);
    return;
  }
  throw new Error('expected a refusal');
};
const invalid = (fn: () => unknown, field: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClinicalInputError);
    expect((e as ClinicalInputError).field).toBe(field);
    return;
  }
  throw new Error('expected a ClinicalInputError');
};

const checklistAnswers = {
  identityConfirmed: true,
  weightKg: 80,
  baselineSbpMmHg: 120,
  baselineDbpMmHg: 80,
  escortArranged: true,
  pregnancyTest: 'not-applicable' as const,
  interactionReviewDone: true,
};
const checklistFacts = {
  today: '2026-12-01',
  patient: { sexAtBirth: 'male', ageYears: 40 },
  weights: [],
  assessmentsLatest: { phq9: '2026-12-01', cssrs: '2026-12-01' },
};
const readyChecklist = (): NewSessionEvent => {
  const d = decideChecklist(stateOf([checkIn]), checklistAnswers, checklistFacts, SETTINGS);
  return d.events.find((e) => e.kind === 'checklist')!;
};

describe('check-in', () => {
  it('needs a current screening and happens once', () => {
    expect(decideCheckIn(stateOf([]), {}, { ok: true, message: '' }).events[0]!.kind).toBe('check-in');
    refused(
      () => decideCheckIn(stateOf([]), {}, { ok: false, message: 'no screening' }),
      'conflict',
      'screening',
    );
    refused(() => decideCheckIn(stateOf([checkIn]), {}, { ok: true, message: '' }), 'conflict', 'session');
  });
});

describe('checklist', () => {
  it('records a new weight once and the baseline as the pre-dose reading', () => {
    const d = decideChecklist(stateOf([checkIn]), checklistAnswers, checklistFacts, SETTINGS);
    expect(d.weightKgToRecord).toBe(80);
    expect(d.events.map((e) => e.kind)).toEqual(['vitals', 'checklist']);
    const again = decideChecklist(
      stateOf([checkIn, ...d.events]),
      checklistAnswers,
      { ...checklistFacts, weights: [{ weightKg: 80, measuredOn: '2026-12-01' }] },
      SETTINGS,
    );
    expect(again.weightKgToRecord).toBeNull();
    expect(again.events.map((e) => e.kind)).toEqual(['checklist']);
  });

  it('is refused before check-in and after dosing starts', () => {
    refused(() => decideChecklist(stateOf([]), checklistAnswers, checklistFacts, SETTINGS), 'conflict');
    refused(
      () => decideChecklist(stateOf([checkIn, ivPlan(), start]), checklistAnswers, checklistFacts, SETTINGS),
      'conflict',
    );
  });
});

describe('dose plan', () => {
  const ivFacts = {
    dose: { kind: 'weight-based' as const, doseMgPerKg: 0.5, infusionDurationMin: 40 },
    fixedDoseMg: null,
    today: '2026-12-01',
    latestWeight: { weightKg: 80, measuredOn: '2026-12-01' },
    mayChangeCourseDose: false,
  };
  const eskFacts = {
    ...ivFacts,
    dose: { kind: 'fixed-intranasal' as const, doseMgOptions: [56, 84] },
    latestWeight: null,
  };

  it('IV: mg/kg on today weight with the pump program', () => {
    const d = decideDosePlan(stateOf([checkIn, readyChecklist()]), {}, ivFacts, SETTINGS);
    expect(d.events[0]).toMatchObject({
      kind: 'dose-plan',
      payload: { doseMg: 40, doseMgPerKg: 0.5, dosingEndMin: 40 },
    });
  });

  it('IV: refuses without today weight, a nurse changing the dose, and a dose above the clinic maximum', () => {
    const s = stateOf([checkIn, readyChecklist()]);
    invalid(
      () =>
        decideDosePlan(
          s,
          {},
          { ...ivFacts, latestWeight: { weightKg: 80, measuredOn: '2026-11-30' } },
          SETTINGS,
        ),
      'weightKg',
    );
    refused(() => decideDosePlan(s, { doseMgPerKg: 0.75 }, ivFacts, SETTINGS), 'forbidden');
    invalid(
      () => decideDosePlan(s, { doseMgPerKg: 1.5 }, { ...ivFacts, mayChangeCourseDose: true }, SETTINGS),
      'doseMgPerKg',
    );
  });

  it('esketamine: whole devices among the options, the fixed day-1 dose wins', () => {
    const s = stateOf([checkIn, readyChecklist()], 0, 'esketamine');
    expect(decideDosePlan(s, { doseMg: 84 }, eskFacts, SETTINGS).events[0]).toMatchObject({
      payload: { devices: 3, dosingEndMin: 10, doseMg: 84 },
    });
    invalid(() => decideDosePlan(s, {}, eskFacts, SETTINGS), 'doseMg');
    invalid(() => decideDosePlan(s, { doseMg: 28 }, eskFacts, SETTINGS), 'doseMg');
    invalid(() => decideDosePlan(s, { doseMg: 84 }, { ...eskFacts, fixedDoseMg: 56 }, SETTINGS), 'doseMg');
  });

  it('is refused before the checklist and once dosing has started', () => {
    refused(() => decideDosePlan(stateOf([checkIn]), {}, ivFacts, SETTINGS), 'conflict');
    refused(
      () => decideDosePlan(stateOf([checkIn, readyChecklist(), ivPlan(), start]), {}, ivFacts, SETTINGS),
      'conflict',
    );
  });

  it('property: never a plan above the clinic maximum', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        (mgPerKg, max) => {
          if (mgPerKg > max) expect(() => checkMaximumDose(mgPerKg, max)).toThrow(ClinicalInputError);
          else expect(() => checkMaximumDose(mgPerKg, max)).not.toThrow();
        },
      ),
    );
  });

  it('property: esketamine devices are 28 mg each, 5 min apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (n) => {
        expect(esketamineDevices(n * 28)).toBe(n);
        expect(esketamineDevices(n * 28 + 1)).toBeNull();
        expect(esketamineDosingEndMin(n)).toBe((n - 1) * 5);
        expect(esketamineRegimen(n)).toHaveLength(n);
      }),
    );
  });
});

describe('dosing', () => {
  it('starts once, on a plan and a signed order, not on a blocked checklist', () => {
    refused(() => decideDosingStart(stateOf([checkIn, ivOrder()]), {}), 'conflict');
    refused(() => decideDosingStart(stateOf([checkIn, ivPlan()]), {}), 'conflict');
    expect(decideDosingStart(stateOf([checkIn, ivOrder(), ivPlan()]), {}).events[0]!.kind).toBe(
      'dosing-start',
    );
    refused(() => decideDosingStart(stateOf([checkIn, ivOrder(), ivPlan(), start]), {}), 'conflict');
  });

  it('IV: a pause records what was given; a second pause is refused by the replay', () => {
    const s = stateOf([ivPlan(40, 40), start], 10);
    const d = decideDosingAction(s, { action: 'pause' });
    expect(d.events[0]).toMatchObject({ kind: 'dosing-action', timeMin: 10, payload: { amountGivenMg: 10 } });
    const paused = stateOf([ivPlan(40, 40), start, recorded(d.events[0]!, 10)], 12);
    expect(() => decideDosingAction(paused, { action: 'pause' })).toThrow(ClinicalInputError);
  });

  it('esketamine: stop only, before the last device', () => {
    const s = stateOf([eskPlan(3), start], 6, 'esketamine');
    invalid(() => decideDosingAction(s, { action: 'pause' }), 'action');
    expect(decideDosingAction(s, { action: 'stop' }).events[0]).toMatchObject({
      payload: { amountGivenMg: 56 },
    });
    invalid(
      () => decideDosingAction(stateOf([eskPlan(2), start], 20, 'esketamine'), { action: 'stop' }),
      'action',
    );
  });
});

describe('vitals', () => {
  it('before dosing a reading is pre-dose; after, never in the future', () => {
    expect(decideVitals(stateOf([]), { heartRateBpm: 70 }).events[0]!.timeMin).toBe(0);
    invalid(() => decideVitals(stateOf([]), { timeMin: 5, heartRateBpm: 70 }), 'timeMin');
    invalid(() => decideVitals(stateOf([ivPlan(), start], 10), { timeMin: 11, heartRateBpm: 70 }), 'timeMin');
  });

  it('property: a default reading time is within (0, now] after dosing starts', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 600, noNaN: true }), (nowMin) => {
        const s = stateOf([ivPlan(), start], nowMin);
        const t = decideVitals(s, { heartRateBpm: 70 }).events[0]!.timeMin!;
        expect(t).toBeGreaterThan(0);
        expect(t).toBeLessThanOrEqual(Math.max(0.1, s.nowMin!));
      }),
    );
  });
});

describe('alert decisions', () => {
  const base = () => recorded(vitals(0, { sbpMmHg: 120, dbpMmHg: 80, heartRateBpm: 70 }), -10);
  it('IV pause acts on the infusion; a second decision is refused', () => {
    const high = recorded(vitals(10, { sbpMmHg: 195, dbpMmHg: 110 }), 10);
    const events = [recorded(ivPlan(40, 40), -5), recorded(start, 0), base(), high];
    const s = stateOf(events, 11);
    const d = decideAlertDecision(s, { vitalsEventId: high.id, decision: 'pause' });
    expect(d.events.map((e) => e.kind)).toEqual(['alert-decision', 'dosing-action']);
    const after = stateOf([...events, ...d.events.map((e) => recorded(e, 11))], 12);
    refused(
      () => decideAlertDecision(after, { vitalsEventId: high.id, decision: 'continue' }),
      'conflict',
      'alert',
    );
  });

  it('esketamine offers no pause; an unknown entry is refused', () => {
    const high = recorded(vitals(2, { sbpMmHg: 195, dbpMmHg: 110 }), 2);
    const s = stateOf([recorded(eskPlan(3), -5), recorded(start, 0), base(), high], 3, 'esketamine');
    invalid(() => decideAlertDecision(s, { vitalsEventId: high.id, decision: 'pause' }), 'decision');
    invalid(() => decideAlertDecision(s, { vitalsEventId: 'nope', decision: 'continue' }), 'vitalsEventId');
  });
});

describe('observations and adverse events', () => {
  it('MOAA/S defaults to now, rounded down', () => {
    expect(
      decideObservation(stateOf([ivPlan(), start], 7.8), { kind: 'moaas', score: 4 }).events[0]!.timeMin,
    ).toBe(7);
  });

  it('an "other" adverse event needs a description; an onset after the entry is refused', () => {
    const s = stateOf([ivPlan(), start], 20);
    const ae = {
      category: 'other' as const,
      severity: 'mild' as const,
      actionTaken: 'observed' as const,
      serious: false,
    };
    invalid(() => decideAdverseEvent(s, ae), 'description');
    invalid(() => decideAdverseEvent(s, { ...ae, category: 'nausea', onsetMin: 30 }), 'onsetMin');
    const d = decideAdverseEvent(s, { ...ae, category: 'respiratory-depression' });
    expect(d.details).toMatchObject({ needsDecision: true });
    expect(d.events[0]).toMatchObject({ timeMin: 20, payload: { timeMin: 20 } });
  });
});

describe('discharge', () => {
  const answers = {
    sedationResolved: true,
    dissociationResolved: true,
    respiratoryDepressionResolved: true,
    mentalStatusAtBaseline: true,
    clinicallyStable: true,
    escortPresent: true,
  };
  it('esketamine: refused before 120 min, naming the time field; never in the future', () => {
    const events = [
      recorded(eskPlan(2), -5),
      recorded(start, 0),
      recorded(vitals(0, { sbpMmHg: 120, dbpMmHg: 80 }), -10),
    ];
    invalid(() => decideDischarge(stateOf(events, 60, 'esketamine'), answers, SETTINGS), 'dischargeAtMin');
    invalid(
      () => decideDischarge(stateOf(events, 60, 'esketamine'), { ...answers, dischargeAtMin: 90 }, SETTINGS),
      'dischargeAtMin',
    );
  });

  it('is refused before dosing and after discharge', () => {
    refused(() => decideDischarge(stateOf([ivPlan()]), answers, SETTINGS), 'conflict');
  });
});

describe('REMS', () => {
  it('applies to esketamine only', () => {
    refused(() => decideRemsSubmitted(stateOf([]), { submittedOn: '2026-12-02' }), 'conflict');
    expect(
      decideRemsSubmitted(stateOf([], 0, 'esketamine'), { submittedOn: '2026-12-02' }).events,
    ).toHaveLength(1);
  });
});
