import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { simulateSpines, spineParameters } from './spines';
import { ClinicalInputError } from '../errors';

const p = spineParameters();
const H = 60;

function grid(endMin: number, stepMin: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= endMin + 1e-9; t += stepMin) out.push(t);
  return out;
}

// A single-dose block time course: rises over the first hour, then decays with τ = 8 h.
const times = grid(14 * 24 * H, 15);
const block = times.map((t) => (t <= H ? (0.4 * t) / H : 0.4 * Math.exp(-(t - H) / (8 * H))));
const out = simulateSpines(times, block, p);
const at = (hours: number) => times.indexOf(hours * H);

describe('spine component: published timing (Moda-Sava 2019)', () => {
  it('formation is essentially unchanged at 3–6 h and clearly raised at 12–24 h', () => {
    const peak = Math.max(...out.formationIndex);
    expect(out.formationIndex[at(3)]!).toBeLessThan(0.01 * peak);
    expect(out.formationIndex[at(6)]!).toBeLessThan(0.05 * peak);
    expect(out.formationIndex[at(12)]!).toBeGreaterThan(0.3 * peak);
    expect(out.formationIndex[at(24)]!).toBeGreaterThan(0.3 * peak);
  });

  it('the spine component is near zero before 6 h and rising by 24 h', () => {
    expect(out.spineComponent[at(6)]!).toBeLessThan(1e-3);
    expect(out.spineComponent[at(24)]!).toBeGreaterThan(20 * out.spineComponent[at(6)]!);
    expect(out.spineComponent[at(24)]!).toBeGreaterThan(out.spineComponent[at(12)]!);
  });

  it('is sustained over days and then decays', () => {
    const s = out.spineComponent;
    const peak = Math.max(...s);
    const peakIdx = s.indexOf(peak);
    expect(times[peakIdx]! / H).toBeGreaterThan(24); // peaks after the first day
    expect(s[at(4 * 24)]!).toBeGreaterThan(0.5 * peak); // still high at day 4
    expect(s[at(14 * 24)]!).toBeLessThan(0.3 * peak); // mostly gone by 2 weeks
    for (let i = peakIdx + 1; i < s.length; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]! + 1e-12);
  });

  it('the delay chain conserves area: ∫formation dt ≈ ∫block dt over a long horizon', () => {
    // Each stage of the linear chain has unit DC gain, so the areas must agree (trapezoid rule).
    const area = (ys: number[]) =>
      ys.reduce((s, y, i) => (i === 0 ? 0 : s + 0.5 * (y + ys[i - 1]!) * (times[i]! - times[i - 1]!)), 0);
    expect(area(out.formationIndex)).toBeCloseTo(area(block), 1);
  });
});

describe('spine component: properties', () => {
  it('stays in [0, 1] and is zero without any block (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (b) => {
          const t = b.map((_, i) => i * 180);
          const r = simulateSpines(t, b, p);
          return r.spineComponent.every((s) => s >= -1e-9 && s <= 1);
        },
      ),
      { numRuns: 40 },
    );
    const none = simulateSpines([0, 600, 1200], [0, 0, 0], p);
    expect(none.spineComponent.every((s) => s === 0)).toBe(true);
  });

  it('more block gives a larger spine component (monotone in the trigger)', () => {
    const half = simulateSpines(
      times,
      block.map((b) => b / 2),
      p,
    );
    expect(half.spineComponent[at(48)]!).toBeLessThan(out.spineComponent[at(48)]!);
  });

  it('rejects bad input naming the field', () => {
    expect(() => simulateSpines([0, 1], [0, 1.5], p)).toThrow(ClinicalInputError);
    expect(() => spineParameters({ delayStages: 2.5 })).toThrow(/delayStages/);
    expect(() => spineParameters({ meanDelayH: -1 })).toThrow(/meanDelayH/);
  });
});
