/**
 * FHIR R4 use cases. Import: a Bundle's Patients, MedicationStatements and PHQ-9/GAD-7
 * Observations are validated with the same request schemas as manual entry and recorded through
 * the same use cases (so a PHQ-9 imported with a positive item 9 raises its alert, and each record
 * is audited as if entered by hand), all or nothing.
 * Export: one patient's record as a collection Bundle, mapped by src/interop/fhir. HTTP and the
 * `rein fhir` command call these.
 */
import { ClinicalInputError } from '../clinical/errors';
import { getInstrument } from '../clinical/instruments';
import { assertDateOfBirthPlausible } from '../clinical/patient';
import { planImport, type ImportIssue } from '../interop/fhir/import';
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

const zodIssues = (
  entry: number,
  resourceType: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ImportIssue[] =>
  issues.map((e) => ({ entry, resourceType, path: e.path.map(String).join('.'), message: e.message }));

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
  await recordAudit(ctx, {
    action: 'fhir.import',
    resourceType: 'patient',
    details: { patients: ids.size, medications: medInputs.length, assessments: plan.assessments.length },
  });
  return {
    imported: true,
    patients: [...ids].map(([entry, id]) => ({ entry, id })),
    medications: medInputs.length,
    assessments: plan.assessments.length,
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
