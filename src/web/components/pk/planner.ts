/**
 * The infusion planner's form and the pure steps around it: the snapshot a Calculate press takes,
 * the published observation that matches the regimen, and where each server error belongs.
 */
import { ApiError } from '../../api/client';
import { fieldKey, optionalNumber, type NumberField } from '../../forms';
import type { PickedPatient } from './PatientPicker';
import type { ModelInfo, SimulateResult, WeightBasis } from './types';

export const DEFAULT_MODELS = ['domino-1984', 'hijazi-2003', 'kamp-2020'];

export type PlannerValues = {
  mode: 'patient' | 'manual';
  weightKg: NumberField;
  heightCm: NumberField;
  sex: string | null;
  ageYears: NumberField;
  doses: string[];
  models: string[];
  untilMin: NumberField;
  thresholdNgPerMl: NumberField;
  weightBasis: WeightBasis;
  vialMgPerMl: NumberField;
  bagMl: NumberField;
  pumpResolutionMlPerH: NumberField;
  maxMgPerKgPerSession: NumberField;
};

/** Planner defaults until the clinic's session settings arrive (they then replace the pump fields). */
export const PLANNER_DEFAULTS: PlannerValues = {
  mode: 'patient',
  weightKg: '',
  heightCm: '',
  sex: null,
  ageYears: '',
  doses: ['0.5 mg/kg over 40 min'],
  models: DEFAULT_MODELS,
  untilMin: 240,
  thresholdNgPerMl: 100,
  weightBasis: 'actual',
  vialMgPerMl: 50,
  bagMl: 100,
  pumpResolutionMlPerH: 0.1,
  maxMgPerKgPerSession: 1,
};

/** What the clinician asked for when pressing Calculate (queries run on this snapshot). */
export interface Snapshot {
  /** For the printout: the patient the plan was computed for (null when weight was entered). */
  patientLabel: string | null;
  size: { patientId: string } | { weightKg: number; heightCm?: number; sex?: 'F' | 'M'; ageYears?: number };
  doses: string[];
  models: string[];
  untilMin: number;
  thresholdNgPerMl: number;
  weightBasis: WeightBasis;
  pump: { vialMgPerMl: number; bagMl: number; pumpResolutionMlPerH: number; maxMgPerKgPerSession: number };
}

const given = (v: NumberField): number | undefined => {
  const n = optionalNumber(v);
  return n === undefined || Number.isNaN(n) ? undefined : n;
};

/** The snapshot to compute, or the one thing missing, worded for the clinician. */
export function plannerSnapshot(
  v: PlannerValues,
  picked: PickedPatient | null,
): { snapshot: Snapshot; error?: never } | { error: string; snapshot?: never } {
  const doses = v.doses.map((d) => d.trim()).filter(Boolean);
  if (doses.length === 0) return { error: 'Enter at least one dose.' };
  if (v.models.length === 0) return { error: 'Choose at least one model.' };
  let size: Snapshot['size'];
  let patientLabel: string | null = null;
  if (v.mode === 'patient') {
    if (!picked) return { error: 'Choose a patient, or enter a weight manually.' };
    if (picked.weightKg === null) return { error: 'The patient has no recorded weight.' };
    size = { patientId: picked.patient.id };
    patientLabel = `${picked.patient.familyName}, ${picked.patient.givenName} · MRN ${picked.patient.mrn}`;
  } else {
    const weightKg = given(v.weightKg);
    if (weightKg === undefined || weightKg <= 0) return { error: 'Enter the weight in kg.' };
    const heightCm = given(v.heightCm);
    const ageYears = given(v.ageYears);
    size = {
      weightKg,
      ...(heightCm === undefined ? {} : { heightCm }),
      ...(v.sex === 'F' || v.sex === 'M' ? { sex: v.sex } : {}),
      ...(ageYears === undefined ? {} : { ageYears }),
    };
  }
  return {
    snapshot: {
      patientLabel,
      size,
      doses,
      models: v.models,
      untilMin: given(v.untilMin) ?? 240,
      thresholdNgPerMl: given(v.thresholdNgPerMl) ?? 100,
      weightBasis: v.weightBasis,
      pump: {
        vialMgPerMl: given(v.vialMgPerMl) ?? 50,
        bagMl: given(v.bagMl) ?? 0,
        pumpResolutionMlPerH: given(v.pumpResolutionMlPerH) ?? 0.1,
        maxMgPerKgPerSession: given(v.maxMgPerKgPerSession) ?? 1,
      },
    },
  };
}

/** The first pump-able dose of the regimen: an infusion ("… over … min"). */
export const pumpDoseOf = (doses: readonly string[]): string | undefined =>
  doses.find((d) => / over /i.test(d));

/**
 * Which dose input a simulation error belongs to: by field path (`doses.<i>`) when the server
 * gives one, else the dose whose text the parser quotes — provided the input still holds that text.
 * Null when it concerns the model or the patient as a whole.
 */
export function doseIndexOfError(
  err: unknown,
  sent: readonly string[],
  current: readonly string[],
): number | null {
  if (!(err instanceof ApiError)) return null;
  for (const f of err.body?.error.fields ?? []) {
    const m = /^doses\.(\d+)/.exec(fieldKey(f.path));
    if (m) return Number(m[1]) < current.length ? Number(m[1]) : null;
  }
  // The regimen parser names the dose it could not read, quoted, in its message.
  const msg = err.message;
  const index = sent.findIndex((d) => msg.includes(`"${d}"`) && !/ has no /.test(msg));
  return index >= 0 && current[index]?.trim() === sent[index] ? index : null;
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * A published mean with a time and value whose regimen is exactly the one entered (e.g. 185 ng/mL at
 * the end of 0.5 mg/kg over 40 min), from the first chosen model that lists it.
 */
export function findObservation(
  curves: Array<{ model: ModelInfo; result: SimulateResult }>,
  doses: readonly string[],
): {
  observation: { timeMin: number; valueNgPerMl: number; label: string } | null;
  observationSource: string | null;
  drug: string | null;
} {
  if (doses.length !== 1) return { observation: null, observationSource: null, drug: null };
  for (const { model } of curves) {
    for (const o of model.observations) {
      if (
        o.timeMin !== null &&
        o.valueNgPerMl !== undefined &&
        normalise(o.regimen) === normalise(doses[0]!)
      ) {
        return {
          observation: { timeMin: o.timeMin, valueNgPerMl: o.valueNgPerMl, label: o.description },
          observationSource: o.source,
          drug: model.drug,
        };
      }
    }
  }
  return { observation: null, observationSource: null, drug: null };
}
