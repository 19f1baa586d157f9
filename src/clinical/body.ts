import { ClinicalInputError } from './errors';

/**
 * Body-size measures used for weight-based dosing. Sources: docs/clinical-sources.md §1.
 */

export type SexAtBirth = 'female' | 'male';

const CM_PER_INCH = 2.54;
/** Devine 1974 anchors both sexes at 5 ft (60 in) and adds 2.3 kg per inch above it. */
const DEVINE_BASE_HEIGHT_IN = 60;
const DEVINE_KG_PER_INCH = 2.3;
const DEVINE_BASE_KG: Record<SexAtBirth, number> = { male: 50, female: 45.5 };
/** Adjusted body weight uses 40% of the excess over ideal (Bauer, Applied Clinical Pharmacokinetics). */
export const ADJUSTED_BODY_WEIGHT_FACTOR = 0.4;

function requirePositive(field: string, value: number, max: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ClinicalInputError(field, `must be a positive number, got ${value}`);
  }
  if (value > max) {
    throw new ClinicalInputError(field, `must be at most ${max}, got ${value}`);
  }
}

/** Plausible bounds for an adult; anything outside is a data-entry error, not a patient. */
export const WEIGHT_KG_MAX = 500;
export const HEIGHT_CM_MAX = 272;

/** Body-mass index in kg/m² (WHO definition: weight divided by height squared). */
export function bmi(weightKg: number, heightCm: number): number {
  requirePositive('weightKg', weightKg, WEIGHT_KG_MAX);
  requirePositive('heightCm', heightCm, HEIGHT_CM_MAX);
  const heightM = heightCm / 100;
  return weightKg / (heightM * heightM);
}

export interface IdealBodyWeight {
  idealKg: number;
  /** True when height is below 5 ft, where Devine's formula is an extrapolation its source did not describe. */
  belowSourceHeightRange: boolean;
}

/**
 * Ideal body weight by the Devine formula (Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm
 * 1974;8:650–655): 50 kg (male) or 45.5 kg (female) + 2.3 kg per inch over 5 ft.
 */
export function idealBodyWeightDevine(heightCm: number, sexAtBirth: SexAtBirth): IdealBodyWeight {
  requirePositive('heightCm', heightCm, HEIGHT_CM_MAX);
  const inchesOverBase = heightCm / CM_PER_INCH - DEVINE_BASE_HEIGHT_IN;
  const idealKg = DEVINE_BASE_KG[sexAtBirth] + DEVINE_KG_PER_INCH * inchesOverBase;
  if (idealKg <= 0) {
    throw new ClinicalInputError('heightCm', `height ${heightCm} cm is too short for the Devine formula`);
  }
  return { idealKg, belowSourceHeightRange: inchesOverBase < 0 };
}

/**
 * Adjusted body weight: IBW + 0.4 × (actual − IBW). When the actual weight is at or below ideal,
 * the actual weight is used (there is no excess to adjust for).
 */
export function adjustedBodyWeight(weightKg: number, heightCm: number, sexAtBirth: SexAtBirth): number {
  requirePositive('weightKg', weightKg, WEIGHT_KG_MAX);
  const { idealKg } = idealBodyWeightDevine(heightCm, sexAtBirth);
  if (weightKg <= idealKg) {
    return weightKg;
  }
  return idealKg + ADJUSTED_BODY_WEIGHT_FACTOR * (weightKg - idealKg);
}

export type { DosingWeightBasis } from './vocabulary/pk';
import type { DosingWeightBasis } from './vocabulary/pk';

/** The names a caller gives these inputs, so errors name the caller's field (e.g. `sex`). */
export interface BodyFieldNames {
  heightCm?: string;
  sexAtBirth?: string;
}

/** The weight a mg/kg dose is multiplied by, according to the clinic's chosen basis. */
export function dosingWeightKg(
  basis: DosingWeightBasis,
  weightKg: number,
  heightCm?: number,
  sexAtBirth?: SexAtBirth,
  fieldNames: BodyFieldNames = {},
): number {
  requirePositive('weightKg', weightKg, WEIGHT_KG_MAX);
  if (basis === 'actual') {
    return weightKg;
  }
  if (heightCm === undefined) {
    throw new ClinicalInputError(
      fieldNames.heightCm ?? 'heightCm',
      `height is required for ${basis} body weight`,
    );
  }
  if (sexAtBirth === undefined) {
    throw new ClinicalInputError(
      fieldNames.sexAtBirth ?? 'sexAtBirth',
      `sex at birth is required for ${basis} body weight`,
    );
  }
  return basis === 'ideal'
    ? idealBodyWeightDevine(heightCm, sexAtBirth).idealKg
    : adjustedBodyWeight(weightKg, heightCm, sexAtBirth);
}
