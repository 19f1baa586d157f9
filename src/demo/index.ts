/**
 * The synthetic demo clinic: the same data for `rein demo` and the admin start page's "load demo".
 * Everything is invented and marked as such (see ./generate.ts for what is generated and the
 * published figures the trajectories aim at). Deterministic: the same seed gives the same clinic.
 */
import { getSessionSettings } from '../store/courses';
import { countPatients } from '../store/patients';
import { generatePassword, hashPassword } from '../store/passwords';
import { users } from '../store/schema';
import type { Tx } from '../store/tx';
import { getClinic } from '../store/users';
import { ConflictError } from '../store/errors';
import { rebuildOutcomeFacts } from '../store/outcome-facts';
import {
  DEFAULT_DEMO_SEED,
  countRows,
  demoStaff,
  generatePatients,
  type DemoClinicSpec,
  type DemoRows,
  type DemoStaffMember,
} from './generate';
import { DemoBookings, demoHistoryDays } from './bookings';
import { insertRows, pgliteCopyWriter } from './write';

export { DEFAULT_DEMO_SEED, demoStaff, generatePatient, generatePatients } from './generate';
export { DemoBookings, demoClinicSettings, demoHistoryDays } from './bookings';
export type { DemoClinicSpec, DemoRows, DemoStaffMember } from './generate';
export {
  generateDemoNetwork,
  networkSizes,
  type DemoClinicResult,
  type DemoNetworkOptions,
  type DemoNetworkResult,
} from './network';

export const DEMO_PATIENT_COUNT = 60;
export const MAX_DEMO_PATIENTS = 1_000_000;
export const MAX_DEMO_CLINICS = 100;

export interface DemoSummary {
  patients: number;
  bodyMeasurements: number;
  medications: number;
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
  summary.screenings += c.eligibilityScreenings;
  summary.courses += c.courses;
  summary.sessions += c.treatmentSessions;
  summary.sessionEvents += c.sessionEvents;
  summary.assessments += c.assessmentResponses;
  summary.itemAnswers += c.assessmentItemAnswers;
  summary.alerts += c.alerts;
  return Object.values(c).reduce((a, n) => a + n, 0);
}

/**
 * Creates the demo prescribers and nurses. Each gets the hash of a random password that is never
 * shown or stored anywhere (no default credential); an admin resets one in user management to use it.
 */
export async function insertDemoStaff(tx: Tx, clinicId: string, staff: readonly DemoStaffMember[]) {
  const hashes = await Promise.all(staff.map(() => hashPassword(generatePassword())));
  await tx.insert(users).values(
    staff.map((s, i) => ({
      clinicId,
      id: s.id,
      email: s.email,
      name: s.name,
      role: s.role,
      passwordHash: hashes[i]!,
      mustChangePassword: true,
    })),
  );
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
  write?: (rows: DemoRows) => Promise<void>;
  /** Filled in with the time spent writing rows and rebuilding the outcome facts. */
  timing?: { loadMs: number; factsMs: number; rows: number };
}

/**
 * Loads the demo into a clinic that has no patients, in the caller's transaction (all or nothing):
 * demo staff, patients with their courses, sessions, assessments and alerts, then the dashboard's
 * outcome facts. `_loadedBy` (the admin loading it) is kept for the callers; the records themselves
 * are attributed to the demo staff.
 */
export async function loadDemoData(
  tx: Tx,
  clinicId: string,
  _loadedBy: string,
  now: Date,
  seed = DEFAULT_DEMO_SEED,
  opts: LoadDemoOptions = {},
): Promise<DemoSummary> {
  if ((await countPatients(tx, clinicId)) > 0) {
    throw new ConflictError('clinic', 'the demo can only be loaded into a clinic without patients');
  }
  const clinic = await getClinic(tx, clinicId);
  const staff = demoStaff(clinicId, seed);
  await insertDemoStaff(tx, clinicId, staff);
  const total = opts.patients ?? DEMO_PATIENT_COUNT;
  // The clinic's own rooms, hours, chair times, thresholds, vial and bag and maximum dose.
  const settings = await getSessionSettings(tx, clinicId);
  const spec: DemoClinicSpec = {
    clinicId,
    timeZone: clinic.timeZone,
    now,
    seed,
    staff,
    settings,
    historyDays: demoHistoryDays(settings, total),
  };
  const bookings = new DemoBookings(settings);
  const write = opts.write ?? pgliteCopyWriter(tx) ?? ((rows: DemoRows) => insertRows(tx, rows));
  const summary = emptySummary();
  summary.staff = staff.length;
  const started = Date.now();
  let rowCount = 0;
  // The next batch is generated while the database ingests the previous one.
  let pending: Promise<void> = Promise.resolve();
  for (let from = 0; from < total; from += DEMO_BATCH_PATIENTS) {
    const rows = generatePatients(spec, from, Math.min(total, from + DEMO_BATCH_PATIENTS), bookings);
    await pending;
    opts.onProgress?.(summary.patients, total);
    pending = write(rows);
    rowCount += addToSummary(summary, rows);
  }
  await pending;
  opts.onProgress?.(summary.patients, total);
  const loaded = Date.now();
  summary.outcomeFacts = await rebuildOutcomeFacts(tx, clinicId, now, opts.onFactsProgress);
  if (opts.timing) {
    opts.timing.loadMs += loaded - started;
    opts.timing.factsMs += Date.now() - loaded;
    opts.timing.rows += rowCount;
  }
  return summary;
}
