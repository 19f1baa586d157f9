/**
 * Logical backup and restore of the whole database, identical for PGlite and PostgreSQL (and across
 * them: PGlite is PostgreSQL 18, the server 15, so physical dumps do not travel between them).
 *
 * Format `rein-backup/1`: JSON lines. The first line is a header (format, creation time, the last
 * migration applied, table names); each following line is `{"t": table, "r": row}` with rows in
 * primary-key order and tables parents-first, so a restore can insert them as they come.
 * A restore runs in one transaction into an empty database: all or nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { tablesInDependencyOrder } from './all-tables';
import * as schema from './schema';
import { MIGRATIONS_FOLDER, type Db } from './open';

export const BACKUP_FORMAT = 'rein-backup/1';
const PAGE_ROWS = 1000;
const INSERT_BATCH = 500;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** Tag of the newest migration the database had (e.g. `0003_taper_plans`). */
  migration: string;
  tables: string[];
}

export interface BackupSummary {
  rows: number;
  tables: Record<string, number>;
}

export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError';
}

function migrationTags(): string[] {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  return journal.entries.map((e) => e.tag);
}

const tableName = (t: PgTable) => getTableConfig(t).name;

function primaryKeyColumns(table: PgTable) {
  const cfg = getTableConfig(table);
  const pk = cfg.primaryKeys[0]?.columns ?? cfg.columns.filter((c) => c.primary);
  return pk.length > 0 ? pk : cfg.columns;
}

/**
 * Yields the backup, line by line (without newlines). Reads each table in pages of 1,000 rows. On
 * PostgreSQL every page is read in one REPEATABLE READ, READ ONLY transaction, so a backup taken while
 * the server runs is one consistent snapshot across tables (a response and its items, sessions and
 * the dashboard's course facts derived from them). PGlite has one connection, held by whoever
 * opened the data directory, so nothing writes while it is read.
 */
export async function* exportDatabase(db: Db, now: Date): AsyncGenerator<string> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) {
    yield* exportFrom(db, now);
    return;
  }
  const conn = await client.connect();
  let done = false;
  try {
    await conn.query('begin isolation level repeatable read read only');
    yield* exportFrom(drizzlePg(conn, { schema }) as unknown as Db, now);
    await conn.query('commit');
    done = true;
  } finally {
    if (!done) await conn.query('rollback').catch(() => undefined);
    conn.release();
  }
}

async function* exportFrom(db: Db, now: Date): AsyncGenerator<string> {
  const tables = tablesInDependencyOrder();
  const tags = migrationTags();
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    createdAt: now.toISOString(),
    migration: tags[tags.length - 1]!,
    tables: tables.map(tableName),
  };
  yield JSON.stringify(header);
  for (const table of tables) {
    const order = primaryKeyColumns(table).map((c) => asc(c));
    for (let offset = 0; ; offset += PAGE_ROWS) {
      const rows = await db
        .select()
        .from(table)
        .orderBy(...order)
        .limit(PAGE_ROWS)
        .offset(offset);
      for (const row of rows) yield JSON.stringify({ t: tableName(table), r: row });
      if (rows.length < PAGE_ROWS) break;
    }
  }
}

/** Turns JSON values back into what the column expects (timestamps were written as ISO strings). */
function reviveRow(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const cfg = getTableConfig(table);
  const out: Record<string, unknown> = {};
  const byKey = new Map(
    Object.entries(table as unknown as Record<string, { columnType?: string; name?: string }>),
  );
  for (const [key, value] of Object.entries(row)) {
    const column = byKey.get(key);
    if (!column || !cfg.columns.some((c) => c.name === column.name)) {
      throw new BackupFormatError(
        `${cfg.name}: the backup has a column "${key}" this version of Rein does not know`,
      );
    }
    out[key] = column.columnType === 'PgTimestamp' && typeof value === 'string' ? new Date(value) : value;
  }
  return out;
}

async function isEmpty(db: Db): Promise<boolean> {
  const result = await db.execute(sql`select count(*)::int as n from clinics`);
  const rows = (result as unknown as { rows: Array<{ n: number }> }).rows;
  return Number(rows[0]?.n ?? 0) === 0;
}

/**
 * Restores a backup into an empty, migrated database in one transaction. Refuses a database that
 * already holds a clinic, a backup of another format, and a backup made by a newer version of Rein.
 */
export async function importDatabase(
  db: Db,
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<BackupSummary> {
  if (!(await isEmpty(db))) {
    throw new BackupFormatError('the target database is not empty: restore only into a new, empty database');
  }
  const tables = new Map(tablesInDependencyOrder().map((t) => [tableName(t), t]));
  const known = migrationTags();
  const summary: BackupSummary = { rows: 0, tables: {} };
  await db.transaction(async (tx) => {
    let header: BackupHeader | null = null;
    let currentTable: PgTable | null = null;
    let buffer: Record<string, unknown>[] = [];
    const flush = async () => {
      if (currentTable && buffer.length > 0) await tx.insert(currentTable).values(buffer);
      buffer = [];
    };
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BackupFormatError(`line ${lineNumber}: not JSON`);
      }
      if (!header) {
        const h = parsed as Partial<BackupHeader>;
        if (h.format !== BACKUP_FORMAT) throw new BackupFormatError(`line 1: not a ${BACKUP_FORMAT} file`);
        if (!h.migration || !known.includes(h.migration)) {
          throw new BackupFormatError(
            `the backup was made at migration ${h.migration ?? '(none)'}, which this version of Rein does not have; restore it with the version that made it`,
          );
        }
        header = h as BackupHeader;
        continue;
      }
      const { t, r } = parsed as { t?: string; r?: Record<string, unknown> };
      const table = t ? tables.get(t) : undefined;
      if (!table || !r) throw new BackupFormatError(`line ${lineNumber}: unknown table ${String(t)}`);
      if (currentTable !== table) {
        await flush();
        currentTable = table;
      }
      buffer.push(reviveRow(table, r));
      summary.rows++;
      summary.tables[t!] = (summary.tables[t!] ?? 0) + 1;
      if (buffer.length >= INSERT_BATCH) await flush();
    }
    await flush();
    if (!header) throw new BackupFormatError('the backup is empty');
  });
  return summary;
}
