/**
 * Persistence of the clinical record: allergies, "no known allergies" statements, diagnoses, prior
 * treatment trials and a course's primary diagnosis. Repositories only read and write: the use
 * cases in src/app/clinical-record.ts resolve substances and codes and apply the core's rules.
 * A change keeps the previous version in `revisions`; a stale `version` is refused with 409.
 */
import { and, asc, desc, eq, gte, lt, ne, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from './errors';
import { getPatient } from './patients';
import { revisions } from './schema';
import { allergies, allergyStatements, diagnoses, treatmentTrials } from './schema-record';
import { courses } from './schema-sessions';
import type { Queryable } from './tx';

export type AllergyRow = typeof allergies.$inferSelect;
export type AllergyStatementRow = typeof allergyStatements.$inferSelect;
export type DiagnosisRow = typeof diagnoses.$inferSelect;
export type TreatmentTrialRow = typeof treatmentTrials.$inferSelect;

type Insert<T extends { $inferInsert: unknown }> = Omit<
  T['$inferInsert'],
  'clinicId' | 'id' | 'patientId' | 'createdBy' | 'createdAt' | 'updatedAt' | 'version' | 'statusReason'
>;
export type AllergyInsert = Insert<typeof allergies>;
export type DiagnosisInsert = Insert<typeof diagnoses>;
export type TreatmentTrialInsert = Insert<typeof treatmentTrials>;

/** What a use case hands the store to write the next version of a row. */
export interface VersionedChange<Row> {
  expectedVersion?: number | undefined;
  set: Partial<Row>;
  reason: string | null;
}

const RESOURCE = {
  allergy: allergies,
  diagnosis: diagnoses,
  treatment_trial: treatmentTrials,
} as const;
export type RecordResource = keyof typeof RESOURCE;
type Resource = RecordResource;

type RowOf<R extends Resource> = (typeof RESOURCE)[R]['$inferSelect'];

/**
 * The three tables share the columns these helpers use (clinic, patient, id, version, times); the
 * query builder is typed through one of them, and rows are typed back by resource.
 */
const tableOf = (resource: Resource) => RESOURCE[resource] as unknown as typeof allergies;

const stale = (resource: Resource) =>
  new ConflictError(
    'version',
    `this ${resource.replace('_', ' ')} was changed by someone else; reload and try again`,
  );

async function getRow<R extends Resource>(
  db: Queryable,
  resource: R,
  clinicId: string,
  patientId: string,
  id: string,
): Promise<RowOf<R>> {
  const table = tableOf(resource);
  const [row] = await db
    .select()
    .from(table)
    .where(and(eq(table.clinicId, clinicId), eq(table.patientId, patientId), eq(table.id, id)));
  if (!row) throw new NotFoundError(resource.replace('_', ' '));
  return row as RowOf<R>;
}

async function listRows<R extends Resource>(
  db: Queryable,
  resource: R,
  clinicId: string,
  patientId: string,
): Promise<RowOf<R>[]> {
  const table = tableOf(resource);
  const rows = await db
    .select()
    .from(table)
    .where(and(eq(table.clinicId, clinicId), eq(table.patientId, patientId)))
    .orderBy(asc(table.createdAt), asc(table.id));
  return rows as RowOf<R>[];
}

/** Copies the current row into `revisions`, then writes the next version (refused when stale). */
async function writeVersion<R extends Resource>(
  db: Queryable,
  resource: R,
  clinicId: string,
  current: RowOf<R>,
  change: VersionedChange<RowOf<R>>,
  changedBy: string,
  now: Date,
): Promise<RowOf<R>> {
  if (change.expectedVersion !== undefined && change.expectedVersion !== current.version)
    throw stale(resource);
  const table = tableOf(resource);
  await db.insert(revisions).values({
    clinicId,
    resourceType: resource,
    resourceId: current.id,
    version: current.version,
    data: current,
    changedBy,
    reason: change.reason,
  });
  const [row] = await db
    .update(table)
    .set({ ...(change.set as Partial<AllergyRow>), version: current.version + 1, updatedAt: now })
    .where(and(eq(table.clinicId, clinicId), eq(table.id, current.id), eq(table.version, current.version)))
    .returning();
  if (!row) throw stale(resource);
  return row as RowOf<R>;
}

// Allergies ---------------------------------------------------------------------------------------

export async function insertAllergy(
  db: Queryable,
  clinicId: string,
  patientId: string,
  values: AllergyInsert,
  createdBy: string,
  now: Date,
): Promise<AllergyRow> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(allergies)
    .values({ ...values, clinicId, patientId, createdBy, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export const getAllergy = (db: Queryable, clinicId: string, patientId: string, id: string) =>
  getRow(db, 'allergy', clinicId, patientId, id);

export const listAllergies = (db: Queryable, clinicId: string, patientId: string) =>
  listRows(db, 'allergy', clinicId, patientId);

export const writeAllergyVersion = (
  db: Queryable,
  clinicId: string,
  current: AllergyRow,
  change: VersionedChange<AllergyRow>,
  changedBy: string,
  now: Date,
) => writeVersion(db, 'allergy', clinicId, current, change, changedBy, now);

export async function insertAllergyStatement(
  db: Queryable,
  clinicId: string,
  patientId: string,
  recordedBy: string,
  recordedAt: Date,
): Promise<AllergyStatementRow> {
  const [row] = await db
    .insert(allergyStatements)
    .values({ clinicId, patientId, recordedBy, recordedAt })
    .returning();
  return row!;
}

/** The latest "no known allergies" statement, if any. */
export async function latestAllergyStatement(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<AllergyStatementRow | null> {
  const [row] = await db
    .select()
    .from(allergyStatements)
    .where(and(eq(allergyStatements.clinicId, clinicId), eq(allergyStatements.patientId, patientId)))
    .orderBy(desc(allergyStatements.recordedAt), desc(allergyStatements.id))
    .limit(1);
  return row ?? null;
}

// Diagnoses ---------------------------------------------------------------------------------------

export async function insertDiagnosis(
  db: Queryable,
  clinicId: string,
  patientId: string,
  values: DiagnosisInsert,
  createdBy: string,
  now: Date,
): Promise<DiagnosisRow> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(diagnoses)
    .values({ ...values, clinicId, patientId, createdBy, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export const getDiagnosis = (db: Queryable, clinicId: string, patientId: string, id: string) =>
  getRow(db, 'diagnosis', clinicId, patientId, id);

export const listDiagnoses = (db: Queryable, clinicId: string, patientId: string) =>
  listRows(db, 'diagnosis', clinicId, patientId);

export const writeDiagnosisVersion = (
  db: Queryable,
  clinicId: string,
  current: DiagnosisRow,
  change: VersionedChange<DiagnosisRow>,
  changedBy: string,
  now: Date,
) => writeVersion(db, 'diagnosis', clinicId, current, change, changedBy, now);

// Treatment trials --------------------------------------------------------------------------------

export async function insertTreatmentTrial(
  db: Queryable,
  clinicId: string,
  patientId: string,
  values: TreatmentTrialInsert,
  createdBy: string,
  now: Date,
): Promise<TreatmentTrialRow> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(treatmentTrials)
    .values({ ...values, clinicId, patientId, createdBy, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export const getTreatmentTrial = (db: Queryable, clinicId: string, patientId: string, id: string) =>
  getRow(db, 'treatment_trial', clinicId, patientId, id);

export const listTreatmentTrials = (db: Queryable, clinicId: string, patientId: string) =>
  listRows(db, 'treatment_trial', clinicId, patientId);

export const writeTreatmentTrialVersion = (
  db: Queryable,
  clinicId: string,
  current: TreatmentTrialRow,
  change: VersionedChange<TreatmentTrialRow>,
  changedBy: string,
  now: Date,
) => writeVersion(db, 'treatment_trial', clinicId, current, change, changedBy, now);

// A course's primary diagnosis ---------------------------------------------------------------------

/** The patient's courses with their primary diagnosis (null when none was chosen). */
export async function listCoursePrimaryDiagnoses(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<{ courseId: string; primaryDiagnosisId: string | null }[]> {
  return db
    .select({ courseId: courses.id, primaryDiagnosisId: courses.primaryDiagnosisId })
    .from(courses)
    .where(and(eq(courses.clinicId, clinicId), eq(courses.patientId, patientId)))
    .orderBy(asc(courses.startDate), asc(courses.id));
}

export async function setCoursePrimaryDiagnosis(
  db: Queryable,
  clinicId: string,
  patientId: string,
  courseId: string,
  diagnosisId: string | null,
): Promise<void> {
  const rows = await db
    .update(courses)
    .set({ primaryDiagnosisId: diagnosisId })
    .where(and(eq(courses.clinicId, clinicId), eq(courses.patientId, patientId), eq(courses.id, courseId)))
    .returning({ id: courses.id });
  if (rows.length === 0) throw new NotFoundError('course');
}

// The clinic's record as a whole (CSV exports) ------------------------------------------------------

/** Entries recorded in [from, to), entered-in-error ones left out (they never count). */
const clinicEntries = (resource: Resource, clinicId: string, range: { from?: Date; to?: Date }) => {
  const table = tableOf(resource);
  return and(
    eq(table.clinicId, clinicId),
    ne(table.status, 'entered-in-error'),
    ...(range.from ? [gte(table.createdAt, range.from)] : []),
    ...(range.to ? [lt(table.createdAt, range.to)] : []),
  );
};

export async function countClinicEntries(
  db: Queryable,
  resource: Resource,
  clinicId: string,
  range: { from?: Date; to?: Date },
): Promise<number> {
  const table = tableOf(resource);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(clinicEntries(resource, clinicId, range));
  return row?.n ?? 0;
}

/** Every current entry of one kind in the clinic, by patient then as recorded. */
export async function listClinicEntries<R extends Resource>(
  db: Queryable,
  resource: R,
  clinicId: string,
  range: { from?: Date; to?: Date },
): Promise<RowOf<R>[]> {
  const table = tableOf(resource);
  const rows = await db
    .select()
    .from(table)
    .where(clinicEntries(resource, clinicId, range))
    .orderBy(asc(table.patientId), asc(table.createdAt), asc(table.id));
  return rows as RowOf<R>[];
}
