/**
 * Crash safety: the server is SIGKILLed in the middle of concurrent
 * writes and restarted on the same database. Every write it acknowledged must be there, and no
 * record may be partial (each patient commits together with its audit event and its first weight).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from '../../e2e/harness';
import { openStore } from '../store/open';
import { auditEvents, patients } from '../store/schema';
import { migratedDataDir, migratedTestDatabase, storeKinds } from '../store/test-harness';

const ADMIN = { REIN_ADMIN_EMAIL: 'crash@test.example.org', REIN_ADMIN_PASSWORD: 'crash test passphrase' };

async function loginTo(server: RunningServer) {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.REIN_ADMIN_EMAIL, password: ADMIN.REIN_ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

it.each(storeKinds())(
  'every acknowledged write survives a SIGKILL during concurrent writes (%s)',
  { timeout: 180_000 },
  async (kind) => {
    // Migrated already: the server starts without creating a database (what is under test is the
    // restart after the kill).
    const pgDb = kind === 'postgres' ? await migratedTestDatabase() : null;
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rein-crash-')), 'data');
    if (!pgDb) await migratedDataDir(dataDir);
    // The same code as bin/rein.js, prebuilt (seconds less per start): the restart is under test.
    const bin = inject('reinTestBin');
    const env = { ...ADMIN, ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) };
    try {
      const server = await startServer(env, { dataDir, bin });
      const { cookie, csrfToken } = await loginTo(server);
      const acknowledged: string[] = [];
      let stop = false;
      let n = 0;
      const worker = async (w: number) => {
        while (!stop) {
          const mrn = `CRASH-${w}-${n++}`;
          try {
            const res = await fetch(`${server.url}/api/patients`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
              body: JSON.stringify({
                mrn,
                givenName: 'Crash',
                familyName: `Test ${w}`,
                dateOfBirth: '1980-01-01',
                sexAtBirth: 'female',
              }),
            });
            if (res.status === 201) acknowledged.push(mrn);
            else if (res.status !== 201) throw new Error(`unexpected ${res.status}`);
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = [0, 1, 2, 3].map(worker);
      // Let writes pile up, then pull the plug while requests are in flight.
      while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
      await server.kill();
      stop = true;
      await Promise.all(workers);
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);

      // Restart on the same database: the embedded database's stale lock is recovered, loudly.
      const again = await startServer(env, { dataDir, bin });
      if (kind === 'pglite')
        expect(again.output()).toMatch(/recovered the embedded database lock left by process \d+/);
      const session = await loginTo(again);
      const listed = await fetch(`${again.url}/api/patients?q=CRASH-&limit=100`, {
        headers: { cookie: session.cookie },
      });
      expect(listed.status).toBe(200);
      await again.stop();

      const store = await openStore(pgDb ? { databaseUrl: pgDb.url } : { dataDir });
      try {
        const rows = await store.db.select({ id: patients.id, mrn: patients.mrn }).from(patients);
        const present = new Set(rows.map((r) => r.mrn));
        const lost = acknowledged.filter((m) => !present.has(m));
        expect(lost, `acknowledged but lost after SIGKILL on ${kind}`).toEqual([]);
        // No partial record: every stored patient has its creation audit event (same transaction).
        const audited = await store.db
          .select({ id: auditEvents.resourceId })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.action, 'patient.create'),
              inArray(
                auditEvents.resourceId,
                rows.map((r) => r.id),
              ),
            ),
          );
        expect(new Set(audited.map((a) => a.id)).size).toBe(rows.length);
      } finally {
        await store.close();
      }
    } finally {
      await pgDb?.drop();
    }
  },
);
