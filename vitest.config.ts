import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds the slowest files take in a full run (2 workers on 2 cores, suite hooks included: a
 * file's beforeAll can be a third of it). The two workers take files from one queue, so the run
 * ends when the last long file does: starting the longest first lets the short ones fill in behind
 * them. Vitest's own order (its cached durations, which a fresh checkout lacks, else file size) put
 * a 30-s benchmark smoke test of 50 lines last. Only the order matters; refresh from a run's JSON
 * report when a file's time changes a lot. Unlisted files go after, by cached time or size.
 */
const SECONDS: Record<string, number> = {
  'src/cli/restore.int.test.ts': 35,
  'src/cli/cli.int.test.ts': 31,
  'src/demo/generate.test.ts': 29,
  'src/server/demo.int.test.ts': 21,
  'src/server/bounded-work.int.test.ts': 16,
  'src/server/crash.int.test.ts': 15,
  'bench/http-bench.int.test.ts': 14,
  'src/server/audit-crash.int.test.ts': 13,
  'src/server/backup.int.test.ts': 10,
  'src/server/fuzz.int.test.ts': 10,
  'bench/outcomes-bench.int.test.ts': 8,
  'src/store/data-dir.test.ts': 8,
  'src/server/routes/session-alarms.int.test.ts': 8,
  'src/server/routes/session-dosing-day.int.test.ts': 7,
  'src/server/routes/session-orders.int.test.ts': 6,
  'src/server/routes/sessions.int.test.ts': 6,
  'src/server/concurrency.int.test.ts': 6,
  'src/server/routes/session-dosing.int.test.ts': 6,
  'src/server/routes/suicidality.int.test.ts': 5,
  'src/server/auth.int.test.ts': 4,
  'src/server/outcome-facts.int.test.ts': 4,
  'src/server/routes/screening.int.test.ts': 4,
  'src/server/routes/fhir-record.int.test.ts': 4,
  'scripts/openapi.test.ts': 3,
  'src/server/routes/assessments.int.test.ts': 3,
  'src/server/tenancy.int.test.ts': 3,
  'src/cli/demo.int.test.ts': 3,
  'src/store/clinic-transactions.int.test.ts': 3,
  'src/cli/fhir-import.int.test.ts': 3,
  'src/server/tapers.int.test.ts': 3,
  'src/server/access.int.test.ts': 3,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification): number => {
      const path = relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
      return SECONDS[path] ?? (cached ? cached.duration / 1000 : 0);
    };
    // Stable: files of equal weight keep Vitest's order.
    return base
      .map((spec, i) => ({ spec, i, s: seconds(spec) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'e2e'],
    // 2 cores: integration tests open databases; keep parallelism modest.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // Test files share a worker's module graph instead of re-importing the app per file (import time
    // 170 s -> 21 s on 2 cores). Files must not leave global state behind: no process.env writes, and
    // vi.stubEnv/vi.resetModules are undone in the same file.
    isolate: false,
    // Migrates one PGlite and one PostgreSQL template per run; store suites start from copies.
    globalSetup: ['src/store/test-templates.ts'],
    // Cheap argon2 parameters in tests only (the module refuses outside Vitest).
    setupFiles: ['src/store/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The teardown drops the run's PostgreSQL copies (a checkpoint each).
    teardownTimeout: 300_000,
    reporters: ['default'],
  },
});
