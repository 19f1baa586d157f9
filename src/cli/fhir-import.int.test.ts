import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRein } from './test-run';
import { migratedDataDir } from '../store/test-harness';

/** `rein ARGS…` in process (the same main() the binary runs), configured by `env` only. */
const rein = runRein;

const patient = (mrn: string) => ({
  resource: {
    resourceType: 'Patient',
    identifier: [{ system: 'urn:rein:mrn', value: mrn }],
    name: [{ family: 'Example', given: ['Sam'] }],
    birthDate: '1975-06-01',
    gender: 'male',
  },
});

describe('rein fhir import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rein-fhir-import-'));
  const env = { REIN_DATA_DIR: join(dir, 'data') };
  // Starts migrated (creating a database on first use is covered by store/data-dir.test.ts and the
  // restore suite).
  beforeAll(() => migratedDataDir(env.REIN_DATA_DIR));

  it(
    'imports a Bundle as a user with the HTTP import rules; a bad Bundle exits 2 naming FILE',
    { timeout: 120_000 },
    async () => {
      const clinic = await rein(
        [
          'clinic',
          'create',
          '--name',
          'Import',
          '--admin-email',
          'a@import.example.org',
          '--admin-password',
          'import clinic passphrase',
        ],
        env,
      );
      expect(clinic.code, clinic.stderr).toBe(0);
      const good = join(dir, 'good.json');
      writeFileSync(
        good,
        JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient('FI-1')] }),
      );
      const ok = await rein(['fhir', 'import', good, '--user', 'a@import.example.org', '--json'], env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ imported: true, patients: [{ entry: 0 }] });

      // The same MRN again, after a new patient: nothing of the file is written.
      const dup = join(dir, 'dup.json');
      writeFileSync(
        dup,
        JSON.stringify({ resourceType: 'Bundle', entry: [patient('FI-2'), patient('FI-1')] }),
      );
      const refused = await rein(['fhir', 'import', dup, '--user', 'a@import.example.org'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^rein: FILE: nothing imported/);
      expect(refused.stderr).toMatch(/entry 1 Patient identifier/);

      const noUser = await rein(['fhir', 'import', good, '--user', 'nobody@import.example.org'], env);
      expect(noUser.code).toBe(2);
      expect(noUser.stderr).toMatch(/--user/);
    },
  );
});
