/**
 * The clinical record's use cases: allergies and the "no known allergies" statement, the problem
 * list, prior treatment trials with the treatment-resistance statement, a course's primary
 * diagnosis, and the allergy check a dose runs against. Each loads, applies the core's rule, writes
 * and audits in the caller's transaction. Audit details carry field names and counts, never values.
 */
import {
  allergyState,
  allergyRefusal,
  decideNoKnownAllergies,
  resolveAllergySubstance,
  resolveDiagnosis,
  treatmentResistance,
  TREATMENT_DRUG_OF_MODALITY,
  type AllergyState,
  type TreatmentResistance,
} from '../clinical/record';
import type { Modality } from '../clinical/vocabulary/modalities';
import {
  getAllergy,
  getDiagnosis,
  getTreatmentTrial,
  insertAllergy,
  insertAllergyStatement,
  insertDiagnosis,
  insertTreatmentTrial,
  latestAllergyStatement,
  listAllergies,
  listCoursePrimaryDiagnoses,
  listDiagnoses,
  listTreatmentTrials,
  setCoursePrimaryDiagnosis,
  writeAllergyVersion,
  writeDiagnosisVersion,
  writeTreatmentTrialVersion,
  type AllergyRow,
  type AllergyStatementRow,
  type DiagnosisRow,
  type TreatmentTrialRow,
} from '../store/clinical-record';
import { ConflictError } from '../store/errors';
import { getPatient } from '../store/patients';
import { getUserRow } from '../store/users';
import type { Queryable } from '../store/tx';
import type {
  AllergyCreate,
  AllergyUpdate,
  CoursePrimaryDiagnosis,
  DiagnosisCreate,
  DiagnosisUpdate,
  TrialCreate,
  TrialUpdate,
} from '../server/schemas/clinical-record';
import { recordAudit, type UseCaseContext } from './context';

const staffUser = (ctx: UseCaseContext, what: string): string => {
  if (!ctx.actor.userId) throw new Error(`${what}: the clinical record is changed by a staff user`);
  return ctx.actor.userId;
};

/** The fields a change actually alters (names only, for the audit). */
function changedFields<Row extends object>(current: Row, patch: Partial<Row>): string[] {
  return Object.entries(patch)
    .filter(([k, v]) => v !== undefined && JSON.stringify(current[k as keyof Row]) !== JSON.stringify(v))
    .map(([k]) => k);
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function refuseIfInError(row: { status: string }, what: string): void {
  if (row.status === 'entered-in-error') {
    throw new ConflictError('status', `this ${what} is marked entered in error and cannot be changed`);
  }
}

/** A versioned record entry (allergy, diagnosis, trial) as the change use cases see it. */
interface VersionedEntry {
  id: string;
  version: number;
  status: string;
  statusReason: string | null;
}

/**
 * One change to a versioned entry: refused once entered in error; a change to a non-active status
 * keeps its reason; nothing is written or audited when no field changes; a stale version is the
 * store's conflict. Audited as `<action>.update` or `<action>.entered_in_error`.
 */
async function changeEntry<Row extends VersionedEntry>(
  ctx: UseCaseContext,
  entry: {
    what: string;
    action: string;
    patientId: string;
    update: { reason?: string | null | undefined; version?: number | undefined };
    load: () => Promise<Row>;
    write: (
      current: Row,
      change: { expectedVersion: number | undefined; set: Partial<Row>; reason: string | null },
      userId: string,
    ) => Promise<Row>;
  },
): Promise<Row> {
  const userId = staffUser(ctx, `change ${entry.what}`);
  const { reason, version, ...patch } = entry.update;
  const current = await entry.load();
  refuseIfInError(current, entry.what);
  const set = defined(patch) as Partial<Row>;
  const fields = changedFields(current, set);
  if (fields.length === 0) return current;
  if (set.status && set.status !== 'active') set.statusReason = reason ?? null;
  const row = await entry.write(current, { expectedVersion: version, set, reason: reason ?? null }, userId);
  await recordAudit(ctx, {
    action: `${entry.action}.${set.status === 'entered-in-error' ? 'entered_in_error' : 'update'}`,
    resourceType: entry.action,
    resourceId: row.id,
    details: { patientId: entry.patientId, changedFields: fields },
  });
  return row;
}

// The whole record ------------------------------------------------------------------------------------

export interface ClinicalRecord {
  allergyState: AllergyState;
  statement: (AllergyStatementRow & { recordedByName: string | null }) | null;
  allergies: AllergyRow[];
  diagnoses: DiagnosisRow[];
  trials: TreatmentTrialRow[];
  treatmentResistance: TreatmentResistance;
  courses: { courseId: string; primaryDiagnosisId: string | null }[];
}

const stateOf = (rows: readonly AllergyRow[], statement: AllergyStatementRow | null) =>
  allergyState(
    rows.map((a) => ({ status: a.status, recordedAt: a.createdAt })),
    statement,
  );

async function userName(tx: Queryable, clinicId: string, userId: string): Promise<string | null> {
  try {
    return (await getUserRow(tx, clinicId, userId)).name;
  } catch {
    return null;
  }
}

/** Allergies, problem list, trials with the TRD statement and each course's primary diagnosis. */
export async function readClinicalRecord(ctx: UseCaseContext, patientId: string): Promise<ClinicalRecord> {
  const { tx } = ctx;
  const clinicId = ctx.actor.clinicId;
  await getPatient(tx, clinicId, patientId);
  const allergies = await listAllergies(tx, clinicId, patientId);
  const statementRow = await latestAllergyStatement(tx, clinicId, patientId);
  const diagnoses = await listDiagnoses(tx, clinicId, patientId);
  const trials = await listTreatmentTrials(tx, clinicId, patientId);
  const courses = await listCoursePrimaryDiagnoses(tx, clinicId, patientId);
  await recordAudit(ctx, {
    action: 'clinical_record.read',
    resourceType: 'patient',
    resourceId: patientId,
    details: { allergies: allergies.length, diagnoses: diagnoses.length, trials: trials.length },
  });
  return {
    allergyState: stateOf(allergies, statementRow),
    statement: statementRow
      ? { ...statementRow, recordedByName: await userName(tx, clinicId, statementRow.recordedBy) }
      : null,
    allergies,
    diagnoses,
    trials,
    treatmentResistance: treatmentResistance(trials),
    courses,
  };
}

// Allergies -------------------------------------------------------------------------------------------

export async function recordAllergy(
  ctx: UseCaseContext,
  input: { patientId: string; allergy: AllergyCreate },
): Promise<AllergyRow> {
  const userId = staffUser(ctx, 'recordAllergy');
  // A patient of this clinic, or 404 (not a foreign-key error).
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const { substance, reaction, severity, source, status, notes } = input.allergy;
  const resolved = resolveAllergySubstance(substance);
  const row = await insertAllergy(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    {
      substance,
      substanceGeneric: resolved.generic,
      substanceFreeText: resolved.freeText,
      reaction: reaction ?? null,
      severity,
      source,
      status,
      notes: notes ?? null,
    },
    userId,
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'allergy.create',
    resourceType: 'allergy',
    resourceId: row.id,
    details: { patientId: input.patientId, freeText: resolved.freeText },
  });
  return row;
}

export function changeAllergy(
  ctx: UseCaseContext,
  input: { patientId: string; allergyId: string; update: AllergyUpdate },
): Promise<AllergyRow> {
  const { tx, actor, now } = ctx;
  return changeEntry<AllergyRow>(ctx, {
    what: 'allergy',
    action: 'allergy',
    patientId: input.patientId,
    update: input.update,
    load: () => getAllergy(tx, actor.clinicId, input.patientId, input.allergyId),
    write: (current, change, userId) => writeAllergyVersion(tx, actor.clinicId, current, change, userId, now),
  });
}

/**
 * Records "no known allergies" — who and when — refused while an allergy is active (the core's
 * rule). The state reads it until an allergy is recorded after it.
 */
export async function recordNoKnownAllergies(
  ctx: UseCaseContext,
  patientId: string,
): Promise<AllergyStatementRow> {
  const userId = staffUser(ctx, 'recordNoKnownAllergies');
  // A patient of this clinic, or 404 (not a foreign-key error).
  await getPatient(ctx.tx, ctx.actor.clinicId, patientId);
  const allergies = await listAllergies(ctx.tx, ctx.actor.clinicId, patientId);
  decideNoKnownAllergies(allergies.map((a) => ({ status: a.status, recordedAt: a.createdAt })));
  const row = await insertAllergyStatement(ctx.tx, ctx.actor.clinicId, patientId, userId, ctx.now);
  await recordAudit(ctx, {
    action: 'allergy.no_known_allergies',
    resourceType: 'patient',
    resourceId: patientId,
  });
  return row;
}

/**
 * The allergy check a dose of the course's drug runs: refused (naming the allergy) when an active
 * allergy rules the drug out. Orders will call the same check.
 */
export async function refuseDoseIfAllergic(
  ctx: UseCaseContext,
  patientId: string,
  modality: Modality,
): Promise<void> {
  const allergies = await listAllergies(ctx.tx, ctx.actor.clinicId, patientId);
  const refusal = allergyRefusal(allergies, TREATMENT_DRUG_OF_MODALITY[modality]);
  if (refusal) throw new ConflictError('allergies', refusal);
}

// Diagnoses -------------------------------------------------------------------------------------------

export async function recordDiagnosis(
  ctx: UseCaseContext,
  input: { patientId: string; diagnosis: DiagnosisCreate },
): Promise<DiagnosisRow> {
  const userId = staffUser(ctx, 'recordDiagnosis');
  // A patient of this clinic, or 404 (not a foreign-key error).
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const resolved = resolveDiagnosis(input.diagnosis);
  const row = await insertDiagnosis(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    {
      ...resolved,
      onsetDate: input.diagnosis.onsetDate ?? null,
      notes: input.diagnosis.notes ?? null,
    },
    userId,
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'diagnosis.create',
    resourceType: 'diagnosis',
    resourceId: row.id,
    details: { patientId: input.patientId, freeText: resolved.freeText },
  });
  return row;
}

export function changeDiagnosis(
  ctx: UseCaseContext,
  input: { patientId: string; diagnosisId: string; update: DiagnosisUpdate },
): Promise<DiagnosisRow> {
  const { tx, actor, now } = ctx;
  return changeEntry<DiagnosisRow>(ctx, {
    what: 'diagnosis',
    action: 'diagnosis',
    patientId: input.patientId,
    update: input.update,
    load: () => getDiagnosis(tx, actor.clinicId, input.patientId, input.diagnosisId),
    write: (current, change, userId) =>
      writeDiagnosisVersion(tx, actor.clinicId, current, change, userId, now),
  });
}

/**
 * Sets (or clears) the diagnosis a course treats. It must be on the patient's problem list and not
 * entered in error.
 */
export async function chooseCoursePrimaryDiagnosis(
  ctx: UseCaseContext,
  input: { patientId: string; courseId: string; choice: CoursePrimaryDiagnosis },
): Promise<{ courseId: string; primaryDiagnosisId: string | null }> {
  staffUser(ctx, 'chooseCoursePrimaryDiagnosis');
  const { diagnosisId } = input.choice;
  if (diagnosisId !== null) {
    const d = await getDiagnosis(ctx.tx, ctx.actor.clinicId, input.patientId, diagnosisId);
    if (d.status === 'entered-in-error') {
      throw new ConflictError('diagnosisId', 'this diagnosis is marked entered in error');
    }
  }
  await setCoursePrimaryDiagnosis(ctx.tx, ctx.actor.clinicId, input.patientId, input.courseId, diagnosisId);
  await recordAudit(ctx, {
    action: 'course.primary_diagnosis',
    resourceType: 'course',
    resourceId: input.courseId,
    details: { patientId: input.patientId, cleared: diagnosisId === null },
  });
  return { courseId: input.courseId, primaryDiagnosisId: diagnosisId };
}

// Treatment trials ------------------------------------------------------------------------------------

export async function recordTreatmentTrial(
  ctx: UseCaseContext,
  input: { patientId: string; trial: TrialCreate },
): Promise<TreatmentTrialRow> {
  const userId = staffUser(ctx, 'recordTreatmentTrial');
  // A patient of this clinic, or 404 (not a foreign-key error).
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const t = input.trial;
  const row = await insertTreatmentTrial(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    {
      drug: t.drug,
      doseMgPerDay: t.doseMgPerDay ?? null,
      durationWeeks: t.durationWeeks ?? null,
      adherence: t.adherence,
      response: t.response,
      reasonStopped: t.reasonStopped ?? null,
      currentEpisode: t.currentEpisode,
      adequateDose: t.adequateDose,
      adequateDuration: t.adequateDuration,
      startDate: t.startDate ?? null,
      notes: t.notes ?? null,
    },
    userId,
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'treatment_trial.create',
    resourceType: 'treatment_trial',
    resourceId: row.id,
    details: { patientId: input.patientId },
  });
  return row;
}

export function changeTreatmentTrial(
  ctx: UseCaseContext,
  input: { patientId: string; trialId: string; update: TrialUpdate },
): Promise<TreatmentTrialRow> {
  const { tx, actor, now } = ctx;
  return changeEntry<TreatmentTrialRow>(ctx, {
    what: 'treatment trial',
    action: 'treatment_trial',
    patientId: input.patientId,
    update: input.update,
    load: () => getTreatmentTrial(tx, actor.clinicId, input.patientId, input.trialId),
    write: (current, change, userId) =>
      writeTreatmentTrialVersion(tx, actor.clinicId, current, change, userId, now),
  });
}
