import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { integrate, integrateAt } from './ode';
import type { OdeMethod, OdeRhs } from './ode';
import { ClinicalInputError } from '../errors';

const methods: OdeMethod[] = ['dopri5', 'rosenbrock23'];

// y' = −k y, y(0) = y0  ⇒  y(t) = y0·e^(−k t)
const decay =
  (k: number): OdeRhs =>
  (_t, y, dy) => {
    dy[0] = -k * y[0]!;
  };

// x'' = −ω² x as a first-order system; x(0)=1, v(0)=0 ⇒ x = cos ωt, v = −ω sin ωt
const oscillator =
  (omega: number): OdeRhs =>
  (_t, y, dy) => {
    dy[0] = y[1]!;
    dy[1] = -omega * omega * y[0]!;
  };

// Stiff linear system with eigenvalues −1 and −1000, eigenvectors (1,1) and (1,−1):
// A = [[−500.5, 499.5], [499.5, −500.5]], y(0) = (2, 0) ⇒ y = e^(−t)(1,1) + e^(−1000t)(1,−1).
const stiff: OdeRhs = (_t, y, dy) => {
  dy[0] = -500.5 * y[0]! + 499.5 * y[1]!;
  dy[1] = 499.5 * y[0]! - 500.5 * y[1]!;
};
const stiffExact = (t: number): [number, number] => [
  Math.exp(-t) + Math.exp(-1000 * t),
  Math.exp(-t) - Math.exp(-1000 * t),
];

describe.each(methods)('%s', (method) => {
  it('reproduces exponential decay within tolerance', () => {
    const r = integrate(decay(0.7), 0, [3], 10, { method, rtol: 1e-8, atol: 1e-12 });
    const exact = 3 * Math.exp(-7);
    expect(Math.abs(r.y[0]! - exact) / exact).toBeLessThan(1e-5);
    expect(r.acceptedSteps).toBeGreaterThan(3);
  });

  it('global error shrinks when the tolerance is tightened', () => {
    const errAt = (rtol: number) => {
      const r = integrate(oscillator(2), 0, [1, 0], 10, { method, rtol, atol: rtol * 1e-3 });
      return Math.abs(r.y[0]! - Math.cos(20));
    };
    const loose = errAt(1e-4);
    const tight = errAt(1e-8);
    expect(tight).toBeLessThan(loose);
    expect(tight).toBeLessThan(1e-4);
  });

  it('handles the stiff linear system accurately', () => {
    const r = integrate(stiff, 0, [2, 0], 5, { method, rtol: 1e-7, atol: 1e-10 });
    const [a, b] = stiffExact(5);
    expect(Math.abs(r.y[0]! - a)).toBeLessThan(1e-4 * a);
    expect(Math.abs(r.y[1]! - b)).toBeLessThan(1e-4 * a);
  });

  it('is deterministic', () => {
    const a = integrate(oscillator(3), 0, [1, 0], 4, { method });
    const b = integrate(oscillator(3), 0, [1, 0], 4, { method });
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(a.acceptedSteps).toBe(b.acceptedSteps);
  });
});

describe('dopri5 accuracy', () => {
  it('harmonic oscillator: position and energy after 10 periods', () => {
    const omega = 2 * Math.PI;
    const r = integrate(oscillator(omega), 0, [1, 0], 10, { rtol: 1e-9, atol: 1e-12 });
    expect(r.y[0]).toBeCloseTo(1, 6); // cos(2π·10) = 1
    expect(r.y[1]! / omega).toBeCloseTo(0, 6);
    const energy = r.y[0]! ** 2 + (r.y[1]! / omega) ** 2;
    expect(Math.abs(energy - 1)).toBeLessThan(1e-6);
  });

  it('honours the tolerance on exponential decay for random rates (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.constantFrom(1e-4, 1e-6, 1e-8),
        (k, tEnd, rtol) => {
          const r = integrate(decay(k), 0, [1], tEnd, { rtol, atol: rtol * 1e-6 });
          const exact = Math.exp(-k * tEnd);
          // Global error of a tolerance-controlled method stays within a small multiple of rtol.
          return Math.abs(r.y[0]! - exact) <= 20 * rtol * Math.max(exact, 1e-3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes a sane number of steps on a smooth problem', () => {
    const r = integrate(decay(1), 0, [1], 10, { rtol: 1e-6, atol: 1e-9 });
    expect(r.acceptedSteps).toBeGreaterThan(5);
    expect(r.acceptedSteps).toBeLessThan(200);
    expect(r.rhsEvaluations).toBeLessThan(6 * (r.acceptedSteps + r.rejectedSteps) + 10);
  });
});

describe('stiff vs non-stiff', () => {
  it('rosenbrock23 needs far fewer steps than dopri5 on the stiff system', () => {
    const opts = { rtol: 1e-4, atol: 1e-7 };
    const explicit = integrate(stiff, 0, [2, 0], 50, { ...opts, method: 'dopri5' });
    const implicit = integrate(stiff, 0, [2, 0], 50, { ...opts, method: 'rosenbrock23' });
    // dopri5's stability region forces h ≲ 3.3/1000 ⇒ thousands of steps over 50 time units.
    expect(explicit.acceptedSteps + explicit.rejectedSteps).toBeGreaterThan(5000);
    expect(implicit.acceptedSteps + implicit.rejectedSteps).toBeLessThan(500);
    const [a] = stiffExact(50);
    expect(Math.abs(implicit.y[0]! - a)).toBeLessThan(1e-3 * Math.exp(-1) + 1e-6);
  });

  it('rosenbrock23 order: halving rtol by 1000 reduces error', () => {
    const e = (rtol: number) =>
      Math.abs(
        integrate(stiff, 0, [2, 0], 2, { method: 'rosenbrock23', rtol, atol: rtol * 1e-3 }).y[0]! -
          stiffExact(2)[0],
      );
    expect(e(1e-7)).toBeLessThan(e(1e-4));
  });
});

describe('non-autonomous right-hand side and output times', () => {
  it('y′ = cos t from 0 gives sin t at every output time (both methods)', () => {
    const times = [0, 0.5, 1, 2, 3.5, 5];
    for (const method of methods) {
      const r = integrateAt(
        (t, _y, dy) => {
          dy[0] = Math.cos(t);
        },
        [0],
        times,
        { method, rtol: 1e-8, atol: 1e-10 },
      );
      times.forEach((t, i) => expect(r.states[i]![0]).toBeCloseTo(Math.sin(t), 5));
    }
  });

  it('onStep sees monotone times ending at tEnd', () => {
    const seen: number[] = [];
    integrate(decay(1), 0, [1], 3, { onStep: (t) => seen.push(t) });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-1)).toBe(3);
  });
});

describe('input validation', () => {
  it('rejects bad arguments with the field named', () => {
    const bad = (fn: () => unknown, field: string) => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ClinicalInputError);
        expect((e as ClinicalInputError).field).toBe(field);
      }
    };
    bad(() => integrate(decay(1), 0, [1], -1), 'tEnd');
    bad(() => integrate(decay(1), 0, [Number.NaN], 1), 'y0');
    bad(() => integrate(decay(1), 0, [1], 1, { rtol: 0 }), 'rtol');
    bad(() => integrateAt(decay(1), [1], [0, 1, 1]), 'times');
  });

  it('throws when maxSteps is exceeded', () => {
    expect(() => integrate(stiff, 0, [2, 0], 50, { maxSteps: 10 })).toThrow(/steps/);
  });
});
