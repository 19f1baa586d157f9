import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import {
  courseOutcome,
  DEFAULT_RELAPSE_DEFINITION,
  type CourseOutcomeInput,
  type ScoredAssessment,
} from './course';
import { BENCHMARKS, summariseOutcomes } from './summary';
import { wilsonInterval } from './stats';

const T0 = Date.UTC(2026, 0, 5, 10, 0);
const day = (d: number, minutes = 0) => new Date(T0 + d * 86_400_000 + minutes * 60_000);
const phq = (d: number, score: number, item9?: number, minutes = 0): ScoredAssessment => ({
  at: day(d, minutes),
  score,
  ...(item9 === undefined ? {} : { items: { '9': item9 } }),
});

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return '(no error)';
}

// Six infusions over 12 days (Murrough 2013 schedule), 40-minute infusions.
const SESSIONS = [0, 2, 4, 7, 9, 11].map((d) => ({ startedAt: day(d), anchorAt: day(d, 40) }));

const base = (
  assessments: ScoredAssessment[],
  extra: Partial<CourseOutcomeInput> = {},
): CourseOutcomeInput => ({
  instrument: 'phq9',
  inductionSessions: SESSIONS,
  assessments,
  ...extra,
});

const TRAJECTORY = [
  phq(-1, 20, 2), // baseline
  phq(0, 12, undefined, 40 + 230), // +4 h (230 min after end of infusion): 40 % fall
  phq(1, 9, undefined, 40), // +24 h: 55 % fall
  phq(12, 8, 0), // end of induction: 60 % fall
  phq(20, 9), // 55 % fall: still responding
  phq(30, 11), // 45 % fall: response lost
  phq(37, 8),
  phq(44, 12),
  phq(51, 13),
];

describe('courseOutcome', () => {
  const o = courseOutcome(base(TRAJECTORY));

  it('takes the baseline before the first session and the end score after the last', () => {
    expect(o.baseline?.score).toBe(20);
    expect(o.endOfInduction?.score).toBe(8);
    expect(o.firstInductionAt).toEqual(day(0));
    expect(o.lastInductionAt).toEqual(day(11));
  });

  it('response at end of induction is a ≥50 % fall; remission is PHQ-9 < 5 by default', () => {
    expect(o.response).toMatchObject({ fallPoints: 12, fallPercent: 60, response: true });
    expect(o.remission).toMatchObject({ remission: false, threshold: { comparator: '<', value: 5 } });
    const clinic = courseOutcome(
      base(TRAJECTORY, {
        settings: {
          remissionThresholds: { phq9: { comparator: '<=', value: 8, source: 'clinic', status: 'S' } },
        },
      }),
    );
    expect(clinic.remission?.remission).toBe(true);
  });

  it('rapid response after the first session at +4 h and +24 h', () => {
    expect(o.rapid?.post4h.observed?.score).toBe(12);
    expect(o.rapid?.post4h.response?.response).toBe(false);
    expect(o.rapid?.post24h.observed?.score).toBe(9);
    expect(o.rapid?.post24h.response?.response).toBe(true);
  });

  it('suicidality: the PHQ-9 item 9 change from baseline to end of induction', () => {
    expect(o.suicidality).toEqual({
      itemId: '9',
      baseline: 2,
      endOfInduction: 0,
      change: -2,
      baselinePositive: true,
      decreased: true,
      increased: false,
    });
  });

  it('relapse (default: loss of response) dated from the start of the last induction session', () => {
    expect(o.relapse).toMatchObject({ relapsed: true, days: 19, at: day(30) });
    expect(o.relapse?.definition).toBe(DEFAULT_RELAPSE_DEFINITION);
  });

  it('two consecutive assessments: a single bad week is not a relapse; date = first of the pair', () => {
    const two = courseOutcome(
      base(TRAJECTORY, { settings: { relapse: { ...DEFAULT_RELAPSE_DEFINITION, consecutive: 2 } } }),
    );
    expect(two.relapse).toMatchObject({ relapsed: true, days: 33, at: day(44) });
  });

  it('is censored at the last well assessment when follow-up ends (e.g. maintenance starts)', () => {
    const c = courseOutcome(
      base(TRAJECTORY, {
        followUpEndsAt: day(40),
        settings: { relapse: { ...DEFAULT_RELAPSE_DEFINITION, consecutive: 2 } },
      }),
    );
    expect(c.relapse).toMatchObject({ relapsed: false, days: 26, at: day(37) });
    // Ends during an unfinished run (day 30 bad, pair not complete): censored at the last well one.
    const mid = courseOutcome(
      base(TRAJECTORY, {
        followUpEndsAt: day(33),
        settings: { relapse: { ...DEFAULT_RELAPSE_DEFINITION, consecutive: 2 } },
      }),
    );
    expect(mid.relapse).toMatchObject({ relapsed: false, days: 9, at: day(20) });
    const noFollow = courseOutcome(base(TRAJECTORY.slice(0, 4)));
    expect(noFollow.relapse).toMatchObject({ relapsed: false, days: 1, at: day(12) });
  });

  it('score-at-or-above relapse needs a threshold', () => {
    const r = courseOutcome(
      base(TRAJECTORY, {
        settings: {
          relapse: {
            criterion: 'score-at-or-above',
            threshold: 12,
            consecutive: 1,
            source: 'clinic',
            status: 'clinic',
          },
        },
      }),
    );
    expect(r.relapse).toMatchObject({ relapsed: true, at: day(44), days: 33 });
    expect(
      fieldOf(() =>
        courseOutcome(
          base(TRAJECTORY, {
            settings: {
              relapse: { criterion: 'score-at-or-above', consecutive: 1, source: 'x', status: 'clinic' },
            },
          }),
        ),
      ),
    ).toBe('relapse.threshold');
  });

  it('non-responders have no relapse; missing data gives nulls, not errors', () => {
    const non = courseOutcome(base([phq(-1, 20), phq(12, 14), phq(20, 18)]));
    expect(non.response?.response).toBe(false);
    expect(non.relapse).toBeNull();
    const noBaseline = courseOutcome(base([phq(12, 4)]));
    expect(noBaseline).toMatchObject({ baseline: null, response: null, rapid: null, relapse: null });
    expect(noBaseline.remission?.remission).toBe(true);
    const zero = courseOutcome(base([phq(-1, 0), phq(12, 0)]));
    expect(zero.response).toBeNull();
    // The only post-induction score is 8 days after the last session: outside the 7-day window.
    const late = courseOutcome(base([phq(-1, 20), phq(19, 4)]));
    expect(late.endOfInduction).toBeNull();
    expect(
      courseOutcome(base([phq(-1, 20), phq(19, 4)], { settings: { endOfInductionWindowDays: 10 } })).response
        ?.response,
    ).toBe(true);
    expect(noBaseline.suicidality).toBeNull();
  });

  it('rejects malformed input naming the field', () => {
    expect(fieldOf(() => courseOutcome(base(TRAJECTORY, { inductionSessions: [] })))).toBe(
      'inductionSessions',
    );
    expect(fieldOf(() => courseOutcome(base([{ at: new Date('x'), score: 3 }])))).toBe('assessments.0.at');
    expect(fieldOf(() => courseOutcome(base([phq(1, -2)])))).toBe('assessments.0.score');
    expect(
      fieldOf(() =>
        courseOutcome(
          base(TRAJECTORY, { settings: { relapse: { ...DEFAULT_RELAPSE_DEFINITION, consecutive: 0 } } }),
        ),
      ),
    ).toBe('relapse.consecutive');
    expect(
      fieldOf(() => courseOutcome(base(TRAJECTORY, { settings: { endOfInductionWindowDays: 0 } }))),
    ).toBe('endOfInductionWindowDays');
  });

  it('property: relapse only for responders, never before the end-of-induction score, never after follow-up ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 27 }),
        fc.array(fc.record({ d: fc.integer({ min: 12, max: 120 }), s: fc.integer({ min: 0, max: 27 }) }), {
          maxLength: 12,
        }),
        fc.option(fc.integer({ min: 12, max: 130 }), { nil: null }),
        (b, follow, end) => {
          const r = courseOutcome(
            base([phq(-1, b), ...follow.map((x) => phq(x.d, x.s))], {
              followUpEndsAt: end === null ? null : day(end),
            }),
          );
          if (r.relapse) {
            expect(r.response?.response).toBe(true);
            expect(r.relapse.at.getTime()).toBeGreaterThanOrEqual(r.endOfInduction!.at.getTime());
            expect(r.relapse.days).toBeGreaterThan(0);
            if (end !== null) expect(r.relapse.at.getTime()).toBeLessThanOrEqual(day(end).getTime());
            if (r.relapse.relapsed) expect(r.relapse.at).not.toEqual(r.endOfInduction!.at);
          } else {
            expect(r.response?.response ?? false).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('summariseOutcomes', () => {
  it('counts evaluable courses, Wilson intervals, suicidality and a durability curve', () => {
    const responderRelapsing = courseOutcome(base(TRAJECTORY)); // relapse at 19 days
    const responderCensored = courseOutcome(base([phq(-1, 18, 1), phq(12, 4, 1), phq(60, 5)])); // censored at 49
    const nonResponder = courseOutcome(base([phq(-1, 22, 0), phq(12, 15, 1)]));
    const notEvaluable = courseOutcome(base([phq(12, 15)]));
    const s = summariseOutcomes([responderRelapsing, responderCensored, nonResponder, notEvaluable]);
    expect(s.courses).toBe(4);
    expect(s.evaluable).toBe(3);
    expect(s.response).toEqual(wilsonInterval(2, 3));
    expect(s.remission).toEqual(wilsonInterval(1, 3));
    // Baseline SI positive: the first two (item 9 = 2 → 0, 1 → 1); only the first decreased.
    expect(s.suicidalityDecreased).toEqual(wilsonInterval(1, 2));
    expect(s.suicidalityIncreased).toEqual(wilsonInterval(1, 3));
    expect(s.meanSuicidalityChange).toBeCloseTo((-2 + 0 + 1) / 3, 12);
    expect(s.durability.n).toBe(2);
    expect(s.durability.steps.map((x) => [x.time, x.events, x.censored])).toEqual([
      [19, 1, 0],
      [49, 0, 1],
    ]);
    expect(s.durabilityAt.days28.survival).toBeCloseTo(0.5, 12);
    expect(s.rapidResponse24h).toEqual(wilsonInterval(1, 1));
  });

  it('benchmarks carry the reference figures', () => {
    expect(BENCHMARKS.response.value).toBe(53.6);
    expect(BENCHMARKS.remission.value).toBe(28.9);
    expect(BENCHMARKS.durability4w.value).toBe(80);
    expect(BENCHMARKS.durability8w.value).toBe(60);
  });
});
