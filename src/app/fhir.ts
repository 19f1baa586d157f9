/**
 * FHIR R4 use cases. Import: a Bundle's Patients, MedicationStatements, PHQ-9/GAD-7
 * Observations, AllergyIntolerances, Conditions and prior-trial MedicationStatements are validated with the same request schemas as manual entry and recorded through
 * the same use cases (so a PHQ-9 imported with a positive item 9 raises its alert, and each record
 * is audited as if entered by hand), all or nothing.
 * Export: one patient's record as a collection Bundle, mapped by src/interop/fhir. HTTP and the
 * `rein fhir` command call these.
 */
import { ClinicalInputError } from '../clinical/errors';
import { getInstrument } from '../clinical/instruments';
import { assertDateOfBirthPlausible } from '../clinical/patient';
import { planImport, type ImportIssue, type PlannedRecordEntry } from '../interop/fhir/import';
import {
  ALLERGY_FIELD_PATHS,
  DIAGNOSIS_FIELD_PATHS,
  TRIAL_FIELD_PATHS,
} from '../interop/fhir/record-resources';
import {
  allergyCreateSchema,
  diagnosisCreateSchema,
  trialCreateSchema,
  type AllergyCreate,
  type DiagnosisCreate,
  type TrialCreate,
} from '../server/schemas/clinical-record';
import { PRESCRIBING_ROLES, may } from './access';
import {
  changeDiagnosis,
  recordAllergy,
  recordDiagnosis,
  recordNoKnownAllergies,
  recordTreatmentTrial,
} from './clinical-record';
import { patientBundle } from '../interop/fhir/patient-bundle';
import { medicationCreateSchema, patientCreateSchema, type PatientCreate } from '../server/schemas/patients';
import { ConflictError } from '../store/errors';
import { listPatientIds } from '../store/patients';
import { loadPatientRecord } from './patient-record';
import { recordAssessment } from './assessments';
import { recordMedication } from './medications';
import { registerPatient } from './patients';
import { clinicToday } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';

export type { ImportIssue };

export interface FhirSkipped {
  entry: number;
  resourceType: string;
  reason: string;
}

export interface FhirImportResult {
  imported: true;
  patients: { entry: number; id: string }[];
  medications: number;
  assessments: number;
  allergies: number;
  noKnownAllergies: number;
  diagnoses: number;
  trials: number;
  skipped: FhirSkipped[];
}

/**
 * A Bundle that cannot be imported as a whole: the caller's transaction rolls back, so nothing
 * of it is written. Carries every problem found, by entry.
 */
export class FhirImportRejected extends Error {
  override readonly name = 'FhirImportRejected';
  constructor(
    readonly issues: ImportIssue[],
    readonly skipped: FhirSkipped[],
  ) {
    super(`the bundle was not imported: ${issues.length} problem(s)`);
  }
}

/** The core's refusal of an implausible date of birth, as an import issue message (null when fine). */
function implausibleDateOfBirth(dateOfBirth: string, today: string): string | null {
  try {
    assertDateOfBirthPlausible(dateOfBirth, today);
    return null;
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.message;
    throw e;
  }
}

/** Zod issues as import issues; `fields` names the FHIR element a schema field was read from. */
const zodIssues = (
  entry: number,
  resourceType: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  fields: Record<string, string> = {},
): ImportIssue[] =>
  issues.map((e) => {
    const path = e.path.map(String).join('.');
    return { entry, resourceType, path: fields[path] ?? path, message: e.message };
  });

/**
 * Validates the planned entries of one kind of record with its request schema (the same as manual
 * entry), collecting issues under the FHIR element each field came from.
 */
function validRecordEntries<T, P extends PlannedRecordEntry>(
  planned: readonly P[],
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  resourceType: string,
  fields: Record<string, string>,
  issues: ImportIssue[],
): { planned: P; data: T }[] {
  const out: { planned: P; data: T }[] = [];
  for (const p of planned) {
    const r = schema.safeParse(p.input);
    if (r.success) out.push({ planned: p, data: r.data });
    else issues.push(...zodIssues(p.entry, resourceType, r.error.issues, fields));
  }
  return out;
}

/** A use case's refusal of one imported entry (a rule, not the shape) as the entry's issue. */
async function asEntryIssue<T>(
  entry: number,
  resourceType: string,
  fields: Record<string, string>,
  write: () => Promise<T>,
  reject: (issues: ImportIssue[]) => Error,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof ClinicalInputError || e instanceof ConflictError) {
      throw reject([{ entry, resourceType, path: fields[e.field] ?? e.field, message: e.message }]);
    }
    throw e;
  }
}

/**
 * Imports a Bundle in the caller's transaction. Validation problems and duplicate patients throw
 * `FhirImportRejected` (the whole import rolls back); records are attributed to the acting user.
 */
export async function importFhirBundle(ctx: UseCaseContext, bundle: unknown): Promise<FhirImportResult> {
  const userId = ctx.actor.userId;
  if (!userId) throw new ConflictError('user', 'an import is recorded by a signed-in user');
  const plan = planImport(bundle);
  const issues: ImportIssue[] = [...plan.issues];
  const today = await clinicToday(ctx);
  const patientInputs = new Map<number, PatientCreate>();
  for (const p of plan.patients) {
    const r = patientCreateSchema.safeParse(p.input);
    const dobProblem = r.success ? implausibleDateOfBirth(r.data.dateOfBirth, today) : null;
    if (dobProblem) {
      issues.push({ entry: p.entry, resourceType: 'Patient', path: 'birthDate', message: dobProblem });
    } else if (r.success) patientInputs.set(p.entry, r.data);
    else issues.push(...zodIssues(p.entry, 'Patient', r.error.issues));
  }
  const medInputs = plan.medications.map((m) => ({ m, r: medicationCreateSchema.safeParse(m.input) }));
  for (const { m, r } of medInputs) {
    if (!r.success) issues.push(...zodIssues(m.entry, 'MedicationStatement', r.error.issues));
  }
  const allergies = validRecordEntries<AllergyCreate, PlannedRecordEntry>(
    plan.allergies,
    allergyCreateSchema,
    'AllergyIntolerance',
    ALLERGY_FIELD_PATHS,
    issues,
  );
  const diagnoses = validRecordEntries<DiagnosisCreate, (typeof plan.diagnoses)[number]>(
    plan.diagnoses,
    diagnosisCreateSchema,
    'Condition',
    DIAGNOSIS_FIELD_PATHS,
    issues,
  );
  const trials = validRecordEntries<TrialCreate, PlannedRecordEntry>(
    plan.trials,
    trialCreateSchema,
    'MedicationStatement',
    TRIAL_FIELD_PATHS,
    issues,
  );
  // The problem list and treatment history are the prescriber's (the same rule as their routes).
  // The command line is the operator's, who holds the database already, as for every CLI import.
  if (ctx.actor.role !== 'cli' && !may(ctx.actor, PRESCRIBING_ROLES)) {
    for (const [list, type, what] of [
      [plan.diagnoses, 'Condition', 'diagnoses'],
      [plan.trials, 'MedicationStatement', 'prior treatment trials'],
    ] as const) {
      for (const p of list) {
        issues.push({
          entry: p.entry,
          resourceType: type,
          path: 'resourceType',
          message: `only a prescriber may record ${what}`,
        });
      }
    }
  }
  const reject = (list: ImportIssue[]) =>
    new FhirImportRejected(
      list.sort((a, b) => a.entry - b.entry),
      plan.skipped,
    );
  if (issues.length > 0) throw reject(issues);

  const ids = new Map<number, string>();
  for (const [entry, input] of patientInputs) {
    try {
      ids.set(entry, (await registerPatient(ctx, input)).id);
    } catch (e) {
      if (e instanceof ConflictError) {
        throw reject([{ entry, resourceType: 'Patient', path: 'identifier', message: e.message }]);
      }
      throw e;
    }
  }
  for (const { m, r } of medInputs) {
    await recordMedication(ctx, { patientId: ids.get(m.patientEntry)!, medication: r.data! });
  }
  for (const a of plan.assessments) {
    await recordAssessment(ctx, {
      patientId: ids.get(a.patientEntry)!,
      response: {
        instrument: a.instrument,
        version: getInstrument(a.instrument).version,
        context: 'ad-hoc',
        administeredAt: new Date(a.administeredAt),
        answers: a.answers,
      },
      author: { kind: 'user', userId },
    });
  }
  // The record through its own use cases: the same rules and audit as entry by hand.
  for (const { planned, data } of allergies) {
    await recordAllergy(ctx, { patientId: ids.get(planned.patientEntry)!, allergy: data });
  }
  for (const s of plan.noKnownAllergies) {
    await asEntryIssue(
      s.entry,
      'AllergyIntolerance',
      { noKnownAllergies: 'code' },
      () => recordNoKnownAllergies(ctx, ids.get(s.patientEntry)!),
      reject,
    );
  }
  for (const { planned, data } of diagnoses) {
    const patientId = ids.get(planned.patientEntry)!;
    const row = await recordDiagnosis(ctx, { patientId, diagnosis: data });
    if (planned.status === 'resolved') {
      await changeDiagnosis(ctx, { patientId, diagnosisId: row.id, update: { status: 'resolved' } });
    }
  }
  for (const { planned, data } of trials) {
    await recordTreatmentTrial(ctx, { patientId: ids.get(planned.patientEntry)!, trial: data });
  }
  const counts = {
    allergies: allergies.length,
    noKnownAllergies: plan.noKnownAllergies.length,
    diagnoses: diagnoses.length,
    trials: trials.length,
  };
  await recordAudit(ctx, {
    action: 'fhir.import',
    resourceType: 'patient',
    details: {
      patients: ids.size,
      medications: medInputs.length,
      assessments: plan.assessments.length,
      ...counts,
    },
  });
  return {
    imported: true,
    patients: [...ids].map(([entry, id]) => ({ entry, id })),
    medications: medInputs.length,
    assessments: plan.assessments.length,
    ...counts,
    skipped: plan.skipped,
  };
}

/**
 * One patient's record as a FHIR R4 collection Bundle, audited as a disclosure. A bulk export
 * (the CLI, every patient of a clinic) is audited per patient under its own action.
 */
export async function exportPatientFhir(
  ctx: UseCaseContext,
  input: { patientId: string; fhirBase: string; bulk?: boolean },
) {
  const record = await loadPatientRecord(ctx.tx, ctx.actor.clinicId, input.patientId);
  const bundle = patientBundle({ ...record, generatedAt: ctx.now, fhirBase: input.fhirBase });
  await recordAudit(ctx, {
    action: input.bulk ? 'patient.fhir_bulk_export' : 'patient.fhir_export',
    resourceType: 'patient',
    resourceId: input.patientId,
    ...(input.bulk ? {} : { details: { resources: bundle.entry?.length ?? 0 } }),
  });
  return bundle;
}

/** The ids of every patient of the clinic, in id order (the bulk export's worklist). */
export function clinicPatientIds(ctx: UseCaseContext): Promise<string[]> {
  return listPatientIds(ctx.tx, ctx.actor.clinicId);
}
