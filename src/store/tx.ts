import { sql } from 'drizzle-orm';
import type { Db } from './open';

/** A transaction handle; repository functions accept either a Db or a Tx. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

/** The unprivileged role clinic-scoped transactions run as (migration 0008_row_level_security). */
export const CLINIC_ROLE = 'rein_app';

/**
 * A driver's own way to open a clinic-scoped transaction in fewer round trips (see openStore): it
 * must begin, switch to CLINIC_ROLE and set `rein.clinic_id` before `fn` runs, exactly as the
 * generic path below does.
 */
export type ClinicTransaction = <T>(clinicId: string, fn: (tx: Tx) => Promise<T>) => Promise<T>;
const clinicTransactions = new WeakMap<object, ClinicTransaction>();

/** Registers the driver's clinic transaction for a database handle (called by openStore). */
export function useClinicTransaction(db: Db, run: ClinicTransaction): void {
  clinicTransactions.set(db, run);
}

/**
 * How a driver runs a transaction's last statement (see commitWith): it sends the held audit events
 * and COMMIT right behind it and refuses any statement after it.
 */
export type FinalStatement = <T>(statement: () => Promise<T>) => Promise<T>;
const finalStatements = new WeakMap<object, FinalStatement>();

/** Registers how a transaction's driver runs its last statement (called by the driver per transaction). */
export function useFinalStatement(tx: Tx, run: FinalStatement): void {
  finalStatements.set(tx, run);
}

/**
 * Runs the one statement `statement` starts as the transaction's last: a driver that pipelines sends
 * the audit events held for the commit and the COMMIT with it, so a read and its audit take one round
 * trip. Every audit event must be recorded before; nothing may run in the transaction after it. The
 * events still commit only with the whole transaction: if the statement fails, PostgreSQL rolls all
 * of it back. PGlite, which does not pipeline, runs the statement and then refuses statements
 * and events just the same; a transaction no driver opened simply runs it.
 */
export function commitWith<T>(tx: Queryable, statement: () => Promise<T>): Promise<T> {
  const run = finalStatements.get(tx);
  return run ? run(statement) : statement();
}

/** The statement that scopes a transaction to a clinic, as one literal string (no parameters). */
export function clinicScopeStatement(clinicId: string, quote: (value: string) => string): string {
  return `select set_config('rein.clinic_id', ${quote(clinicId)}, true), set_config('role', '${CLINIC_ROLE}', true)`;
}

/**
 * Runs `fn` in one transaction scoped to a clinic. Everything a request writes (the record, its
 * revision, its audit event) commits or rolls back together. The transaction switches to the role
 * `rein_app` and sets `rein.clinic_id`, so PostgreSQL's row-level security hides and refuses every
 * other clinic's rows — a second wall behind the `clinic_id` filter each query already has.
 */
export async function inClinic<T>(db: Db, clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const driver = clinicTransactions.get(db);
  if (driver) return driver(clinicId, fn);
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('rein.clinic_id', ${clinicId}, true), set_config('role', ${CLINIC_ROLE}, true)`,
    );
    return fn(tx);
  });
}
