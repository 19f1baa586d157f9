import { sql } from 'drizzle-orm';
import type { Db } from './open';

/** A transaction handle; repository functions accept either a Db or a Tx. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

/**
 * Runs `fn` in one transaction scoped to a clinic. The clinic id is also set as the transaction-local
 * setting `rein.clinic_id`, so row-level security policies can key on it. Everything a request
 * writes (the record, its revision, its audit event) commits or rolls back together.
 */
export async function inClinic<T>(db: Db, clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('rein.clinic_id', ${clinicId}, true)`);
    return fn(tx);
  });
}
