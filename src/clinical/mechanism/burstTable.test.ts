import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BURST_SUPPRESSION_TABLE, BURST_TABLE, burstSuppressionFromBlock } from './burstTable';
import { simulateLhbPopulation } from './lhb';

describe('cached block → burst suppression table', () => {
  it('matches the neuron model at several block levels (cache is not stale)', () => {
    const { kir41Level, ...opts } = BURST_TABLE.options;
    for (const i of [0, 3, 8, 9]) {
      const b = BURST_TABLE.nmdaBlockLevels[i]!;
      const r = simulateLhbPopulation({ kir41Level, nmdaBlockFraction: b, tTypeBlockFraction: 0 }, opts);
      expect(r.burstsPerS).toBeCloseTo(BURST_TABLE.burstsPerS[i]!, 9);
    }
  });

  it('starts at 0, ends at full suppression, and never suppresses more than 100%', () => {
    expect(BURST_SUPPRESSION_TABLE[0]).toBe(0);
    expect(BURST_SUPPRESSION_TABLE.at(-1)).toBe(1);
    expect(BURST_SUPPRESSION_TABLE.every((s) => s <= 1)).toBe(true);
  });

  it('interpolates exactly at the table points and linearly between them', () => {
    BURST_TABLE.nmdaBlockLevels.forEach((b, i) =>
      expect(burstSuppressionFromBlock(b)).toBeCloseTo(BURST_SUPPRESSION_TABLE[i]!, 12),
    );
    const mid = (BURST_SUPPRESSION_TABLE[1]! + BURST_SUPPRESSION_TABLE[2]!) / 2;
    expect(burstSuppressionFromBlock(0.075)).toBeCloseTo(mid, 12);
  });

  it('stays within the range of the table for any block in [0, 1] (property)', () => {
    const lo = Math.min(...BURST_SUPPRESSION_TABLE);
    const hi = Math.max(...BURST_SUPPRESSION_TABLE);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (b) => {
        const s = burstSuppressionFromBlock(b);
        return s >= lo && s <= hi;
      }),
    );
  });

  it('rejects a block fraction outside [0, 1]', () => {
    expect(() => burstSuppressionFromBlock(1.2)).toThrow(/block/);
    expect(() => burstSuppressionFromBlock(Number.NaN)).toThrow(/block/);
  });
});
