/** Liveness: the database answers a trivial query. */
import { sql } from 'drizzle-orm';
import type { Store } from '../store/open';

export async function checkHealth(store: Store): Promise<{ status: 'ok'; database: Store['kind'] }> {
  await store.db.execute(sql`select 1`);
  return { status: 'ok', database: store.kind };
}
