/**
 * The app as the docs generators read it: their output depends on the routes only, never on what
 * the database holds.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app';
import { openStore, type Store } from '../src/store/open';

/**
 * Builds the app on `given` (left open: a test's copy of the migrated template opens in a tenth of
 * the CPU of a new in-memory database) or on a new, unmigrated in-memory store (closed after), runs
 * `read` on it once it is ready, and closes it.
 */
export async function readRoutes<T>(given: Store | undefined, read: (app: FastifyInstance) => T): Promise<T> {
  const store = given ?? (await openStore({ dataDir: 'memory://', migrate: false }));
  try {
    const app = await buildApp({ store, webDir: '/nonexistent' });
    await app.ready();
    try {
      return read(app);
    } finally {
      await app.close();
    }
  } finally {
    if (!given) await store.close();
  }
}
