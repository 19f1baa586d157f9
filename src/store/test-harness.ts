/**
 * One behaviour suite, two databases (the Drizzle pattern in engineering-notes §4.3).
 * `describeEachStore` runs a suite on an in-memory PGlite and, when TEST_DATABASE_URL is set, on a
 * fresh PostgreSQL database created for the suite and dropped afterwards. Under CI=true the
 * PostgreSQL run is required; elsewhere its absence is reported, loudly, once per suite.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openStore, type Store } from './open';
import { lendPgliteTestStore, lendPostgresTestStore } from './test-store-pool';

export type StoreKind = 'pglite' | 'postgres';

export interface StoreContext {
  kind: StoreKind;
  /** The open store for this suite (available inside tests and hooks, after beforeAll). */
  store(): Store;
}

function postgresUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'TEST_DATABASE_URL is required when CI=true: every store test must also run on PostgreSQL.',
    );
  }
  return url || undefined;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabaseOptions {
  /** Copy this (migrated) database instead of creating an empty one. */
  template?: string | undefined;
  prefix?: string;
}

/** Creates a throwaway PostgreSQL database and returns its URL and a function that drops it. */
export async function createTestDatabase(
  baseUrl: string,
  opts: TestDatabaseOptions = {},
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${opts.prefix ?? 'rein_test'}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // Identifiers are generated here (hex) or by the template setup, never taken from input.
    await admin.query(`create database ${name}${opts.template ? ` template ${opts.template}` : ''}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(baseUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Drops every database whose name starts with `prefix` (a generated run prefix), a few at a time. */
export async function dropDatabasesWithPrefix(baseUrl: string, prefix: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(prefix)) throw new Error(`unsafe database prefix: ${prefix}`);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  let names: string[];
  try {
    const rows = await admin.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $1)`,
      [`${prefix}_`],
    );
    names = rows.rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
  const batch = 8;
  for (let i = 0; i < names.length; i += batch) {
    await Promise.all(
      names.slice(i, i + batch).map(async (name) => {
        const c = new pg.Client({ connectionString: baseUrl });
        await c.connect();
        try {
          await c.query(`drop database if exists ${name} with (force)`);
        } finally {
          await c.end();
        }
      }),
    );
  }
}

/** The run's migrated templates (test-templates.ts), when the global setup provided them. */
function templates(): {
  pgliteDump: string | undefined;
  postgres: string | undefined;
  runPrefix: string | undefined;
} {
  try {
    return {
      pgliteDump: inject('reinPgliteTemplate'),
      postgres: inject('reinPostgresTemplate'),
      runPrefix: inject('reinPostgresRunPrefix'),
    };
  } catch {
    // outside a vitest run with the setup
    return { pgliteDump: undefined, postgres: undefined, runPrefix: undefined };
  }
}

/**
 * A Blob of bytes held in memory whose arrayBuffer() is one copy of them: Node's reads a Blob back
 * in 64-KB chunks and joins them, a fifth of a PGlite open's CPU for the 40-MB dump.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    super([bytes]);
    this.#bytes = bytes;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    // A copy: the opener may keep or change what it is given.
    return Promise.resolve(this.#bytes.slice().buffer);
  }
}

/**
 * The PGlite template's dump, read once per test worker: each open reads its own copy out of it
 * (reading and wrapping the 40-MB file was a tenth of every open).
 */
const dumps = new Map<string, Blob>();
function pgliteDump(path: string): Blob {
  let dump = dumps.get(path);
  if (!dump) {
    dump = new BytesBlob(readFileSync(path));
    dumps.set(path, dump);
  }
  return dump;
}

/**
 * A migrated store of the given kind holding no rows: an in-memory PGlite or a PostgreSQL database,
 * in a run emptied and reused within the worker (test-store-pool.ts); outside one, `close()` drops
 * the PostgreSQL database.
 */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  const template = templates();
  if (kind === 'pglite') {
    return lendPgliteTestStore(template.pgliteDump ? pgliteDump(template.pgliteDump) : undefined);
  }
  const base = postgresUrl();
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const { runPrefix } = template;
  // In a run, its teardown drops the copies together (test-store-pool.ts reuses them meanwhile).
  if (runPrefix)
    return lendPostgresTestStore(() =>
      createTestDatabase(base, { template: template.postgres, prefix: runPrefix }),
    );
  const database = await createTestDatabase(base, { template: template.postgres });
  const store = await openStore({ databaseUrl: database.url, maxConnections: 4 });
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Makes `dir` a migrated, empty PGlite data directory (the run's template, unpacked), for commands
 * run in a child process: they open it rather than create and migrate a database of their own
 * (seconds each). Without the template the directory is left to them to create.
 */
export async function migratedDataDir(dir: string): Promise<string> {
  const dump = templates().pgliteDump;
  if (dump) {
    mkdirSync(dir, { recursive: true });
    await promisify(execFile)('tar', ['-xf', dump, '-C', dir]);
  }
  return dir;
}

/**
 * A PostgreSQL database for commands run in a child process, under the run's prefix when there is
 * one, so it is dropped with the run's other copies: dropping a database waits for a checkpoint,
 * 6-15 s on a busy server, which a test otherwise spent idle.
 */
async function runTestDatabase(migrated: boolean): Promise<{ url: string; drop(): Promise<void> }> {
  const base = postgresUrl();
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const { postgres, runPrefix } = templates();
  const database = await createTestDatabase(base, {
    ...(migrated ? { template: postgres } : {}),
    ...(runPrefix ? { prefix: runPrefix } : {}),
  });
  return { url: database.url, drop: async () => (runPrefix ? undefined : database.drop()) };
}

/** A migrated, empty PostgreSQL database (a copy of the run's template). */
export function migratedTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return runTestDatabase(true);
}

/** A new PostgreSQL database with nothing in it, not even the schema (for what creates or migrates one). */
export function emptyTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return runTestDatabase(false);
}

export function storeKinds(): StoreKind[] {
  return postgresUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export function describeEachStore(name: string, suite: (ctx: StoreContext) => void): void {
  const kinds = storeKinds();
  if (!kinds.includes('postgres')) {
    console.warn(
      `\n  NOTICE: "${name}" ran on PGlite only — set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it on PostgreSQL too.\n`,
    );
  }
  for (const kind of kinds) {
    describe(`${name} [${kind}]`, () => {
      let store: Store | undefined;
      beforeAll(async () => {
        store = await openTestStore(kind);
      });
      afterAll(async () => {
        await store?.close();
      });
      suite({
        kind,
        store: () => {
          if (!store) throw new Error('store not open yet: use it inside a test or hook');
          return store;
        },
      });
    });
  }
}
