import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { kaplanMeier, kaplanMeierFromCounts, sessionRate, survivalAt, wilsonInterval } from './stats';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return '(no error)';
}

describe('wilsonInterval', () => {
  // Published Wilson score intervals (no continuity correction): Newcombe RG, Stat Med 1998;17:857–872,
  // Table II, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → %f–%f (Newcombe 1998)', (x, n, lo, hi) => {
    const r = wilsonInterval(x, n);
    expect(r.proportion).toBeCloseTo(x / n, 12);
    expect(r.lower).toBeCloseTo(lo, 4);
    expect(r.upper).toBeCloseTo(hi, 4);
    expect(r.confidenceLevel).toBe(0.95);
  });

  it('0/20 upper bound by hand: (z²/n)/(1+z²/n)', () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 20).upper).toBeCloseTo(z2 / 20 / (1 + z2 / 20), 12);
  });

  it('is symmetric: x/n and (n−x)/n mirror', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.nat(), (n, k) => {
        const x = k % (n + 1);
        const a = wilsonInterval(x, n);
        const b = wilsonInterval(n - x, n);
        expect(a.lower!).toBeCloseTo(1 - b.upper!, 10);
        expect(a.upper!).toBeCloseTo(1 - b.lower!, 10);
        expect(a.lower!).toBeGreaterThanOrEqual(0);
        expect(a.upper!).toBeLessThanOrEqual(1);
        expect(a.lower!).toBeLessThanOrEqual(a.proportion!);
        expect(a.upper!).toBeGreaterThanOrEqual(a.proportion!);
      }),
      { numRuns: 200 },
    );
  });

  it('a wider z gives a wider interval (99 % level reported)', () => {
    const r95 = wilsonInterval(30, 100);
    const r99 = wilsonInterval(30, 100, 2.5758293035489);
    expect(r99.lower!).toBeLessThan(r95.lower!);
    expect(r99.upper!).toBeGreaterThan(r95.upper!);
    expect(r99.confidenceLevel).toBeCloseTo(0.99, 6);
  });

  it('has no interval for n = 0 and rejects bad counts naming the field', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ proportion: null, lower: null, upper: null });
    expect(() => wilsonInterval(3, 2)).toThrow(ClinicalInputError);
    expect(fieldOf(() => wilsonInterval(-1, 2))).toBe('successes');
    expect(fieldOf(() => wilsonInterval(1, 2.5))).toBe('total');
  });
});

// Freireich 1963 6-MP arm (Gehan 1965), n = 21; + = censored. The textbook example of
// Klein & Moeschberger (Survival Analysis, 2nd ed., Table 4.1A) with Greenwood SEs.
const SIX_MP: [number, boolean][] = [
  [6, true],
  [6, true],
  [6, true],
  [6, false],
  [7, true],
  [9, false],
  [10, true],
  [10, false],
  [11, false],
  [13, true],
  [16, true],
  [17, false],
  [19, false],
  [20, false],
  [22, true],
  [23, true],
  [25, false],
  [32, false],
  [32, false],
  [34, false],
  [35, false],
];

describe('kaplanMeier', () => {
  const km = kaplanMeier(SIX_MP.map(([time, event]) => ({ time, event })));
  const at = (t: number) => km.steps.find((s) => s.time === t)!;

  it('reproduces the 6-MP product-limit estimates and Greenwood SEs (Klein & Moeschberger Table 4.1A)', () => {
    const expected: [number, number, number, number, number][] = [
      // time, at risk, events, S(t), SE
      [6, 21, 3, 0.857, 0.0764],
      [7, 17, 1, 0.807, 0.0869],
      [10, 15, 1, 0.753, 0.0963],
      [13, 12, 1, 0.69, 0.1068],
      [16, 11, 1, 0.627, 0.1141],
      [22, 7, 1, 0.538, 0.1282],
      [23, 6, 1, 0.448, 0.1346],
    ];
    for (const [t, n, d, s, se] of expected) {
      expect(at(t).atRisk).toBe(n);
      expect(at(t).events).toBe(d);
      expect(at(t).survival).toBeCloseTo(s, 3);
      expect(at(t).standardError!).toBeCloseTo(se, 4);
    }
    expect(km.n).toBe(21);
    expect(km.events).toBe(9);
    expect(km.censored).toBe(12);
    expect(km.medianTime).toBe(23);
  });

  it('hand-computed first steps: S(6) = 18/21, S(7) = 18/21 · 16/17', () => {
    expect(at(6).survival).toBeCloseTo(18 / 21, 12);
    expect(at(7).survival).toBeCloseTo((18 / 21) * (16 / 17), 12);
    // Greenwood at 6: S² · 3/(21·18)
    expect(at(6).standardError!).toBeCloseTo((18 / 21) * Math.sqrt(3 / (21 * 18)), 12);
  });

  it('gives log–log intervals matching R survival conf.type = "log-log"', () => {
    expect(at(6).lower!).toBeCloseTo(0.62, 2);
    expect(at(6).upper!).toBeCloseTo(0.952, 3);
    expect(at(23).lower!).toBeCloseTo(0.188, 3);
    expect(at(23).upper!).toBeCloseTo(0.68, 2);
  });

  it('hand-computed log–log interval at t = 6', () => {
    const s = 18 / 21;
    const sigma = Math.sqrt(3 / (21 * 18)) / Math.abs(Math.log(s));
    const z = 1.959963984540054;
    expect(at(6).lower!).toBeCloseTo(s ** Math.exp(z * sigma), 12);
    expect(at(6).upper!).toBeCloseTo(s ** Math.exp(-z * sigma), 12);
  });

  it('counts a censoring tied with an event as at risk at that time', () => {
    const r = kaplanMeier([
      { time: 5, event: true },
      { time: 5, event: false },
      { time: 8, event: true },
    ]);
    expect(r.steps[0]).toMatchObject({ time: 5, atRisk: 3, events: 1, censored: 1 });
    expect(r.steps[0]!.survival).toBeCloseTo(2 / 3, 12);
    expect(r.steps[1]).toMatchObject({ time: 8, atRisk: 1, events: 1, survival: 0, lower: 0, upper: 0 });
    expect(r.medianTime).toBe(8);
  });

  it('has no interval before the first event, and survivalAt reads the step function', () => {
    const r = kaplanMeier([
      { time: 3, event: false },
      { time: 10, event: true },
      { time: 20, event: false },
    ]);
    expect(r.steps[0]).toMatchObject({ survival: 1, lower: null, upper: null, standardError: null });
    expect(survivalAt(r, 9.99).survival).toBe(1);
    expect(survivalAt(r, 10).survival).toBeCloseTo(0.5, 12);
    expect(survivalAt(r, 10).atRisk).toBe(1);
    expect(survivalAt(r, 0).atRisk).toBe(3);
    expect(r.medianTime).toBe(10);
  });

  it('empty input gives an empty curve; bad input names the field', () => {
    expect(kaplanMeier([])).toMatchObject({ n: 0, steps: [], medianTime: null });
    expect(fieldOf(() => kaplanMeier([{ time: -1, event: true }]))).toBe('observations.0.time');
    expect(() => kaplanMeier([{ time: Number.NaN, event: true }])).toThrow(ClinicalInputError);
  });

  const obs = fc.array(fc.record({ time: fc.integer({ min: 0, max: 120 }), event: fc.boolean() }), {
    maxLength: 60,
  });

  it('property: the curve is non-increasing, within [0, 1], and its interval brackets it', () => {
    fc.assert(
      fc.property(obs, (o) => {
        const r = kaplanMeier(o);
        let prev = 1;
        for (const s of r.steps) {
          expect(s.survival).toBeLessThanOrEqual(prev + 1e-15);
          expect(s.survival).toBeGreaterThanOrEqual(0);
          expect(s.survival).toBeLessThanOrEqual(1);
          if (s.lower !== null && s.upper !== null) {
            expect(s.lower).toBeGreaterThanOrEqual(0);
            expect(s.upper).toBeLessThanOrEqual(1);
            expect(s.lower).toBeLessThanOrEqual(s.survival + 1e-12);
            expect(s.upper).toBeGreaterThanOrEqual(s.survival - 1e-12);
          }
          prev = s.survival;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: a censoring never drops the curve (only event times move it)', () => {
    fc.assert(
      fc.property(obs, (o) => {
        const r = kaplanMeier(o);
        let prev = 1;
        for (const s of r.steps) {
          if (s.events === 0) expect(s.survival).toBe(prev);
          else expect(s.survival).toBeLessThan(prev);
          prev = s.survival;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: without censoring the curve equals the empirical survivor function', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }), (ts) => {
        const r = kaplanMeier(ts.map((time) => ({ time, event: true })));
        for (const s of r.steps) {
          const surviving = ts.filter((t) => t > s.time).length;
          expect(s.survival).toBeCloseTo(surviving / ts.length, 12);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('property: turning an event into a censoring never lowers the curve at any time', () => {
    fc.assert(
      fc.property(obs, fc.nat(), fc.integer({ min: 0, max: 130 }), (o, k, probe) => {
        const events = o.flatMap((x, i) => (x.event ? [i] : []));
        if (events.length === 0) return;
        const idx = events[k % events.length]!;
        const censoredInstead = o.map((x, i) => (i === idx ? { ...x, event: false } : x));
        const a = survivalAt(kaplanMeier(o), probe).survival;
        const b = survivalAt(kaplanMeier(censoredInstead), probe).survival;
        expect(b).toBeGreaterThanOrEqual(a - 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});

describe('sessionRate', () => {
  it('Wilson proportion of sessions with an event and crude events per 100 sessions', () => {
    const r = sessionRate({ sessions: 263, sessionsWithEvent: 81, events: 90 });
    expect(r.lower).toBeCloseTo(0.2553, 4);
    expect(r.upper).toBeCloseTo(0.3662, 4);
    expect(r.eventsPer100Sessions).toBeCloseTo((100 * 90) / 263, 12);
  });
  it('rejects fewer events than sessions with events', () => {
    expect(fieldOf(() => sessionRate({ sessions: 10, sessionsWithEvent: 3, events: 2 }))).toBe('events');
    expect(sessionRate({ sessions: 0, sessionsWithEvent: 0, events: 0 }).eventsPer100Sessions).toBeNull();
  });
});

describe('kaplanMeierFromCounts', () => {
  it('property: tallies give the same curve as one observation per course', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ time: fc.integer({ min: 0, max: 60 }), event: fc.boolean() }), {
          minLength: 1,
          maxLength: 80,
        }),
        (obs) => {
          const tallies = new Map<number, { events: number; censored: number }>();
          for (const o of obs) {
            const t = tallies.get(o.time) ?? { events: 0, censored: 0 };
            if (o.event) t.events++;
            else t.censored++;
            tallies.set(o.time, t);
          }
          // Split each tally in two rows to check that rows at one time are added up.
          const rows = [...tallies.entries()].flatMap(([time, t]) => [
            { time, events: Math.floor(t.events / 2), censored: t.censored },
            { time, events: t.events - Math.floor(t.events / 2), censored: 0 },
          ]);
          expect(kaplanMeierFromCounts(rows)).toEqual(kaplanMeier(obs));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a negative or fractional count naming the field', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof ClinicalInputError ? e.field : 'other';
      }
      return null;
    };
    expect(field(() => kaplanMeierFromCounts([{ time: 3, events: -1, censored: 0 }]))).toBe(
      'counts.0.events',
    );
    expect(field(() => kaplanMeierFromCounts([{ time: 3, events: 1, censored: 0.5 }]))).toBe(
      'counts.0.censored',
    );
    expect(field(() => kaplanMeierFromCounts([{ time: -1, events: 1, censored: 0 }]))).toBe('counts.0.time');
  });
});
