import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { bzdEquivalenceRequest, planTaperRequest, taperDecisionRequest } from './api';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return undefined;
}

describe('taper request schemas', () => {
  it('validates and plans', () => {
    const plan = planTaperRequest({
      drug: 'sertraline',
      startDoseMg: 100,
      mode: 'proportional',
      stepPct: 25,
      intervalDays: 28,
      startDate: '2026-01-05',
    });
    expect(plan.steps[1]!.doseMg).toBe(75);
  });

  it('names the bad field', () => {
    expect(
      fieldOf(() =>
        planTaperRequest({
          drug: 'sertraline',
          startDoseMg: 100,
          mode: 'proportional',
          stepPct: 25,
          intervalDays: 7,
          startDate: '2026-01-05',
        }),
      ),
    ).toBe('intervalDays');
    expect(fieldOf(() => bzdEquivalenceRequest({ meds: [{ drug: 'lorazepam', doseMgPerDay: -1 }] }))).toBe(
      'meds.0.doseMgPerDay',
    );
    expect(
      fieldOf(() =>
        taperDecisionRequest({
          history: [{ date: '2026-02-09', answers: { zaps: 1 }, tolerable: true }],
          today: '2026-02-10',
          lastChangeDate: '2026-02-02',
        }),
      ),
    ).toMatch(/^history\.0\.answers/);
  });

  it('suggests a decision and computes the equivalence flag', () => {
    const s = taperDecisionRequest({
      history: [{ date: '2026-02-09', answers: { shocks: 3 }, tolerable: true }],
      today: '2026-02-10',
      lastChangeDate: '2026-02-02',
    });
    expect(s.decision).toBe('step-back');
    expect(bzdEquivalenceRequest({ meds: [{ drug: 'clonazepam', doseMgPerDay: 0.5 }] }).level).toBe('above');
  });
});
