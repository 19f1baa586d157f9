/**
 * The outcomes benchmark keeps working as the code changes: a tiny network through the same script
 * (no timing is asserted; timings belong to the benchmark's own output). PostgreSQL only, like the
 * benchmark; CI always sets TEST_DATABASE_URL.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migratedTestDatabase } from '../src/store/test-harness';
import { bundleSources } from '../src/store/test-templates';

const base = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !base) throw new Error('TEST_DATABASE_URL is required when CI=true');

describe.runIf(base)('bench:outcomes', () => {
  it('builds a small network, times every dashboard read and reports the ratio to the floor', async () => {
    // A copy of the run's migrated template, dropped with the run's other copies (a DROP DATABASE
    // waits for a checkpoint, seconds on a busy server).
    const database = await migratedTestDatabase();
    // The script's sources bundled and run by plain node: loading them through tsx's loader took
    // seconds of CPU before the first row.
    const bench = join(
      import.meta.dirname,
      `../node_modules/.cache/rein-bench-outcomes-${randomBytes(4).toString('hex')}/outcomes.bench.mjs`,
    );
    await bundleSources(join(import.meta.dirname, 'outcomes.bench.ts'), bench);
    const r = spawnSync(
      process.execPath,
      [bench, '--patients', '100', '--clinics', '2', '--runs', '3', '--database-url', database.url],
      { encoding: 'utf8', env: { ...process.env, BENCH_DATABASE_URL: base }, timeout: 240_000 },
    );
    rmSync(dirname(bench), { recursive: true, force: true });
    await database.drop();
    expect(r.stderr + r.stdout).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/loaded 100 patients in 2 clinics/);
    expect(out).toMatch(/foreign keys: \d+ added back and validated/);
    expect(out).toMatch(/floor: full-table count\(\*\) of assessment_responses = [\d.]+ ms/);
    for (const name of [
      'patients in treatment + sessions this week',
      'prescriber filter choices',
      'rates and safety totals (filter: none)',
      'Kaplan–Meier durability groups (filter: prescriber)',
      'GET /api/outcomes/summary (whole request)',
    ]) {
      expect(out).toContain(name);
    }
    expect(out).toMatch(/× floor/);
    expect(out).toMatch(/^outcomes: slowest dashboard read [\d.]+ ms \([\d.]+ × count\(\*\) floor/m);
  }, 300_000);
});
