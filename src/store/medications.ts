import { and, asc, eq } from 'drizzle-orm';
import { ClinicalInputError } from '../clinical/errors';
import { checkMedicationDose, type DoseCheck } from '../clinical/plausibility';
import { ConfirmationRequiredError, ConflictError, NotFoundError } from './errors';
import { getPatient } from './patients';
import { medications, revisions, type DoseAboveMaximumConfirmation } from './schema';
import type { Queryable } from './tx';

export type Medication = typeof medications.$inferSelect;

type MedicationFields = Pick<
  typeof medications.$inferInsert,
  'name' | 'rxnormCode' | 'dose' | 'doseUnit' | 'frequency' | 'classTags' | 'startDate' | 'stopDate' | 'notes'
>;
/** A medication as entered (validated by the request schema before it arrives). */
export type MedicationCreate = MedicationFields & { confirmAboveMaximum?: boolean | undefined };
export type MedicationUpdate = Partial<MedicationFields> & {
  version?: number | undefined;
  /** Required when the change stops the medication. */
  reason?: string | null | undefined;
  confirmAboveMaximum?: boolean | undefined;
};
/** Marking an entry entered in error always says why. */
export interface EnteredInError {
  reason: string;
  version?: number | undefined;
}

type DoseFields = Pick<Medication, 'name' | 'rxnormCode' | 'dose' | 'doseUnit' | 'frequency'>;

/**
 * The labelled-maximum check of the core for a medication about to be written: refused until the
 * clinician confirms, then the confirmation is kept with the row.
 */
function doseConfirmation(
  m: DoseFields,
  confirmed: boolean | undefined,
  by: string,
  now: Date,
): DoseAboveMaximumConfirmation | null {
  const check: DoseCheck = checkMedicationDose({
    name: m.name,
    rxNormCode: m.rxnormCode,
    dose: m.dose,
    doseUnit: m.doseUnit,
    frequency: m.frequency,
  });
  if (check.result !== 'above-maximum') return null;
  if (!confirmed) throw new ConfirmationRequiredError('dose', check.message);
  return {
    comparedMg: check.comparedMg!,
    maxMgPerDay: check.maximum!.mgPerDay,
    source: check.maximum!.source,
    confirmedBy: by,
    confirmedAt: now.toISOString(),
  };
}

export async function addMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: MedicationCreate,
  createdBy: string,
  now: Date = new Date(),
): Promise<Medication> {
  await getPatient(db, clinicId, patientId);
  const { confirmAboveMaximum, ...fields } = input;
  const doseAboveMaximum = doseConfirmation(
    {
      name: fields.name,
      rxnormCode: fields.rxnormCode ?? null,
      dose: fields.dose ?? null,
      doseUnit: fields.doseUnit ?? null,
      frequency: fields.frequency ?? null,
    },
    confirmAboveMaximum,
    createdBy,
    now,
  );
  const [row] = await db
    .insert(medications)
    .values({ ...fields, doseAboveMaximum, clinicId, patientId, createdBy })
    .returning();
  return row!;
}

/**
 * A patient's medications. Entries marked entered-in-error are left out unless asked for (the
 * record shows them struck through), so no rule, flag or export counts them.
 */
export async function listMedications(
  db: Queryable,
  clinicId: string,
  patientId: string,
  opts: { includeEnteredInError?: boolean } = {},
) {
  await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(medications)
    .where(
      and(
        eq(medications.clinicId, clinicId),
        eq(medications.patientId, patientId),
        opts.includeEnteredInError ? undefined : eq(medications.status, 'active'),
      ),
    )
    .orderBy(asc(medications.name), asc(medications.id));
}

export async function getMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  medicationId: string,
) {
  const [row] = await db
    .select()
    .from(medications)
    .where(
      and(
        eq(medications.clinicId, clinicId),
        eq(medications.patientId, patientId),
        eq(medications.id, medicationId),
      ),
    );
  if (!row) throw new NotFoundError('medication');
  return row;
}

/** Writes the next version of a medication, keeping the previous one in `revisions`. */
async function writeVersion(
  db: Queryable,
  clinicId: string,
  current: Medication,
  set: Partial<Medication>,
  changedBy: string,
  reason: string | null,
): Promise<Medication> {
  await db.insert(revisions).values({
    clinicId,
    resourceType: 'medication',
    resourceId: current.id,
    version: current.version,
    data: current,
    changedBy,
    reason,
  });
  const [row] = await db
    .update(medications)
    .set({ ...set, version: current.version + 1, updatedAt: new Date() })
    .where(
      and(
        eq(medications.clinicId, clinicId),
        eq(medications.id, current.id),
        eq(medications.version, current.version),
      ),
    )
    .returning();
  if (!row)
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  return row;
}

/**
 * Updates a medication (e.g. a dose change or a stop date), keeping the previous version. Stopping
 * a medication requires a reason; a new dose above the labelled maximum requires confirmation.
 */
export async function updateMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  medicationId: string,
  update: MedicationUpdate,
  changedBy: string,
  now: Date = new Date(),
): Promise<{ medication: Medication; changedFields: string[] }> {
  const { version, reason, confirmAboveMaximum, ...patch } = update;
  const current = await getMedication(db, clinicId, patientId, medicationId);
  if (version !== undefined && version !== current.version) {
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  }
  if (current.status === 'entered-in-error') {
    throw new ConflictError('status', 'this medication is marked entered in error and cannot be changed');
  }
  const merged = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  } as Medication;
  if (merged.startDate && merged.stopDate && merged.stopDate < merged.startDate) {
    throw new ConflictError('stopDate', 'must not be before the start date');
  }
  const changedFields = Object.entries(patch)
    .filter(
      ([key, value]) =>
        value !== undefined && JSON.stringify(current[key as keyof Medication]) !== JSON.stringify(value),
    )
    .map(([key]) => key);
  if (changedFields.length === 0) return { medication: current, changedFields };
  if (changedFields.includes('stopDate') && merged.stopDate !== null && !reason) {
    throw new ClinicalInputError('reason', 'say why the medication is stopped');
  }
  const doseChanged = ['name', 'rxnormCode', 'dose', 'doseUnit', 'frequency'].some((f) =>
    changedFields.includes(f),
  );
  const set: Partial<Medication> = { ...(patch as Partial<Medication>) };
  if (doseChanged) set.doseAboveMaximum = doseConfirmation(merged, confirmAboveMaximum, changedBy, now);
  const medication = await writeVersion(db, clinicId, current, set, changedBy, reason ?? null);
  return { medication, changedFields };
}

/** Marks a medication entered in error: a new version with the reason; nothing is deleted. */
export async function markMedicationEnteredInError(
  db: Queryable,
  clinicId: string,
  patientId: string,
  medicationId: string,
  input: EnteredInError,
  changedBy: string,
): Promise<Medication> {
  const current = await getMedication(db, clinicId, patientId, medicationId);
  if (input.version !== undefined && input.version !== current.version) {
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  }
  if (current.status === 'entered-in-error') {
    throw new ConflictError('status', 'this medication is already marked entered in error');
  }
  return writeVersion(
    db,
    clinicId,
    current,
    { status: 'entered-in-error', statusReason: input.reason },
    changedBy,
    input.reason,
  );
}
