/**
 * Bulk writers for many clinic rows at once (the synthetic demo clinic, thousands of patients):
 * batched Drizzle inserts (PGlite and PostgreSQL, inside the caller's transaction) and COPY in text
 * format (PostgreSQL COPY FROM STDIN; PGlite COPY from a blob). Persistence only: the rows arrive
 * complete, with the clinic's id; tables are written in foreign-key order (BULK_ROW_KEYS).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgliteTransaction } from 'drizzle-orm/pglite';
import type { PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Db, Store } from './open';
import * as schema from './schema';
import { bodyMeasurements, medications, patients, users } from './schema';
import { alerts, assessmentItemAnswers, assessmentResponses } from './schema-measurement';
import {
  courses,
  eligibilityScreenings,
  eligibilitySignOffs,
  sessionEvents,
  treatmentSessions,
} from './schema-sessions';
import { allergies, allergyStatements, diagnoses, treatmentTrials } from './schema-record';
import { clinicalNotes } from './schema-notes';
import { inClinic, type Queryable, type Tx } from './tx';

export type PatientInsert = typeof patients.$inferInsert;
export type BodyMeasurementInsert = typeof bodyMeasurements.$inferInsert;
export type MedicationInsert = typeof medications.$inferInsert;
export type CourseInsert = typeof courses.$inferInsert;
export type TreatmentSessionInsert = typeof treatmentSessions.$inferInsert;
export type ScreeningInsert = typeof eligibilityScreenings.$inferInsert;
export type SignOffInsert = typeof eligibilitySignOffs.$inferInsert;
export type UserInsert = typeof users.$inferInsert;
export type SessionEventInsert = typeof sessionEvents.$inferInsert;
export type ResponseInsert = typeof assessmentResponses.$inferInsert;
export type ItemAnswerInsert = typeof assessmentItemAnswers.$inferInsert;
export type AlertInsert = typeof alerts.$inferInsert;
export type AllergyInsert = typeof allergies.$inferInsert;
export type AllergyStatementInsert = typeof allergyStatements.$inferInsert;
export type DiagnosisInsert = typeof diagnoses.$inferInsert;
export type TreatmentTrialInsert = typeof treatmentTrials.$inferInsert;
export type ClinicalNoteInsert = typeof clinicalNotes.$inferInsert;

/** The rows of some patients, one array per table, in foreign-key order. */
export interface BulkRows {
  patients: PatientInsert[];
  bodyMeasurements: BodyMeasurementInsert[];
  medications: MedicationInsert[];
  allergies: AllergyInsert[];
  allergyStatements: AllergyStatementInsert[];
  diagnoses: DiagnosisInsert[];
  treatmentTrials: TreatmentTrialInsert[];
  eligibilityScreenings: ScreeningInsert[];
  eligibilitySignOffs: SignOffInsert[];
  courses: CourseInsert[];
  treatmentSessions: TreatmentSessionInsert[];
  sessionEvents: SessionEventInsert[];
  clinicalNotes: ClinicalNoteInsert[];
  assessmentResponses: ResponseInsert[];
  assessmentItemAnswers: ItemAnswerInsert[];
  alerts: AlertInsert[];
}

/** The tables of BulkRows in foreign-key order: a row's parents are written before it. */
export const BULK_ROW_KEYS = [
  'patients',
  'bodyMeasurements',
  'medications',
  'allergies',
  'allergyStatements',
  // Before courses: a course names its primary diagnosis.
  'diagnoses',
  'treatmentTrials',
  'eligibilityScreenings',
  'eligibilitySignOffs',
  'courses',
  'treatmentSessions',
  'sessionEvents',
  // Signed notes are inserted as signed: the lock trigger (migration 0024) guards updates only.
  'clinicalNotes',
  'assessmentResponses',
  'assessmentItemAnswers',
  'alerts',
] as const satisfies readonly (keyof BulkRows)[];

/** Writes one batch of rows in the transaction it was made for. */
export type BulkWriter = (rows: BulkRows) => Promise<void>;

export const BULK_TABLES: Record<keyof BulkRows, PgTable> = {
  patients,
  bodyMeasurements,
  medications,
  allergies,
  allergyStatements,
  diagnoses,
  treatmentTrials,
  eligibilityScreenings,
  eligibilitySignOffs,
  courses,
  treatmentSessions,
  sessionEvents,
  clinicalNotes,
  assessmentResponses,
  assessmentItemAnswers,
  alerts,
};

/** PostgreSQL allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

export async function insertRows(db: Queryable, rows: BulkRows): Promise<void> {
  for (const key of BULK_ROW_KEYS) {
    const list = rows[key] as Record<string, unknown>[];
    if (list.length === 0) continue;
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(list[0]!).length));
    for (let i = 0; i < list.length; i += chunk) {
      await db.insert(BULK_TABLES[key]).values(list.slice(i, i + chunk) as never);
    }
  }
}

const escapeCopy = (s: string): string =>
  s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');

const arrayLiteral = (xs: readonly unknown[]): string =>
  `{${xs.map((x) => `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

type Encoder = (v: unknown) => string;

function encoderFor(sqlType: string): Encoder {
  const nullable =
    (f: (v: unknown) => string): Encoder =>
    (v) =>
      v === null || v === undefined ? '\\N' : f(v);
  if (sqlType === 'jsonb' || sqlType === 'json') return nullable((v) => escapeCopy(JSON.stringify(v)));
  if (sqlType.endsWith('[]')) return nullable((v) => escapeCopy(arrayLiteral(v as unknown[])));
  if (sqlType === 'boolean') return nullable((v) => (v ? 't' : 'f'));
  if (sqlType.startsWith('timestamp')) {
    return nullable((v) => (v instanceof Date ? v.toISOString() : escapeCopy(String(v))));
  }
  return nullable((v) => escapeCopy(String(v)));
}

/** The COPY statement and a line encoder for the columns present in `sample`. */
export function copyPlan(table: PgTable, sample: Record<string, unknown>) {
  const columns = getTableColumns(table);
  const keys = Object.keys(sample);
  const encoders = keys.map((k) => {
    const col = columns[k];
    if (!col) throw new Error(`bulk writer: ${getTableName(table)} has no column for "${k}"`);
    return encoderFor(col.getSQLType());
  });
  const statement = `COPY "${getTableName(table)}" (${keys
    .map((k) => `"${columns[k]!.name}"`)
    .join(', ')}) FROM STDIN`;
  const line = (row: Record<string, unknown>): string => {
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += '\t';
      out += encoders[i]!(row[keys[i]!]);
    }
    return `${out}\n`;
  };
  return { statement, line, keys, columns: keys.map((k) => columns[k]!.name) };
}

function* chunked(lines: (row: Record<string, unknown>) => string, list: Record<string, unknown>[]) {
  let buf = '';
  for (const row of list) {
    buf += lines(row);
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Streams the rows with COPY FROM STDIN on `client`, inside the caller's clinic-scoped transaction.
 * PostgreSQL refuses COPY FROM into a table with row-level security for a role the policy applies
 * to, so:
 * - when the connecting role bypasses RLS (superuser or BYPASSRLS), COPY runs as that role (the
 *   clinic role of inClinic set aside for the COPY, then restored); the rows carry the clinic id
 *   by construction;
 * - otherwise each batch is copied into a temporary staging table (no RLS) and moved with
 *   INSERT … SELECT as the clinic role, so the policies still check every row.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  rows: BulkRows,
  mode?: CopyMode,
): Promise<void> {
  const how = mode ?? (await copyModeFor(client));
  const role = (await client.query<{ role: string }>('select current_user as role')).rows[0]!.role;
  if (how === 'direct') await client.query('set local role none');
  for (const key of BULK_ROW_KEYS) {
    const list = rows[key] as Record<string, unknown>[];
    if (list.length === 0) continue;
    const table = BULK_TABLES[key];
    const plan = copyPlan(table, list[0]!);
    const name = getTableName(table);
    if (how === 'direct') {
      await pipeline(Readable.from(chunked(plan.line, list)), client.query(copyFrom(plan.statement)));
      continue;
    }
    const stage = `bulk_stage_${name}`;
    await client.query(
      `create temp table if not exists "${stage}" (like "${name}" including defaults) on commit drop`,
    );
    await pipeline(
      Readable.from(chunked(plan.line, list)),
      client.query(copyFrom(plan.statement.replace(`COPY "${name}"`, `COPY "${stage}"`))),
    );
    const cols = plan.columns.map((c) => `"${c}"`).join(', ');
    await client.query(`insert into "${name}" (${cols}) select ${cols} from "${stage}"`);
    await client.query(`truncate "${stage}"`);
  }
  // The clinic role is restored on success only: after a failed COPY the transaction is aborted (any
  // query would fail with "current transaction is aborted" and hide the real error), and rolling it
  // back undoes the `set local` anyway.
  if (how === 'direct') await client.query("select set_config('role', $1, true)", [role]);
}

export type CopyMode = 'direct' | 'staged';

/** 'direct' when the session's login role bypasses row-level security, else 'staged'. */
export async function copyModeFor(client: pg.PoolClient | pg.Client): Promise<CopyMode> {
  const { rows } = await client.query<{ bypass: boolean }>(
    'select (rolsuper or rolbypassrls) as bypass from pg_roles where rolname = session_user',
  );
  return rows[0]?.bypass ? 'direct' : 'staged';
}

interface PgliteQueryable {
  query(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

/**
 * PGlite's fast path: COPY FROM '/dev/blob' inside the Drizzle transaction (the PGlite transaction
 * object that `tx` wraps). Reading the blob needs the connecting (superuser) role, so the clinic
 * role of inClinic is set aside for the COPY and restored after it; the rows carry the clinic's id
 * by construction. Returns null when `tx` is not a PGlite transaction.
 */
export function pgliteCopyWriter(tx: Queryable): ((rows: BulkRows) => Promise<void>) | null {
  if (!is(tx, PgliteTransaction)) return null;
  const client = (tx as unknown as { session: { client: PgliteQueryable } }).session.client;
  return async (rows) => {
    const role = (await client.query('select current_user as role')) as { rows: { role: string }[] };
    await client.query('set local role none');
    for (const key of BULK_ROW_KEYS) {
      const list = rows[key] as Record<string, unknown>[];
      if (list.length === 0) continue;
      const plan = copyPlan(BULK_TABLES[key], list[0]!);
      const text = list.map(plan.line).join('');
      await client.query(plan.statement.replace('FROM STDIN', "FROM '/dev/blob'"), [], {
        blob: new Blob([text]),
      });
    }
    // Restored on success only (see copyRows): a failed COPY aborts the transaction, whose rollback
    // undoes the `set local`.
    await client.query("select set_config('role', $1, true)", [role.rows[0]!.role]);
  };
}

/** Inserts users whose password hashes are already computed (bulk-created staff). */
export async function insertUserRows(db: Queryable, rows: UserInsert[]): Promise<void> {
  if (rows.length > 0) await db.insert(users).values(rows);
}

/** 'copy': COPY FROM STDIN (PostgreSQL); 'pglite-copy': COPY from a blob; 'insert': batched inserts. */
export type BulkWriterKind = 'copy' | 'pglite-copy' | 'insert';

function poolOf(store: Store): pg.Pool {
  return (store.db as unknown as { $client: pg.Pool }).$client;
}

/**
 * Runs `fn` in one clinic-scoped transaction with a batch writer: on PostgreSQL ('copy') the
 * transaction runs on one pooled connection so COPY joins it; 'pglite-copy' copies from a blob in
 * the transaction; 'insert' uses batched inserts in `tx`.
 */
export async function inClinicWithBulkWriter<T>(
  store: Store,
  clinicId: string,
  writer: BulkWriterKind,
  fn: (tx: Tx, write: BulkWriter) => Promise<T>,
): Promise<T> {
  if (writer === 'insert') {
    return inClinic(store.db, clinicId, (tx) => fn(tx, (rows) => insertRows(tx, rows)));
  }
  if (writer === 'pglite-copy') {
    return inClinic(store.db, clinicId, (tx) => fn(tx, defaultBulkWriter(tx)));
  }
  if (store.kind !== 'postgres') throw new Error('the COPY writer needs PostgreSQL');
  const client = await poolOf(store).connect();
  try {
    const db = drizzle(client, { schema }) as unknown as Db;
    return await inClinic(db, clinicId, (tx) => fn(tx, (rows: BulkRows) => copyRows(client, rows)));
  } finally {
    client.release();
  }
}

/** The fastest writer available inside `tx` alone: COPY from a blob on PGlite, else batched inserts. */
export function defaultBulkWriter(tx: Queryable): BulkWriter {
  return pgliteCopyWriter(tx) ?? ((rows: BulkRows) => insertRows(tx, rows));
}
