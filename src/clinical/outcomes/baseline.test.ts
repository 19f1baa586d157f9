import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineAssessment } from './baseline';
import { courseOutcome } from './course';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const at = (d: number, minutes = 0) => new Date(T0 + d * 86_400_000 + minutes * 60_000);
const phq = (d: number, score: number | null, minutes = 0) => ({ at: at(d, minutes), score });

describe('baseline PHQ-9 (rule BASELINE)', () => {
  it('is the latest scored assessment at or before the first dosing start', () => {
    const rows = [phq(-10, 21), phq(-2, 19), phq(0, 18, -10), phq(0, 12, 120), phq(7, 8)];
    expect(baselineAssessment(rows, at(0))?.score).toBe(18); // the pre-session score that day
    expect(baselineAssessment(rows, at(0, -11))?.score).toBe(19);
    // Order of the input does not matter.
    expect(baselineAssessment([...rows].reverse(), at(0))?.score).toBe(18);
    // Exactly at the start still counts as before it.
    expect(baselineAssessment(rows, at(0, -10))?.score).toBe(18);
  });

  it('a score after treatment started is never a baseline', () => {
    expect(baselineAssessment([phq(1, 20), phq(5, 10)], at(0))).toBeNull();
    expect(baselineAssessment([], at(0))).toBeNull();
  });

  it('before any treatment the first scored assessment on record is the baseline', () => {
    expect(baselineAssessment([phq(5, 8), phq(-3, 19), phq(1, 12)], null)?.score).toBe(19);
  });

  it('skips unscored (partial) responses', () => {
    expect(baselineAssessment([phq(-2, 19), phq(-1, null)], at(0))?.score).toBe(19);
    expect(baselineAssessment([phq(-2, null), phq(3, 9)], null)?.score).toBe(9);
  });

  it('of two scores at the same instant, the later recorded (later in the list) wins', () => {
    const a = { ...phq(-1, 17), id: 'a' };
    const b = { ...phq(-1, 15), id: 'b' };
    expect(baselineAssessment([a, b], at(0))?.id).toBe('b');
  });

  it('the dashboard (course outcome) uses the same rule', () => {
    const assessment = fc.record({
      d: fc.integer({ min: -30, max: 40 }),
      minutes: fc.integer({ min: -600, max: 600 }),
      score: fc.integer({ min: 0, max: 27 }),
    });
    fc.assert(
      fc.property(
        fc.array(assessment, { maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 8 }),
        (raw, sessionDays) => {
          const assessments = raw.map((r) => ({ at: at(r.d, r.minutes), score: r.score }));
          const sessions = sessionDays.map((d) => ({ startedAt: at(d) }));
          const firstStart = at(Math.min(...sessionDays));
          const outcome = courseOutcome({ instrument: 'phq9', inductionSessions: sessions, assessments });
          expect(outcome.baseline).toBe(baselineAssessment(assessments, firstStart));
        },
      ),
    );
  });
});
