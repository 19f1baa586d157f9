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
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
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
    /** `rein` bundled into one JavaScript file for tests that spawn it (see buildReinBin). */
    reinTestBin: string;
  }
}

/**
 * The sources of `rein` (src/cli/main.ts and what it imports) bundled into one ES module, run by
 * plain node, for tests that spawn processes and kill them: bin/rein.js loads hundreds of modules
 * through tsx's loader, seconds of CPU per process. Tests of the binary itself (its exit codes)
 * still spawn bin/rein.js.
 */
async function buildReinBin(root: string, dir: string): Promise<string> {
  const main = join(dir, 'main.mjs');
  await bundleSources(join(root, 'src/cli/main.ts'), main);
  const bin = join(dir, 'rein.mjs');
  writeFileSync(bin, "import { main } from './main.mjs';\nawait main(process.argv);\n");
  return bin;
}

/**
 * Bundles the TypeScript module `entry` and the sources it imports into one ES module at `outfile`
 * (under the repository's node_modules), for a test to run with plain node instead of through tsx's
 * loader. Same code, same packages (left external and resolved from the repository's node_modules,
 * hence the place); only import.meta.url is rewritten to each source file's own URL, for the paths
 * it resolves (the migrations folder, a script beside it).
 */
export async function bundleSources(entry: string, outfile: string): Promise<void> {
  // The esbuild release tsx (which runs bin/rein.js) uses, declared as a dev dependency.
  const { build } = await import('esbuild');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
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
 * Run on the PGlite template before it is dumped, so every test database made from it, in memory or
 * unpacked for a command, starts so. Each open sets up the buffer pool and unpacks the dump:
 * - a test database holds little: a 16-MB buffer pool (postgresql.auto.conf) instead of PGlite's
 *   128 MB (0.85 -> 0.43 CPU-s per open);
 * - Rein's tables live in the `postgres` database; template0 and template1, a third of the dump,
 *   serve only CREATE DATABASE, which nothing runs in PGlite (0.42 -> 0.27 CPU-s per open);
 * - a checkpoint last, so an open replays none of the above.
 */
const PGLITE_TEMPLATE_PREPARATION = [
  "alter system set shared_buffers = '16MB'",
  "update pg_database set datistemplate = false where datname in ('template0', 'template1')",
  'drop database template0',
  'drop database template1',
  'checkpoint',
];

/**
 * The PGlite dump is kept between runs, named by what determines its content (the migration files,
 * the PGlite version and the preparation above), so a run that changes none (a single test file, say)
 * does not migrate.
 */
function pgliteDumpPath(): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  hash.update(PGLITE_TEMPLATE_PREPARATION.join(';'));
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
      for (const statement of PGLITE_TEMPLATE_PREPARATION) await lite.db.execute(sql.raw(statement));
      // Written aside and renamed, so a concurrent run never reads half a file.
      const partial = `${dumpPath}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await (await lite.dumpDataDir!()).arrayBuffer()));
      renameSync(partial, dumpPath);
    } finally {
      await lite.close();
    }
  }
  project.provide('reinPgliteTemplate', dumpPath);
  const binDir = join(project.config.root, 'node_modules/.cache', `rein-test-bin-${process.pid}`);
  project.provide('reinTestBin', await buildReinBin(project.config.root, binDir));
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
    rmSync(binDir, { recursive: true, force: true });
    // Suites leave their copies behind: each DROP DATABASE forces a checkpoint (seconds here), so
    // they are dropped together at the end rather than one per suite on the tests' time.
    if (base) await dropDatabasesWithPrefix(base, runPrefix);
    await pgTemplate?.drop();
  };
}
