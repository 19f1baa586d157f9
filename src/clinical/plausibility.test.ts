import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from './errors';
import { mechanismFromRegimen } from './mechanism/fromRegimen';
import {
  checkMedicationDose,
  checkRegimenDoses,
  dosesPerDayFromFrequency,
  PLAUSIBLE,
  rangeMessage,
  requireInRange,
  taperStartDoseProblem,
} from './plausibility';
import { planTaperRequest } from './taper/api';

const fieldOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return `${e.field}: ${e.message}`;
    throw e;
  }
  return 'no error';
};

describe('plausible body measurements', () => {
  it('states the whole allowed range', () => {
    expect(rangeMessage(PLAUSIBLE.weightKg)).toBe('must be between 10 and 500 kg');
    expect(rangeMessage(PLAUSIBLE.heightCm)).toBe('must be between 50 and 272 cm');
  });
  it('refuses 900 kg and 0.5 kg, accepts the bounds', () => {
    expect(fieldOf(() => requireInRange('weightKg', PLAUSIBLE.weightKg, 900))).toBe(
      'weightKg: must be between 10 and 500 kg, got 900',
    );
    expect(fieldOf(() => requireInRange('weightKg', PLAUSIBLE.weightKg, 0.5))).toMatch(/between 10 and 500/);
    expect(fieldOf(() => requireInRange('weightKg', PLAUSIBLE.weightKg, 10))).toBe('no error');
    expect(fieldOf(() => requireInRange('weightKg', PLAUSIBLE.weightKg, 500))).toBe('no error');
    expect(fieldOf(() => requireInRange('heightCm', PLAUSIBLE.heightCm, 1.75))).toMatch(/between 50 and 272/);
  });
});

describe('medication doses against the labelled maximum', () => {
  it('reads daily schedules from the recorded frequency', () => {
    expect(dosesPerDayFromFrequency('Twice daily')).toBe(2);
    expect(dosesPerDayFromFrequency('tid')).toBe(3);
    expect(dosesPerDayFromFrequency('as needed')).toBeNull();
  });
  it('sertraline 300 mg once daily is above the 200 mg/day maximum; 200 mg is not', () => {
    const above = checkMedicationDose({
      name: 'Sertraline',
      dose: 300,
      doseUnit: 'mg',
      frequency: 'once daily',
    });
    expect(above.result).toBe('above-maximum');
    expect(above.maximum?.mgPerDay).toBe(200);
    expect(above.message).toMatch(/300 mg a day is above the labelled maximum of 200 mg\/day for sertraline/);
    expect(
      checkMedicationDose({ name: 'Sertraline', dose: 200, doseUnit: 'mg', frequency: 'once daily' }).result,
    ).toBe('within-maximum');
  });
  it('multiplies by doses a day: lorazepam 4 mg three times daily = 12 mg/day > 10', () => {
    const c = checkMedicationDose({
      name: 'Lorazepam',
      dose: 4,
      doseUnit: 'mg',
      frequency: 'three times daily',
    });
    expect(c.result).toBe('above-maximum');
    expect(c.comparedMg).toBe(12);
  });
  it('with an unknown schedule compares the single dose', () => {
    expect(
      checkMedicationDose({ name: 'Alprazolam', dose: 12, doseUnit: 'mg', frequency: 'prn' }).result,
    ).toBe('above-maximum');
    expect(
      checkMedicationDose({ name: 'Alprazolam', dose: 2, doseUnit: 'mg', frequency: 'prn' }).result,
    ).toBe('within-maximum');
  });
  it('does not guess: other units, unknown drugs and missing doses are unchecked', () => {
    expect(checkMedicationDose({ name: 'Sertraline', dose: 5, doseUnit: 'mL' }).result).toBe('unchecked');
    expect(checkMedicationDose({ name: 'Bupropion', dose: 9000, doseUnit: 'mg' }).result).toBe('unchecked');
    expect(checkMedicationDose({ name: 'Sertraline' }).result).toBe('unchecked');
  });
});

describe('taper start dose', () => {
  const base = {
    drug: 'sertraline',
    mode: 'proportional',
    stepPct: 10,
    intervalDays: 28,
    startDate: '2026-01-05',
  };
  it('a sertraline taper from 5,000 mg/day is refused naming startDoseMg and the maximum', () => {
    expect(taperStartDoseProblem('sertraline', 5000)).toMatch(/at most 200 mg a day/);
    expect(fieldOf(() => planTaperRequest({ ...base, startDoseMg: 5000 }))).toMatch(
      /^startDoseMg: must be at most 200 mg a day/,
    );
  });
  it('at the maximum it plans', () => {
    expect(taperStartDoseProblem('sertraline', 200)).toBeNull();
    expect(planTaperRequest({ ...base, startDoseMg: 200 }).steps.length).toBeGreaterThan(1);
  });
});

describe('mechanism simulator doses', () => {
  it('refuses an IV dose above 4.5 mg/kg and an intranasal dose above 84 mg, naming the dose', () => {
    expect(fieldOf(() => checkRegimenDoses([{ route: 'iv', doseMg: 350 }], 70))).toMatch(
      /^doses\.0: a dose must be at most 4\.5 mg\/kg/,
    );
    expect(fieldOf(() => checkRegimenDoses([{ route: 'intranasal', doseMg: 112 }], 70))).toMatch(
      /^doses\.0: an intranasal dose must be at most 84 mg/,
    );
    expect(fieldOf(() => checkRegimenDoses([{ route: 'iv', doseMg: 315 }], 70))).toBe('no error');
  });
  it('the simulator refuses 50 mg/kg instead of simulating it', () => {
    expect(
      fieldOf(() =>
        mechanismFromRegimen({ model: 'domino-1984', weightKg: 70, doses: ['50 mg/kg over 40 min'] }),
      ),
    ).toMatch(/^doses\.0: a dose must be at most 4\.5 mg\/kg/);
  });
});
