import pg from 'pg';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEachStore } from './test-harness';

describeEachStore('database connections ended by the server', ({ kind, store }) => {
  if (kind !== 'postgres') {
    it('PGlite has no server to end its connection', () => expect(kind).toBe('pglite'));
    return;
  }
  it('an idle connection terminated by the server is replaced, and the process carries on', async () => {
    const db = store().db;
    const rows = (r: unknown) => (r as { rows: Array<{ n: number; db: string }> }).rows;
    const database = rows(await db.execute(sql`select 1 as n, current_database() as db`))[0]!.db;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      const ended = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [database],
      );
      expect(ended.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // Let the pool hear of it; an unheard idle-client error would fail the run here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rows(await db.execute(sql`select 2 as n, current_database() as db`))[0]!.n).toBe(2);
  });
});
