/**
 * Test support: migrated test databases lent to suites and, when a suite is done, emptied back to the
 * template and lent again within the same test worker. A new one costs an in-memory PGlite opened
 * from the template's dump (~0.35 CPU-s: unpacking it, starting PostgreSQL) or a PostgreSQL database
 * copied from the template (~0.15 CPU-s of the server's, and a checkpoint to drop it); emptying one
 * costs a fraction of that, and a run makes about a hundred of each.
 *
 * A returned database is reused only when it is provably as the template left it, else it is left
 * (PGlite closed; PostgreSQL dropped with the run's other copies):
 * - its sessions are reset: a PostgreSQL store's pool is closed; PGlite's one session is DISCARDed
 *   (settings, role, prepared statements, temporary tables, LISTENs), which fails inside a
 *   transaction a suite left open, and what still listens through it is unsubscribed (an app a
 *   suite left open must not hear the next);
 * - the catalog matches the template's (tables, columns, indexes, constraints, triggers and their
 *   enabled state, policies, functions, roles, grants): a suite that changed the schema and did not
 *   put it back gets a new database next time;
 * - every table is emptied, its sequences restarted, with the append-only triggers off for that one
 *   statement (TRUNCATE is what they refuse); the template holds no rows (else no reuse).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openStore, type Db, type Store } from './open';

/** Runs one SQL statement on the database being lent or reset and returns its rows. */
type Run = (text: string) => Promise<Array<Record<string, unknown>>>;

interface Template {
  catalog: string;
  /** The tables to empty; null when the template holds rows (nothing is reused then). */
  tables: string[] | null;
}

/** A digest of the catalog rows a suite could change and leave behind. */
async function catalogDigest(run: Run): Promise<string> {
  const [row] = await run(`
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
      )) as digest`);
  return String(row!.digest);
}

async function describeTemplate(run: Run): Promise<Template> {
  const tables = (
    await run(`select format('%I.%I', schemaname, tablename) as name from pg_tables
               where schemaname = 'public' order by 1`)
  ).map((r) => String(r.name));
  let empty = true;
  for (const name of tables) {
    const [row] = await run(`select exists (select 1 from ${name}) as any`);
    if (row!.any) empty = false;
  }
  return { catalog: await catalogDigest(run), tables: empty ? tables : null };
}

/** Empties a returned database back to the template; false when it cannot be shown to be so. */
async function emptyToTemplate(run: Run, template: Template): Promise<boolean> {
  try {
    if (!template.tables || (await catalogDigest(run)) !== template.catalog) return false;
    await run('set session_replication_role = replica');
    try {
      await run(`truncate ${template.tables.join(', ')} restart identity`);
    } finally {
      await run('reset session_replication_role');
    }
    return true;
  } catch {
    return false;
  }
}

const runOn =
  (db: Db): Run =>
  async (text) =>
    ((await db.execute(sql.raw(text))) as unknown as { rows: Array<Record<string, unknown>> }).rows;

const idlePglite: Store[] = [];
let pgliteTemplate: Promise<Template> | undefined;

/** An in-memory, migrated PGlite store from `dump`: a reset one when the worker has one idle. */
export async function lendPgliteTestStore(dump: Blob | undefined): Promise<Store> {
  let store = idlePglite.pop();
  if (!store) {
    store = await openStore({ dataDir: 'memory://', pgliteDump: dump });
    pgliteTemplate ??= describeTemplate(runOn(store.db));
    await pgliteTemplate;
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
      if (await resetPglite(lent)) idlePglite.push(lent);
      else await lent.close();
    },
  };
}

async function resetPglite(store: Store): Promise<boolean> {
  try {
    await store.db.execute(sql`discard all`);
  } catch {
    return false;
  }
  return emptyToTemplate(runOn(store.db), await pgliteTemplate!);
}

const idlePostgres: string[] = [];
let postgresTemplate: Promise<Template> | undefined;

async function withClient<T>(url: string, work: (run: Run) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async (text) => (await client.query(text)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}

/**
 * A store on a migrated PostgreSQL database holding no rows: an emptied one when the worker has one
 * idle, else a new one from `create()`. The databases are never dropped here: they belong to the
 * run, whose teardown drops them together.
 */
export async function lendPostgresTestStore(create: () => Promise<{ url: string }>): Promise<Store> {
  let url = idlePostgres.pop();
  if (!url) {
    url = (await create()).url;
    postgresTemplate ??= withClient(url, describeTemplate);
    await postgresTemplate;
  }
  const lentUrl = url;
  const store = await openStore({ databaseUrl: lentUrl, maxConnections: 4 });
  let returned = false;
  return {
    ...store,
    async close() {
      if (returned) return;
      returned = true;
      // Closing the pool ends every session it opened, listening ones included.
      await store.close();
      const template = await postgresTemplate!;
      const emptied = await withClient(lentUrl, (run) => emptyToTemplate(run, template)).catch(() => false);
      if (emptied) idlePostgres.push(lentUrl);
    },
  };
}
