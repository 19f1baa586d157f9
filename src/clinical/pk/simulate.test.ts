import { describe, expect, it } from 'vitest';
import { KETAMINE_MW_G_PER_MOL } from './models';
import { parseRegimen } from './regimen';
import { simulateRegimen, thresholdMetrics, timeGrid } from './simulate';

const domino = (doses: string[], timesMin: number[]) =>
  simulateRegimen({
    modelId: 'domino-1984',
    covariates: { weightKg: 70 },
    doses: parseRegimen(doses),
    timesMin,
  });

describe('exposure metrics', () => {
  it('threshold metrics on a hand-made triangle: above from 5 to 15 min', () => {
    const m = thresholdMetrics([0, 10, 20], [0, 200, 0], 100);
    expect(m.timeAboveMin).toBeCloseTo(10, 12);
    expect(m.fallsBelowAtMin).toBeCloseTo(15, 12);
    expect(m.aboveAtEnd).toBe(false);
    expect(thresholdMetrics([0, 10], [0, 50], 100)).toMatchObject({ timeAboveMin: 0, fallsBelowAtMin: null });
    expect(thresholdMetrics([0, 10], [150, 150], 100)).toMatchObject({
      timeAboveMin: 10,
      aboveAtEnd: true,
      fallsBelowAtMin: null,
    });
  });

  it('AUC(0–∞) equals dose / clearance (Domino CL 1.93158 L/min at 70 kg, stanpumpR)', () => {
    const r = domino(['0.5 mg/kg over 40 min'], [0, 60]);
    // 35 mg / 1.93158 L/min = 18.12 mg·min/L = 18120 ng·min/mL = 302.0 ng·h/mL.
    expect(r.metrics.ketamine!.aucInfNgHPerMl).toBeCloseTo((35 / 1.93158 / 60) * 1000, 2);
  });

  it('AUC(0–t) agrees with a fine trapezoid over the simulated curve', () => {
    const times = timeGrid(0.01, 240);
    const r = domino(['0.5 mg/kg over 40 min', '5 mg at 100 min'], times);
    const c = r.analytes.ketamine!;
    let trap = 0;
    for (let i = 1; i < c.length; i++) {
      // The bolus jump at 100 min costs the trapezoid ≈ 0.005 min × jump, well inside the tolerance.
      trap += ((times[i]! - times[i - 1]!) * (c[i - 1]! + c[i]!)) / 2;
    }
    expect(Math.abs(r.metrics.ketamine!.aucToEndNgHPerMl - trap / 60) / (trap / 60)).toBeLessThan(2e-3);
  });

  it('Cmax, Tmax and end-of-infusion concentration for the standard regimen (reference §1.11: 240.4 at 40 min)', () => {
    const r = domino(['0.5 mg/kg over 40 min'], [0, 240]);
    const m = r.metrics.ketamine!;
    expect(m.tmaxMin).toBe(40);
    expect(m.cmaxNgPerMl).toBeCloseTo(240.4, 1);
    expect(m.endOfInfusion).toHaveLength(1);
    expect(m.endOfInfusion[0]!.concentrationNgPerMl).toBeCloseTo(240.4, 1);
    expect(m.cmaxUm).toBeCloseTo(m.cmaxNgPerMl / 237.73, 12);
  });

  it('the threshold crossing time is where the concentration equals the threshold', () => {
    const r = domino(['0.5 mg/kg over 40 min'], [0, 240]);
    const th = r.metrics.ketamine!.threshold!;
    expect(th.thresholdNgPerMl).toBe(100);
    const at = domino(['0.5 mg/kg over 40 min'], [th.fallsBelowAtMin!]).analytes.ketamine![0]!;
    expect(Math.abs(at - 100)).toBeLessThan(0.05);
    expect(th.timeAboveMin).toBeGreaterThan(0);
    expect(th.timeAboveMin).toBeLessThan(th.fallsBelowAtMin!);
  });

  it('µM = ng/mL ÷ 237.73 (185 ng/mL = 0.778 µM, reference §4.1)', () => {
    expect(185 / KETAMINE_MW_G_PER_MOL).toBeCloseTo(0.778, 3);
    const r = domino(['0.5 mg/kg over 40 min'], [40]);
    expect(r.analytesUm.ketamine![0]).toBeCloseTo(r.analytes.ketamine![0]! / 237.73, 12);
  });

  it('a 6-infusion induction over 3 weeks: each infusion reaches the same peak (washout between sessions)', () => {
    const doses = [0, 2, 4, 7, 9, 11].map((d) => `0.5 mg/kg over 40 min at ${d * 1440} min`);
    const r = domino(doses, [40, 11 * 1440 + 40]);
    const [first, last] = r.analytes.ketamine!;
    expect(Math.abs(last! - first!) / first!).toBeLessThan(0.01);
    expect(r.metrics.ketamine!.endOfInfusion).toHaveLength(6);
  });
});
