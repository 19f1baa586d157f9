/**
 * Dose and pump planning for one IV infusion: mg from mg/kg on the clinic's weight basis, drug
 * volume from the vial, total bag volume, and the pump rate rounded to the pump's resolution with
 * the resulting dose error.
 */
import { type DosingWeightBasis, dosingWeightKg, type SexAtBirth } from '../body';
import { ClinicalInputError } from '../errors';
import { type Dose, doseLabel } from './regimen';

/** Typical infusion-pump rate resolution; a clinic/pump setting. */
export const DEFAULT_PUMP_RESOLUTION_ML_PER_H = 0.1;
/**
 * Default per-session ceiling: 1.0 mg/kg, the highest single IV dose studied in the dose-finding
 * RCT (Fava 2018, PMC6447473) [V]; no guideline endorses routine escalation to it [U]. A clinic setting.
 */
export const DEFAULT_MAX_MG_PER_KG_PER_SESSION = 1.0;

export interface InfusionPlanInput {
  weightKg: number;
  heightCm?: number;
  sex?: 'F' | 'M';
  /** Clinic setting; default 'actual'. */
  weightBasis?: DosingWeightBasis;
  /** One IV infusion, e.g. { doseMgPerKg: 0.5, durationMin: 40 }. */
  dose: Dose;
  vialMgPerMl: number;
  /** Diluent volume of the bag or syringe the drug is added to. */
  bagMl: number;
  pumpResolutionMlPerH?: number;
  maxMgPerKgPerSession?: number;
}

export interface InfusionPlan {
  dose: string;
  weightBasis: DosingWeightBasis;
  actualWeightKg: number;
  dosingWeightKg: number;
  doseMg: number;
  doseMgPerKgActual: number;
  doseMgPerKgDosingWeight: number;
  maxMgPerKgPerSession: number;
  vialMgPerMl: number;
  drugVolumeMl: number;
  bagMl: number;
  /** Drug volume added to the diluent (assumption: nothing is withdrawn from the bag first). */
  totalVolumeMl: number;
  finalConcentrationMgPerMl: number;
  durationMin: number;
  startMin: number;
  exactRateMlPerH: number;
  pumpResolutionMlPerH: number;
  /** Rate to program, rounded to the pump resolution. */
  rateMlPerH: number;
  /** Volume to be infused (the whole bag). */
  vtbiMl: number;
  /** Running the whole VTBI at the rounded rate takes this long. */
  durationAtRoundedRateMin: number;
  /** If stopped at the planned duration, the dose delivered at the rounded rate and its error. */
  deliveredAtPlannedDurationMg: number;
  doseErrorMg: number;
  doseErrorPercent: number;
  assumptions: string[];
}

function positive(field: string, v: number | undefined): number {
  if (v === undefined || !Number.isFinite(v) || v <= 0) {
    throw new ClinicalInputError(field, `must be a positive number, got ${v}`);
  }
  return v;
}

export function planInfusionDose(input: InfusionPlanInput): InfusionPlan {
  const weightKg = positive('weightKg', input.weightKg);
  const vial = positive('vialMgPerMl', input.vialMgPerMl);
  const bag = input.bagMl;
  if (!Number.isFinite(bag) || bag < 0) throw new ClinicalInputError('bagMl', `must be ≥ 0, got ${bag}`);
  const resolution = positive(
    'pumpResolutionMlPerH',
    input.pumpResolutionMlPerH ?? DEFAULT_PUMP_RESOLUTION_ML_PER_H,
  );
  const maxMgPerKg = positive(
    'maxMgPerKgPerSession',
    input.maxMgPerKgPerSession ?? DEFAULT_MAX_MG_PER_KG_PER_SESSION,
  );
  const basis = input.weightBasis ?? 'actual';
  const sex: SexAtBirth | undefined =
    input.sex === undefined ? undefined : input.sex === 'F' ? 'female' : 'male';
  const dosingWeight = dosingWeightKg(basis, weightKg, input.heightCm, sex, { sexAtBirth: 'sex' });
  const d = input.dose;
  if (d.route !== 'iv' || d.durationMin === null) {
    throw new ClinicalInputError(
      'dose',
      `a pump plan needs an IV infusion "… over N min", got "${doseLabel(d)}"`,
    );
  }
  const doseMg = d.doseMg !== undefined ? d.doseMg : d.doseMgPerKg * dosingWeight;
  const mgPerKgDosing = doseMg / dosingWeight;
  const mgPerKgActual = doseMg / weightKg;
  // The ceiling applies to the dose per kg of the weight the clinic doses by.
  if (mgPerKgDosing > maxMgPerKg) {
    throw new ClinicalInputError(
      'dose',
      `${doseMg.toFixed(2)} mg is ${mgPerKgDosing.toFixed(3)} mg/kg (${basis} weight ${dosingWeight.toFixed(1)} kg), above the session maximum of ${maxMgPerKg} mg/kg`,
    );
  }
  const drugVolumeMl = doseMg / vial;
  const totalVolumeMl = bag + drugVolumeMl;
  const durationH = d.durationMin / 60;
  const exactRate = totalVolumeMl / durationH;
  const steps = Math.round(exactRate / resolution);
  if (steps < 1) {
    throw new ClinicalInputError(
      'pumpResolutionMlPerH',
      `rate ${exactRate} mL/h is below the pump resolution ${resolution} mL/h`,
    );
  }
  // Round to the resolution without binary floating-point residue (e.g. 0.1 × 3).
  const decimals = Math.max(0, Math.ceil(-Math.log10(resolution)) + 2);
  const rate = Number((steps * resolution).toFixed(decimals));
  const concentration = doseMg / totalVolumeMl;
  const delivered = rate * durationH * concentration;
  return {
    dose: doseLabel(d),
    weightBasis: basis,
    actualWeightKg: weightKg,
    dosingWeightKg: dosingWeight,
    doseMg,
    doseMgPerKgActual: mgPerKgActual,
    doseMgPerKgDosingWeight: mgPerKgDosing,
    maxMgPerKgPerSession: maxMgPerKg,
    vialMgPerMl: vial,
    drugVolumeMl,
    bagMl: bag,
    totalVolumeMl,
    finalConcentrationMgPerMl: concentration,
    durationMin: d.durationMin,
    startMin: d.startMin,
    exactRateMlPerH: exactRate,
    pumpResolutionMlPerH: resolution,
    rateMlPerH: rate,
    vtbiMl: totalVolumeMl,
    durationAtRoundedRateMin: (totalVolumeMl / rate) * 60,
    deliveredAtPlannedDurationMg: delivered,
    doseErrorMg: delivered - doseMg,
    doseErrorPercent: ((delivered - doseMg) / doseMg) * 100,
    assumptions: [
      'the drug volume is added to the bag; nothing is withdrawn first (total = bag + drug volume)',
      'the vial concentration is ketamine as labelled on the vial',
    ],
  };
}
