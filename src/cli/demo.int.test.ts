import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REIN = resolve(import.meta.dirname, '../../bin/rein.js');

async function rein(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run('node', [REIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rein demo', () => {
  const env = { REIN_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'rein-demo-')), 'data') };

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

  it('creates the demo clinic with 30 patients on an empty database', { timeout: 180_000 }, async () => {
    const r = await rein(['demo', '--patients', '30', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.patients).toBe(30);
    expect(out.courses).toBeGreaterThan(0);
    expect(out.sessions).toBeGreaterThan(0);
    expect(out.assessments).toBeGreaterThan(0);
    expect(out.outcomeFacts).toBeGreaterThan(0);
    expect(out.adminEmail).toBe('admin@demo.example.org');
    expect(out.temporaryPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    // The demo staff's passwords are never printed.
    expect(r.stdout.match(/[A-Za-z0-9]{24}/g)).toHaveLength(1);

    const network = await rein(['demo', '--patients', '20', '--clinics', '2', '--seed', '3'], env);
    expect(network.code, network.stderr).toBe(0);
    expect(network.stdout).toMatch(/Rein Demo Clinic 1 \(synthetic data\)/);
    expect(network.stdout).toMatch(/Rein Demo Clinic 2 \(synthetic data\)/);
    expect(network.stdout.match(/temporary password/g)).toHaveLength(2);
  });
});
