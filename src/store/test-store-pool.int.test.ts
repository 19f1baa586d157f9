/**
 * The test databases lent to suites: a returned one comes back empty and as migrated, or is not
 * reused at all.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, seedClinic } from '../server/test-support';
import type { Store } from './open';
import { openTestStore, storeKinds, type StoreKind } from './test-harness';
import { inClinic } from './tx';

async function count(store: Store, table: string): Promise<number> {
  const r = (await store.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
    rows: Array<{ n: number }>;
  };
  return r.rows[0]!.n;
}

/** Which database a store is on: PGlite's one instance, or PostgreSQL's database name. */
async function databaseOf(store: Store): Promise<unknown> {
  if (store.kind === 'pglite') return store.db;
  const r = (await store.db.execute(sql`select current_database() as name`)) as unknown as {
    rows: Array<{ name: string }>;
  };
  return r.rows[0]!.name;
}

describe.each(storeKinds())('test databases (%s)', (kind: StoreKind) => {
  it('lends a returned database again, emptied of every row, audit events included', async () => {
    const first = await openTestStore(kind);
    const clinic = await seedClinic(first, 'Pool Clinic');
    await inClinic(first.db, clinic.id, (tx) =>
      tx.execute(sql`insert into audit_events (clinic_id, id, at, action, resource_type)
                     values (${clinic.id}::uuid, gen_random_uuid(), now(), 'patient.read', 'patient')`),
    );
    expect(await count(first, 'clinics')).toBe(1);
    expect(await count(first, 'audit_events')).toBe(1);
    const database = await databaseOf(first);
    await first.close();
    const second = await openTestStore(kind);
    try {
      expect(await databaseOf(second)).toBe(database);
      for (const table of ['clinics', 'users', 'audit_events', 'audit_chain_heads'])
        expect(await count(second, table), table).toBe(0);
      // Still migrated and working: a clinic can be created again.
      await seedClinic(second, 'Pool Clinic Again');
      expect(await count(second, 'clinics')).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('does not lend again a database whose schema a suite changed and left so', async () => {
    const first = await openTestStore(kind);
    const database = await databaseOf(first);
    await first.db.execute(sql`alter table audit_events disable trigger user`);
    await first.close();
    const second = await openTestStore(kind);
    try {
      expect(await databaseOf(second)).not.toBe(database);
      const triggers = (await second.db.execute(
        sql`select count(*)::int as n from pg_trigger where tgrelid = 'audit_events'::regclass and tgenabled = 'D'`,
      )) as unknown as { rows: Array<{ n: number }> };
      expect(triggers.rows[0]!.n).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('PGlite test stores', () => {
  it('does not lend again a store left inside a transaction', async () => {
    const first = await openTestStore('pglite');
    const db = first.db;
    await first.db.execute(sql`begin`);
    await first.db.execute(sql`select 1`);
    await first.close();
    const second = await openTestStore('pglite');
    try {
      expect(second.db).not.toBe(db);
    } finally {
      await second.close();
    }
  });

  it('unsubscribes what a suite left listening, so an app left open does not hear the next suite', async () => {
    const first = await openTestStore('pglite');
    const heard: string[] = [];
    await first.listen(
      'pool_test',
      (payload) => heard.push(payload),
      () => undefined,
    );
    // An app whose suite never closes it: its session cache listens through the store.
    await createTestApp(first);
    await first.close();
    const second = await openTestStore('pglite');
    try {
      await second.db.execute(sql`select pg_notify('pool_test', 'next suite')`);
      await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual([]);
      const own: string[] = [];
      const stop = await second.listen(
        'pool_test',
        (payload) => own.push(payload),
        () => undefined,
      );
      await second.db.execute(sql`select pg_notify('pool_test', 'mine')`);
      await new Promise((r) => setTimeout(r, 20));
      expect(own).toEqual(['mine']);
      await stop();
    } finally {
      await second.close();
    }
  });
});
