/**
 * Test support: in-memory PGlite stores lent to suites and, when a suite is done, emptied back to the
 * migrated template and lent again within the same test worker. Opening one from the template's dump
 * costs ~0.3 CPU-s (unpacking the dump, starting PostgreSQL); emptying one costs a fraction of that,
 * and a run opens about a hundred.
 *
 * A returned store is reused only when it is provably as the template left it, else it is closed:
 * - the session is reset (DISCARD ALL: settings, role, prepared statements, temp tables, LISTENs);
 *   it fails inside a transaction a suite left open;
 * - what still listens through it is unsubscribed (an app a suite left open must not hear the next);
 * - the catalog matches the template's (tables, columns, indexes, constraints, triggers and their
 *   enabled state, policies, functions, roles): a suite that changed the schema and did not put it
 *   back gets a fresh store next time;
 * - every table is emptied, its sequences restarted, with the append-only triggers off for that
 *   one statement (TRUNCATE is what they refuse); the template holds no rows (else no reuse).
 */
import { sql } from 'drizzle-orm';
import { openStore, type Db, type Store } from './open';

const idle: Store[] = [];
let template: Promise<{ catalog: string; tables: string[] | null }> | undefined;

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A digest of the catalog rows a suite could change and leave behind. */
async function catalogDigest(db: Db): Promise<string> {
  const [row] = await rows<{ digest: string }>(
    db,
    sql`
      select md5(concat_ws('|',
        (select string_agg(concat_ws(':', n.nspname, c.relname, c.relkind, c.relrowsecurity,
           c.relforcerowsecurity, c.relnatts, c.relacl::text), ',' order by n.nspname, c.relname)
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
           and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'),
        (select string_agg(concat_ws(':', c.relname, a.attname, a.atttypid, a.attnotnull, a.attisdropped),
           ',' order by c.relname, a.attnum)
         from pg_attribute a join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and a.attnum > 0),
        (select string_agg(concat_ws(':', conname, contype, pg_get_constraintdef(oid)), ',' order by conname)
         from pg_constraint where connamespace = 'public'::regnamespace),
        (select string_agg(concat_ws(':', tgname, tgenabled, tgrelid::regclass::text), ',' order by tgname)
         from pg_trigger where not tgisinternal),
        (select string_agg(concat_ws(':', polname, polrelid::regclass::text, polcmd,
           pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)), ',' order by polname)
         from pg_policy),
        (select string_agg(concat_ws(':', proname, md5(prosrc)), ',' order by proname, md5(prosrc))
         from pg_proc where pronamespace = 'public'::regnamespace),
        (select string_agg(concat_ws(':', rolname, rolsuper, rolbypassrls), ',' order by rolname)
         from pg_roles),
        (select string_agg(concat_ws(':', nspname, nspacl::text), ',' order by nspname) from pg_namespace
         where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%')
      )) as digest`,
  );
  return row!.digest;
}

/** The public tables, when the template holds no row in any (else nothing can be reused). */
async function tablesIfAllEmpty(db: Db): Promise<string[] | null> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname = 'public' order by 1`,
  );
  for (const { name } of tables) {
    const [row] = await rows<{ any: boolean }>(db, sql.raw(`select exists (select 1 from ${name}) as any`));
    if (row!.any) return null;
  }
  return tables.map((t) => t.name);
}

/** Resets a returned store to the template; false when it cannot be shown to be so. */
async function reset(store: Store): Promise<boolean> {
  try {
    const db = store.db;
    await db.execute(sql`discard all`);
    const t = await template!;
    if (!t.tables || (await catalogDigest(db)) !== t.catalog) return false;
    await db.execute(sql`set session_replication_role = replica`);
    try {
      await db.execute(sql.raw(`truncate ${t.tables.join(', ')} restart identity`));
    } finally {
      await db.execute(sql`reset session_replication_role`);
    }
    return true;
  } catch {
    return false;
  }
}

/** An in-memory, migrated PGlite store from `dump`: a reset one when the worker has one idle. */
export async function lendPgliteTestStore(dump: Blob | undefined): Promise<Store> {
  let store = idle.pop();
  if (!store) {
    store = await openStore({ dataDir: 'memory://', pgliteDump: dump });
    const fresh = store;
    template ??= (async () => ({
      catalog: await catalogDigest(fresh.db),
      tables: await tablesIfAllEmpty(fresh.db),
    }))();
    await template;
  }
  const lent = store;
  const listening = new Set<() => Promise<void>>();
  let returned = false;
  return {
    ...lent,
    async listen(channel, onMessage, onLost) {
      const unlisten = await lent.listen(channel, onMessage, onLost);
      let done = false;
      const stop = async () => {
        if (done) return;
        done = true;
        listening.delete(stop);
        await unlisten();
      };
      listening.add(stop);
      return stop;
    },
    async close() {
      if (returned) return;
      returned = true;
      // Most suites leave their app open: its listeners would hear the next suite's changes.
      for (const stop of [...listening]) await stop();
      if (await reset(lent)) idle.push(lent);
      else await lent.close();
    },
  };
}
