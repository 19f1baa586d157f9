import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRein } from './test-run';
import { loadStructureValidator } from '../interop/fhir/validation-test-support';
import { emptyTestDatabase, migratedDataDir } from '../store/test-harness';

const run = promisify(execFile);
const REIN = resolve(import.meta.dirname, '../../bin/rein.js');

/** The real binary in a child process: for what only a process boundary shows (exit codes, locks). */
async function spawnRein(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('node', [REIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `rein ARGS…` in process (the same main() the binary runs), configured by `env` only. */
const rein = (args: string[], env: Record<string, string> = {}) => runRein(args, env);

describe('rein CLI', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'rein-cli-')), 'data');
  const env = { REIN_DATA_DIR: dataDir };
  // Starts migrated, as after `rein migrate`: creating a database on first use is covered by
  // store/data-dir.test.ts (PGlite) and the restore suite (restore.int.test.ts, PostgreSQL).
  // `rein backup` and `rein restore`, their refusals included, are the restore suite's, on both
  // stores.
  beforeAll(() => migratedDataDir(dataDir));

  it('prints help for every command', async () => {
    const top = await rein(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'clinic', 'user', 'demo', 'backup', 'restore', 'audit', 'fhir'])
      expect(top.stdout).toContain(cmd);
    const sub = await rein(['user', 'create', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--role');
  });

  it('exits 2 naming the bad argument', { timeout: 60_000 }, async () => {
    const badRole = await rein(['user', 'create', '--email', 'a@b.org', '--role', 'wizard'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role/);
    const badEmail = await rein(
      [
        'clinic',
        'create',
        '--name',
        'X',
        '--admin-email',
        'nope',
        '--admin-password',
        'long enough passphrase',
      ],
      env,
    );
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toMatch(/--admin-email: must be an email address/);
    const missing = await rein(['clinic', 'create', '--name', 'X'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--admin-email/);
    const unknown = await spawnRein(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it(
    'seeds the synthetic demo clinic, then a second clinic, then users that need --clinic',
    { timeout: 180_000 },
    async () => {
      const demo = await rein(['demo', '--json'], env);
      expect(demo.code, demo.stderr).toBe(0);
      const summary = JSON.parse(demo.stdout);
      expect(summary.patients).toBeGreaterThanOrEqual(50);
      expect(summary.adminEmail).toBe('admin@demo.example.org');
      expect(summary.temporaryPassword).toMatch(/^[A-Za-z0-9]{24}$/);
      const again = await rein(['demo'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/without patients/);

      const second = await rein(
        [
          'clinic',
          'create',
          '--name',
          'Second Clinic',
          '--admin-email',
          'boss@second.example.org',
          '--admin-password',
          'second clinic passphrase',
          '--json',
        ],
        env,
      );
      expect(second.code, second.stderr).toBe(0);
      const { clinicId } = JSON.parse(second.stdout);
      const ambiguous = await rein(
        ['user', 'create', '--email', 'n@second.example.org', '--role', 'nurse'],
        env,
      );
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(/--clinic/);
      const nurse = await rein(
        [
          'user',
          'create',
          '--email',
          'n@second.example.org',
          '--role',
          'nurse',
          '--clinic',
          clinicId,
          '--json',
        ],
        env,
      );
      expect(nurse.code, nurse.stderr).toBe(0);
      expect(JSON.parse(nurse.stdout)).toMatchObject({ role: 'nurse', clinicId });
      expect(JSON.parse(nurse.stdout).temporaryPassword).toBeTruthy();
    },
  );

  it('verifies the audit chain, honours an anchor, and exports it as CSV', { timeout: 60_000 }, async () => {
    const verify = await rein(['audit', 'verify', '--json'], env);
    expect(verify.code, verify.stderr).toBe(0);
    const chains = JSON.parse(verify.stdout) as Array<{
      clinicId: string;
      ok: boolean;
      head: { seq: number; hash: string };
    }>;
    expect(chains.length).toBeGreaterThanOrEqual(2);
    expect(chains.every((c) => c.ok)).toBe(true);
    const { clinicId, head } = chains[0]!;
    const anchored = await rein(
      ['audit', 'verify', '--clinic', clinicId, '--anchor', `${head.seq}:${head.hash}`],
      env,
    );
    expect(anchored.code, anchored.stderr).toBe(0);
    expect(anchored.stdout).toMatch(/intact/);
    const wrong = await rein(
      ['audit', 'verify', '--clinic', clinicId, '--anchor', `${head.seq}:${'0'.repeat(64)}`],
      env,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/BROKEN/);
    const badAnchor = await rein(['audit', 'verify', '--clinic', clinicId, '--anchor', 'nonsense'], env);
    expect(badAnchor.code).toBe(2);
    expect(badAnchor.stderr).toMatch(/--anchor/);
    const file = join(mkdtempSync(join(tmpdir(), 'rein-audit-')), 'audit.csv');
    const exported = await rein(['audit', 'export', file, '--clinic', clinicId, '--json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).events).toBeGreaterThan(head.seq);
  });

  it(
    'bulk-exports a clinic as FHIR R4 NDJSON, one valid resource per line',
    { timeout: 120_000 },
    async () => {
      const validateResource = await loadStructureValidator();
      const verify = await rein(['audit', 'verify', '--json'], env);
      const demoClinic = (JSON.parse(verify.stdout) as Array<{ clinicId: string }>)[0]!.clinicId;
      const dir = join(mkdtempSync(join(tmpdir(), 'rein-fhir-')), 'export');
      const res = await rein(['fhir', 'export', dir, '--clinic', demoClinic, '--json', '--progress'], env);
      expect(res.code, res.stderr).toBe(0);
      const summary = JSON.parse(res.stdout);
      expect(summary.patients).toBe(60);
      expect(summary.resources.Patient).toBe(60);
      expect(res.stderr).toMatch(/fhir export \[#+/);
      const files = readdirSync(dir).sort();
      expect(files).toEqual(
        Object.keys(summary.resources)
          .map((t) => `${t}.ndjson`)
          .sort(),
      );
      // Every line is parsed and typed by its file, and every resource passes the R4 structure
      // definitions, except that Observations (24,000 of the 29,000, made by the same few mappings
      // for every patient) are checked for a fifth of the patients: validating each costs ~0.3 ms.
      const checkedPatients = new Set(
        readFileSync(join(dir, 'Patient.ndjson'), 'utf8')
          .trimEnd()
          .split('\n')
          .slice(0, 12)
          .map((line) => `Patient/${(JSON.parse(line) as { id: string }).id}`),
      );
      let observationsChecked = 0;
      for (const file of files) {
        const lines = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
        expect(lines).toHaveLength(summary.resources[file.replace('.ndjson', '')]);
        for (const line of lines) {
          const resource = JSON.parse(line);
          expect(`${resource.resourceType}.ndjson`).toBe(file);
          if (resource.resourceType === 'Observation') {
            if (!checkedPatients.has(resource.subject?.reference)) continue;
            observationsChecked++;
          }
          validateResource(resource);
        }
      }
      expect(observationsChecked).toBeGreaterThan(summary.resources.Observation / 10);
      const again = await rein(['fhir', 'export', dir], env);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/DIR: .* is not empty/);
    },
  );

  it(
    'refuses to open the embedded database while another process holds it',
    { timeout: 60_000 },
    async () => {
      writeFileSync(`${dataDir}.lock`, String(process.pid));
      const res = await spawnRein(['migrate'], env);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/in use by another Rein process \(pid \d+/);
    },
  );

  it('migrates a PostgreSQL database given DATABASE_URL', async (ctx) => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) {
      if (process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is required when CI=true');
      console.warn('NOTICE: rein migrate on PostgreSQL not exercised: TEST_DATABASE_URL is not set');
      ctx.skip();
    }
    const db = await emptyTestDatabase();
    try {
      const res = await rein(['migrate', '--json'], { DATABASE_URL: db.url });
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ status: 'migrated', database: 'postgres' });
    } finally {
      await db.drop();
    }
  });
});
