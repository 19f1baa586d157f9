/**
 * Vitest global setup: migrate once per run, then every store suite starts from a copy.
 * - PGlite: one migrated in-memory database, dumped to a file; each suite loads the dump.
 * - PostgreSQL (TEST_DATABASE_URL): one migrated database; each suite's database is
 *   `CREATE DATABASE … TEMPLATE` it, a file-level copy.
 * Suites still run the migrator on open; against a copy it finds nothing to apply, so a stale or
 * missing template can only cost time, never correctness.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStore } from './open';
import { createTestDatabase } from './test-harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a migrated PGlite data-directory dump. */
    reinPgliteTemplate: string | undefined;
    /** Name of a migrated PostgreSQL database to copy. */
    reinPostgresTemplate: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'rein-test-template-'));
  const lite = await openStore({ dataDir: 'memory://' });
  try {
    const dumpPath = join(dir, 'pglite.tar');
    writeFileSync(dumpPath, Buffer.from(await (await lite.dumpDataDir!()).arrayBuffer()));
    project.provide('reinPgliteTemplate', dumpPath);
  } finally {
    await lite.close();
  }
  let pgTemplate: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    pgTemplate = await createTestDatabase(base, { prefix: 'rein_template' });
    const store = await openStore({ databaseUrl: pgTemplate.url, maxConnections: 1 });
    await store.close();
    project.provide('reinPostgresTemplate', pgTemplate.name);
  } else {
    project.provide('reinPostgresTemplate', undefined);
  }
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await pgTemplate?.drop();
  };
}
