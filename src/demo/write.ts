/**
 * Writers for generated demo rows: batched Drizzle inserts (PGlite and PostgreSQL, inside the
 * caller's transaction) and COPY FROM STDIN in text format (PostgreSQL, for large networks).
 * Tables are written in foreign-key order (DEMO_ROW_KEYS).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgliteTransaction } from 'drizzle-orm/pglite';
import type { PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { bodyMeasurements, medications, patients } from '../store/schema';
import { alerts, assessmentItemAnswers, assessmentResponses } from '../store/schema-measurement';
import {
  courses,
  eligibilityScreenings,
  eligibilitySignOffs,
  sessionEvents,
  treatmentSessions,
} from '../store/schema-sessions';
import type { Queryable } from '../store/tx';
import { DEMO_ROW_KEYS, type DemoRows } from './generate';

export const DEMO_TABLES: Record<keyof DemoRows, PgTable> = {
  patients,
  bodyMeasurements,
  medications,
  eligibilityScreenings,
  eligibilitySignOffs,
  courses,
  treatmentSessions,
  sessionEvents,
  assessmentResponses,
  assessmentItemAnswers,
  alerts,
};

/** PostgreSQL allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

export async function insertRows(db: Queryable, rows: DemoRows): Promise<void> {
  for (const key of DEMO_ROW_KEYS) {
    const list = rows[key] as Record<string, unknown>[];
    if (list.length === 0) continue;
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(list[0]!).length));
    for (let i = 0; i < list.length; i += chunk) {
      await db.insert(DEMO_TABLES[key]).values(list.slice(i, i + chunk) as never);
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
    if (!col) throw new Error(`demo writer: ${getTableName(table)} has no column for "${k}"`);
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
  rows: DemoRows,
  mode?: CopyMode,
): Promise<void> {
  const how = mode ?? (await copyModeFor(client));
  const role = (await client.query<{ role: string }>('select current_user as role')).rows[0]!.role;
  if (how === 'direct') await client.query('set local role none');
  for (const key of DEMO_ROW_KEYS) {
    const list = rows[key] as Record<string, unknown>[];
    if (list.length === 0) continue;
    const table = DEMO_TABLES[key];
    const plan = copyPlan(table, list[0]!);
    const name = getTableName(table);
    if (how === 'direct') {
      await pipeline(Readable.from(chunked(plan.line, list)), client.query(copyFrom(plan.statement)));
      continue;
    }
    const stage = `demo_stage_${name}`;
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
export function pgliteCopyWriter(tx: Queryable): ((rows: DemoRows) => Promise<void>) | null {
  if (!is(tx, PgliteTransaction)) return null;
  const client = (tx as unknown as { session: { client: PgliteQueryable } }).session.client;
  return async (rows) => {
    const role = (await client.query('select current_user as role')) as { rows: { role: string }[] };
    await client.query('set local role none');
    for (const key of DEMO_ROW_KEYS) {
      const list = rows[key] as Record<string, unknown>[];
      if (list.length === 0) continue;
      const plan = copyPlan(DEMO_TABLES[key], list[0]!);
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
