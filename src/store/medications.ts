import { and, asc, eq } from 'drizzle-orm';
import { ConflictError, NotFoundError } from './errors';
import type { MedicationCreate, MedicationUpdate } from './inputs';
import { getPatient } from './patients';
import { medications, revisions } from './schema';
import type { Queryable } from './tx';

export type Medication = typeof medications.$inferSelect;

export async function addMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: MedicationCreate,
  createdBy: string,
): Promise<Medication> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(medications)
    .values({ ...input, clinicId, patientId, createdBy })
    .returning();
  return row!;
}

export async function listMedications(db: Queryable, clinicId: string, patientId: string) {
  await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(medications)
    .where(and(eq(medications.clinicId, clinicId), eq(medications.patientId, patientId)))
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

/** Updates a medication (e.g. a dose change or a stop date), keeping the previous version. */
export async function updateMedication(
  db: Queryable,
  clinicId: string,
  patientId: string,
  medicationId: string,
  update: MedicationUpdate,
  changedBy: string,
): Promise<{ medication: Medication; changedFields: string[] }> {
  const { version, reason, ...patch } = update;
  const current = await getMedication(db, clinicId, patientId, medicationId);
  if (version !== undefined && version !== current.version) {
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  }
  const merged = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
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
  await db.insert(revisions).values({
    clinicId,
    resourceType: 'medication',
    resourceId: medicationId,
    version: current.version,
    data: current,
    changedBy,
    reason: reason ?? null,
  });
  const [row] = await db
    .update(medications)
    .set({ ...patch, version: current.version + 1, updatedAt: new Date() })
    .where(
      and(
        eq(medications.clinicId, clinicId),
        eq(medications.id, medicationId),
        eq(medications.version, current.version),
      ),
    )
    .returning();
  if (!row)
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  return { medication: row, changedFields };
}
