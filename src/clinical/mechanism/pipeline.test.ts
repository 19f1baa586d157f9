import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MECHANISM_BANNER, simulateMechanism } from './pipeline';
import { burstSuppressionFromBlock } from './burstTable';
import { ClinicalInputError } from '../errors';

// Domino model prediction for 0.5 mg/kg over 40 min at 70 kg, pharmacology.md §1.11 [C]
// (an input computed independently of this code), ng/mL.
const dominoTimes = [0, 10, 20, 40, 50, 80, 110, 120, 230, 360, 1440, 2880];
const dominoConc = [0, 181.8, 209.6, 240.4, 71.1, 45.8, 38.1, 35.8, 18.4, 8.4, 0, 0];

/** Piecewise-linear resampling of the Domino points onto a regular grid. */
function resample(stepMin: number, endMin: number) {
  const times: number[] = [];
  const conc: number[] = [];
  let j = 0;
  for (let t = 0; t <= endMin + 1e-9; t += stepMin) {
    while (j < dominoTimes.length - 2 && dominoTimes[j + 1]! < t) j++;
    const w = (t - dominoTimes[j]!) / (dominoTimes[j + 1]! - dominoTimes[j]!);
    times.push(t);
    conc.push(dominoConc[j]! + w * (dominoConc[j + 1]! - dominoConc[j]!));
  }
  return { timesMin: times, plasmaNgPerMl: conc };
}

const series = resample(1, 2880); // 48 h at 1-min resolution: 2881 points
const out = simulateMechanism(series);
const idx = (min: number) => out.timesMin.indexOf(min);

describe('mechanism chain on one time axis', () => {
  it('carries the educational banner and lists its assumptions', () => {
    expect(out.banner).toBe(MECHANISM_BANNER);
    expect(out.banner.toLowerCase()).toContain('educational model, not a prediction for the individual');
    expect(out.assumptions.length).toBeGreaterThanOrEqual(8);
    const text = out.assumptions.join(' ');
    for (const word of ['Kp,uu', 'Hill', 'Ki', 'untrapping', 'illustrative', 'interpolated', 'Norketamine'])
      expect(text).toContain(word);
  });

  it('every series has one value per time point', () => {
    const n = series.timesMin.length;
    for (const key of [
      'plasmaNgPerMl',
      'freeBrainUm',
      'totalBrainUm',
      'occupancy',
      'trappedBlock',
      'burstSuppression',
      'spineFormationIndex',
      'spineComponent',
    ] as const)
      expect(out[key]).toHaveLength(n);
  });

  it('occupancy peaks with the concentration at the end of the infusion', () => {
    expect(out.summary.peakOccupancyTimeMin).toBe(40);
    // By hand: 240.4 ng/mL / 237.73 × 0.53 = 0.536 µM free; occupancy = x/(1+x), x = 0.536/0.119.
    const x = ((240.4 / 237.73) * 0.53) / 0.119;
    expect(out.summary.peakOccupancy).toBeCloseTo(x / (1 + x), 6);
  });

  it('trapped block lags the drug and outlasts it', () => {
    expect(out.summary.peakTrappedBlockTimeMin).toBeGreaterThan(40);
    expect(out.trappedBlock[idx(40)]!).toBeLessThan(out.occupancy[idx(40)]!);
    expect(out.trappedBlock[idx(720)]!).toBeGreaterThan(out.occupancy[idx(720)]!);
    // Drug gone after 24 h: the block only decays.
    for (let i = idx(1440) + 1; i < out.trappedBlock.length; i++)
      expect(out.trappedBlock[i]!).toBeLessThanOrEqual(out.trappedBlock[i - 1]! + 1e-12);
  });

  it('burst suppression is the cached neuron-model relation applied to the block', () => {
    for (const m of [0, 40, 120, 600, 1440])
      expect(out.burstSuppression[idx(m)]).toBe(burstSuppressionFromBlock(out.trappedBlock[idx(m)]!));
    expect(out.summary.peakBurstSuppression).toBeGreaterThan(0);
  });

  it('spine component: near zero before 6 h, rising by 24 h', () => {
    expect(out.spineComponent[idx(360)]!).toBeLessThan(1e-3);
    expect(out.spineComponent[idx(1440)]!).toBeGreaterThan(10 * out.spineComponent[idx(360)]!);
    expect(out.spineComponent[idx(1440)]!).toBeGreaterThan(out.spineComponent[idx(720)]!);
  });

  it('computes a 48-h axis at 1-min resolution well under a second', () => {
    const t0 = performance.now();
    simulateMechanism(series);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('is deterministic and reports progress up to 1', () => {
    const seen: number[] = [];
    const again = simulateMechanism(series, { onProgress: (f) => seen.push(f) });
    expect(again.trappedBlock).toEqual(out.trappedBlock);
    expect(again.spineComponent).toEqual(out.spineComponent);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });

  it('a higher dose never gives less occupancy, block or spine component (property)', () => {
    const short = resample(10, 1440);
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (s, f) => {
          const lo = simulateMechanism({ ...short, plasmaNgPerMl: short.plasmaNgPerMl.map((c) => c * s) });
          const hi = simulateMechanism({
            ...short,
            plasmaNgPerMl: short.plasmaNgPerMl.map((c) => c * s * f),
          });
          return lo.timesMin.every(
            (_, i) =>
              hi.occupancy[i]! >= lo.occupancy[i]! * (1 - 1e-12) &&
              // up to float round-off and the ODE tolerance (adaptive steps differ between runs)
              hi.trappedBlock[i]! >= lo.trappedBlock[i]! * (1 - 1e-5) - 1e-12 &&
              hi.spineComponent[i]! >= lo.spineComponent[i]! * (1 - 1e-5) - 1e-12,
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('no drug: no occupancy, no block, no suppression, no spine component', () => {
    const none = simulateMechanism({ timesMin: [0, 60, 600], plasmaNgPerMl: [0, 0, 0] });
    for (const key of ['occupancy', 'trappedBlock', 'burstSuppression', 'spineComponent'] as const)
      expect(none[key].every((v) => v === 0)).toBe(true);
  });

  it('esketamine and norketamine inputs are accepted and change the result', () => {
    const withNk = simulateMechanism({
      ...series,
      norketamineNgPerMl: series.plasmaNgPerMl.map((c) => c / 2),
    });
    expect(withNk.summary.peakTrappedBlock).toBeGreaterThan(out.summary.peakTrappedBlock);
    const es = simulateMechanism(series, { drug: 'esketamine' });
    expect(es.drug).toBe('esketamine');
    expect(es.summary.peakOccupancy).toBeLessThan(out.summary.peakOccupancy); // Ki 0.30 vs 0.119 µM
  });

  it('exposes every parameter with its status; overrides show as user-set', () => {
    const statuses = new Set(out.parameters.map((p) => p.status));
    expect(statuses.has('S')).toBe(true);
    expect(statuses.has('illustrative')).toBe(true);
    const o = simulateMechanism(series, { receptorOverrides: { kiParentUm: 5.1 } });
    expect(o.parameters.find((p) => p.id === 'kiParentUm')!.status).toBe('user-set');
    expect(o.summary.peakOccupancy).toBeLessThan(out.summary.peakOccupancy);
  });

  it('rejects bad input with the field named', () => {
    try {
      simulateMechanism({ timesMin: [0, 10], plasmaNgPerMl: [0, Number.NaN] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ClinicalInputError);
      expect((e as ClinicalInputError).field).toBe('plasmaNgPerMl[1]');
    }
  });
});
