import { describe, expect, it } from 'vitest';
import { buildModel } from './models';
import { type InputEvent, solveLinear } from './solver';
import { computeTci } from './tci';

/** Re-simulates a schedule independently (matrix-exponential propagator, another grid). */
function resimulate(
  id: string,
  r: ReturnType<typeof computeTci>,
  times: number[],
  site: 'plasma' | 'effect',
): Float64Array {
  const m = buildModel(id, { weightKg: 70 });
  const events: InputEvent[] = [
    ...r.boluses.map((b): InputEvent => ({
      kind: 'bolus',
      compartment: m.centralIndex,
      timeMin: b.timeMin,
      amountMg: b.doseMg,
    })),
    ...r.infusions
      .filter((i) => i.rateMgPerMin > 0)
      .map((i): InputEvent => ({
        kind: 'zero-order',
        compartment: m.centralIndex,
        startMin: i.startMin,
        durationMin: i.durationMin,
        rateMgPerMin: i.rateMgPerMin,
      })),
  ];
  const row = site === 'effect' ? m.effectRow! : m.outputs[0]!.row;
  return solveLinear(m.system, events, times, [row], { method: 'expm' }).values[0]!;
}

describe('target-controlled infusion', () => {
  const ids = ['domino-1984', 'clements-1981', 'hijazi-2003', 'herd-2007', 'kamp-2020', 'perez-ruixo-2021'];
  for (const id of ids) {
    it(`${id}: plasma target 150 then 250 ng/mL is reached within 1% with ≤ 5% overshoot`, () => {
      const r = computeTci({
        modelId: id,
        covariates: { weightKg: 70 },
        targets: [
          { startMin: 0, targetNgPerMl: 150 },
          { startMin: 30, targetNgPerMl: 250 },
        ],
        durationMin: 60,
      });
      for (const s of r.verification.segments) {
        expect(s.reachedWithinOnePercentAtMin).not.toBeNull();
        expect(s.overshootPercent).toBeLessThanOrEqual(5);
        expect(s.maxDeviationAfterReachPercent!).toBeLessThanOrEqual(1);
      }
      // Independent check on an unrelated grid (0.37 min) with the other propagator.
      const times = Array.from({ length: 162 }, (_, k) => k * 0.37);
      const c = resimulate(id, r, times, 'plasma');
      times.forEach((t, k) => {
        const target = t < 30 ? 150 : 250;
        expect(c[k]!, `t=${t}`).toBeLessThanOrEqual(target * 1.05);
        expect(c[k]!, `t=${t}`).toBeGreaterThanOrEqual(target * 0.99);
      });
      expect(r.boluses[0]!.timeMin).toBe(0);
      expect(r.boluses[1]!.timeMin).toBe(30);
    });
  }

  for (const id of ['clements-1981', 'hijazi-2003', 'kamp-2020']) {
    it(`${id}: effect-site target reaches 150 ng/mL within 1% and overshoots ≤ 5%`, () => {
      const r = computeTci({
        modelId: id,
        covariates: { weightKg: 70 },
        targetSite: 'effect',
        targets: [{ startMin: 0, targetNgPerMl: 150 }],
        durationMin: 60,
      });
      const s = r.verification.segments[0]!;
      expect(s.reachedWithinOnePercentAtMin!).toBeLessThan(5);
      expect(s.overshootPercent).toBeLessThanOrEqual(5);
      const times = Array.from({ length: 100 }, (_, k) => 5 + k * 0.55);
      const ce = resimulate(id, r, times, 'effect');
      for (const v of ce) {
        expect(v).toBeLessThanOrEqual(150 * 1.05);
        expect(v).toBeGreaterThanOrEqual(150 * 0.99);
      }
    });
  }

  it('respects a maximum pump rate and never gives a negative rate', () => {
    const r = computeTci({
      modelId: 'kamp-2020',
      covariates: { weightKg: 70 },
      targets: [
        { startMin: 0, targetNgPerMl: 200 },
        { startMin: 20, targetNgPerMl: 100 },
      ],
      durationMin: 40,
      maxRateMgPerMin: 1,
    });
    for (const i of r.infusions) {
      expect(i.rateMgPerMin).toBeGreaterThanOrEqual(0);
      expect(i.rateMgPerMin).toBeLessThanOrEqual(1);
    }
    // After the step down the pump stops until the concentration has fallen.
    expect(r.infusions.find((i) => i.startMin === 20)!.rateMgPerMin).toBe(0);
  });

  it('refuses an effect-site target for a model without ke0, naming ke0PerMin', () => {
    expect(() =>
      computeTci({
        modelId: 'domino-1984',
        covariates: { weightKg: 70 },
        targetSite: 'effect',
        targets: [{ startMin: 0, targetNgPerMl: 150 }],
        durationMin: 10,
      }),
    ).toThrowError(expect.objectContaining({ field: 'ke0PerMin' }));
  });
});
