/**
 * Audit events survive a crash between being written and being sealed: `rein serve` is SIGKILLed
 * after acknowledged writes and before its sealer ran; the events are committed (unsealed), and the
 * restarted server seals them before it serves, so the chain verifies with nothing left out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { startServer } from '../../e2e/harness';
import { verifyAuditChain } from '../store/audit';
import { openStore } from '../store/open';
import { clinics } from '../store/schema';
import { migratedDataDir, migratedTestDatabase, storeKinds } from '../store/test-harness';

const ADMIN = { REIN_ADMIN_EMAIL: 'seal@test.example.org', REIN_ADMIN_PASSWORD: 'seal test passphrase' };

it.each(storeKinds())(
  'audit events written before a SIGKILL are sealed when the server restarts (%s)',
  { timeout: 180_000 },
  async (kind) => {
    // Migrated already: the server starts without creating a database (what is under test is the
    // restart after the kill).
    const pgDb = kind === 'postgres' ? await migratedTestDatabase() : null;
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rein-seal-crash-')), 'data');
    if (!pgDb) await migratedDataDir(dataDir);
    const location = pgDb ? { databaseUrl: pgDb.url } : { dataDir };
    // The first run's sealer would wait an hour: it never runs before the kill.
    // The same code as bin/rein.js, prebuilt (seconds less per start): the restart is under test.
    const bin = inject('reinTestBin');
    const env = {
      ...ADMIN,
      REIN_AUDIT_SEAL_INTERVAL_MS: '3600000',
      ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    };
    const chains = async () => {
      const store = await openStore(location);
      try {
        const ids = (await store.db.select({ id: clinics.id }).from(clinics)).map((c) => c.id);
        return await Promise.all(ids.map((id) => verifyAuditChain(store.db, id)));
      } finally {
        await store.close();
      }
    };
    try {
      const server = await startServer(env, { dataDir, bin });
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.REIN_ADMIN_EMAIL, password: ADMIN.REIN_ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/api/patients`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({
            mrn: `SEAL-${i}`,
            givenName: 'Seal',
            familyName: 'Crash',
            dateOfBirth: '1980-01-01',
            sexAtBirth: 'female',
          }),
        });
        expect(res.status).toBe(201);
      }
      await server.kill();

      // Committed, not sealed: the login and the five creations wait as the unsealed tail.
      const [crashed] = await chains();
      expect(crashed).toMatchObject({ ok: true, problem: null });
      expect(crashed!.unsealed).toBeGreaterThanOrEqual(6);
      const written = crashed!.checked + crashed!.unsealed;

      // The restarted server seals them before it serves; it is killed again without a request.
      const again = await startServer(env, { dataDir, bin });
      await again.kill();
      const [restarted] = await chains();
      expect(restarted).toMatchObject({ ok: true, problem: null, unsealed: 0, checked: written });
    } finally {
      await pgDb?.drop();
    }
  },
);
