/**
 * Filling one clinic with the synthetic demo: the same data for `rein demo`, the demo network and
 * the admin start page's "load demo". Everything is invented and marked as such (see ./generate.ts
 * for what is generated and the published figures the trajectories aim at). Deterministic: the
 * same seed gives the same clinic. Generation happens here; persistence, the outcome facts and
 * the audit are the app's use cases (src/app/demo.ts).
 */
import { systemActor, type UseCaseContext } from '../app/context';
import { importSyntheticClinic, syntheticClinicTarget, type BulkWriter } from '../app/demo';
import {
  DEFAULT_DEMO_SEED,
  countRows,
  demoStaff,
  generatePatients,
  type DemoClinicSpec,
  type DemoRows,
} from './generate';
import { DemoBookings, demoHistoryDays } from './bookings';

export const DEMO_PATIENT_COUNT = 60;
export const MAX_DEMO_PATIENTS = 1_000_000;
export const MAX_DEMO_CLINICS = 100;

export interface DemoSummary {
  patients: number;
  bodyMeasurements: number;
  medications: number;
  /** Allergies recorded, and "no known allergies" statements for the patients without one. */
  allergies: number;
  noKnownAllergies: number;
  /** Problem-list entries (each course names its primary diagnosis among them). */
  diagnoses: number;
  treatmentTrials: number;
  /** Signed administration notes (nurses', most co-signed by a prescriber). */
  notes: number;
  /** Demo prescribers and nurses created (no usable password; an admin resets one to use it). */
  staff: number;
  /** Eligibility screenings (each signed off by a prescriber). */
  screenings: number;
  courses: number;
  sessions: number;
  sessionEvents: number;
  assessments: number;
  itemAnswers: number;
  alerts: number;
  /** Rows written by rebuildOutcomeFacts for the dashboard. */
  outcomeFacts: number;
}

export function emptySummary(): DemoSummary {
  return {
    patients: 0,
    bodyMeasurements: 0,
    medications: 0,
    allergies: 0,
    noKnownAllergies: 0,
    diagnoses: 0,
    treatmentTrials: 0,
    notes: 0,
    staff: 0,
    screenings: 0,
    courses: 0,
    sessions: 0,
    sessionEvents: 0,
    assessments: 0,
    itemAnswers: 0,
    alerts: 0,
    outcomeFacts: 0,
  };
}

export function addToSummary(summary: DemoSummary, rows: DemoRows): number {
  const c = countRows(rows);
  summary.patients += c.patients;
  summary.bodyMeasurements += c.bodyMeasurements;
  summary.medications += c.medications;
  summary.allergies += c.allergies;
  summary.noKnownAllergies += c.allergyStatements;
  summary.diagnoses += c.diagnoses;
  summary.treatmentTrials += c.treatmentTrials;
  summary.notes += c.clinicalNotes;
  summary.screenings += c.eligibilityScreenings;
  summary.courses += c.courses;
  summary.sessions += c.treatmentSessions;
  summary.sessionEvents += c.sessionEvents;
  summary.assessments += c.assessmentResponses;
  summary.itemAnswers += c.assessmentItemAnswers;
  summary.alerts += c.alerts;
  return Object.values(c).reduce((a, n) => a + n, 0);
}

/** Patients generated and written per batch (bounded memory for large clinics). */
export const DEMO_BATCH_PATIENTS = 200;

export interface LoadDemoOptions {
  /** Number of patients (default 60). */
  patients?: number;
  /** Patients written so far, of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Progress of rebuildOutcomeFacts. */
  onFactsProgress?: (done: number, total: number) => void;
  /** Writes one batch (default: batched inserts in `tx`; the network uses COPY on PostgreSQL). */
  write?: BulkWriter;
  /** Filled in with the time spent writing rows and rebuilding the outcome facts. */
  timing?: { loadMs: number; factsMs: number; rows: number };
}

/**
 * Generates the demo and imports it into the actor's clinic, which must have no patients, in the
 * caller's transaction (all or nothing): demo staff, patients with their courses, sessions,
 * assessments and alerts, then the dashboard's outcome facts. The records themselves are
 * attributed to the demo staff. With `audit`, the load is audited with its counts and seed.
 */
async function fillClinic(
  ctx: UseCaseContext,
  seed: number,
  opts: LoadDemoOptions,
  audit: { seed?: number | undefined } | null,
): Promise<DemoSummary> {
  const clinicId = ctx.actor.clinicId;
  const { timeZone, settings } = await syntheticClinicTarget(ctx);
  const staff = demoStaff(clinicId, seed);
  const total = opts.patients ?? DEMO_PATIENT_COUNT;
  const spec: DemoClinicSpec = {
    clinicId,
    timeZone,
    now: ctx.now,
    seed,
    staff,
    settings,
    historyDays: demoHistoryDays(settings, total),
  };
  const bookings = new DemoBookings(settings);
  const summary = emptySummary();
  summary.staff = staff.length;
  function* batches(): Generator<DemoRows> {
    for (let from = 0; from < total; from += DEMO_BATCH_PATIENTS) {
      const rows = generatePatients(spec, from, Math.min(total, from + DEMO_BATCH_PATIENTS), bookings);
      yield rows;
      addToSummary(summary, rows);
    }
  }
  const { outcomeFacts } = await importSyntheticClinic(ctx, {
    staff,
    batches: batches(),
    write: opts.write,
    timing: opts.timing,
    onFactsProgress: opts.onFactsProgress,
    onBatchesWritten: () => opts.onProgress?.(summary.patients, total),
    auditDetails: audit
      ? (facts) => ({
          ...summary,
          outcomeFacts: facts,
          ...(audit.seed === undefined ? {} : { seed: audit.seed }),
        })
      : undefined,
  });
  summary.outcomeFacts = outcomeFacts;
  return summary;
}

export interface LoadDemoInput extends LoadDemoOptions {
  /** The generator's seed (default: the demo's own); the same seed gives the same clinic. */
  seed?: number | undefined;
}

/**
 * Loads the demo into the actor's empty clinic and audits the load (`clinic.load_demo`) with its
 * counts: the one entry for the start page, `rein demo` and the demo network.
 */
export function loadDemoClinic(ctx: UseCaseContext, input: LoadDemoInput = {}): Promise<DemoSummary> {
  const { seed, ...opts } = input;
  return fillClinic(ctx, seed ?? DEFAULT_DEMO_SEED, opts, { seed });
}

/**
 * Loads the demo into a clinic that has no patients, in the caller's transaction, without an audit
 * event (fixtures and benchmarks). `_loadedBy` is kept for the callers.
 */
export function loadDemoData(
  tx: UseCaseContext['tx'],
  clinicId: string,
  _loadedBy: string,
  now: Date,
  seed = DEFAULT_DEMO_SEED,
  opts: LoadDemoOptions = {},
): Promise<DemoSummary> {
  return fillClinic({ tx, actor: systemActor(clinicId, 'system'), now }, seed, opts, null);
}
