import { existsSync, readdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';
import { acquireDataDirLock, type DataDirLock } from './lock';

export type Schema = typeof schema;
/** Driver-agnostic database handle: repositories are typed against this, never a driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');
export const DEFAULT_DATA_DIR = './.rein/data';

export interface StoreOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (ignored with databaseUrl). `memory://` for an in-memory database. */
  dataDir?: string | undefined;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /**
   * PGlite only: start from this data-directory dump (PGlite dumpDataDir) instead of an empty
   * database — tests open a migrated template in a fraction of the time migrating takes.
   */
  pgliteDump?: Blob | undefined;
}

export interface Store {
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  location: string;
  db: Db;
  /** Set when a stale lock from a crashed process was recovered on open. */
  recoveredLockFromPid: number | null;
  /** PGlite only: the whole data directory as an uncompressed tar (test templates). */
  dumpDataDir?: () => Promise<Blob>;
  /**
   * Receives NOTIFY payloads on `channel` until the returned function is called (or the store
   * closes). `onLost` is called if the listening connection fails: messages may have been missed.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onLost: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres (unparseable DATABASE_URL)';
  }
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const shouldMigrate = opts.migrate ?? true;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.maxConnections ?? 10 });
    // An idle connection the server ends (a restart, an administrator, a dropped database) is
    // removed by the pool and replaced at the next checkout; unheard, its error would end the process.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema, casing: undefined }) as unknown as Db;
    try {
      if (shouldMigrate) {
        await migratePg(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
      } else {
        await pool.query('select 1');
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    const databaseUrl = opts.databaseUrl;
    // LISTEN holds its connection for as long as it listens: one connection of its own, outside the
    // pool, shared by every subscriber of this store.
    interface Subscriber {
      channel: string;
      onMessage: (payload: string) => void;
      onLost: () => void;
    }
    const subscribers = new Set<Subscriber>();
    const listening = new Map<string, Promise<unknown>>();
    let listener: Promise<pg.Client> | null = null;
    const closeListener = async () => {
      const current = listener;
      listener = null;
      listening.clear();
      if (current) await (await current.catch(() => null))?.end().catch(() => undefined);
    };
    const connectListener = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      const lost = () => {
        if (listener === null) return;
        void closeListener();
        const lostSubscribers = [...subscribers];
        subscribers.clear();
        for (const s of lostSubscribers) s.onLost();
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (m) => {
        for (const s of subscribers) if (s.channel === m.channel) s.onMessage(m.payload ?? '');
      });
      await client.connect();
      return client;
    };
    return {
      kind: 'postgres',
      location: describeDatabaseUrl(opts.databaseUrl),
      db,
      recoveredLockFromPid: null,
      async listen(channel, onMessage, onLost) {
        if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${channel}`);
        listener ??= connectListener();
        try {
          const client = await listener;
          if (!listening.has(channel)) listening.set(channel, client.query(`listen ${channel}`));
          await listening.get(channel);
        } catch (err) {
          await closeListener();
          throw err;
        }
        const subscriber = { channel, onMessage, onLost };
        subscribers.add(subscriber);
        return async () => {
          subscribers.delete(subscriber);
          if (subscribers.size === 0) await closeListener();
        };
      },
      async close() {
        subscribers.clear();
        await closeListener();
        await pool.end();
      },
    };
  }

  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith('memory://');
  let lock: DataDirLock | null = null;
  if (!inMemory) {
    const absolute = resolve(dataDir);
    lock = acquireDataDirLock(`${absolute}.lock`);
    // An empty directory (a fresh Docker volume, a folder made ready for Rein) is a valid place for
    // a new database; one with files but no PG_VERSION is refused rather than written over.
    if (
      existsSync(absolute) &&
      !existsSync(resolve(absolute, 'PG_VERSION')) &&
      readdirSync(absolute).length > 0
    ) {
      lock.release();
      throw new Error(
        `${absolute} exists but is not a database directory (an interrupted first start?). ` +
          'Move it aside and start again.',
      );
    }
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(inMemory ? {} : { dataDir: resolve(dataDir) }),
      ...(opts.pgliteDump ? { loadDataDir: opts.pgliteDump } : {}),
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  try {
    if (shouldMigrate) {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    }
  } catch (err) {
    await client.close();
    lock?.release();
    throw err;
  }
  let closed = false;
  return {
    kind: 'pglite',
    dumpDataDir: () => client.dumpDataDir('none'),
    location: inMemory ? 'memory://' : resolve(dataDir),
    db,
    recoveredLockFromPid: lock?.recoveredFromPid ?? null,
    async listen(channel, onMessage) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${channel}`);
      // One in-process connection: a notification is delivered before the commit that sent it returns.
      const unlisten = await client.listen(channel, onMessage);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
