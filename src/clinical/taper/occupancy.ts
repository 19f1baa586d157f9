import { ClinicalInputError } from '../errors';
import type { EvidenceStatus, TaperSourceId } from './sources';

/**
 * Serotonin-transporter (SERT) occupancy as a 2-parameter Emax (Michaelis–Menten) curve:
 * occupancyPct = emaxPct × doseMg / (ed50Mg + doseMg)   (tapering.md §1.1–1.2).
 */
export interface OccupancyModel {
  /** Stable id, e.g. `sertraline-striatum`. */
  readonly id: string;
  readonly drug: string;
  /** Brain region of the PET data; parameters differ by region (tapering.md §1.2 design implications). */
  readonly region: string;
  readonly emaxPct: number;
  readonly ed50Mg: number;
  readonly status: EvidenceStatus;
  readonly source: TaperSourceId;
  readonly note: string;
}

const SORENSEN_NOTE =
  'Sørensen 2022 values as coded in mkotsollaris/antidepressantscalculator; not yet verified against the paper table [S]. Below the lowest measured dose the curve is extrapolated.';

function sorensen(drug: string, region: string, emaxPct: number, ed50Mg: number): OccupancyModel {
  return {
    id: `${drug}-${region}`,
    drug,
    region,
    emaxPct,
    ed50Mg,
    status: 'S',
    source: 'sorensen2022',
    note: SORENSEN_NOTE,
  };
}

/**
 * Per-drug Emax (%) and ED50 (mg/day): tapering.md §1.2 table, all [S] (Sørensen 2022 via
 * mkotsollaris/antidepressantscalculator components/SimpleChart.tsx; re-check before clinical use).
 */
export const OCCUPANCY_MODELS: readonly OccupancyModel[] = [
  sorensen('citalopram', 'striatum', 83.98, 2.33), // [S] Sørensen 2022
  sorensen('escitalopram', 'caudate', 75.35, 0.66), // [S] Sørensen 2022
  sorensen('escitalopram', 'dorsal-raphe', 89.57, 2.72), // [S] Sørensen 2022
  sorensen('escitalopram', 'putamen', 69.32, 1.22), // [S] Sørensen 2022
  sorensen('escitalopram', 'thalamus', 78.67, 2.1), // [S] Sørensen 2022
  sorensen('fluoxetine', 'striatum', 86.12, 1.89), // [S] Sørensen 2022
  sorensen('paroxetine', 'striatum', 97.14, 5.6), // [S] Sørensen 2022
  sorensen('sertraline', 'striatum', 92.01, 7.72), // [S] Sørensen 2022
  sorensen('venlafaxine', 'striatum', 90.07, 5.8), // [S] Sørensen 2022 (venlafaxine XR data)
  sorensen('duloxetine', 'thalamus', 90.75, 6.27), // [S] Sørensen 2022
  sorensen('desvenlafaxine', 'amygdala', 106.43, 11.57), // [S] Sørensen 2022
  sorensen('desvenlafaxine', 'midbrain', 99.46, 10.92), // [S] Sørensen 2022
  sorensen('desvenlafaxine', 'striatum', 100.22, 16.11), // [S] Sørensen 2022
  sorensen('desvenlafaxine', 'thalamus', 100.11, 21.17), // [S] Sørensen 2022
  sorensen('vortioxetine', 'raphe', 102.24, 4.68), // [S] Sørensen 2022
];

export function occupancyModelsFor(drug: string): OccupancyModel[] {
  return OCCUPANCY_MODELS.filter((m) => m.drug === drug);
}

/**
 * Picks the occupancy model for `drug`. A drug with several regional models has no default: the
 * region changes low-dose step sizes about 3-fold (tapering.md §1.2), so the caller must choose.
 */
export function selectOccupancyModel(drug: string, modelId?: string): OccupancyModel {
  const models = occupancyModelsFor(drug);
  if (models.length === 0) {
    throw new ClinicalInputError(
      'mode',
      `${drug} has no occupancy model in the reference; use proportional mode`,
    );
  }
  if (modelId !== undefined) {
    const found = models.find((m) => m.id === modelId || m.region === modelId);
    if (!found) {
      throw new ClinicalInputError(
        'model',
        `unknown occupancy model "${modelId}" for ${drug}; choose one of ${models.map((m) => m.id).join(', ')}`,
      );
    }
    return found;
  }
  if (models.length > 1) {
    throw new ClinicalInputError(
      'model',
      `${drug} has ${models.length} regional occupancy models (${models.map((m) => m.id).join(', ')}); choose one — the region changes step sizes`,
    );
  }
  return models[0]!;
}

/** SERT occupancy (%) at a daily dose. */
export function occupancyPct(model: OccupancyModel, doseMg: number): number {
  if (!Number.isFinite(doseMg) || doseMg < 0) {
    throw new ClinicalInputError('doseMg', `dose must be a finite number ≥ 0 mg, got ${doseMg}`);
  }
  return (model.emaxPct * doseMg) / (model.ed50Mg + doseMg);
}

/** Inverse of the Emax curve: the daily dose (mg) giving `targetPct` occupancy. doseMg = ED50·O/(Emax−O). */
export function doseForOccupancyMg(model: OccupancyModel, targetPct: number): number {
  if (!Number.isFinite(targetPct) || targetPct < 0 || targetPct >= model.emaxPct) {
    throw new ClinicalInputError(
      'occupancyPct',
      `target occupancy must be ≥ 0 and below Emax ${model.emaxPct} % for ${model.id}, got ${targetPct}`,
    );
  }
  return (model.ed50Mg * targetPct) / (model.emaxPct - targetPct);
}

/**
 * Un-rounded doses at equal occupancy decrements of `stepPp` percentage points from `startDoseMg`,
 * ending before the occupancy would reach zero (the next step is stopping). Illustrates the
 * model only (tapering.md §1.5 [D]); plans add guideline limits and dose forms.
 */
export function equalOccupancyDosesMg(model: OccupancyModel, startDoseMg: number, stepPp: number): number[] {
  if (!Number.isFinite(stepPp) || stepPp <= 0) {
    throw new ClinicalInputError('stepPp', `occupancy step must be > 0 percentage points, got ${stepPp}`);
  }
  const start = occupancyPct(model, startDoseMg);
  const doses: number[] = [];
  for (let k = 1; start - k * stepPp > 0; k++) {
    doses.push(doseForOccupancyMg(model, start - k * stepPp));
  }
  return doses;
}
