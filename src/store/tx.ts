import { sql } from 'drizzle-orm';
import type { Db } from './open';

/** A transaction handle; repository functions accept either a Db or a Tx. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

/** The unprivileged role clinic-scoped transactions run as (migration 0008_row_level_security). */
export const CLINIC_ROLE = 'rein_app';

/**
 * Runs `fn` in one transaction scoped to a clinic. Everything a request writes (the record, its
 * revision, its audit event) commits or rolls back together. The transaction switches to the role
 * `rein_app` and sets `rein.clinic_id`, so PostgreSQL's row-level security hides and refuses every
 * other clinic's rows — a second wall behind the `clinic_id` filter each query already has.
 */
export async function inClinic<T>(db: Db, clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('rein.clinic_id', ${clinicId}, true), set_config('role', ${CLINIC_ROLE}, true)`,
    );
    return fn(tx);
  });
}
