import { and, asc, eq } from 'drizzle-orm';
import { ConflictError, NotFoundError } from './errors';
import { getPatient } from './patients';
import { medications, revisions, type DoseAboveMaximumConfirmation } from './schema';
import type { Queryable } from './tx';

export type Medication = typeof medications.$inferSelect;

export type MedicationFields = Pick<
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

/**
 * Inserts a medication of a patient the use case has found, as it decided it: the fields, and the
 * clinician's confirmation of a dose above the labelled maximum (null when none was needed).
 */
export async function addMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  fields: MedicationFields,
  doseAboveMaximum: DoseAboveMaximumConfirmation | null,
  createdBy: string,
): Promise<Medication> {
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
  opts: { includeEnteredInError?: boolean; patientChecked?: boolean } = {},
) {
  // A caller that has just read the patient (the session load) need not have it read again.
  if (!opts.patientChecked) await getPatient(db, clinicId, patientId);
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

/**
 * Writes the next version of a medication, keeping the previous one in `revisions`. A version
 * written by someone else since `current` was read is refused.
 */
export async function writeMedicationVersion(
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
  return writeMedicationVersion(
    db,
    clinicId,
    current,
    { status: 'entered-in-error', statusReason: input.reason },
    changedBy,
    input.reason,
  );
}
