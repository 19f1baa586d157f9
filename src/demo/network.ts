/**
 * A synthetic clinic network for demos and benchmarks: K clinics of skewed sizes (the largest about
 * 40 % of the patients), each with its admin, demo staff, patients and the dashboard's outcome facts.
 * Each clinic is created and filled through the app's use cases (src/app/demo.ts), whose bulk
 * writer uses COPY in patient batches (bounded memory, one transaction per clinic on one connection).
 */
import { uuidv7 } from 'uuidv7';
import { systemActor } from '../app/context';
import {
  DEFAULT_SESSION_SETTINGS,
  createSyntheticClinic,
  emailTaken,
  inClinicWithWriter,
  type BulkWriterKind,
  type Store,
} from '../app/demo';
import { demoClinicSettings } from './bookings';
import { loadDemoClinic, type DemoSummary } from './clinic';
import { DEFAULT_DEMO_SEED } from './generate';
import { hashSeed } from './random';

export interface DemoNetworkOptions {
  /** Patients across the network (1 … 1,000,000). */
  patients: number;
  /** Clinics (1 … 100, at most `patients`); default 1. */
  clinics?: number;
  seed?: number;
  /** The "today" of the synthetic history (default: the current time). */
  now?: Date;
  /** Patients written so far, of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Called with (clinic index, done, total) while the outcome facts of a clinic are rebuilt. */
  onFactsProgress?: (clinic: number, done: number, total: number) => void;
  /**
   * 'auto' (default): COPY FROM STDIN on PostgreSQL, COPY from a blob on PGlite; 'insert': batched
   * Drizzle inserts (slower; for comparison).
   */
  writer?: 'auto' | 'insert';
  /**
   * PostgreSQL: clinics loaded at once, each in its own transaction on its own connection (default
   * 1). Worth it when the database server has spare cores; the pool needs that many connections.
   */
  concurrency?: number;
}

export interface DemoClinicResult {
  clinicId: string;
  name: string;
  timeZone: string;
  adminEmail: string;
  /** Shown once; the admin must change it at first login. */
  temporaryPassword: string;
  summary: DemoSummary;
}

export interface DemoNetworkResult {
  clinics: DemoClinicResult[];
  patients: number;
  /** Rows written to the demo tables (patients … alerts; not users, audit or outcome facts). */
  rows: number;
  writer: DemoWriter;
  /** Wall-clock seconds for the whole network. */
  wallSeconds: number;
  /** Seconds spent generating and writing those rows, summed over clinics. */
  loadSeconds: number;
  /** rows / loadSeconds: the rate of one connection (× concurrency for the network's rate). */
  rowsPerSecond: number;
  /** Seconds spent in rebuildOutcomeFacts, summed over clinics. */
  factsSeconds: number;
}

const TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Denver',
  'Europe/London',
  'America/Phoenix',
  'Europe/Berlin',
  'Australia/Sydney',
  'America/Toronto',
  'Pacific/Auckland',
];

/**
 * Patients per clinic: Zipf-like weights 1/k^a with `a` chosen so the largest clinic holds about
 * 40 % (equal shares when K is too small for that), every clinic at least one patient.
 */
export function networkSizes(patients: number, clinics: number): number[] {
  if (clinics <= 1) return [patients];
  const share = (a: number) =>
    1 / Array.from({ length: clinics }, (_, k) => (k + 1) ** -a).reduce((x, y) => x + y);
  let a = 0;
  if (share(0) < 0.4) {
    let lo = 0;
    let hi = 8;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (share(mid) < 0.4) lo = mid;
      else hi = mid;
    }
    a = lo;
  }
  const weights = Array.from({ length: clinics }, (_, k) => (k + 1) ** -a);
  const sum = weights.reduce((x, y) => x + y);
  const sizes = weights.map((w) => Math.max(1, Math.floor((patients * w) / sum)));
  let diff = patients - sizes.reduce((x, y) => x + y);
  for (let k = 0; diff !== 0; k = (k + 1) % clinics) {
    if (diff > 0) {
      sizes[k]!++;
      diff--;
    } else if (sizes[k]! > 1) {
      sizes[k]!--;
      diff++;
    }
  }
  return sizes;
}

export type DemoWriter = BulkWriterKind;

/**
 * Creates K new demo clinics and fills them. Each clinic is one transaction: clinic, admin, staff,
 * patients, outcome facts and the `clinic.load_demo` audit event commit together.
 */
export async function generateDemoNetwork(
  store: Store,
  opts: DemoNetworkOptions,
): Promise<DemoNetworkResult> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const now = opts.now ?? new Date();
  const k = opts.clinics ?? 1;
  const concurrency = opts.concurrency ?? 1;
  if (concurrency > 1 && store.kind !== 'postgres') {
    throw new Error('loading clinics concurrently needs PostgreSQL (PGlite has one connection)');
  }
  const writer: DemoWriter =
    opts.writer === 'insert' ? 'insert' : store.kind === 'postgres' ? 'copy' : 'pglite-copy';
  const sizes = networkSizes(opts.patients, k);
  const results: DemoClinicResult[] = [];
  const timing = { loadMs: 0, factsMs: 0, rows: 0 };
  const started = Date.now();
  const progress = sizes.map(() => 0);
  const report = (c: number, done: number) => {
    progress[c] = done;
    opts.onProgress?.(
      progress.reduce((a, b) => a + b, 0),
      opts.patients,
    );
  };
  const clinicIds = sizes.map(() => uuidv7());

  const loadClinic = async (c: number): Promise<DemoClinicResult> => {
    const clinicId = clinicIds[c]!;
    const clinicSeed = c === 0 ? seed : hashSeed(seed, 'clinic', c);
    const name = k === 1 ? 'Rein Demo Clinic (synthetic data)' : `Rein Demo Clinic ${c + 1} (synthetic data)`;
    const timeZone = k === 1 ? 'UTC' : TIME_ZONES[c % TIME_ZONES.length]!;
    const tag = clinicId.replace(/-/g, '').slice(-8);
    const plain = 'admin@demo.example.org';
    const adminEmail =
      k === 1 && !(await emailTaken(store, plain)) ? plain : `admin.${c + 1}.${tag}@demo.example.org`;
    const actor = systemActor(clinicId, 'cli');
    let temporaryPassword = '';
    const summary = await inClinicWithWriter(store, actor, now, writer, async (ctx, write) => {
      // A large clinic gets the rooms and hours its patients need (no overbooked rooms).
      const settings = demoClinicSettings(DEFAULT_SESSION_SETTINGS, sizes[c]!);
      const created = await createSyntheticClinic(ctx, {
        clinicId,
        name,
        timeZone,
        adminEmail,
        settings: settings === DEFAULT_SESSION_SETTINGS ? undefined : settings,
      });
      temporaryPassword = created.temporaryPassword;
      // Loaded as the command line, like `rein demo` into an existing clinic: same use case, same audit.
      const s = await loadDemoClinic(ctx, {
        seed: clinicSeed,
        patients: sizes[c]!,
        write,
        timing,
        onProgress: (done) => report(c, done),
        onFactsProgress: (done, total) => opts.onFactsProgress?.(c, done, total),
      });
      return s;
    });
    return { clinicId, name, timeZone, adminEmail, temporaryPassword, summary };
  };

  // Clinics are independent transactions: `concurrency` of them load at once on separate connections.
  const queue = sizes.map((_, c) => c);
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, k)) }, async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) results[c] = await loadClinic(c);
  });
  await Promise.all(workers);
  return {
    clinics: results,
    patients: opts.patients,
    wallSeconds: (Date.now() - started) / 1000,
    rows: timing.rows,
    writer,
    loadSeconds: timing.loadMs / 1000,
    rowsPerSecond: timing.loadMs > 0 ? Math.round(timing.rows / (timing.loadMs / 1000)) : 0,
    factsSeconds: timing.factsMs / 1000,
  };
}
