import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors';
import { patients, revisions } from './schema';
import type { Queryable } from './tx';
import { reusableSelect } from './reusable-select';

export type Patient = typeof patients.$inferSelect;

/** The fields a patient is registered with (validated by the request schema before they arrive). */
export type PatientCreate = Pick<
  typeof patients.$inferInsert,
  | 'mrn'
  | 'givenName'
  | 'familyName'
  | 'dateOfBirth'
  | 'sexAtBirth'
  | 'genderIdentity'
  | 'pronouns'
  | 'phone'
  | 'email'
  | 'emergencyContactName'
  | 'emergencyContactPhone'
  | 'emergencyContactRelationship'
>;
export type PatientUpdate = Partial<PatientCreate> & {
  /** The version the editor saw; a stale edit is refused. */
  version?: number | undefined;
  reason?: string | null | undefined;
};

/** Inserts a patient whose fields the use case has already checked (a plausible date of birth). */
export async function createPatient(db: Queryable, clinicId: string, input: PatientCreate): Promise<Patient> {
  try {
    const [row] = await db
      .insert(patients)
      .values({ ...input, clinicId })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'patients_mrn_unique')) {
      throw new ConflictError('mrn', 'a patient with this MRN already exists in this clinic');
    }
    throw err;
  }
}

const patientById = reusableSelect<Patient, { clinicId: string; patientId: string }>(
  'rein_patient_by_id',
  (db) =>
    db
      .select()
      .from(patients)
      .where(
        and(
          eq(patients.clinicId, sql.placeholder('clinicId')),
          eq(patients.id, sql.placeholder('patientId')),
        ),
      ),
);

export async function getPatient(db: Queryable, clinicId: string, patientId: string): Promise<Patient> {
  const [row] = await patientById(db, { clinicId, patientId });
  if (!row) throw new NotFoundError('patient');
  return row;
}

/** Escapes LIKE wildcards so a search for "50%" matches literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface PatientListQuery {
  /** Matches the start of given name, family name, "given family" or the MRN (case-insensitive). */
  q?: string | undefined;
  limit: number;
  offset: number;
}

export async function listPatients(db: Queryable, clinicId: string, query: PatientListQuery) {
  const conditions = [eq(patients.clinicId, clinicId)];
  const q = query.q?.trim();
  if (q) {
    const prefix = `${likeEscape(q)}%`;
    conditions.push(
      or(
        ilike(patients.familyName, prefix),
        ilike(patients.givenName, prefix),
        ilike(patients.mrn, prefix),
        ilike(sql`${patients.givenName} || ' ' || ${patients.familyName}`, prefix),
        ilike(sql`${patients.familyName} || ', ' || ${patients.givenName}`, prefix),
      )!,
    );
  }
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(patients)
      .where(where)
      .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.id))
      .limit(query.limit)
      .offset(query.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(patients)
      .where(where),
  ]);
  return { items: rows, total: count?.n ?? 0 };
}

export async function countPatients(db: Queryable, clinicId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(patients)
    .where(eq(patients.clinicId, clinicId));
  return row?.n ?? 0;
}

/**
 * Updates a patient, keeping the previous version in `revisions`. A stale `version` (someone else
 * saved in between) is refused with a conflict rather than silently overwriting their change.
 */
export async function updatePatient(
  db: Queryable,
  clinicId: string,
  patientId: string,
  update: PatientUpdate,
  changedBy: string,
): Promise<{ patient: Patient; changedFields: string[] }> {
  const { version, reason, ...patch } = update;
  const current = await getPatient(db, clinicId, patientId);
  if (version !== undefined && version !== current.version) {
    throw new ConflictError(
      'version',
      `this patient was changed by someone else (version ${current.version}, you edited ${version}); reload and try again`,
    );
  }
  const changedFields = Object.entries(patch)
    .filter(([key, value]) => value !== undefined && current[key as keyof Patient] !== value)
    .map(([key]) => key);
  if (changedFields.length === 0) {
    return { patient: current, changedFields };
  }
  await db.insert(revisions).values({
    clinicId,
    resourceType: 'patient',
    resourceId: patientId,
    version: current.version,
    data: current,
    changedBy,
    reason: reason ?? null,
  });
  try {
    const [row] = await db
      .update(patients)
      .set({ ...patch, version: current.version + 1, updatedAt: new Date() })
      .where(
        and(
          eq(patients.clinicId, clinicId),
          eq(patients.id, patientId),
          eq(patients.version, current.version),
        ),
      )
      .returning();
    if (!row) {
      throw new ConflictError('version', 'this patient was changed by someone else; reload and try again');
    }
    return { patient: row, changedFields };
  } catch (err) {
    if (isUniqueViolation(err, 'patients_mrn_unique')) {
      throw new ConflictError('mrn', 'a patient with this MRN already exists in this clinic');
    }
    throw err;
  }
}

/** Every patient id of a clinic, in id order (the worklist of a bulk export). */
export async function listPatientIds(db: Queryable, clinicId: string): Promise<string[]> {
  const rows = await db
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.clinicId, clinicId))
    .orderBy(asc(patients.id));
  return rows.map((r) => r.id);
}

/** The MRN of each of these patients (exports label rows with it); ids not of the clinic are absent. */
export async function patientMrns(
  db: Queryable,
  clinicId: string,
  patientIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(patientIds)];
  // One bind parameter per id: a few thousand per query.
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .select({ id: patients.id, mrn: patients.mrn })
      .from(patients)
      .where(and(eq(patients.clinicId, clinicId), inArray(patients.id, unique.slice(i, i + 1000))));
    for (const r of rows) out.set(r.id, r.mrn);
  }
  return out;
}
