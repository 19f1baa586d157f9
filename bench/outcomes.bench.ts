/**
 * Outcomes dashboard at network scale. Run: `npm run bench:outcomes` (`npm run bench:outcomes --
 * --help` lists the options below).
 *
 * 1. Creates the PostgreSQL database `rein_bench_outcomes` or --database (on $BENCH_DATABASE_URL, default
 *    postgres://postgres@127.0.0.1:5432/postgres), migrates it, and fills it with the synthetic
 *    network of `rein demo` (courses, sessions, vitals, item-level PHQ-9/GAD-7 responses, relapses)
 *    through the COPY writer, then rebuilds the dashboard's course facts; ANALYZE.
 * 2. Times every query the dashboard makes for the largest clinic, as the clinic role under
 *    row-level security exactly as the server runs them, plus the whole HTTP request
 *    GET /api/outcomes/summary (login, audit append and JSON included) — median of R runs after a
 *    warm-up — and, once, what the same figures cost computed from the raw rows (the path the facts
 *    replace) and the write-side price (recomputing one patient's facts, as each PHQ-9 does).
 * 3. Baseline of the same run: `select count(*) from assessment_responses` over the whole table
 *    (every clinic) as the connecting role. Each line prints ms, the ratio to that floor, and
 *    whether it meets the issue's target of 500 ms.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { summariseCounts } from '../src/clinical/outcomes';
import { buildApp } from '../src/server/app';
import { getSessionSettings } from '../src/app/session-settings';
import { generateDemoNetwork } from '../src/demo/network';
import { openStore, type Store } from '../src/store/open';
import {
  backfillOutcomeFacts,
  computeOutcomeFacts,
  refreshPatientOutcomeFacts,
} from '../src/app/outcome-facts';
import { activityCounts } from '../src/app/outcome-rows';
import { outcomeDurabilityGroups, outcomeFactsCurrent, outcomeFactTotals } from '../src/store/outcome-facts';
import { coursePrescribers } from '../src/store/outcomes';
import { inClinic, type Tx } from '../src/store/tx';
import { createUser, getClinic } from '../src/store/users';
import { benchArgs } from './args';

const TARGET_MS = 500;

const args = benchArgs('outcomes', {
  patients: { help: 'patients in the network (default 100000)' },
  clinics: { help: 'clinics (default 5)' },
  concurrency: { help: 'clinics loaded at once (default 2)' },
  database: { help: 'the PostgreSQL database to create (default rein_bench_outcomes)' },
  reuse: { flag: true, help: 'time an existing bench database without regenerating it' },
  drop: { flag: true, help: 'drop the database at the end' },
  runs: { help: 'timed runs per read, the median reported (default 7)' },
  'database-url': {
    help: 'a migrated, empty PostgreSQL database to load instead of creating --database (kept)',
  },
});
const patients = args.int('patients', 100_000, 100, 1_000_000);
const clinics = args.int('clinics', 5, 1, 100);
const runs = args.int('runs', 7, 3, 50);
const concurrency = args.int('concurrency', 2, 1, 8);
const reuse = args.flag('reuse');
const dropAfter = args.flag('drop');
const DATABASE = args.text('database') ?? 'rein_bench_outcomes';
const givenUrl = args.text('database-url');
if (givenUrl !== undefined && (reuse || dropAfter || args.text('database') !== undefined)) {
  process.stderr.write(
    'bench:outcomes: --database-url names the database: --database, --reuse and --drop do not apply\n',
  );
  process.exit(2);
}
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DATABASE)) {
  process.stderr.write('bench:outcomes: --database must be a lower-case PostgreSQL identifier\n');
  process.exit(2);
}
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NOW = new Date('2026-11-26T12:00:00Z');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

async function median(fn: () => Promise<unknown>, n = runs): Promise<number> {
  await fn(); // warm-up (plans, caches)
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function bar(label: string) {
  let last = -1;
  return (done: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    if (pct === last && done !== total) return;
    last = pct;
    process.stderr.write(
      `\r${label} ${String(pct).padStart(3)}% (${done.toLocaleString('en')}/${total.toLocaleString('en')})`,
    );
    if (done === total) process.stderr.write('\n');
  };
}

type Row = Record<string, unknown>;
async function query<T extends Row>(store: Store, q: ReturnType<typeof sql>): Promise<T[]> {
  return ((await store.db.execute(q)) as unknown as { rows: T[] }).rows;
}

/**
 * Bulk-load practice (as pg_restore does): foreign keys are dropped before the load and added back
 * after it; adding a foreign key validates every row, so the loaded data is checked all the same.
 * Indexes stay (the course-facts rebuild inside the load reads through them).
 */
async function withoutForeignKeys(store: Store, fn: () => Promise<void>): Promise<void> {
  const fks = await query<{ tbl: string; name: string; def: string }>(
    store,
    sql`select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def
        from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace order by 1, 2`,
  );
  for (const fk of fks) await store.db.execute(sql.raw(`alter table ${fk.tbl} drop constraint "${fk.name}"`));
  try {
    await fn();
  } finally {
    const t0 = performance.now();
    for (const fk of fks) {
      await store.db.execute(sql.raw(`alter table ${fk.tbl} add constraint "${fk.name}" ${fk.def}`));
    }
    console.log(
      `foreign keys: ${fks.length} added back and validated in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}

async function load(store: Store): Promise<void> {
  const t0 = performance.now();
  const r = await generateDemoNetwork(store, {
    patients,
    clinics,
    seed: 20261126,
    now: NOW,
    concurrency,
    onProgress: bar('patients'),
    onFactsProgress: (c, done, total) => bar(`facts clinic ${c + 1}`)(done, total),
  });
  const t1 = performance.now();
  await store.db.execute(sql`analyze`);
  const t2 = performance.now();
  console.log(
    `loaded ${r.patients.toLocaleString('en')} patients in ${r.clinics.length} clinics (${concurrency} at once): ` +
      `${r.rows.toLocaleString('en')} rows (${r.writer}) in ${((t1 - t0) / 1000).toFixed(0)} s wall clock ` +
      `(${Math.round(r.rows / ((t1 - t0) / 1000)).toLocaleString('en')} rows/s including the course facts; ` +
      `per-clinic sums: rows ${r.loadSeconds.toFixed(0)} s, facts ${r.factsSeconds.toFixed(0)} s); analyze ${((t2 - t1) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  if (!reuse && givenUrl === undefined) {
    await admin(`drop database if exists ${DATABASE} with (force)`);
    await admin(`create database ${DATABASE}`);
  }
  const store = await openStore({ databaseUrl: givenUrl ?? withDatabase(base, DATABASE), maxConnections: 4 });
  try {
    if (!reuse) await withoutForeignKeys(store, () => load(store));
    // What `rein serve` does at start: rebuild the facts of clinics built by an older computation
    // (none after a fresh load; every clinic when --reuse meets a database from an older version).
    const tb = performance.now();
    const rebuilt = await backfillOutcomeFacts(store.db, NOW);
    console.log(
      `start-up backfill: ${rebuilt.length} clinic(s) rebuilt (${rebuilt.reduce((a, r) => a + r.facts, 0).toLocaleString('en')} course facts) in ${((performance.now() - tb) / 1000).toFixed(1)} s`,
    );
    const counts = await store.db.execute<{ table: string; n: number }>(sql`
      select 'patients' as table, count(*)::int as n from patients
      union all select 'courses', count(*)::int from courses
      union all select 'treatment_sessions', count(*)::int from treatment_sessions
      union all select 'session_events', count(*)::int from session_events
      union all select 'assessment_responses', count(*)::int from assessment_responses
      union all select 'assessment_item_answers', count(*)::int from assessment_item_answers
      union all select 'course_outcome_facts', count(*)::int from course_outcome_facts`);
    const rows = (counts as unknown as { rows: { table: string; n: number }[] }).rows;
    console.log(`database: ${rows.map((r) => `${r.table} ${Number(r.n).toLocaleString('en')}`).join(', ')}`);

    // The largest clinic (by patients), as the dashboard of its staff would see it.
    const largest = (
      (await store.db.execute(
        sql`select clinic_id, count(*)::int as n from patients group by clinic_id order by n desc limit 1`,
      )) as unknown as { rows: { clinic_id: string; n: number }[] }
    ).rows[0]!;
    const clinicId = largest.clinic_id;
    const [someCourse] = (
      (await store.db.execute(
        sql`select patient_id, created_by, start_date::text as start_date from courses where clinic_id = ${clinicId} order by id limit 1 offset (select count(*) / 2 from courses where clinic_id = ${clinicId})`,
      )) as unknown as { rows: { patient_id: string; created_by: string; start_date: string }[] }
    ).rows;
    console.log(`largest clinic: ${Number(largest.n).toLocaleString('en')} patients`);

    const floorMs = await median(() => store.db.execute(sql`select count(*) from assessment_responses`));
    console.log(`floor: full-table count(*) of assessment_responses = ${floorMs.toFixed(1)} ms\n`);

    const inC = <T>(fn: (tx: Tx) => Promise<T>) => inClinic(store.db, clinicId, fn);
    const today = NOW.toISOString().slice(0, 10);
    const filters = {
      none: {},
      'last 6 months': { fromDate: '2026-05-26', toDate: today },
      'IV ketamine': { modality: 'iv-ketamine' as const },
      prescriber: { prescriberId: someCourse!.created_by },
    };
    const results: { name: string; ms: number }[] = [];
    const time = async (name: string, fn: () => Promise<unknown>) => {
      const ms = await median(fn);
      results.push({ name, ms });
      const ratio = ms / floorMs;
      console.log(
        `${name.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms  ${ratio.toFixed(2).padStart(6)} × floor  ${ms < TARGET_MS ? 'ok' : 'OVER 500 ms'}`,
      );
    };

    await time('clinic + settings (header)', () =>
      inC(async (tx) => [await getClinic(tx, clinicId), await getSessionSettings(tx, clinicId)]),
    );
    await time('patients in treatment + sessions this week', () =>
      inC((tx) => activityCounts(tx, clinicId, NOW, today)),
    );
    await time('prescriber filter choices', () => inC((tx) => coursePrescribers(tx, clinicId)));
    for (const [label, f] of Object.entries(filters)) {
      await time(`rates and safety totals (filter: ${label})`, () =>
        inC((tx) => outcomeFactTotals(tx, clinicId, f)),
      );
      await time(`Kaplan–Meier durability groups (filter: ${label})`, () =>
        inC((tx) => outcomeDurabilityGroups(tx, clinicId, f)),
      );
    }
    const sums = await inC(async (tx) => ({
      ...(await outcomeFactTotals(tx, clinicId, {})),
      durability: await outcomeDurabilityGroups(tx, clinicId, {}),
    }));
    await time('summary from the sums (pure core: Wilson, Kaplan–Meier)', async () => summariseCounts(sums));

    // The whole request, as a browser makes it.
    // Signs in with a password alone, as the HTTP tests do.
    const app = await buildApp({ store, webDir: '/nonexistent', logger: false, twoFactorRequired: false });
    await app.ready();
    const password = randomBytes(18).toString('base64url');
    const email = `bench.${randomBytes(4).toString('hex')}@example.org`;
    await inC((tx) =>
      createUser(tx, clinicId, { email, name: 'Bench prescriber', role: 'prescriber', password }),
    );
    const loginRes = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
    });
    const cookie = loginRes.cookies.find((c) => c.name === 'rein_session');
    if (!cookie) throw new Error(`bench login failed: ${loginRes.statusCode} ${loginRes.body}`);
    const headers = { cookie: `rein_session=${cookie.value}` };
    let lastBody = '';
    await time('GET /api/outcomes/summary (whole request)', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/outcomes/summary', headers });
      if (res.statusCode !== 200) throw new Error(`summary ${res.statusCode}: ${res.body}`);
      lastBody = res.body;
    });
    await time('GET /api/outcomes/summary?from=2026-05-26&modality=iv-ketamine', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/outcomes/summary?from=2026-05-26&modality=iv-ketamine',
        headers,
      });
      if (res.statusCode !== 200) throw new Error(`summary ${res.statusCode}: ${res.body}`);
    });
    await app.close();

    console.log('\nwrite side and start-up:');
    await time('recompute one patient’s facts (each PHQ-9, dosing start…)', () =>
      inC((tx) => refreshPatientOutcomeFacts(tx, clinicId, someCourse!.patient_id, NOW)),
    );
    await time('start-up check: facts built with this version? (rein serve)', () =>
      inC((tx) => outcomeFactsCurrent(tx, clinicId)),
    );

    // What the facts replace: the same figures derived from raw rows on every request.
    const allPatients = (
      (await inC((tx) =>
        tx.execute(sql`select distinct patient_id from courses where clinic_id = ${clinicId}`),
      )) as unknown as { rows: { patient_id: string }[] }
    ).rows.map((r) => r.patient_id);
    const t0 = performance.now();
    await inC(async (tx) => {
      for (let i = 0; i < allPatients.length; i += 500) {
        await computeOutcomeFacts(tx, clinicId, allPatients.slice(i, i + 500), NOW);
      }
    });
    const rawMs = performance.now() - t0;
    console.log(
      `${'without facts: derive every course from raw rows (once)'.padEnd(58)} ${rawMs.toFixed(0).padStart(8)} ms  ${(rawMs / floorMs).toFixed(0).padStart(6)} × floor`,
    );

    const summary = JSON.parse(lastBody) as {
      courses: number;
      response: { proportion: number };
      remission: { proportion: number };
      durability: { at28Days: { survival: number }; at56Days: { survival: number } };
    };
    const read = results.filter((r) => !r.name.startsWith('recompute') && !r.name.startsWith('start-up'));
    const worst = read.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      `\nlargest clinic: ${summary.courses.toLocaleString('en')} courses, response ${(100 * summary.response.proportion).toFixed(1)}%, ` +
        `remission ${(100 * summary.remission.proportion).toFixed(1)}%, still responding ${(100 * summary.durability.at28Days.survival).toFixed(0)}% at 4 weeks, ` +
        `${(100 * summary.durability.at56Days.survival).toFixed(0)}% at 8 weeks`,
    );
    console.log(
      `outcomes: slowest dashboard read ${worst.ms.toFixed(1)} ms (${(worst.ms / floorMs).toFixed(2)} × count(*) floor of ${floorMs.toFixed(1)} ms) — ${worst.name}; target < ${TARGET_MS} ms ${worst.ms < TARGET_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await store.close();
    if (dropAfter) await admin(`drop database if exists ${DATABASE} with (force)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
