import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { planInfusionDose } from './planning';
import { parseDose } from './regimen';

describe('pump planning', () => {
  it('70 kg, 0.5 mg/kg over 45 min, 50 mg/mL vial, 100 mL bag (hand calculation)', () => {
    const p = planInfusionDose({
      weightKg: 70,
      dose: parseDose('0.5 mg/kg over 45 min'),
      vialMgPerMl: 50,
      bagMl: 100,
    });
    expect(p.doseMg).toBeCloseTo(35, 12);
    expect(p.drugVolumeMl).toBeCloseTo(0.7, 12);
    expect(p.totalVolumeMl).toBeCloseTo(100.7, 12);
    // 100.7 mL / 0.75 h = 134.2667 mL/h → 134.3 at 0.1 mL/h resolution.
    expect(p.exactRateMlPerH).toBeCloseTo(134.26667, 4);
    expect(p.rateMlPerH).toBe(134.3);
    // Delivered in 45 min at 134.3 mL/h: 134.3 × 0.75 × 35/100.7 = 35.00869 mg.
    expect(p.deliveredAtPlannedDurationMg).toBeCloseTo(35.00869, 4);
    expect(p.doseErrorMg).toBeCloseTo(0.00869, 4);
    expect(p.doseErrorPercent).toBeCloseTo(0.0248, 3);
    expect(p.durationAtRoundedRateMin).toBeCloseTo((100.7 / 134.3) * 60, 10);
  });

  it('rounds to a coarser pump resolution', () => {
    const p = planInfusionDose({
      weightKg: 70,
      dose: parseDose('0.5 mg/kg over 45 min'),
      vialMgPerMl: 50,
      bagMl: 100,
      pumpResolutionMlPerH: 1,
    });
    expect(p.rateMlPerH).toBe(134);
    expect(p.doseErrorMg).toBeLessThan(0);
  });

  it('ideal (Devine) and adjusted body weight (hand calculation, 170 cm male, 100 kg)', () => {
    // Devine: 50 + 2.3 × (170/2.54 − 60) = 65.9370 kg; adjusted: 65.9370 + 0.4 × (100 − 65.9370) = 79.5622 kg.
    const ideal = planInfusionDose({
      weightKg: 100,
      heightCm: 170,
      sex: 'M',
      weightBasis: 'ideal',
      dose: parseDose('0.5 mg/kg over 40 min'),
      vialMgPerMl: 10,
      bagMl: 100,
    });
    expect(ideal.dosingWeightKg).toBeCloseTo(65.937, 3);
    expect(ideal.doseMg).toBeCloseTo(32.9685, 3);
    const adj = planInfusionDose({
      weightKg: 100,
      heightCm: 170,
      sex: 'M',
      weightBasis: 'adjusted',
      dose: parseDose('0.5 mg/kg over 40 min'),
      vialMgPerMl: 10,
      bagMl: 100,
    });
    expect(adj.dosingWeightKg).toBeCloseTo(79.5622, 3);
  });

  it('refuses a dose above the session maximum (default 1.0 mg/kg), naming the dose', () => {
    const go = (dose: string, max?: number) => () =>
      planInfusionDose({
        weightKg: 70,
        dose: parseDose(dose),
        vialMgPerMl: 50,
        bagMl: 100,
        maxMgPerKgPerSession: max,
      });
    expect(go('1.2 mg/kg over 40 min')).toThrowError(/above the session maximum of 1 mg\/kg/);
    expect(go('80 mg over 40 min')).toThrowError(ClinicalInputError);
    expect(go('1.0 mg/kg over 40 min')).not.toThrow();
    expect(go('0.75 mg/kg over 45 min', 0.6)).toThrowError(/0.6 mg\/kg/);
  });

  it('refuses a bolus or a missing height for ideal weight', () => {
    expect(() =>
      planInfusionDose({ weightKg: 70, dose: parseDose('20 mg at 0 min'), vialMgPerMl: 50, bagMl: 100 }),
    ).toThrow(/IV infusion/);
    expect(() =>
      planInfusionDose({
        weightKg: 70,
        weightBasis: 'ideal',
        dose: parseDose('0.5 mg/kg over 40 min'),
        vialMgPerMl: 50,
        bagMl: 100,
      }),
    ).toThrowError(expect.objectContaining({ field: 'heightCm' }) as ClinicalInputError);
  });
});
