/**
 * Logical backup and restore of the whole database, identical for PGlite and PostgreSQL (and across
 * them: PGlite is PostgreSQL 18, the server 15, so physical dumps do not travel between them).
 *
 * Format `rein-backup/1`: JSON lines. The first line is a header (format, creation time, the last
 * migration applied, table names); each following line is `{"t": table, "r": row}` with rows in
 * primary-key order and tables parents-first, so a restore can insert them as they come. The last
 * line is a trailer `{"end": {rows, tables, sha256}}`: row counts per table and the SHA-256 of every
 * line before it (each with its newline). A file without a valid trailer is incomplete and refused,
 * because a backup cut anywhere else still parses line by line.
 * A restore runs in one transaction into an empty database: all or nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
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

/** The last line of a backup: what a complete file holds, to be checked before a restore commits. */
export interface BackupTrailer {
  end: BackupSummary & { sha256: string };
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
  const hash = createHash('sha256');
  const counts: BackupSummary = { rows: 0, tables: {} };
  const emit = (line: string) => {
    hash.update(line);
    hash.update('\n');
    return line;
  };
  yield emit(JSON.stringify(header));
  for (const table of tables) {
    const name = tableName(table);
    counts.tables[name] = 0;
    const order = primaryKeyColumns(table).map((c) => asc(c));
    for (let offset = 0; ; offset += PAGE_ROWS) {
      const rows = await db
        .select()
        .from(table)
        .orderBy(...order)
        .limit(PAGE_ROWS)
        .offset(offset);
      for (const row of rows) yield emit(JSON.stringify({ t: name, r: row }));
      counts.rows += rows.length;
      counts.tables[name]! += rows.length;
      if (rows.length < PAGE_ROWS) break;
    }
  }
  const trailer: BackupTrailer = { end: { ...counts, sha256: hash.digest('hex') } };
  yield JSON.stringify(trailer);
}

/**
 * The lines of a backup file (plain, or gzip when the name ends in .gz), read from a paused stream so
 * none is lost however long the database work before the first read takes. A gzip stream that ends
 * early, or any read error, becomes a BackupFormatError with a plain message.
 */
export async function* readBackupFile(path: string): AsyncGenerator<string> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (err) => input.destroy(err));
  input.setEncoding('utf8'); // decodes characters split across chunks
  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let from = 0;
      let nl: number;
      while ((nl = chunk.indexOf('\n', from)) >= 0) {
        yield rest + chunk.slice(from, nl);
        rest = '';
        from = nl + 1;
      }
      rest += chunk.slice(from);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || code === 'ERR_PADDING_1') {
      throw new BackupFormatError(
        `${path}: the compressed data is cut off or damaged (${code}); the backup is incomplete`,
      );
    }
    throw new BackupFormatError(`${path}: could not be read (${code ?? (err as Error).message})`);
  } finally {
    raw.destroy();
  }
  if (rest !== '') yield rest;
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
 * already holds a clinic, a backup of another format, one made by a newer version of Rein, and one
 * that is incomplete or altered: the trailer's row counts and checksum are checked before the
 * transaction commits, so a refused backup writes nothing.
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
    let trailer: BackupTrailer['end'] | null = null;
    let currentTable: PgTable | null = null;
    let currentName = '';
    let buffer: Record<string, unknown>[] = [];
    const hash = createHash('sha256');
    const flush = async () => {
      if (currentTable && buffer.length > 0) await tx.insert(currentTable).values(buffer);
      buffer = [];
    };
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (trailer) {
        if (line.trim() === '') continue;
        throw new BackupFormatError(`line ${lineNumber}: data after the end line; the file was altered`);
      }
      if (line.trim() === '') {
        hash.update('\n');
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BackupFormatError(
          `line ${lineNumber}: not JSON (a backup cut off mid-line ends this way); nothing was restored`,
        );
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
        for (const name of header.tables ?? []) summary.tables[name] = 0;
        hash.update(line);
        hash.update('\n');
        continue;
      }
      const end = (parsed as Partial<BackupTrailer>).end;
      if (end !== undefined) {
        trailer = end;
        continue;
      }
      hash.update(line);
      hash.update('\n');
      const { t, r } = parsed as { t?: string; r?: Record<string, unknown> };
      const table = t ? tables.get(t) : undefined;
      if (!table || !r) throw new BackupFormatError(`line ${lineNumber}: unknown table ${String(t)}`);
      if (currentTable !== table) {
        await flush();
        currentTable = table;
        currentName = t!;
      }
      buffer.push(reviveRow(table, r));
      summary.rows++;
      summary.tables[t!] = (summary.tables[t!] ?? 0) + 1;
      if (buffer.length >= INSERT_BATCH) await flush();
    }
    if (!header) throw new BackupFormatError('the backup is empty');
    if (!trailer) {
      const after = currentName ? header.tables.slice(header.tables.indexOf(currentName) + 1) : header.tables;
      throw new BackupFormatError(
        `the backup is incomplete: it stops at line ${lineNumber}${currentName ? `, in table ${currentName}` : ''}, ` +
          `without its end line (row counts and checksum)` +
          (after.length > 0 ? `; tables never reached: ${after.join(', ')}` : '') +
          '. Nothing was restored.',
      );
    }
    checkTrailer(trailer, summary, hash.digest('hex'));
    await flush();
  });
  return summary;
}

function checkTrailer(end: BackupTrailer['end'], read: BackupSummary, sha256: string): void {
  const short: string[] = [];
  for (const [name, expected] of Object.entries(end.tables ?? {})) {
    const got = read.tables[name] ?? 0;
    if (got !== expected) short.push(`${name} (${got} of ${expected} rows)`);
  }
  for (const name of Object.keys(read.tables)) {
    if (!(name in (end.tables ?? {}))) short.push(`${name} (not in the end line)`);
  }
  if (short.length > 0 || read.rows !== end.rows) {
    throw new BackupFormatError(
      `the backup's row counts do not match its end line: ${short.join(', ') || `${read.rows} of ${end.rows} rows`}. Nothing was restored.`,
    );
  }
  if (sha256 !== end.sha256) {
    throw new BackupFormatError(
      "the backup's checksum does not match its end line: the file was changed after it was written. Nothing was restored.",
    );
  }
}
