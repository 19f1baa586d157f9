/**
 * Importing a synthetic clinic: the use cases the demo generator (src/demo) calls to persist what
 * it generated. The generator decides nothing about storage; these functions check the clinic is
 * empty, create the demo staff, bulk-write the generated rows in the caller's transaction, rebuild
 * the dashboard's outcome facts and audit the load, each step explicit.
 */
import { rebuildOutcomeFacts } from './outcome-facts';
import {
  BULK_ROW_KEYS,
  defaultBulkWriter,
  inClinicWithBulkWriter,
  insertUserRows,
  type BulkRows,
  type BulkWriter,
  type BulkWriterKind,
} from '../store/bulk-write';
import { saveSessionSettings } from '../store/courses';
import { getSessionSettings } from './session-settings';
import { ConflictError } from '../store/errors';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../clinical/session';
import type { Store } from '../store/open';
import { generatePassword, hashPassword } from '../store/passwords';
import { countPatients } from '../store/patients';
import type { Role } from '../store/schema';
import { countClinics, createClinic, createUser, findUserByEmail, getClinic } from '../store/users';
import { recordAudit, type Actor, type UseCaseContext } from './context';

export type {
  AlertInsert,
  AllergyInsert,
  AllergyStatementInsert,
  BodyMeasurementInsert,
  ClinicalNoteInsert,
  DiagnosisInsert,
  TreatmentTrialInsert,
  CourseInsert,
  ItemAnswerInsert,
  MedicationInsert,
  PatientInsert,
  ResponseInsert,
  ScreeningInsert,
  SessionEventInsert,
  SignOffInsert,
  TreatmentSessionInsert,
} from '../store/bulk-write';
export type { BulkRows as SyntheticRows, BulkWriter, BulkWriterKind, SessionSettings, Store };
/** The tables of SyntheticRows in the order they are written (parents first). */
export const SYNTHETIC_ROW_KEYS = BULK_ROW_KEYS;
/** The session settings a clinic has until an admin changes them. */
export { DEFAULT_SESSION_SETTINGS };

/** A staff member the generator invented (no usable password: an admin resets one to use it). */
export interface SyntheticStaffMember {
  id: string;
  email: string;
  name: string;
  role: Extract<Role, 'prescriber' | 'nurse'>;
}

/** What the generator needs to know about the clinic it fills. */
export interface SyntheticClinicTarget {
  timeZone: string;
  /** The clinic's own rooms, hours, chair times, thresholds, vial and bag and maximum dose. */
  settings: SessionSettings;
}

/**
 * The clinic a synthetic history is generated for. The demo only goes into a clinic without
 * patients, so it never mixes invented records with real ones.
 */
export async function syntheticClinicTarget(ctx: UseCaseContext): Promise<SyntheticClinicTarget> {
  const clinicId = ctx.actor.clinicId;
  if ((await countPatients(ctx.tx, clinicId)) > 0) {
    throw new ConflictError('clinic', 'the demo can only be loaded into a clinic without patients');
  }
  const clinic = await getClinic(ctx.tx, clinicId);
  return { timeZone: clinic.timeZone, settings: await getSessionSettings(ctx.tx, clinicId) };
}

export interface SyntheticClinicImport {
  staff: readonly SyntheticStaffMember[];
  /**
   * The generated rows in batches, produced lazily: the next batch is generated while the
   * database ingests the previous one, and memory stays bounded for large clinics.
   */
  batches: Iterable<BulkRows>;
  /** Writes one batch (default: COPY from a blob on PGlite, batched inserts otherwise). */
  write?: BulkWriter | undefined;
  /** Called before each batch is handed to the writer, and once when all are written. */
  onBatchesWritten?: (() => void) | undefined;
  /** Progress of the outcome-fact rebuild. */
  onFactsProgress?: ((done: number, total: number) => void) | undefined;
  /** Filled in with the time spent writing rows and rebuilding the outcome facts. */
  timing?: { loadMs: number; factsMs: number; rows: number } | undefined;
  /** When given, the load is audited as `clinic.load_demo` with these details (given the facts count). */
  auditDetails?: ((outcomeFacts: number) => Record<string, unknown>) | undefined;
}

/**
 * Persists a generated clinic in the caller's transaction (all or nothing): the demo staff, each
 * with the hash of a random password that is never shown or stored (no default credential), the
 * rows in batches, then the dashboard's outcome facts, then the audit event. Returns the number of
 * outcome facts written.
 */
export async function importSyntheticClinic(
  ctx: UseCaseContext,
  input: SyntheticClinicImport,
): Promise<{ outcomeFacts: number }> {
  const clinicId = ctx.actor.clinicId;
  const hashes = await Promise.all(input.staff.map(() => hashPassword(generatePassword())));
  await insertUserRows(
    ctx.tx,
    input.staff.map((s, i) => ({
      clinicId,
      id: s.id,
      email: s.email,
      name: s.name,
      role: s.role,
      passwordHash: hashes[i]!,
      mustChangePassword: true,
    })),
  );
  const write = input.write ?? defaultBulkWriter(ctx.tx);
  const started = Date.now();
  let rowCount = 0;
  let pending: Promise<void> = Promise.resolve();
  for (const rows of input.batches) {
    await pending;
    input.onBatchesWritten?.();
    pending = write(rows);
    for (const key of BULK_ROW_KEYS) rowCount += rows[key].length;
  }
  await pending;
  input.onBatchesWritten?.();
  const loaded = Date.now();
  const outcomeFacts = await rebuildOutcomeFacts(ctx.tx, clinicId, ctx.now, input.onFactsProgress);
  if (input.timing) {
    input.timing.loadMs += loaded - started;
    input.timing.factsMs += Date.now() - loaded;
    input.timing.rows += rowCount;
  }
  if (input.auditDetails) {
    await recordAudit(ctx, {
      action: 'clinic.load_demo',
      resourceType: 'clinic',
      resourceId: clinicId,
      details: input.auditDetails(outcomeFacts),
    });
  }
  return { outcomeFacts };
}

/**
 * Runs `fn` in one clinic-scoped transaction with the given bulk writer (COPY on PostgreSQL needs
 * the transaction on one dedicated connection).
 */
export function inClinicWithWriter<T>(
  store: Store,
  actor: Actor,
  now: Date,
  writer: BulkWriterKind,
  fn: (ctx: UseCaseContext, write: BulkWriter) => Promise<T>,
): Promise<T> {
  return inClinicWithBulkWriter(store, actor.clinicId, writer, (tx, write) => fn({ tx, actor, now }, write));
}

/** The fastest writer the store has: COPY FROM STDIN on PostgreSQL, COPY from a blob on PGlite. */
export function fastestWriter(store: Store): BulkWriterKind {
  return store.kind === 'postgres' ? 'copy' : 'pglite-copy';
}

export interface NewSyntheticClinic {
  clinicId: string;
  name: string;
  timeZone: string;
  adminEmail: string;
  /** Its session settings, when they differ from the defaults. */
  settings?: SessionSettings | undefined;
}

/**
 * Creates a new clinic with an admin who must change the returned temporary password at first
 * login, in the caller's transaction (opened for `input.clinicId`).
 */
export async function createSyntheticClinic(
  ctx: UseCaseContext,
  input: NewSyntheticClinic,
): Promise<{ adminId: string; temporaryPassword: string }> {
  const { clinicId, name, timeZone, adminEmail } = input;
  const password = generatePassword();
  await createClinic(ctx.tx, { id: clinicId, name, timeZone });
  const admin = await createUser(
    ctx.tx,
    clinicId,
    { email: adminEmail, name: 'Demo administrator', role: 'admin', password },
    { mustChangePassword: true, clinicalLead: true },
  );
  if (input.settings) await saveSessionSettings(ctx.tx, clinicId, input.settings, admin.id);
  return { adminId: admin.id, temporaryPassword: password };
}

/** Whether a login email is already taken in any clinic (emails are unique across clinics). */
export async function emailTaken(store: Store, email: string): Promise<boolean> {
  return (await findUserByEmail(store.db, email)) !== null;
}

/** Whether the database has any clinic yet (`rein demo` creates one when it has none). */
export async function hasClinics(store: Store): Promise<boolean> {
  return (await countClinics(store.db)) > 0;
}
