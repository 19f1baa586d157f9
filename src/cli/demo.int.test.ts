import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migratedDataDir } from '../store/test-harness';
import { runRein } from './test-run';

/** `rein ARGS…` in process (the same main() the binary runs), configured by `env` only. */
const rein = runRein;

describe('rein demo', () => {
  const env = { REIN_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'rein-demo-')), 'data') };
  // The run's migrated, empty template unpacked: creating and migrating a new database is seconds
  // of CPU and not what these tests are about (data-dir.test.ts covers a first start).
  beforeAll(async () => {
    await migratedDataDir(env.REIN_DATA_DIR);
  });

  it('refuses a bad --patients or --clinics value with exit code 2 naming the option', async () => {
    for (const bad of ['0', 'abc', '2.5', '1000001']) {
      const r = await rein(['demo', '--patients', bad], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^rein: --patients: /);
    }
    const tooMany = await rein(['demo', '--patients', '3', '--clinics', '5'], env);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--clinics/);
    const noClinics = await rein(['demo', '--clinics', '101'], env);
    expect(noClinics.code).toBe(2);
    expect(noClinics.stderr).toMatch(/--clinics/);
  });

  it('creates the demo clinic with 10 patients on an empty database', { timeout: 180_000 }, async () => {
    const r = await rein(['demo', '--patients', '10', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.patients).toBe(10);
    expect(out.courses).toBeGreaterThan(0);
    expect(out.sessions).toBeGreaterThan(0);
    expect(out.assessments).toBeGreaterThan(0);
    expect(out.outcomeFacts).toBeGreaterThan(0);
    expect(out.adminEmail).toBe('admin@demo.example.org');
    expect(out.temporaryPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    // The demo staff's passwords are never printed.
    expect(r.stdout.match(/[A-Za-z0-9]{24}/g)).toHaveLength(1);

    const network = await rein(['demo', '--patients', '4', '--clinics', '2', '--seed', '3'], env);
    expect(network.code, network.stderr).toBe(0);
    expect(network.stdout).toMatch(/Rein Demo Clinic 1 \(synthetic data\)/);
    expect(network.stdout).toMatch(/Rein Demo Clinic 2 \(synthetic data\)/);
    expect(network.stdout.match(/temporary password/g)).toHaveLength(2);
  });
});
