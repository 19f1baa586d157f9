/**
 * Cached relation "NMDA-receptor block → LHb burst suppression", computed once by the
 * conductance-based population model (./lhb) so that a 24–48 h patient time axis needs no neuron
 * simulation. burstTable.test.ts recomputes several rows and fails if the model and this table
 * drift apart. Regenerate with computeBurstSuppressionCurve(BURST_TABLE.nmdaBlockLevels,
 * BURST_TABLE.options) after changing the neuron model or its defaults.
 *
 * Everything here is a model output from illustrative parameters, not a measured relation.
 */
import { ClinicalInputError } from '../errors';
import { DEPRESSED_KIR41_LEVEL } from './lhb';

export const BURST_TABLE = {
  options: {
    kir41Level: DEPRESSED_KIR41_LEVEL,
    cells: 5,
    kir41Spread: 0.4,
    durationMs: 4000,
    transientMs: 500,
  },
  nmdaBlockLevels: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1],
  // Mean bursts per second per cell over 3.5 s of model time (5 cells, Kir4.1 1.6–2.4).
  burstsPerS: [
    4, 3.599999999999999, 2.971428571428571, 2, 2.057142857142857, 1.0857142857142859, 1.0857142857142859,
    0.5142857142857143, 0.45714285714285713, 0, 0, 0, 0,
  ],
} as const;

/** Burst suppression (1 − rate/rate at no block) at each tabulated block level. */
export const BURST_SUPPRESSION_TABLE: readonly number[] = BURST_TABLE.burstsPerS.map(
  (r) => 1 - r / BURST_TABLE.burstsPerS[0],
);

/**
 * Predicted burst suppression for an NMDA-receptor block fraction (0–1), by linear interpolation
 * in the cached table.
 */
export function burstSuppressionFromBlock(blockFraction: number): number {
  if (!(blockFraction >= 0 && blockFraction <= 1))
    throw new ClinicalInputError('blockFraction', 'block fraction must be in [0, 1]');
  const x = BURST_TABLE.nmdaBlockLevels;
  let i = 1;
  while (i < x.length - 1 && x[i]! < blockFraction) i++;
  const x0 = x[i - 1]!;
  const x1 = x[i]!;
  const y0 = BURST_SUPPRESSION_TABLE[i - 1]!;
  const y1 = BURST_SUPPRESSION_TABLE[i]!;
  return y0 + ((blockFraction - x0) / (x1 - x0)) * (y1 - y0);
}
