import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { courseInputFromSessions } from './cohort';
import { courseOutcome, type CourseOutcome } from './course';
import { countFacts, courseFact, durabilityDay, summariseCounts, type CourseFact } from './facts';
import { kaplanMeier, survivalAt, wilsonInterval } from './stats';

const DAY = 86_400_000;
const t0 = Date.parse('2026-03-02T08:00:00Z');
const d = (days: number) => new Date(t0 + days * DAY);

/** A six-session induction with the given PHQ-9 totals at day offsets from the first session. */
function outcome(scores: [number, number, number?][]): CourseOutcome {
  const sessions = [0, 3, 7, 10, 14, 17].map((x) => ({ courseId: 'c', phaseId: 'induction', at: d(x) }));
  const input = courseInputFromSessions({
    courseId: 'c',
    instrument: 'phq9',
    patientSessions: sessions,
    assessments: scores.map(([day, score, item9]) => ({
      at: d(day),
      score,
      items: item9 === undefined ? undefined : { '9': item9 },
    })),
    now: d(120),
  });
  return courseOutcome(input!);
}

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return null;
};

describe('courseFact', () => {
  it('reduces an outcome and its dosed sessions to flags and counts', () => {
    const o = outcome([
      [-1, 20, 2],
      [0.2, 9],
      [19, 4, 0],
      [40, 12],
    ]);
    const f = courseFact(o, [
      { adverseEvents: 2, seriousAdverseEvents: 0, hypertensionAlerts: 1 },
      { adverseEvents: 0, seriousAdverseEvents: 0, hypertensionAlerts: 0 },
      { adverseEvents: 1, seriousAdverseEvents: 1, hypertensionAlerts: 2 },
    ]);
    expect(f).toMatchObject({
      hasInduction: true,
      evaluable: true,
      response: true,
      remission: true,
      rapidResponse4h: true,
      suicidalityBaseline: 2,
      suicidalityChange: -2,
      suicidalityDecreased: true,
      suicidalityIncreased: false,
      relapsed: true,
      durabilityDays: 23,
      dosedSessions: 3,
      sessionsWithAdverseEvent: 2,
      adverseEvents: 3,
      sessionsWithSeriousAdverseEvent: 1,
      seriousAdverseEvents: 1,
      sessionsWithHypertensionAlert: 2,
      hypertensionAlerts: 3,
    });
  });

  it('a course without a dosed induction session counts only its sessions', () => {
    const f = courseFact(null, [{ adverseEvents: 1, seriousAdverseEvents: 0, hypertensionAlerts: 0 }]);
    expect(f).toMatchObject({ hasInduction: false, evaluable: false, response: null, durabilityDays: null });
    const c = countFacts([f]);
    expect(c).toMatchObject({ courses: 0, evaluable: 0, dosedSessions: 1, adverseEvents: 1 });
  });
});

describe('countFacts and summariseCounts', () => {
  const courses = [
    outcome([
      [-1, 20, 2],
      [19, 4, 0],
      [40, 12],
    ]), // responder, relapse at day 23
    outcome([
      [-1, 18, 1],
      [19, 8, 1],
      [60, 7],
    ]), // responder, censored at day 43
    outcome([
      [-1, 22, 0],
      [19, 15, 1],
    ]), // non-responder, SI up
    outcome([[19, 15]]), // no baseline: not evaluable
  ];
  const facts = courses.map((o) => courseFact(o, []));

  it('counts courses, proportions and the suicidality track', () => {
    const s = summariseCounts(countFacts(facts));
    expect(s.courses).toBe(4);
    expect(s.evaluable).toBe(3);
    expect(s.response).toEqual(wilsonInterval(2, 3));
    expect(s.remission).toEqual(wilsonInterval(1, 3));
    expect(s.suicidalityDecreased).toEqual(wilsonInterval(1, 2));
    expect(s.suicidalityIncreased).toEqual(wilsonInterval(1, 3));
    expect(s.meanSuicidalityChange).toBeCloseTo((-2 + 0 + 1) / 3, 12);
    expect(s.durability.steps.map((x) => [x.time, x.events, x.censored])).toEqual([
      [23, 1, 0],
      [43, 0, 1],
    ]);
    expect(s.sessions.dosed).toBe(0);
    expect(s.sessions.adverseEvents.proportion).toBeNull();
  });

  it('groups durability by whole day, rounded up, relapses before censorings', () => {
    const f = (days: number, relapsed: boolean): CourseFact => ({
      ...facts[0]!,
      durabilityDays: days,
      relapsed,
    });
    const c = countFacts([f(3.2, true), f(4, true), f(3.9, false), f(3.01, true), f(0.5, false)]);
    expect(c.durability).toEqual([
      { day: 1, relapsed: false, courses: 1 },
      { day: 4, relapsed: true, courses: 3 },
      { day: 4, relapsed: false, courses: 1 },
    ]);
    expect(durabilityDay(28)).toBe(28);
    expect(durabilityDay(27.001)).toBe(28);
  });

  it('property: without censoring, Ŝ at a whole day equals the estimate from exact times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 120, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 120 }),
        (times, day) => {
          const byDay = summariseCounts(
            countFacts(times.map((t) => ({ ...facts[0]!, durabilityDays: t, relapsed: true }))),
          ).durability;
          const exact = kaplanMeier(times.map((time) => ({ time, event: true })));
          expect(survivalAt(byDay, day).survival).toBeCloseTo(survivalAt(exact, day).survival, 12);
          expect(byDay.steps.length).toBeLessThanOrEqual(new Set(times.map(Math.ceil)).size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a censoring earlier in the same day as a relapse keeps the course at risk (documented difference)', () => {
    const f = (days: number, relapsed: boolean): CourseFact => ({
      ...facts[0]!,
      durabilityDays: days,
      relapsed,
    });
    const rows = [f(3.1, false), f(3.5, true), f(10, true), f(12, false)];
    const byDay = summariseCounts(countFacts(rows)).durability;
    const exact = kaplanMeier(rows.map((r) => ({ time: r.durabilityDays!, event: r.relapsed! })));
    expect(survivalAt(exact, 4).survival).toBeCloseTo(2 / 3, 12);
    expect(survivalAt(byDay, 4).survival).toBeCloseTo(3 / 4, 12);
  });

  it('refuses impossible counts naming the field', () => {
    const c = countFacts(facts);
    expect(fieldOf(() => summariseCounts({ ...c, evaluable: c.courses + 1 }))).toBe('evaluable');
    expect(fieldOf(() => summariseCounts({ ...c, dosedSessions: -1 }))).toBe('dosedSessions');
    expect(
      fieldOf(() => summariseCounts({ ...c, durability: [{ day: 3, relapsed: true, courses: 0 }] })),
    ).toBe('durability.0.courses');
    expect(
      fieldOf(() =>
        summariseCounts({ ...c, dosedSessions: 5, adverseEvents: 0, sessionsWithAdverseEvent: 2 }),
      ),
    ).toBe('events');
  });
});
