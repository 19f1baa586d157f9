/**
 * Vitest global setup: migrate once per run, then every store suite starts from a copy.
 * - PGlite: one migrated in-memory database, dumped to a file (kept between runs, see
 *   pgliteDumpPath); each suite loads the dump.
 * - PostgreSQL (TEST_DATABASE_URL): one migrated database; each suite's database is
 *   `CREATE DATABASE … TEMPLATE` it, a file-level copy.
 * Suites still run the migrator on open; against a copy it finds nothing to apply, so a stale or
 * missing template can only cost time, never correctness.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_FOLDER, openStore } from './open';
import { createTestDatabase, dropDatabasesWithPrefix } from './test-harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a migrated PGlite data-directory dump. */
    reinPgliteTemplate: string | undefined;
    /** Name of a migrated PostgreSQL database to copy. */
    reinPostgresTemplate: string | undefined;
    /** Prefix of this run's PostgreSQL suite databases, dropped together at teardown. */
    reinPostgresRunPrefix: string | undefined;
  }
}

/** The installed PGlite's version: its dump format may change with it. */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const { name, version } = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
    if (dirname(dir) === dir) throw new Error('cannot find the installed @electric-sql/pglite version');
    dir = dirname(dir);
  }
}

/**
 * The PGlite dump is kept between runs, named by what determines its content (the migration files
 * and the PGlite version), so a run that changes neither (a single test file, say) does not migrate.
 */
function pgliteDumpPath(): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(MIGRATIONS_FOLDER, file);
    if (!statSync(path).isFile()) continue;
    hash.update(file);
    hash.update(readFileSync(path));
  }
  return join(tmpdir(), `rein-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dumpPath = pgliteDumpPath();
  if (!existsSync(dumpPath)) {
    const lite = await openStore({ dataDir: 'memory://' });
    try {
      // Written aside and renamed, so a concurrent run never reads half a file.
      const partial = `${dumpPath}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await (await lite.dumpDataDir!()).arrayBuffer()));
      renameSync(partial, dumpPath);
    } finally {
      await lite.close();
    }
  }
  project.provide('reinPgliteTemplate', dumpPath);
  let pgTemplate: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  const base = process.env.TEST_DATABASE_URL;
  const runPrefix = `rein_run_${randomBytes(4).toString('hex')}`;
  project.provide('reinPostgresRunPrefix', base ? runPrefix : undefined);
  if (base) {
    pgTemplate = await createTestDatabase(base, { prefix: 'rein_template' });
    const store = await openStore({ databaseUrl: pgTemplate.url, maxConnections: 1 });
    await store.close();
    project.provide('reinPostgresTemplate', pgTemplate.name);
  } else {
    project.provide('reinPostgresTemplate', undefined);
  }
  return async () => {
    // Suites leave their copies behind: each DROP DATABASE forces a checkpoint (seconds here), so
    // they are dropped together at the end rather than one per suite on the tests' time.
    if (base) await dropDatabasesWithPrefix(base, runPrefix);
    await pgTemplate?.drop();
  };
}
