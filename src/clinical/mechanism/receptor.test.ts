import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  equilibriumOccupancy,
  freeBrainParentUm,
  ngPerMlToUm,
  receptorParameters,
  simulateReceptorBlock,
  totalBrainParentUm,
} from './receptor';
import { ClinicalInputError } from '../errors';

const p = receptorParameters();

function grid(endMin: number, stepMin: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= endMin + 1e-9; t += stepMin) out.push(t);
  return out;
}

describe('unit conversion and free brain concentration', () => {
  it('185 ng/mL ketamine is 0.778 µM (pharmacology.md §4.1 worked example)', () => {
    expect(ngPerMlToUm(185, p.molarMassParentGPerMol.value)).toBeCloseTo(0.778, 3);
  });

  it('free brain = plasma µM × fu × Kp,uu; total brain = plasma µM × 6.5', () => {
    // Hand calculation: 237.73 ng/mL = 1 µM; × 0.53 unbound × 1.
    expect(freeBrainParentUm(237.73, p)).toBeCloseTo(0.53, 10);
    expect(totalBrainParentUm(237.73, p)).toBeCloseTo(6.5, 10);
  });

  it('esketamine uses its own label binding and Ki', () => {
    const es = receptorParameters('esketamine');
    expect(es.fractionUnboundParent.value).toBe(0.56);
    expect(es.kiParentUm.value).toBe(0.3);
  });
});

describe('equilibrium occupancy', () => {
  it('is one half when the free concentration equals Ki (n = 1), and 0 without drug', () => {
    expect(equilibriumOccupancy([{ freeUm: 0.119, kiUm: 0.119 }])).toBeCloseTo(0.5, 12);
    expect(equilibriumOccupancy([{ freeUm: 0, kiUm: 0.119 }])).toBe(0);
    // Hill n = 2 at c = 3·Ki: 9/10.
    expect(equilibriumOccupancy([{ freeUm: 0.3, kiUm: 0.1 }], 2)).toBeCloseTo(0.9, 12);
  });

  it('is within [0, 1] and monotone in concentration (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (a, b, ki, n) => {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const oLo = equilibriumOccupancy([{ freeUm: lo, kiUm: ki }], n);
          const oHi = equilibriumOccupancy([{ freeUm: hi, kiUm: ki }], n);
          return oLo >= 0 && oHi <= 1 && oLo <= oHi * (1 + 1e-12); // 1-ulp round-off allowed
        },
      ),
    );
  });

  it('a second ligand never lowers total occupancy (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (c1, c2) =>
          equilibriumOccupancy([
            { freeUm: c1, kiUm: 0.119 },
            { freeUm: c2, kiUm: 0.97 },
          ]) >=
          equilibriumOccupancy([{ freeUm: c1, kiUm: 0.119 }]) * (1 - 1e-12), // round-off
      ),
    );
  });
});

describe('trapping block kinetics', () => {
  const r = 1 / (8 * 60); // per min at baseline activity (8 h untrap time constant)

  it('matches the analytic solution at constant concentration', () => {
    // x = free/Ki; B(t) = x/(1+x)·(1 − e^(−r(1+x)t)).
    const c = 237.73; // 1 µM plasma ⇒ 0.53 µM free
    const times = grid(600, 30);
    const out = simulateReceptorBlock({ timesMin: times, plasmaNgPerMl: times.map(() => c) }, p);
    const x = 0.53 / 0.119;
    times.forEach((t, i) => {
      const exact = (x / (1 + x)) * (1 - Math.exp(-r * (1 + x) * t));
      expect(out.trappedBlock[i]!).toBeCloseTo(exact, 6);
    });
    expect(out.occupancy[0]).toBeCloseTo(x / (1 + x), 12);
  });

  it('decays as exp(−t/τ) once the drug is gone, and faster with more activity', () => {
    const times = grid(24 * 60, 60);
    const zero = times.map(() => 0);
    const base = simulateReceptorBlock({ timesMin: times, plasmaNgPerMl: zero }, p, {
      parent: 0.6,
      norketamine: 0,
    });
    const at8h = base.trappedBlock[8]!;
    expect(at8h).toBeCloseTo(0.6 * Math.exp(-1), 6);
    const active = simulateReceptorBlock(
      { timesMin: times, plasmaNgPerMl: zero },
      receptorParameters('racemic-ketamine', { relativeActivity: 2 }),
      { parent: 0.6, norketamine: 0 },
    );
    expect(active.trappedBlock[8]!).toBeCloseTo(0.6 * Math.exp(-2), 6);
    expect(active.trappedBlock[8]!).toBeLessThan(at8h);
  });

  it('block outlasts the drug: hours after a 40-min infusion occupancy is ~0 but block is not', () => {
    // 40-min infusion-like input: ramps up to 185 ng/mL, then falls with a 30-min half-life.
    const times = grid(24 * 60, 5);
    const conc = times.map((t) => (t <= 40 ? (185 * t) / 40 : 185 * Math.exp((-Math.LN2 * (t - 40)) / 30)));
    const out = simulateReceptorBlock({ timesMin: times, plasmaNgPerMl: conc }, p);
    const idx = (min: number) => times.indexOf(min);
    expect(out.trappedBlock[idx(40)]!).toBeLessThan(out.occupancy[idx(40)]!); // block lags
    expect(out.occupancy[idx(600)]!).toBeLessThan(1e-3);
    expect(out.trappedBlock[idx(600)]!).toBeGreaterThan(0.05);
    expect(out.trappedBlock[idx(1440)]!).toBeLessThan(out.trappedBlock[idx(600)]!);
  });

  it('block stays in [0, 1] and never rises while no drug is present (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        (conc, zeros) => {
          const c = [...conc, ...Array.from({ length: zeros }, () => 0)];
          const times = c.map((_, i) => i * 30);
          const out = simulateReceptorBlock({ timesMin: times, plasmaNgPerMl: c }, p);
          for (let i = 0; i < c.length; i++) {
            const b = out.trappedBlock[i]!;
            if (!(b >= -1e-9 && b <= 1 + 1e-9)) return false;
            if (i > conc.length && b > out.trappedBlock[i - 1]! + 1e-12) return false;
          }
          return true;
        },
      ),
      { numRuns: 50 },
    );
  });

  it('with norketamine the block converges to the competitive equilibrium occupancy', () => {
    const times = grid(7 * 24 * 60, 240);
    const out = simulateReceptorBlock(
      {
        timesMin: times,
        plasmaNgPerMl: times.map(() => 100),
        norketamineNgPerMl: times.map(() => 200),
      },
      p,
    );
    expect(out.trappedBlock.at(-1)!).toBeCloseTo(out.occupancy.at(-1)!, 5);
    expect(out.trappedBlockNorketamine!.at(-1)!).toBeGreaterThan(0);
  });
});

describe('validation', () => {
  const fieldOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ClinicalInputError) return e.field;
      throw e;
    }
    throw new Error('did not throw');
  };

  it('names the bad field and never clamps', () => {
    expect(fieldOf(() => simulateReceptorBlock({ timesMin: [0], plasmaNgPerMl: [1] }, p))).toBe('timesMin');
    expect(fieldOf(() => simulateReceptorBlock({ timesMin: [0, 5, 5], plasmaNgPerMl: [1, 1, 1] }, p))).toBe(
      'timesMin[2]',
    );
    expect(fieldOf(() => simulateReceptorBlock({ timesMin: [0, 5], plasmaNgPerMl: [1, -1] }, p))).toBe(
      'plasmaNgPerMl[1]',
    );
    expect(fieldOf(() => receptorParameters('racemic-ketamine', { fractionUnboundParent: 1.5 }))).toBe(
      'fractionUnboundParent',
    );
    expect(fieldOf(() => receptorParameters('racemic-ketamine', { kiParentUm: 0 }))).toBe('kiParentUm');
  });

  it('an override is visible as user-set with the default kept in the source', () => {
    const q = receptorParameters('racemic-ketamine', { kiParentUm: 5.1 });
    expect(q.kiParentUm.status).toBe('user-set');
    expect(q.kiParentUm.source).toContain('0.119');
  });
});
