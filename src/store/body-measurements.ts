import { and, asc, eq } from 'drizzle-orm';
import type { BodyMeasurementCreate } from './inputs';
import { bodyMeasurements } from './schema';
import type { Queryable } from './tx';
import { getPatient } from './patients';

export type BodyMeasurement = typeof bodyMeasurements.$inferSelect;

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

export async function listBodyMeasurements(db: Queryable, clinicId: string, patientId: string) {
  await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(bodyMeasurements)
    .where(and(eq(bodyMeasurements.clinicId, clinicId), eq(bodyMeasurements.patientId, patientId)))
    .orderBy(asc(bodyMeasurements.measuredAt), asc(bodyMeasurements.id));
}
