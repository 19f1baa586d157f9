import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expm, luFactor, luSolveVec, solveVec } from './linalg';
import {
  exactIntegral,
  type InputEvent,
  inputDeliveredBy,
  type LinearSystem,
  makePropagator,
  type Propagator,
  solveLinear,
  solveWith,
  statesAt,
} from './solver';
import { buildModel } from './models';

/** 1-compartment: dA/dt = −k·A. */
const oneCpt = (k: number): LinearSystem => ({ names: ['central'], matrix: [[-k]] });

/** Depot → central → out. */
const depotCentral = (ka: number, k: number): LinearSystem => ({
  names: ['depot', 'central'],
  matrix: [
    [-ka, 0],
    [ka, -k],
  ],
});

/** 3-compartment mammillary from rate constants (per min). */
function threeCpt(k10: number, k12: number, k21: number, k13: number, k31: number): LinearSystem {
  return {
    names: ['c', 'p2', 'p3'],
    matrix: [
      [-(k10 + k12 + k13), k21, k31],
      [k12, -k21, 0],
      [k13, 0, -k31],
    ],
  };
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('exact solver against hand-derived closed forms', () => {
  for (const method of ['eigen', 'expm'] as const) {
    it(`${method}: one-compartment bolus is D·e^(−kt)`, () => {
      const k = 0.05;
      const times = [0, 1, 13.7, 100, 1000];
      const r = solveLinear(
        oneCpt(k),
        [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 35 }],
        times,
        [[1]],
        {
          method,
        },
      );
      times.forEach((t, i) => expect(relErr(r.values[0]![i]!, 35 * Math.exp(-k * t))).toBeLessThan(1e-12));
    });

    it(`${method}: one-compartment infusion is R/k·(1−e^(−kt)), then decays`, () => {
      const k = 0.02;
      const R = 0.875; // 35 mg over 40 min
      const times = [5, 40, 41, 90, 500];
      const r = solveLinear(
        oneCpt(k),
        [{ kind: 'zero-order', compartment: 0, startMin: 0, durationMin: 40, rateMgPerMin: R }],
        times,
        [[1]],
        { method },
      );
      const expected = (t: number): number =>
        t <= 40
          ? (R / k) * (1 - Math.exp(-k * t))
          : (R / k) * (1 - Math.exp(-k * 40)) * Math.exp(-k * (t - 40));
      times.forEach((t, i) => expect(relErr(r.values[0]![i]!, expected(t))).toBeLessThan(1e-12));
    });
  }

  it('first-order absorption matches the Bateman function', () => {
    const [ka, k, D] = [0.1, 0.01, 56];
    const times = [1, 10, 60, 600];
    const r = solveLinear(
      depotCentral(ka, k),
      [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: D }],
      times,
      [[0, 1]],
    );
    expect(r.method).toBe('eigen');
    times.forEach((t, i) =>
      expect(
        relErr(r.values[0]![i]!, ((D * ka) / (ka - k)) * (Math.exp(-k * t) - Math.exp(-ka * t))),
      ).toBeLessThan(1e-11),
    );
  });

  it('ka = k exactly (repeated eigenvalue) falls back to the matrix exponential and gives D·k·t·e^(−kt)', () => {
    const k = 0.03;
    const times = [0.5, 10, 33.3, 200, 2000];
    const sys = depotCentral(k, k);
    expect(makePropagator(sys).method).toBe('expm');
    const r = solveLinear(sys, [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 10 }], times, [
      [0, 1],
    ]);
    times.forEach((t, i) =>
      expect(relErr(r.values[0]![i]!, 10 * k * t * Math.exp(-k * t))).toBeLessThan(1e-10),
    );
  });

  it('ka within 1e-7 of k is still accurate (no catastrophic cancellation)', () => {
    const k = 0.03;
    const sys = depotCentral(k * (1 + 1e-7), k);
    const r = solveLinear(sys, [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 10 }], [50], [[0, 1]]);
    expect(relErr(r.values[0]![0]!, 10 * k * 50 * Math.exp(-k * 50))).toBeLessThan(1e-6);
  });

  it('parent → metabolite chain matches its closed form', () => {
    // P' = −(ke + km)·P; M' = km·P − kmm·M  ⇒  M = D·km/(kmm − k)·(e^{−kt} − e^{−kmm·t}), k = ke + km.
    const [ke, km, kmm, D] = [0.004, 0.01, 0.003, 35];
    const k = ke + km;
    const sys: LinearSystem = {
      names: ['parent', 'metabolite'],
      matrix: [
        [-k, 0],
        [km, -kmm],
      ],
    };
    const times = [1, 60, 240, 1440];
    for (const method of ['eigen', 'expm'] as const) {
      const r = solveLinear(
        sys,
        [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: D }],
        times,
        [[0, 1]],
        { method },
      );
      times.forEach((t, i) =>
        expect(
          relErr(r.values[0]![i]!, ((D * km) / (kmm - k)) * (Math.exp(-k * t) - Math.exp(-kmm * t))),
        ).toBeLessThan(1e-10),
      );
    }
  });

  it('expm of a diagonal matrix is the elementwise exponential', () => {
    const e = expm([
      [-3, 0],
      [0, 40],
    ]);
    expect(relErr(e[0]![0]!, Math.exp(-3))).toBeLessThan(1e-13);
    expect(relErr(e[1]![1]!, Math.exp(40))).toBeLessThan(1e-12);
  });
});

describe('linear algebra', () => {
  it('an LU factorization solves bit for bit as Gaussian elimination does, or refuses alike', () => {
    const entry = fc.oneof(fc.constant(0), fc.double({ min: -1e3, max: 1e3, noNaN: true }));
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
              fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
            ),
          ),
        ([a, b]) => {
          const attempt = (f: () => number[]): number[] | string => {
            try {
              return f();
            } catch (e) {
              return String(e);
            }
          };
          const byLu = attempt(() => luSolveVec(luFactor(a), b));
          expect(byLu).toEqual(attempt(() => solveVec(a, b)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

const rateArb = fc.double({ min: 0.002, max: 2, noNaN: true });
const systemArb = fc.tuple(rateArb, rateArb, rateArb, rateArb, rateArb).map((k) => threeCpt(...k));
const eventArb: fc.Arbitrary<InputEvent> = fc.oneof(
  fc.record({
    kind: fc.constant('bolus' as const),
    compartment: fc.constant(0),
    timeMin: fc.integer({ min: 0, max: 3000 }),
    amountMg: fc.double({ min: 0.1, max: 100, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('zero-order' as const),
    compartment: fc.constant(0),
    startMin: fc.integer({ min: 0, max: 3000 }),
    durationMin: fc.double({ min: 0.5, max: 120, noNaN: true }),
    rateMgPerMin: fc.double({ min: 0.01, max: 5, noNaN: true }),
  }),
);
const timesArb = fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 12 });

describe('properties (fast-check)', () => {
  it('the eigen and matrix-exponential propagators agree', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(eventArb, { minLength: 1, maxLength: 4 }),
        timesArb,
        (sys, events, times) => {
          const prop = makePropagator(sys);
          fc.pre(prop.method === 'eigen');
          const a = solveLinear(sys, events, times, [[1, 0, 0]], { method: 'eigen' }).values[0]!;
          const b = solveLinear(sys, events, times, [[1, 0, 0]], { method: 'expm' }).values[0]!;
          const scale = Math.max(...b.map(Math.abs), 1e-12);
          for (let i = 0; i < times.length; i++) expect(Math.abs(a[i]! - b[i]!) / scale).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('superposition: the response to two regimens is the sum of the responses', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(eventArb, { minLength: 1, maxLength: 3 }),
        fc.array(eventArb, { minLength: 1, maxLength: 3 }),
        timesArb,
        (sys, e1, e2, times) => {
          const f = (ev: InputEvent[]): Float64Array => solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
          const both = f([...e1, ...e2]);
          const a = f(e1);
          const b = f(e2);
          const scale = Math.max(...both.map(Math.abs), 1e-12);
          for (let i = 0; i < times.length; i++)
            expect(Math.abs(both[i]! - a[i]! - b[i]!) / scale).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('linearity: scaling every dose scales every concentration', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(eventArb, { minLength: 1, maxLength: 3 }),
        timesArb,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (sys, ev, times, s) => {
          const scaled = ev.map((e) =>
            e.kind === 'bolus'
              ? { ...e, amountMg: e.amountMg * s }
              : { ...e, rateMgPerMin: e.rateMgPerMin * s },
          );
          const a = solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
          const b = solveLinear(sys, scaled, times, [[1, 0, 0]]).values[0]!;
          const scale = Math.max(...b.map(Math.abs), 1e-12);
          for (let i = 0; i < times.length; i++)
            expect(Math.abs(b[i]! - s * a[i]!) / scale).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('mass balance: amount in the body + amount eliminated = amount given', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(eventArb, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 6000, noNaN: true }),
        (sys, ev, t) => {
          const x = statesAt(sys, ev, [t])[0]!;
          const delivered = inputDeliveredBy(3, ev, t);
          // Elimination is k10 from the central compartment: eliminated = k10·∫A1 dt.
          const k10 = -(sys.matrix[0]![0]! + sys.matrix[1]![0]! + sys.matrix[2]![0]!);
          const eliminated = k10 * exactIntegral(sys, [1, 0, 0], x, delivered);
          const given = delivered.reduce((s, v) => s + v, 0);
          const inBody = x.reduce((s, v) => s + v, 0);
          expect(Math.abs(inBody + eliminated - given)).toBeLessThan(1e-8 * Math.max(given, 1));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('events and time grids', () => {
  const sys = threeCpt(0.438, 0.592, 0.247, 0.59, 0.0146);

  it('a closed system (no elimination, eigenvalue 0) conserves every milligram', () => {
    const closed = threeCpt(0, 0.3, 0.1, 0.05, 0.01);
    const ev: InputEvent[] = [
      { kind: 'zero-order', compartment: 0, startMin: 0, durationMin: 40, rateMgPerMin: 1 },
    ];
    const states = statesAt(closed, ev, [20, 40, 10_000]);
    expect(states[0]!.reduce((s, v) => s + v, 0)).toBeCloseTo(20, 9);
    expect(states[2]!.reduce((s, v) => s + v, 0)).toBeCloseTo(40, 9);
  });

  it('a bolus is the limit of ever shorter infusions (error shrinks in proportion to the duration)', () => {
    const times = [5, 30, 120];
    const bolus = solveLinear(sys, [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 35 }], times, [
      [1, 0, 0],
    ]).values[0]!;
    const errs = [1, 0.1, 0.01, 0.001].map((d) => {
      const inf = solveLinear(
        sys,
        [{ kind: 'zero-order', compartment: 0, startMin: 0, durationMin: d, rateMgPerMin: 35 / d }],
        times,
        [[1, 0, 0]],
      ).values[0]!;
      return Math.max(...times.map((_, i) => relErr(inf[i]!, bolus[i]!)));
    });
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]! / 5);
    expect(errs[3]!).toBeLessThan(1e-3);
  });

  it('a bolus at a requested time is included in that time’s value', () => {
    const r = solveLinear(
      oneCpt(0.1),
      [{ kind: 'bolus', compartment: 0, timeMin: 60, amountMg: 7 }],
      [59.999, 60],
      [[1]],
    );
    expect(r.values[0]![0]).toBe(0);
    expect(r.values[0]![1]).toBeCloseTo(7, 12);
  });

  it('gaps of days: a dose 14 days later adds exactly its own response', () => {
    const day = 1440;
    const times = [14 * day + 10, 14 * day + 40, 21 * day];
    const inf = (start: number): InputEvent => ({
      kind: 'zero-order',
      compartment: 0,
      startMin: start,
      durationMin: 40,
      rateMgPerMin: 35 / 40,
    });
    const both = solveLinear(sys, [inf(0), inf(14 * day)], times, [[1, 0, 0]]).values[0]!;
    const second = solveLinear(
      sys,
      [inf(0)],
      times.map((t) => t - 14 * day),
      [[1, 0, 0]],
    ).values[0]!;
    const first = solveLinear(sys, [inf(0)], times, [[1, 0, 0]]).values[0]!;
    times.forEach((_, i) => expect(relErr(both[i]!, first[i]! + second[i]!)).toBeLessThan(1e-10));
  });

  it('a long grid k·T/N (steps equal only to rounding) matches point-by-point exact evaluation', () => {
    const ev: InputEvent[] = [
      { kind: 'zero-order', compartment: 0, startMin: 0, durationMin: 40, rateMgPerMin: 0.875 },
    ];
    const times = Array.from({ length: 20_001 }, (_, k) => (k * 600) / 20_000);
    const grid = solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
    for (const k of [1, 777, 5000, 13_333, 20_000]) {
      const alone = solveLinear(sys, ev, [times[k]!], [[1, 0, 0]]).values[0]![0]!;
      expect(relErr(grid[k]!, alone)).toBeLessThan(1e-11);
    }
  });

  it('times may be given in any order', () => {
    const ev: InputEvent[] = [
      { kind: 'zero-order', compartment: 0, startMin: 10, durationMin: 40, rateMgPerMin: 1 },
    ];
    const sorted = solveLinear(sys, ev, [0, 20, 50, 300], [[1, 0, 0]]).values[0]!;
    const shuffled = solveLinear(sys, ev, [300, 0, 50, 20], [[1, 0, 0]]).values[0]!;
    expect([shuffled[1], shuffled[3], shuffled[2], shuffled[0]]).toEqual(Array.from(sorted));
  });

  it('rejects an input into a compartment that does not exist', () => {
    expect(() =>
      solveLinear(oneCpt(0.1), [{ kind: 'bolus', compartment: 3, timeMin: 0, amountMg: 1 }], [1], [[1]]),
    ).toThrow(/unknown compartment/);
  });
});

describe('uniform grids: the step propagator against exact evaluation at every point', () => {
  /** Relative difference with a floor far below any concentration that matters (1e-12 of the peak). */
  const maxRel = (a: Float64Array, b: Float64Array): number => {
    let peak = 0;
    for (const v of b) peak = Math.max(peak, Math.abs(v));
    let m = 0;
    for (let i = 0; i < b.length; i++)
      m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-12 * peak, 1e-300));
    return m;
  };
  /**
   * The same times in descending order are not a uniform grid, so the solver evaluates each point by
   * its own closed-form step from the previous one (the eigen path); reversing the result lines it up.
   */
  const pointByPoint = (
    sys: LinearSystem,
    ev: readonly InputEvent[],
    times: number[],
    rows: number[][],
    method?: 'eigen' | 'expm',
  ): Float64Array[] =>
    solveLinear(sys, ev, [...times].reverse(), rows, method ? { method } : {}).values.map((v) =>
      Float64Array.from(v).reverse(),
    );
  /** Counts the points written by the uniform-grid loop. */
  const counting = (prop: Propagator): { prop: Propagator; points: () => number } => {
    let points = 0;
    const fill = prop.fillUniform.bind(prop);
    prop.fillUniform = (...args) => {
      points += args[3];
      return fill(...args);
    };
    return { prop, points: () => points };
  };

  const kamp = buildModel('kamp-2020', { weightKg: 70 }, { ke0PerMin: null });
  const regimen: InputEvent[] = [0, 2, 4, 7, 9, 11].map((d) => ({
    kind: 'zero-order',
    compartment: kamp.centralIndex,
    startMin: d * 1440,
    durationMin: 40,
    rateMgPerMin: 35 / 40,
  }));

  it('1,000,000 points over 21 days of a six-infusion course agree within 1e-9 relative', () => {
    const n = 1_000_000;
    const times = Array.from({ length: n }, (_, k) => (k * 21 * 1440) / (n - 1));
    const row = [...kamp.outputs[0]!.row];
    const { prop, points } = counting(makePropagator(kamp.system));
    expect(prop.method).toBe('eigen');
    const grid = solveWith(prop, kamp.system, regimen, times, [row]).values[0]!;
    // Nearly every point came from the step loop (the rest are the first point after each event).
    expect(points()).toBeGreaterThan(n - 20);
    const exact = pointByPoint(kamp.system, regimen, times, [row])[0]!;
    expect(maxRel(grid, exact)).toBeLessThanOrEqual(1e-9);
    expect(grid[n - 1]).toBeGreaterThan(0);
  });

  it('the matrix-exponential fallback on a long grid agrees with the eigen path within 1e-9', () => {
    const n = 200_001;
    const times = Array.from({ length: n }, (_, k) => 30 + (k * 14 * 1440) / (n - 1));
    const row = [...kamp.outputs[0]!.row];
    const { prop, points } = counting(makePropagator(kamp.system, 'expm'));
    const grid = solveWith(prop, kamp.system, regimen, times, [row]).values[0]!;
    expect(points()).toBeGreaterThan(n - 20);
    const exact = pointByPoint(kamp.system, regimen, times, [row], 'eigen')[0]!;
    expect(maxRel(grid, exact)).toBeLessThanOrEqual(1e-9);
  });

  it('boluses on grid points, several outputs and a 2-compartment system: every value agrees', () => {
    const sys = depotCentral(0.03, 0.011);
    const ev: InputEvent[] = [
      { kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 100 },
      { kind: 'bolus', compartment: 0, timeMin: 720, amountMg: 50 },
      { kind: 'zero-order', compartment: 1, startMin: 100.25, durationMin: 33.3, rateMgPerMin: 0.4 },
    ];
    const n = 50_001;
    const times = Array.from({ length: n }, (_, k) => (k * 2880) / (n - 1)); // 720 is a grid point
    const rows = [
      [1, 0],
      [0, 1],
      [0.2, 0.7],
    ];
    const { prop, points } = counting(makePropagator(sys));
    const grid = solveWith(prop, sys, ev, times, rows).values;
    expect(points()).toBeGreaterThan(n - 20);
    const exact = pointByPoint(sys, ev, times, rows);
    rows.forEach((_, k) => expect(maxRel(grid[k]!, exact[k]!)).toBeLessThanOrEqual(1e-9));
    // The bolus at 720 min is included in that point's value.
    const at720 = times.indexOf(720);
    expect(grid[0]![at720]! - grid[0]![at720 - 1]!).toBeGreaterThan(49);
  });

  it('random regimens on uniform grids (any offset, odd or even length, crossing events) agree within 1e-9', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(eventArb, { minLength: 1, maxLength: 5 }),
        fc.double({ min: -200, max: 2000, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.integer({ min: 16, max: 3001 }),
        (sys, ev, t0, stepMin, n) => {
          const times = Array.from({ length: n }, (_, k) => t0 + k * stepMin);
          const rows = [[1, 0, 0]];
          const { prop, points } = counting(makePropagator(sys));
          fc.pre(prop.method === 'eigen');
          const grid = solveWith(prop, sys, ev, times, rows).values[0]!;
          // The step loop writes every point except the first, and at most two after each input
          // start or end (the first point past it, and a run too short to be worth a step matrix).
          expect(points()).toBeGreaterThanOrEqual(n - 1 - 4 * ev.length);
          const exact = pointByPoint(sys, ev, times, rows)[0]!;
          expect(maxRel(grid, exact)).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a long stretch without input (the decay-only loop) hands over exactly to the next dose', () => {
    const sys = threeCpt(0.438, 0.592, 0.247, 0.59, 0.0146);
    const ev: InputEvent[] = [
      { kind: 'zero-order', compartment: 0, startMin: 0, durationMin: 40, rateMgPerMin: 0.875 },
      { kind: 'bolus', compartment: 0, timeMin: 9000, amountMg: 20 },
    ];
    for (const n of [40_000, 40_001]) {
      const times = Array.from({ length: n }, (_, k) => (k * 12_000) / (n - 1));
      const { prop, points } = counting(makePropagator(sys));
      const grid = solveWith(prop, sys, ev, times, [[1, 0, 0]]).values[0]!;
      expect(points()).toBeGreaterThan(n - 10);
      const exact = pointByPoint(sys, ev, times, [[1, 0, 0]])[0]!;
      expect(maxRel(grid, exact)).toBeLessThanOrEqual(1e-9);
    }
  });

  it('evenly spaced end points around shuffled middles are not taken for a uniform grid', () => {
    const sys = threeCpt(0.438, 0.592, 0.247, 0.59, 0.0146);
    const ev: InputEvent[] = [
      { kind: 'zero-order', compartment: 0, startMin: 5, durationMin: 40, rateMgPerMin: 1 },
    ];
    const times = Array.from({ length: 200 }, (_, k) => k * 0.5);
    const swapped = [...times];
    [swapped[50], swapped[120]] = [swapped[120]!, swapped[50]!];
    // The step loop starts on the end points' word and must notice the swap before it answers.
    const got = solveLinear(sys, ev, swapped, [[1, 0, 0]]).values[0]!;
    const sorted = solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
    const back = Float64Array.from(got);
    [back[50], back[120]] = [back[120]!, back[50]!];
    expect(maxRel(back, sorted)).toBeLessThanOrEqual(1e-9);
    expect(got[50]).not.toBeCloseTo(got[120]!, 3);
  });

  it('a grid that is uniform except for one point is solved point by point, still exactly', () => {
    const sys = threeCpt(0.438, 0.592, 0.247, 0.59, 0.0146);
    const ev: InputEvent[] = [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 35 }];
    for (const off of [1, 500, 998, 20_000]) {
      const times = Array.from({ length: 30_000 }, (_, k) => k * 0.5);
      times[off] = times[off]! + 0.1;
      const grid = solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
      expect(maxRel(grid, pointByPoint(sys, ev, times, [[1, 0, 0]])[0]!)).toBeLessThanOrEqual(1e-9);
      const alone = solveLinear(sys, ev, [times[off]!], [[1, 0, 0]]).values[0]![0]!;
      expect(relErr(grid[off]!, alone)).toBeLessThan(1e-11);
    }
    const times = Array.from({ length: 1000 }, (_, k) => k * 0.5);
    times[500] = 250.1;
    const grid = solveLinear(sys, ev, times, [[1, 0, 0]]).values[0]!;
    expect(grid[500]).toBeCloseTo(solveLinear(sys, ev, [250.1], [[1, 0, 0]]).values[0]![0]!, 12);
  });
});
