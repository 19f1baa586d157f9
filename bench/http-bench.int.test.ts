/**
 * The HTTP benchmark keeps working as the code changes: a tiny load through the same script, on
 * PGlite and, when TEST_DATABASE_URL is set, PostgreSQL. No timing is asserted (timings belong to
 * the benchmark's own output); the report's shape and zero errors are.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migratedDataDir, migratedTestDatabase } from '../src/store/test-harness';
import { bundleSources } from '../src/store/test-templates';

const base = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !base) throw new Error('TEST_DATABASE_URL is required when CI=true');
const stores = base ? ['pglite', 'postgres'] : ['pglite'];
const WORKLOADS = ['patient read', 'patient search', 'PHQ-9 submission', 'session vitals append'];

describe('bench:http', () => {
  it(`drives every workload beside its floor and reports each row and store (${stores.join(', ')})`, async () => {
    // A copy of the run's migrated template: the bench would otherwise migrate a new one.
    const pgliteDir = await migratedDataDir(join(mkdtempSync(join(tmpdir(), 'rein-bench-http-')), 'data'));
    // Likewise a copy of the PostgreSQL template, dropped with the run's other copies (a DROP
    // DATABASE waits for a checkpoint, seconds on a busy server).
    const database = base ? await migratedTestDatabase() : undefined;
    // The script's sources bundled and run by plain node (its load generator still starts under
    // tsx): loading the app through tsx's loader took seconds of CPU before the first request.
    const bench = join(
      import.meta.dirname,
      `../node_modules/.cache/rein-bench-http-${randomBytes(4).toString('hex')}/http.bench.mjs`,
    );
    await bundleSources(join(import.meta.dirname, 'http.bench.ts'), bench);
    const r = spawnSync(
      process.execPath,
      [
        bench,
        // The shortest measurement that still sends each workload's requests (timings are not the point).
        ...['--duration', '0.2', '--connections', '2', '--patients', '10', '--sessions', '2'],
        ...['--store', base ? 'both' : 'pglite', '--pglite-dir', pgliteDir],
        ...(database ? ['--postgres-url', database.url] : []),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...(base ? { BENCH_DATABASE_URL: base } : {}) },
        timeout: 240_000,
      },
    );
    rmSync(dirname(bench), { recursive: true, force: true });
    await database?.drop();
    expect(r.stderr + r.stdout).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^HTTP benchmark — 2 connections, 0.2 s per measurement/m);
    for (const store of stores) {
      for (const workload of WORKLOADS) {
        const row = out.split('\n').find((l) => l.startsWith(store) && l.includes(workload));
        expect(row, `${store} ${workload}`).toBeDefined();
        // req/s, floor req/s, ratio, p50/p99 twice, then errors for Rein and floor: both zero.
        expect(row).toMatch(/\s\d+\s+\d+\s+[\d.]+ %\s+\d+ \/ \d+\s+\d+ \/ \d+\s+0 \/ 0\s*$/);
      }
      expect(out).toMatch(
        new RegExp(
          `^http ${store}: lowest [\\d.]+ % of floor \\(.+\\), highest p99 \\d+ ms \\(.+\\), 0 errors — targets ≥ 50 %, p99 < 50 ms, 0 errors: (met|not met)$`,
          'm',
        ),
      );
    }
  }, 300_000);
});
