/**
 * The PK engine for clinicians: simulation, pump planning and TCI, with the clinic's dosing
 * settings and, when a patient is named, body size from that patient's record. Without a patient
 * no patient data is touched and nothing is audited. The regimen language arrives from people (the
 * planner's text fields) and is parsed once, by the engine's own adapters.
 */
import { ageInYears, clinicToday } from '../clinical/calendar';
import { ClinicalInputError } from '../clinical/errors';
import {
  type InfusionPlan,
  modelsCatalogue,
  type PkModelInfo,
  planInfusion,
  type PlanRequest,
  type SimulateRequest,
  type TciRequest,
  planTci,
  simulate,
  type SimulationResult,
  type TciResult,
} from '../clinical/pk';
import { latestMeasuredByNow } from '../clinical/plausibility';
import { listBodyMeasurements } from '../store/body-measurements';
import { getSessionSettings } from './session-settings';
import type { Db } from '../store/open';
import { getPatient } from '../store/patients';
import { clinicToday as clinicTodayOf } from './clinic-day';
import { type Actor, inClinicAs, recordAudit } from './context';

export interface PatientBodySize {
  weightKg: number;
  heightCm?: number;
  sex?: 'F' | 'M';
  ageYears?: number;
}

/** Whole years between a date of birth and the UTC date of `now`; use cases use the clinic's today. */
export function ageOn(dateOfBirth: string, now: Date): number {
  return ageInYears(dateOfBirth, clinicToday(now, 'UTC'));
}

/** The published PK models: citation, population, evidence status, parameters. */
export function listPkModels(): PkModelInfo[] {
  return modelsCatalogue();
}

const RECORD_FIELDS = ['weightKg', 'heightCm', 'sex', 'ageYears'] as const;

type PkOperation = 'simulate' | 'plan' | 'tci';

/** An engine request whose body size may instead come from a patient's record. */
export type WithPatient<T extends { weightKg: number }> = Omit<T, 'weightKg'> & {
  weightKg?: number | undefined;
  patientId?: string | undefined;
};

/** The caller's clinic settings (dosing defaults, the binding session maximum). */
function clinicSettings(db: Db, actor: Actor, now: Date) {
  return inClinicAs(db, actor, now, (ctx) => getSessionSettings(ctx.tx, actor.clinicId));
}

/**
 * Reads a patient's body size inside the caller's clinic (another clinic's id → 404) and audits
 * the read. Details carry the operation and which fields were used, never their values.
 */
async function bodySizeFromRecord(
  db: Db,
  actor: Actor,
  now: Date,
  patientId: string,
  body: object,
  operation: PkOperation,
): Promise<PatientBodySize> {
  const given = body as Record<string, unknown>;
  for (const field of RECORD_FIELDS) {
    if (given[field] !== undefined) {
      throw new ClinicalInputError(field, 'omit it when patientId is given (it comes from the record)');
    }
  }
  const read = await inClinicAs(db, actor, now, async (ctx) => {
    const patient = await getPatient(ctx.tx, actor.clinicId, patientId);
    const rows = await listBodyMeasurements(ctx.tx, actor.clinicId, patientId);
    const weight = latestMeasuredByNow(rows, now, (r) => r.weightKg);
    const height = latestMeasuredByNow(rows, now, (r) => r.heightCm);
    const sex = patient.sexAtBirth === 'female' ? 'F' : patient.sexAtBirth === 'male' ? 'M' : undefined;
    const out: PatientBodySize = {
      weightKg: weight ?? Number.NaN,
      ...(height === null ? {} : { heightCm: height }),
      ...(sex === undefined ? {} : { sex }),
      ageYears: ageInYears(patient.dateOfBirth, await clinicTodayOf(ctx)),
    };
    await recordAudit(ctx, {
      action: `pk.${operation}`,
      resourceType: 'patient',
      resourceId: patientId,
      details: {
        usedFields: Object.keys(out).filter((k) => !(k === 'weightKg' && weight === null)),
        ...(typeof given.model === 'string' ? { model: given.model } : {}),
      },
    });
    return out;
  });
  // Thrown after the transaction so the audited read is kept.
  if (Number.isNaN(read.weightKg)) {
    throw new ClinicalInputError('weightKg', "the patient's record has no weight; record one first");
  }
  return read;
}

/** Concentrations of a regimen with one model, on the clinic's dosing-weight basis. */
export async function simulateForClinic(
  db: Db,
  actor: Actor,
  now: Date,
  input: WithPatient<SimulateRequest>,
): Promise<SimulationResult> {
  const { patientId, ...rest } = input;
  const size =
    patientId === undefined ? {} : await bodySizeFromRecord(db, actor, now, patientId, rest, 'simulate');
  const { dosing } = await clinicSettings(db, actor, now);
  return simulate({ weightBasis: dosing.weightBasis, ...rest, ...size });
}

/**
 * A pump program for one infusion. The clinic's session settings give the defaults and the
 * binding session maximum: a request may lower it, never raise it.
 */
export async function planInfusionForClinic(
  db: Db,
  actor: Actor,
  now: Date,
  input: WithPatient<PlanRequest>,
): Promise<InfusionPlan> {
  const { patientId, ...body } = input;
  const settings = await clinicSettings(db, actor, now);
  const clinicMax = settings.clinicMaxDoseMgPerKg;
  if (body.maxMgPerKgPerSession !== undefined && body.maxMgPerKgPerSession > clinicMax) {
    throw new ClinicalInputError(
      'maxMgPerKgPerSession',
      `${body.maxMgPerKgPerSession} mg/kg is above this clinic's session maximum of ${clinicMax} mg/kg (session settings)`,
    );
  }
  const rest = {
    weightBasis: settings.dosing.weightBasis,
    pumpResolutionMlPerH: settings.dosing.pumpResolutionMlPerH,
    maxMgPerKgPerSession: clinicMax,
    ...body,
  };
  if (patientId === undefined) return planInfusion(rest);
  // The pump plan needs weight (and height and sex for ideal/adjusted weight); not age.
  const { ageYears: _age, ...size } = await bodySizeFromRecord(db, actor, now, patientId, rest, 'plan');
  return planInfusion({ ...rest, ...size });
}

/** Target-controlled infusion: bolus and stepwise rates to reach and hold a target. */
export async function planTciForClinic(
  db: Db,
  actor: Actor,
  now: Date,
  input: WithPatient<TciRequest>,
): Promise<TciResult> {
  const { patientId, ...rest } = input;
  const size =
    patientId === undefined ? {} : await bodySizeFromRecord(db, actor, now, patientId, rest, 'tci');
  return planTci({ ...rest, ...size });
}
