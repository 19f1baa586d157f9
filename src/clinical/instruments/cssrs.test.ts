import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { scoreInstrument } from './score';
import type { CssrsRisk } from './types';

/**
 * C-SSRS screener: answers Q1–Q6 then "within the past 3 months", null where the skip logic skips.
 * Expected risks derived by hand from the triage rules in reference instruments.md §1.7:
 * Q1–2 → low; Q3 → moderate; Q6 > 3 months ago → moderate; Q4/Q5 → high; Q6 within 3 months → high.
 */
const _ = null;

describe('C-SSRS screener risk (highest item endorsed, recency of behaviour)', () => {
  it.each<[(number | null)[], CssrsRisk, boolean]>([
    [[0, 0, _, _, _, 0, _], 'none', false],
    [[1, 0, _, _, _, 0, _], 'low', true],
    [[0, 1, 0, 0, 0, 0, _], 'low', true],
    [[1, 1, 0, 0, 0, 0, _], 'low', true],
    [[1, 1, 1, 0, 0, 0, _], 'moderate', true],
    [[1, 1, 1, 1, 0, 0, _], 'high', true],
    [[1, 1, 0, 0, 1, 0, _], 'high', true],
    [[0, 1, 0, 1, 0, 0, _], 'high', true],
    [[0, 0, _, _, _, 1, 0], 'moderate', true],
    [[0, 0, _, _, _, 1, 1], 'high', true],
    [[1, 1, 1, 0, 0, 1, 0], 'moderate', true],
    [[1, 0, _, _, _, 1, 1], 'high', true],
    [[0, 1, 0, 0, 0, 1, 0], 'moderate', true],
  ])('%j → %s', (answers, risk, suicidality) => {
    const r = scoreInstrument('cssrs-screener', answers);
    expect(r.risk).toBe(risk);
    expect(r.total).toBeNull();
    expect(r.severity).toBeUndefined();
    expect(r.flags.includes('suicidality')).toBe(suicidality);
  });

  const field = (answers: (number | null)[]) => {
    try {
      scoreInstrument('cssrs-screener', answers);
    } catch (err) {
      expect(err).toBeInstanceOf(ClinicalInputError);
      return (err as ClinicalInputError).field;
    }
    return 'no error';
  };

  it('enforces the skip logic, naming the item', () => {
    // Q2 no → Q3–Q5 must be skipped.
    expect(field([1, 0, 0, _, _, 0, _])).toBe('item q3');
    expect(field([1, 0, _, _, 1, 0, _])).toBe('item q5');
    // Q2 yes → Q3–Q5 must be answered.
    expect(field([1, 1, _, 0, 0, 0, _])).toBe('item q3');
    expect(field([1, 1, 0, 0, _, 0, _])).toBe('item q5');
    // Q6 yes → recency required; Q6 no → recency skipped.
    expect(field([0, 0, _, _, _, 1, _])).toBe('item q6-recent');
    expect(field([0, 0, _, _, _, 0, 1])).toBe('item q6-recent');
    // Q1, Q2 and Q6 are always asked.
    expect(field([_, 0, _, _, _, 0, _])).toBe('item q1');
    expect(field([0, _, _, _, _, 0, _])).toBe('item q2');
    expect(field([0, 0, _, _, _, _, _])).toBe('item q6');
    expect(field([0, 2, 0, 0, 0, 0, _])).toBe('item q2');
  });

  it('risk never falls when one more item is endorsed (property)', () => {
    const order: CssrsRisk[] = ['none', 'low', 'moderate', 'high'];
    const bit = fc.integer({ min: 0, max: 1 });
    const valid = fc
      .tuple(bit, bit, bit, bit, bit, bit, bit)
      .map(([q1, q2, q3, q4, q5, q6, rec]) => [
        q1,
        q2,
        q2 === 1 ? q3 : null,
        q2 === 1 ? q4 : null,
        q2 === 1 ? q5 : null,
        q6,
        q6 === 1 ? rec : null,
      ]);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 6 }), (answers, index) => {
        if (answers[index] !== 0) return;
        const raised = [...answers];
        raised[index] = 1;
        if (index === 1) [2, 3, 4].forEach((i) => (raised[i] = 0)); // Q2 yes opens Q3–Q5
        if (index === 5) raised[6] = 0; // Q6 yes opens the recency question
        const before = order.indexOf(scoreInstrument('cssrs-screener', answers).risk ?? 'none');
        const after = order.indexOf(scoreInstrument('cssrs-screener', raised).risk ?? 'none');
        expect(after).toBeGreaterThanOrEqual(before);
        expect(scoreInstrument('cssrs-screener', raised).flags).toContain('suicidality');
      }),
    );
  });
});
