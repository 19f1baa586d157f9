import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CONTROL_KIR41_LEVEL,
  DEFAULT_LHB_PARAMETERS,
  DEPRESSED_KIR41_LEVEL,
  LHB_PARAMETER_SOURCES,
  detectBursts,
  extracellularKMm,
  nmdaMgUnblock,
  potassiumReversalMv,
  simulateLhbNeuron,
  simulateLhbPopulation,
  computeBurstSuppressionCurve,
} from './lhb';
import { ClinicalInputError } from '../errors';

const sim = (kir41Level: number, nmdaBlockFraction = 0, tTypeBlockFraction = 0) =>
  simulateLhbNeuron({ kir41Level, nmdaBlockFraction, tTypeBlockFraction }, { durationMs: 2500 });

const control = sim(CONTROL_KIR41_LEVEL);
const depressed = sim(DEPRESSED_KIR41_LEVEL);

describe('Kir4.1 sets the resting potential through [K⁺]o', () => {
  it('Nernst E_K by hand at control Kir4.1: [K⁺]o = 7.1/1.54 mM, E_K = 26.7·ln([K⁺]o/140)', () => {
    expect(extracellularKMm(1)).toBeCloseTo(7.1 / 1.54, 12);
    expect(potassiumReversalMv(1)).toBeCloseTo(26.7 * Math.log(7.1 / 1.54 / 140), 12);
  });

  it('more Kir4.1 ⇒ lower [K⁺]o ⇒ more negative E_K (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          return potassiumReversalMv(hi) <= potassiumReversalMv(lo);
        },
      ),
    );
  });

  it('the depressive-like (high Kir4.1) cell is more hyperpolarised than the control cell', () => {
    expect(depressed.meanMembraneMv).toBeLessThan(control.meanMembraneMv - 5);
    expect(depressed.minMembraneMv).toBeLessThan(control.minMembraneMv);
  });
});

describe('firing modes (Yang 2018; Cui 2018)', () => {
  it('control Kir4.1: tonic firing, no bursts', () => {
    expect(control.spikesPerS).toBeGreaterThan(5);
    expect(control.burstsPerS).toBe(0);
    expect(control.burstFraction).toBe(0);
  });

  it('raised Kir4.1: rhythmic bursting', () => {
    expect(depressed.burstsPerS).toBeGreaterThanOrEqual(2);
    expect(depressed.burstFraction).toBeGreaterThan(0.8);
  });

  it('more Kir4.1 gives more bursting (control → raised)', () => {
    const levels = [0.5, CONTROL_KIR41_LEVEL, DEPRESSED_KIR41_LEVEL];
    const bf = levels.map((k) => (k === DEPRESSED_KIR41_LEVEL ? depressed : sim(k)).burstFraction);
    expect(bf[0]).toBeLessThanOrEqual(bf[1]!);
    expect(bf[1]).toBeLessThan(bf[2]!);
  });

  it('blocking NMDA receptors abolishes the bursts', () => {
    const r = sim(DEPRESSED_KIR41_LEVEL, 1, 0);
    expect(r.burstsPerS).toBe(0);
  });

  it('blocking T-type Ca²⁺ channels abolishes the bursts', () => {
    const r = sim(DEPRESSED_KIR41_LEVEL, 0, 1);
    expect(r.burstsPerS).toBe(0);
  });

  it('the same holds across the heterogeneous population', () => {
    const base = { kir41Level: DEPRESSED_KIR41_LEVEL, tTypeBlockFraction: 0, nmdaBlockFraction: 0 };
    const opts = { durationMs: 2000 };
    expect(simulateLhbPopulation(base, opts).burstsPerS).toBeGreaterThan(1);
    expect(simulateLhbPopulation({ ...base, nmdaBlockFraction: 1 }, opts).burstsPerS).toBe(0);
    expect(simulateLhbPopulation({ ...base, tTypeBlockFraction: 1 }, opts).burstsPerS).toBe(0);
  });

  it('burst count does not depend on the solver tolerance (numerical convergence)', () => {
    const c = { kir41Level: DEPRESSED_KIR41_LEVEL, nmdaBlockFraction: 0, tTypeBlockFraction: 0 };
    const a = simulateLhbNeuron(c, { durationMs: 1500, rtol: 1e-5 });
    const b = simulateLhbNeuron(c, { durationMs: 1500, rtol: 1e-7 });
    expect(b.bursts.length).toBe(a.bursts.length);
    expect(Math.abs(b.spikeTimesMs.length - a.spikeTimesMs.length)).toBeLessThanOrEqual(1);
  });

  it('the bursts are rebound bursts: without the rhythmic GABA input there are none', () => {
    const r = simulateLhbNeuron(
      { kir41Level: DEPRESSED_KIR41_LEVEL, nmdaBlockFraction: 0, tTypeBlockFraction: 0 },
      { durationMs: 1500, parameters: { ...DEFAULT_LHB_PARAMETERS, gGabaMsPerCm2: 0 } },
    );
    expect(r.burstsPerS).toBe(0);
  });

  it('is deterministic', () => {
    const again = sim(DEPRESSED_KIR41_LEVEL);
    expect(again.spikeTimesMs).toEqual(depressed.spikeTimesMs);
  });
});

describe('building blocks', () => {
  it('Mg²⁺ unblock: 1/(1 + 1/3.57) at 0 mV; increases with depolarisation', () => {
    expect(nmdaMgUnblock(0, 1)).toBeCloseTo(1 / (1 + 1 / 3.57), 12);
    expect(nmdaMgUnblock(-80, 1)).toBeLessThan(nmdaMgUnblock(-40, 1));
  });

  it('burst detection on hand-made spike trains', () => {
    // Burst of 3 after silence, a lone spike, then a doublet too soon after it (no silence).
    const spikes = [100, 105, 112, 300, 330, 335];
    expect(detectBursts(spikes, 20, 50)).toEqual([{ startMs: 100, spikes: 3 }]);
    expect(detectBursts(spikes, 20, 0)).toEqual([
      { startMs: 100, spikes: 3 },
      { startMs: 330, spikes: 2 },
    ]);
    // Regular 10 Hz firing is never bursting.
    expect(detectBursts([0, 100, 200, 300], 20, 50)).toEqual([]);
  });

  it('spikes counted in bursts never exceed the spikes given (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 40 }), (gaps) => {
        let t = 0;
        const spikes = gaps.map((g) => (t += g + 0.1));
        const bursts = detectBursts(spikes, 20, 30);
        return (
          bursts.reduce((s, b) => s + b.spikes, 0) <= spikes.length && bursts.every((b) => b.spikes >= 2)
        );
      }),
    );
  });

  it('every default neuron constant has a documented source and status', () => {
    const ids = LHB_PARAMETER_SOURCES.map((p) => p.id).sort();
    expect(ids).toEqual(Object.keys(DEFAULT_LHB_PARAMETERS).sort());
    for (const p of LHB_PARAMETER_SOURCES) expect(p.source.length).toBeGreaterThan(5);
  });

  it('rejects bad conditions naming the field', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as ClinicalInputError).field;
      }
      return 'no error';
    };
    expect(field(() => sim(-1))).toBe('kir41Level');
    expect(field(() => sim(2, 1.5))).toBe('nmdaBlockFraction');
    expect(field(() => sim(2, 0, -0.1))).toBe('tTypeBlockFraction');
    expect(field(() => computeBurstSuppressionCurve([0.1, 0.2]))).toBe('nmdaBlockLevels');
  });

  it('the curve reports progress and fails loudly if the population does not burst', () => {
    const seen: number[] = [];
    expect(() =>
      computeBurstSuppressionCurve(
        [0, 1],
        { kir41Level: CONTROL_KIR41_LEVEL, durationMs: 800, cells: 1 },
        (f) => seen.push(f),
      ),
    ).toThrow(ClinicalInputError);
    expect(seen[0]).toBe(0.5);
  });
});
