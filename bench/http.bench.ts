/**
 * HTTP load benchmark. Run: `npm run bench:http` (`npm run bench:http -- --help` lists the options
 * below). On a shared machine one workload at a time (--workload) gives steadier ratios; the test
 * suite's smoke run passes copies of its migrated templates (--pglite-dir, --postgres-url) rather
 * than migrate for seconds.
 *
 * For each store — PGlite in a fresh on-disk data directory (the default install) and PostgreSQL
 * (a fresh database `rein_bench_http_<random>` on $BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres, dropped at the end) — the real Rein app listens on a
 * port, a nurse logs in, and autocannon drives four workloads at N connections from a child process
 * (bench/http-load.ts: off the app's event loop, where PGlite runs its queries, so its timers measure
 * the app rather than their own stalls):
 *   patient read      GET  /api/patients/:id                               (one patient, the same row)
 *   patient search    GET  /api/patients?q=…                               (a name prefix matching ~1/10)
 *   PHQ-9 submission  POST /api/patients/:id/assessments                   (rotating over the patients)
 *   vitals append     POST /api/patients/:id/sessions/:id/vitals           (rotating over K started sessions)
 * Each is measured beside its floor in the same run: a bare Fastify route on the same store and
 * connection pool doing the same database work with nothing around it — the same patient row, the
 * same search query, the same assessment insert, the same session reads under the course lock and
 * event insert (each write in one transaction, as the route's) — and no session, role, row-level
 * security, audit or validation (but the vitals floor, which runs its reads in the store's clinic
 * transaction for the pipelining Rein's has, and so under its role). Request logging is off for both. Each row prints throughput and its ratio to the floor, p50/p99 latency and errors
 * (connection errors, timeouts and non-2xx answers); one final line per store states whether the
 * targets hold: ≥ 50 % of the floor, p99 < 50 ms, zero errors.
 */
import { ageInYears, clinicToday } from '../src/clinical/calendar';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { toPatientDto } from '../src/server/dto';
import { eligibleAnswers, samplePatient, seedClinic, signOrderForPlanVia } from '../src/server/test-support';
import { recordAssessmentInTx as recordAssessment } from '../src/app/assessments';
import { openStore, type Store } from '../src/store/open';
import { inClinic } from '../src/store/tx';
import { getPatient, listPatients, type Patient } from '../src/store/patients';
import { getStoredSessionSettings, getTreatmentSession } from '../src/store/courses';
import { insertSessionEvents, listSessionEvents } from '../src/store/sessions';
import type { NewSessionEvent } from '../src/clinical/session';
import { benchArgs } from './args';
import type { LoadJob, LoadResult } from './http-load';

/**
 * The app's clock runs at real speed from a Monday 07:00 UTC, before clinic hours, so every session
 * planned for the day is still ahead and can be started (sessions are dated in the clinic's today).
 */
const CLINIC_DAY = '2027-01-04';
const CLOCK_OFFSET_MS = Date.parse(`${CLINIC_DAY}T07:00:00Z`) - Date.now();
const appNow = (): Date => new Date(Date.now() + CLOCK_OFFSET_MS);

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;

const WORKLOADS = ['patient read', 'patient search', 'PHQ-9 submission', 'session vitals append'] as const;
const args = benchArgs('http', {
  duration: { help: 'seconds per measurement (default 10)' },
  connections: { help: 'connections (default 100)' },
  store: { help: 'pglite|postgres|both (default both)' },
  patients: { help: 'patients seeded (default 100)' },
  sessions: { help: 'open infusions for the vitals load, in rooms enough for them (default 40)' },
  workload: { help: `one workload only: ${WORKLOADS.map((w) => `"${w}"`).join(', ')}` },
  'pglite-dir': { help: 'a migrated, empty PGlite data directory instead of a fresh one (kept)' },
  'postgres-url': { help: 'a migrated, empty PostgreSQL database instead of a fresh one (kept)' },
});
const durationS = args.seconds('duration', 10, 0.1, 600);
const connections = args.int('connections', 100, 1, 1000);
const patientCount = args.int('patients', 100, 10, 10_000);
const sessionCount = args.int('sessions', 40, 1, 200);
const storeArg = args.oneOf('store', ['pglite', 'postgres', 'both'], 'both');
const workloadArg =
  args.text('workload') === undefined ? undefined : args.oneOf('workload', WORKLOADS, WORKLOADS[0]);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FAMILY_NAMES = [
  'Okafor',
  'Lindqvist',
  'Haddad',
  'Moreau',
  'Tanaka',
  'Novak',
  'Silva',
  'Kowalski',
  'Brennan',
  'Achebe',
];
const SEARCH = 'Hadd'; // matches one family name in ten
const VITALS = { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 72, spo2Pct: 98 };
const PHQ9_ANSWERS = [1, 1, 2, 1, 0, 1, 1, 0, 0, 1]; // item 9 = 0: no suicidality alert in the load
const CHECKLIST = {
  identityConfirmed: true,
  weightKg: 80,
  baselineSbpMmHg: 122,
  baselineDbpMmHg: 78,
  baselineHeartRateBpm: 72,
  escortArranged: true,
  pregnancyTest: 'negative', // the clinic's default rule tests everyone not recorded male
  interactionReviewDone: true,
  phq9Done: true,
  cssrsDone: true,
};

interface Client {
  url: string;
  headers: Record<string, string>;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}

async function loginClient(url: string, email: string, password: string): Promise<Client> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('rein_session='));
  if (!cookie) throw new Error('login set no session cookie');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  return {
    url,
    headers,
    async call(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}

async function must(p: Promise<{ status: number; json: unknown }>, what: string): Promise<unknown> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/**
 * Counts the requests a server has begun and not yet answered. When a measurement ends, the load
 * generator hangs up, but the requests it had sent are still being served: the next measurement
 * starts once they are done, so it does not wait behind the last one's queue.
 */
function inFlight(app: FastifyInstance): { drained(): Promise<void> } {
  let open = 0;
  let onDrained: (() => void) | null = null;
  app.server.on('request', (_req, res) => {
    open++;
    res.once('close', () => {
      open--;
      if (open === 0) onDrained?.();
    });
  });
  return {
    drained: () =>
      open === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onDrained = () => {
              onDrained = null;
              resolve();
            };
          }),
  };
}

interface Fixture {
  clinicId: string;
  nurseId: string;
  patientIds: string[];
  /** [patientId, sessionId] of infusions that have started (vitals are accepted). */
  sessions: [string, string][];
}

/** Seeds one clinic through the HTTP API, as a clinic would fill it. */
async function seed(store: Store, url: string): Promise<{ fixture: Fixture; nurse: Client }> {
  const clinic = await seedClinic(store, 'Bench Clinic');
  const nurse = await loginClient(url, clinic.users.nurse.email, clinic.users.nurse.password);
  const prescriber = await loginClient(url, clinic.users.prescriber.email, clinic.users.prescriber.password);
  // The readings of a measurement are spread over K infusions running at once, as on a treatment
  // floor: each session then holds tens of readings, as a real one does (one every few minutes for
  // two hours), rather than thousands. Rooms enough for them: a room holds four 2-h infusions a day.
  const admin = await loginClient(url, clinic.users.admin.email, clinic.users.admin.password);
  const settings = (await must(admin.call('GET', '/api/session-settings'), 'read session settings')) as {
    rooms: string[];
  };
  await must(
    admin.call('PUT', '/api/session-settings', {
      ...settings,
      rooms: Array.from({ length: Math.ceil(sessionCount / 4) }, (_, i) => `Room ${i + 1}`),
    }),
    'give the bench clinic rooms',
  );
  const patientIds: string[] = [];
  for (let i = 0; i < patientCount; i++) {
    const p = (await must(
      nurse.call(
        'POST',
        '/api/patients',
        samplePatient({ givenName: `Pat${i}`, familyName: FAMILY_NAMES[i % FAMILY_NAMES.length] }),
      ),
      'register patient',
    )) as { id: string };
    patientIds.push(p.id);
  }
  const today = CLINIC_DAY; // the bench clinic's time zone is UTC
  const sessions: [string, string][] = [];
  // Infusions are started only for the vitals load (the slowest part of seeding).
  const wanted = workloadArg === undefined || workloadArg === 'session vitals append' ? sessionCount : 0;
  for (const patientId of patientIds) {
    if (sessions.length === wanted) break;
    await must(
      prescriber.call('POST', `/api/patients/${patientId}/eligibility`, {
        answers: eligibleAnswers('iv-ketamine'),
      }),
      'screen eligibility',
    );
    const course = (await must(
      prescriber.call('POST', `/api/patients/${patientId}/courses`, {
        templateId: 'iv-induction-2x-weekly-3wk',
        startDate: today,
      }),
      'plan course',
    )) as { sessions: { id: string; date: string }[] };
    const first = course.sessions[0];
    // Chairs fill up: once the scheduler puts a first session on a later day (or nowhere), the day
    // is full; that course is left planned.
    if (first?.date !== today) break;
    const s = `/api/patients/${patientId}/sessions/${first.id}`;
    await must(nurse.call('POST', `${s}/check-in`, {}), 'check in');
    // The checklist passes PHQ-9 and C-SSRS only with responses on record the same day.
    for (const [instrument, answers] of [
      ['phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]],
      ['cssrs-screener', [0, 0, null, null, null, 0, null]],
    ] as const) {
      await must(
        nurse.call('POST', `/api/patients/${patientId}/assessments`, {
          instrument,
          version: '1.0.0',
          context: 'pre-session',
          administeredAt: `${today}T06:30:00Z`,
          answers,
        }),
        `record ${instrument}`,
      );
    }
    await must(nurse.call('POST', `${s}/checklist`, CHECKLIST), 'checklist');
    await must(nurse.call('POST', `${s}/dose-plan`, {}), 'dose plan');
    await signOrderForPlanVia((method, url, body) => prescriber.call(method, url, body), s);
    await must(nurse.call('POST', `${s}/start`, {}), 'start dosing');
    sessions.push([patientId, first.id]);
  }
  if (wanted > 0 && sessions.length === 0) throw new Error(`no session could be scheduled on ${today}`);
  return {
    fixture: { clinicId: clinic.id, nurseId: clinic.users.nurse.id, patientIds, sessions },
    nurse,
  };
}

/** The floor: the same database work on the same store, with nothing around it. */
async function floorApp(store: Store, f: Fixture): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const db = store.db;
  // The response carries an age; the floor computes it without the clinic lookup Rein makes.
  const aged = (p: Patient) => ({
    ...p,
    ageYears: ageInYears(p.dateOfBirth, clinicToday(new Date(), 'UTC')),
  });
  app.get<{ Params: { id: string } }>('/floor/patients/:id', async (req) =>
    toPatientDto(aged(await getPatient(db, f.clinicId, req.params.id))),
  );
  app.get<{ Querystring: { q?: string } }>('/floor/patients', async (req) => {
    const page = await listPatients(db, f.clinicId, { q: req.query.q, limit: 25, offset: 0 });
    return { items: page.items.map((p) => toPatientDto(aged(p))), total: page.total, limit: 25, offset: 0 };
  });
  app.post<{ Params: { id: string }; Body: { answers: number[]; administeredAt: string } }>(
    '/floor/patients/:id/assessments',
    async (req, reply) => {
      const rec = await db.transaction((tx) =>
        recordAssessment(
          tx,
          f.clinicId,
          req.params.id,
          {
            instrument: 'phq9',
            version: '1.0.0',
            context: 'weekly',
            administeredAt: new Date(req.body.administeredAt),
            answers: req.body.answers,
          } as Parameters<typeof recordAssessment>[3],
          { kind: 'user', userId: f.nurseId },
          appNow(),
        ),
      );
      return reply.status(201).send({ id: rec.response.id, score: rec.score });
    },
  );
  app.post<{ Params: { patientId: string; sessionId: string }; Body: Record<string, number> }>(
    '/floor/patients/:patientId/sessions/:sessionId/vitals',
    async (req, reply) => {
      const { patientId, sessionId } = req.params;
      // One transaction, as the route's, with the database work of its append: the session's rows
      // under its course's lock, the clinic's settings and the session's events (the reading is
      // judged against them), then the event's insert and its announcement. A routine reading
      // changes no outcome facts there either. In the store's clinic transaction, as Rein's: its
      // pipelining sends the reads together (it also sets the clinic scope, which costs little).
      const row = await inClinic(db, f.clinicId, async (tx) => {
        await Promise.all([
          getTreatmentSession(tx, f.clinicId, patientId, sessionId, { lockCourse: true }),
          getStoredSessionSettings(tx, f.clinicId),
          listSessionEvents(tx, f.clinicId, sessionId),
        ]);
        const [inserted] = await insertSessionEvents(
          tx,
          f.clinicId,
          sessionId,
          [{ kind: 'vitals', timeMin: 1, payload: req.body } as NewSessionEvent],
          f.nurseId,
          appNow(),
        );
        return inserted!;
      });
      return reply.status(201).send({ id: row.id });
    },
  );
  return app;
}

/**
 * The load generator runs in a child process (bench/http-load.ts), off the app's event loop: Rein
 * and its floor are driven from there alike. One child serves every measurement, one at a time.
 */
class LoadGenerator {
  private readonly child: ChildProcess = fork(fileURLToPath(new URL('./http-load.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  run(
    url: string,
    method: 'GET' | 'POST',
    paths: string[],
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<LoadResult> {
    const job: LoadJob = {
      url,
      connections,
      durationS,
      method,
      paths,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: { result?: LoadResult; error?: string }) => {
        this.child.off('exit', onExit);
        if (m.result) resolve(m.result);
        else reject(new Error(`load generator: ${m.error}`));
      });
      this.child.send(job);
    });
  }

  close(): void {
    this.child.disconnect();
  }
}

interface Row {
  workload: string;
  rein: LoadResult;
  floor: LoadResult;
}

async function benchStore(kind: 'pglite' | 'postgres', load: LoadGenerator): Promise<Row[]> {
  let store: Store;
  let cleanup: () => Promise<void>;
  if (kind === 'pglite') {
    const given = args.text('pglite-dir');
    const dir = given ?? mkdtempSync(join(tmpdir(), 'rein-bench-http-'));
    store = await openStore({ dataDir: given ?? join(dir, 'data') });
    cleanup = async () => (given ? undefined : rmSync(dir, { recursive: true, force: true }));
  } else if (args.text('postgres-url')) {
    store = await openStore({ databaseUrl: args.text('postgres-url') });
    cleanup = async () => undefined;
  } else {
    const name = `rein_bench_http_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    store = await openStore({ databaseUrl: u.toString() });
    cleanup = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  // The benchmark signs in with a password alone, as the HTTP tests do.
  const rein = await buildApp({
    store,
    webDir: '/nonexistent',
    logger: false,
    now: appNow,
    twoFactorRequired: false,
  });
  const floor = { app: null as FastifyInstance | null };
  try {
    const reinUrl = await listen(rein);
    const reinLoad = inFlight(rein);
    process.stderr.write(
      `bench:http [${kind}] seeding ${patientCount} patients, ${sessionCount} sessions…\n`,
    );
    const { fixture: f, nurse } = await seed(store, reinUrl);
    process.stderr.write(`bench:http [${kind}] ${f.sessions.length} infusions started for the vitals load\n`);
    floor.app = await floorApp(store, f);
    const floorLoad = inFlight(floor.app);
    const floorUrl = await listen(floor.app);
    const json = { 'content-type': 'application/json' };
    const administeredAt = new Date(appNow().getTime() - 60_000).toISOString();
    const phq9 = {
      instrument: 'phq9',
      version: '1.0.0',
      context: 'weekly',
      administeredAt,
      answers: PHQ9_ANSWERS,
    };
    const one = f.patientIds[0]!;
    const workloads: {
      name: string;
      method: 'GET' | 'POST';
      rein: string[];
      floor: string[];
      body?: unknown;
      floorBody?: unknown;
    }[] = [
      {
        name: 'patient read',
        method: 'GET',
        rein: [`/api/patients/${one}`],
        floor: [`/floor/patients/${one}`],
      },
      {
        name: 'patient search',
        method: 'GET',
        rein: [`/api/patients?q=${SEARCH}`],
        floor: [`/floor/patients?q=${SEARCH}`],
      },
      {
        name: 'PHQ-9 submission',
        method: 'POST',
        rein: f.patientIds.map((p) => `/api/patients/${p}/assessments`),
        floor: f.patientIds.map((p) => `/floor/patients/${p}/assessments`),
        body: phq9,
        floorBody: { answers: PHQ9_ANSWERS, administeredAt },
      },
      {
        name: 'session vitals append',
        method: 'POST',
        rein: f.sessions.map(([p, s]) => `/api/patients/${p}/sessions/${s}/vitals`),
        floor: f.sessions.map(([p, s]) => `/floor/patients/${p}/sessions/${s}/vitals`),
        body: VITALS,
        floorBody: VITALS,
      },
    ];
    const rows: Row[] = [];
    for (const w of workloads) {
      if (workloadArg !== undefined && w.name !== workloadArg) continue;
      process.stderr.write(`bench:http [${kind}] ${w.name}: Rein, then floor (${durationS} s each)…\n`);
      await floorLoad.drained();
      let cpu = process.cpuUsage();
      const r = await load.run(reinUrl, w.method, w.rein, nurse.headers, w.body);
      await reinLoad.drained();
      const reinCpu = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const fl = await load.run(floorUrl, w.method, w.floor, json, w.floorBody);
      await floorLoad.drained();
      const floorCpu = process.cpuUsage(cpu);
      // This process's CPU per answered request (the app, and PGlite when it is the store): steadier
      // than throughput on a shared machine, it shows where a change helps.
      const perRequest = (c: NodeJS.CpuUsage, n: number) =>
        ((c.user + c.system) / 1000 / Math.max(n, 1)).toFixed(2);
      process.stderr.write(
        `bench:http [${kind}] ${w.name}: app CPU ${perRequest(reinCpu, r.total)} ms per request (Rein), ` +
          `${perRequest(floorCpu, fl.total)} ms (floor)\n`,
      );
      rows.push({ workload: w.name, rein: r, floor: fl });
    }
    return rows;
  } finally {
    await rein.close();
    await floor.app?.close();
    await store.close();
    await cleanup();
  }
}

const kinds: ('pglite' | 'postgres')[] = storeArg === 'both' ? ['pglite', 'postgres'] : [storeArg];
const results: { kind: string; rows: Row[] }[] = [];
const load = new LoadGenerator();
try {
  for (const kind of kinds) results.push({ kind, rows: await benchStore(kind, load) });
} finally {
  load.close();
}

const ms = (v: number): string => `${v.toFixed(0)}`;
const header = [
  'store',
  'workload',
  'Rein req/s',
  'floor req/s',
  'ratio',
  'Rein p50/p99 ms',
  'floor p50/p99 ms',
  'errors Rein/floor',
];
const table = results.flatMap(({ kind, rows }) =>
  rows.map((r) => [
    kind,
    r.workload,
    r.rein.reqPerS.toFixed(0),
    r.floor.reqPerS.toFixed(0),
    `${((100 * r.rein.reqPerS) / Math.max(r.floor.reqPerS, 1e-9)).toFixed(1)} %`,
    `${ms(r.rein.p50)} / ${ms(r.rein.p99)}`,
    `${ms(r.floor.p50)} / ${ms(r.floor.p99)}`,
    `${r.rein.errors} / ${r.floor.errors}`,
  ]),
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
process.stdout.write(
  `HTTP benchmark — ${connections} connections, ${durationS} s per measurement, autocannon in a child process; ` +
    `floor = bare Fastify route, same database work\n`,
);
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
for (const t of table) process.stdout.write(`${line(t)}\n`);
for (const { kind, rows } of results) {
  for (const r of rows) {
    for (const [who, m] of [
      ['Rein', r.rein],
      ['floor', r.floor],
    ] as const) {
      if (m.errors > 0) {
        process.stdout.write(
          `errors ${kind} ${r.workload} (${who}): ${m.timeouts} timeouts, ${m.errors - m.timeouts} other\n`,
        );
      }
    }
  }
  const worst = rows.reduce((a, b) =>
    b.rein.reqPerS / b.floor.reqPerS < a.rein.reqPerS / a.floor.reqPerS ? b : a,
  );
  const slowest = rows.reduce((a, b) => (b.rein.p99 > a.rein.p99 ? b : a));
  const errors = rows.reduce((s, r) => s + r.rein.errors, 0);
  const ratio = worst.rein.reqPerS / worst.floor.reqPerS;
  const met = ratio >= TARGET_RATIO && slowest.rein.p99 < TARGET_P99_MS && errors === 0;
  process.stdout.write(
    `http ${kind}: lowest ${(100 * ratio).toFixed(1)} % of floor (${worst.workload}), ` +
      `highest p99 ${ms(slowest.rein.p99)} ms (${slowest.workload}), ${errors} errors — ` +
      `targets ≥ ${100 * TARGET_RATIO} %, p99 < ${TARGET_P99_MS} ms, 0 errors: ${met ? 'met' : 'not met'}\n`,
  );
}
