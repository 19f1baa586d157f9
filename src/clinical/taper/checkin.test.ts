import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import type { Severity, WithdrawalCheckIn } from './checkin';
import { CHECK_IN_ITEMS, recordTaperDecision, suggestTaperDecision } from './checkin';

const state = { today: '2026-02-10', lastChangeDate: '2026-02-02' };
const ci = (date: string, answers: Record<string, Severity>, tolerable = true): WithdrawalCheckIn => ({
  date,
  answers,
  tolerable,
});

describe('withdrawal check-in rules', () => {
  it('continues when no symptoms are reported in the last week (NICE 1.4.17)', () => {
    const s = suggestTaperDecision([ci('2026-02-09', {})], state);
    expect(s.decision).toBe('continue');
    expect(s.ruleId).toBe('nice-1.4.17-tolerable-continue');
  });

  it('holds without a check-in since the last change or within 7 days', () => {
    expect(suggestTaperDecision([], state).decision).toBe('hold');
    expect(suggestTaperDecision([ci('2026-02-01', {})], state).ruleId).toBe(
      'nice-1.4.17-check-before-reducing',
    );
    expect(suggestTaperDecision([ci('2026-02-02', {})], { ...state, today: '2026-02-10' }).decision).toBe(
      'hold',
    ); // 8 days old
  });

  it('steps back on a severe symptom or when not tolerable (NICE 1.4.22)', () => {
    expect(suggestTaperDecision([ci('2026-02-09', { shocks: 3 })], state).decision).toBe('step-back');
    const s = suggestTaperDecision([ci('2026-02-09', { sleep: 1 }, false)], state);
    expect(s.decision).toBe('step-back');
    expect(s.citation).toMatch(/NICE NG222 1\.4\.22/);
  });

  it('holds on moderate symptoms (ASAM slow or pause) and on worsening mild ones (NICE 1.4.21)', () => {
    expect(suggestTaperDecision([ci('2026-02-09', { dizziness: 2 })], state).ruleId).toBe(
      'asam-slow-or-pause',
    );
    const worse = suggestTaperDecision(
      [ci('2026-02-04', { sleep: 1 }), ci('2026-02-09', { sleep: 1, anxiety: 1 })],
      state,
    );
    expect(worse.decision).toBe('hold');
    expect(worse.ruleId).toBe('nice-1.4.21-not-improving');
    const better = suggestTaperDecision(
      [ci('2026-02-04', { sleep: 1, anxiety: 1 }), ci('2026-02-09', { sleep: 1 })],
      state,
    );
    expect(better.decision).toBe('continue');
  });

  it('any red-flag item means urgent review and no further reduction, whatever else is reported', () => {
    const red = CHECK_IN_ITEMS.filter((i) => i.redFlag).map((i) => i.id);
    expect(red).toEqual(expect.arrayContaining(['suicidal', 'seizure', 'confusion', 'perception']));
    fc.assert(
      fc.property(
        fc.constantFrom(...red),
        fc.constantFrom<Severity>(1, 2, 3),
        fc.dictionary(
          fc.constantFrom(...CHECK_IN_ITEMS.map((i) => i.id)),
          fc.constantFrom<Severity>(0, 1, 2, 3),
        ),
        fc.boolean(),
        (flag, sev, others, tolerable) => {
          const s = suggestTaperDecision([ci('2026-02-09', { ...others, [flag]: sev }, tolerable)], state);
          expect(s.urgentReview).toBe(true);
          expect(s.decision).not.toBe('continue');
        },
      ),
    );
  });

  it('never continues when the latest check-in has a moderate or severe item (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...CHECK_IN_ITEMS.map((i) => i.id)),
          fc.constantFrom<Severity>(0, 1, 2, 3),
        ),
        (answers) => {
          const s = suggestTaperDecision([ci('2026-02-09', answers)], state);
          if (Object.values(answers).some((v) => v >= 2)) expect(s.decision).not.toBe('continue');
        },
      ),
    );
  });

  it('ignores check-ins dated after today and rejects unknown items', () => {
    expect(
      suggestTaperDecision([ci('2026-02-09', {}), ci('2026-02-12', { shocks: 3 })], state).decision,
    ).toBe('continue');
    expect(() => suggestTaperDecision([ci('2026-02-09', { zaps: 1 } as never)], state)).toThrow(
      ClinicalInputError,
    );
  });

  it('records who decided and why; an override of the suggestion is marked', () => {
    const suggested = suggestTaperDecision([ci('2026-02-09', { dizziness: 2 })], state);
    const rec = recordTaperDecision({
      date: '2026-02-10',
      suggested,
      decision: 'continue',
      decidedBy: 'dr-a',
      reason: 'patient request, symptoms easing',
    });
    expect(rec.overridesSuggestion).toBe(true);
    expect(() =>
      recordTaperDecision({ date: '2026-02-10', suggested, decision: 'hold', decidedBy: ' ', reason: 'x' }),
    ).toThrow(/who/);
    expect(() =>
      recordTaperDecision({ date: '2026-02-10', suggested, decision: 'hold', decidedBy: 'dr-a', reason: '' }),
    ).toThrow(/reason/);
  });
});
