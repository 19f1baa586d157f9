import { and, asc, eq } from 'drizzle-orm';
import { ConflictError, NotFoundError } from './errors';
import { bodyMeasurements, revisions } from './schema';
import type { Queryable } from './tx';
import { getPatient } from './patients';

export type BodyMeasurement = typeof bodyMeasurements.$inferSelect;

/** A weight and/or height as entered; `measuredAt` defaults to now. */
export interface BodyMeasurementCreate {
  measuredAt?: string | undefined;
  weightKg?: number | null | undefined;
  heightCm?: number | null | undefined;
}

export async function addBodyMeasurement(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: BodyMeasurementCreate,
  recordedBy: string,
  now: Date,
): Promise<BodyMeasurement> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(bodyMeasurements)
    .values({
      clinicId,
      patientId,
      measuredAt: input.measuredAt ? new Date(input.measuredAt) : now,
      weightKg: input.weightKg ?? null,
      heightCm: input.heightCm ?? null,
      recordedBy,
    })
    .returning();
  return row!;
}

/**
 * A patient's measurements, oldest first. Entries marked entered-in-error are left out unless asked
 * for (the record's history shows them), so they never drive a dose or count as the latest weight.
 */
export async function listBodyMeasurements(
  db: Queryable,
  clinicId: string,
  patientId: string,
  opts: { includeEnteredInError?: boolean; patientChecked?: boolean } = {},
) {
  // A caller that has just read the patient (the session load) need not have it read again.
  if (!opts.patientChecked) await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(bodyMeasurements)
    .where(
      and(
        eq(bodyMeasurements.clinicId, clinicId),
        eq(bodyMeasurements.patientId, patientId),
        opts.includeEnteredInError ? undefined : eq(bodyMeasurements.status, 'active'),
      ),
    )
    .orderBy(asc(bodyMeasurements.measuredAt), asc(bodyMeasurements.id));
}

/** Marks a measurement entered in error: a new version with who, when and why; nothing is deleted. */
export async function markBodyMeasurementEnteredInError(
  db: Queryable,
  clinicId: string,
  patientId: string,
  measurementId: string,
  reason: string,
  changedBy: string,
  now: Date,
): Promise<BodyMeasurement> {
  await getPatient(db, clinicId, patientId);
  const [current] = await db
    .select()
    .from(bodyMeasurements)
    .where(
      and(
        eq(bodyMeasurements.clinicId, clinicId),
        eq(bodyMeasurements.patientId, patientId),
        eq(bodyMeasurements.id, measurementId),
      ),
    );
  if (!current) throw new NotFoundError('body measurement');
  if (current.status === 'entered-in-error') {
    throw new ConflictError('status', 'this measurement is already marked entered in error');
  }
  await db.insert(revisions).values({
    clinicId,
    resourceType: 'body_measurement',
    resourceId: measurementId,
    version: current.version,
    data: current,
    changedBy,
    reason,
  });
  const [row] = await db
    .update(bodyMeasurements)
    .set({
      status: 'entered-in-error',
      statusReason: reason,
      statusChangedBy: changedBy,
      statusChangedAt: now,
      version: current.version + 1,
    })
    .where(
      and(
        eq(bodyMeasurements.clinicId, clinicId),
        eq(bodyMeasurements.id, measurementId),
        eq(bodyMeasurements.version, current.version),
      ),
    )
    .returning();
  if (!row) throw new ConflictError('version', 'this measurement was changed by someone else; reload');
  return row;
}
