import { existsSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, TransactionAbortedError } from '@electric-sql/pglite';
import { drizzle as drizzlePglite, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg, NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import * as schema from './schema';
import { acquireDataDirLock, type DataDirLock } from './lock';
import {
  auditInsertForCommit,
  auditStatementsForCommit,
  deferAuditUntilCommit,
  type NamedStatement,
} from './audit';
import {
  clinicScopeStatement,
  useClinicTransaction,
  useFinalStatement,
  type ClinicTransaction,
  type Tx,
} from './tx';

export type Schema = typeof schema;

/** PostgreSQL connections a store keeps open unless told otherwise (REIN_DATABASE_POOL_SIZE). */
export const DEFAULT_POOL_SIZE = 10;
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

/** What drizzle's own transactions build their transaction from (not in its public types). */
interface DrizzleSessionParts {
  session: { dialect: unknown; schema: unknown; options: unknown };
}

/** The database rolled a transaction back at its end, after a statement inside it had failed. */
export class TransactionRolledBackError extends Error {
  constructor(cause?: unknown) {
    super('the transaction was rolled back: a statement in it failed', cause === undefined ? {} : { cause });
    this.name = 'TransactionRolledBackError';
  }
}

const STATEMENT_AFTER_LAST = 'a statement after the last statement of its transaction (commitWith)';
const LAST_STATEMENT_TWICE = 'commitWith: the transaction already has its last statement';

/**
 * A clinic transaction on the PostgreSQL pool with BEGIN and the clinic scope sent as one
 * simple-protocol message, pipelined with the work's first statement: one round trip where
 * drizzle's transaction plus the scope statement take three. The role switch still precedes every
 * statement of `fn`, so row-level security is planned for `rein_app` exactly as before. The audit
 * events the work records are inserted in the write that commits it (see deferAuditUntilCommit):
 * another round trip saved; a transaction whose last statement is marked (commitWith) sends that
 * message right behind it, so a single read and its audit take one round trip in all. Otherwise it
 * is drizzle's pool transaction (same transaction object, savepoints for nested transactions,
 * rollback on any error).
 */
function pgClinicTransaction(pool: pg.Pool, db: Db): ClinicTransaction {
  const base = (db as unknown as DrizzleSessionParts).session;
  return async (clinicId, fn) => {
    const client = (await pool.connect()) as pg.PoolClient & { pipeline: boolean };
    const session = new NodePgSession(
      client,
      base.dialect as never,
      base.schema as never,
      base.options as never,
    );
    const tx = new NodePgTransaction(base.dialect as never, session, base.schema as never) as unknown as Tx;
    deferAuditUntilCommit(tx);
    // Pipelined for this transaction only (COPY, which the bulk loaders use, refuses pipelining):
    // statements are sent without waiting for the previous answer, so the first statement of `fn`
    // travels with BEGIN and the scope, and statements `fn` starts together share a round trip.
    // PostgreSQL still runs them in order, each after the scope is set.
    client.pipeline = true;
    const unbatch = batchWritesPerTurn(client);
    const send = client.query.bind(client) as (
      statement: string | NamedStatement,
    ) => Promise<pg.QueryResult | pg.QueryResult[]>;
    // The transaction's last statement (commitWith) takes the held audit events and COMMIT with it.
    // From then on the connection refuses statements: after COMMIT they would run outside the
    // transaction, without its clinic scope and role.
    let heldAudit: NamedStatement[] | undefined;
    let lastArmed = false;
    let lastDone = false;
    let commit: Promise<pg.QueryResult | pg.QueryResult[]> | null = null;
    // The events' inserts and COMMIT leave together; an insert that fails is the error the caller
    // hears (its transaction then answers COMMIT with ROLLBACK).
    const sendCommit = async () => {
      const inserts = (heldAudit ?? auditStatementsForCommit(tx)).map((statement) => send(statement));
      const committed = send('commit');
      committed.catch(() => undefined);
      await Promise.all(inserts);
      return committed;
    };
    (client as unknown as { query: unknown }).query = function (this: pg.PoolClient, ...args: unknown[]) {
      if (lastDone) throw new Error(STATEMENT_AFTER_LAST);
      const result = (send as (...a: unknown[]) => unknown)(...args);
      if (lastArmed) {
        lastArmed = false;
        lastDone = true;
        commit = sendCommit();
        commit.catch(() => undefined);
      }
      return result;
    };
    useFinalStatement(tx, async (statement) => {
      if (heldAudit !== undefined) throw new Error(LAST_STATEMENT_TWICE);
      heldAudit = auditStatementsForCommit(tx, true);
      lastArmed = true;
      try {
        return await statement();
      } finally {
        lastArmed = false;
        lastDone = true;
      }
    });
    const begun = send(`begin; ${clinicScopeStatement(clinicId, pg.escapeLiteral)}`);
    // Awaited before COMMIT; until then a failure shows as the aborted transaction it causes.
    begun.catch(() => undefined);
    let broken: Error | undefined;
    try {
      const result = await fn(tx);
      await begun;
      const ended = await (commit ?? sendCommit());
      // A transaction that a failed statement aborted (its error caught inside `fn`) answers COMMIT
      // with ROLLBACK and no error: nothing was stored, so the caller must not hear success.
      const last = (Array.isArray(ended) ? ended.at(-1) : ended) as pg.QueryResult | undefined;
      if (last?.command !== 'COMMIT') throw new TransactionRolledBackError();
      return result;
    } catch (err) {
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      // (After a COMMIT already sent, ROLLBACK only warns that no transaction is open.)
      await send('rollback').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    } finally {
      delete (client as unknown as { query?: unknown }).query;
      unbatch();
      client.pipeline = false;
      client.release(broken);
    }
  };
}

/**
 * Statements a transaction sends in the same turn of the event loop (BEGIN with the work's first
 * reads, the reads a use case starts together) leave in one socket write instead of one each: the
 * socket is corked at the turn's first statement and uncorked once the turn's promise callbacks have
 * run. Returns the undo, for when the connection goes back to the pool.
 */
function batchWritesPerTurn(client: pg.PoolClient): () => void {
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  const query = client.query;
  let corked = false;
  const batched = function (this: pg.PoolClient, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      socket.cork();
      // A tick queued from a promise callback runs once every pending callback has run.
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  };
  (client as unknown as { query: unknown }).query = batched;
  return () => {
    delete (client as unknown as { query?: unknown }).query;
  };
}

/**
 * A clinic transaction on PGlite's one connection. PGlite's own transaction holds the connection
 * from BEGIN to COMMIT and hands it to waiting transactions and queries first come, first served.
 * PGlite answers on the event loop without ever waiting for I/O, and the connection passes from
 * one transaction to the next inside a single turn of the loop: a queue of transactions (a burst of
 * requests, a report, an import, a sealer's batches) would run to its end before the loop reads or
 * accepts anything. Under 100 connections the loop accepted one connection per such turn, and
 * clients still waiting to connect timed out. So each transaction, once it holds the connection,
 * first lets the loop turn: requests that arrived meanwhile are read, connections accepted, and
 * both queue behind the transactions already waiting.
 * The clinic scope and the held audit events (see deferAuditUntilCommit) go as simple-protocol
 * statements with literal values: each is one call into PostgreSQL where a parameterised statement
 * takes five (parse, describe, bind, describe, execute).
 */
function pgliteClinicTransaction(client: PGlite, db: Db): ClinicTransaction {
  const base = (db as unknown as DrizzleSessionParts).session;
  return async (clinicId, fn) => {
    // PGlite answers a transaction a failed statement aborted (its error caught inside `fn`) with
    // its own error at COMMIT; the caller hears it as PostgreSQL's driver reports it.
    const committed = client.transaction(async (ptx) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await ptx.exec(clinicScopeStatement(clinicId, pg.escapeLiteral));
      // After the transaction's last statement (commitWith) nothing may run in it, as on PostgreSQL,
      // where it is already committing by then.
      let ended = false;
      const refuseAfterEnd = () => {
        if (ended) throw new Error(STATEMENT_AFTER_LAST);
      };
      const guarded = Object.create(ptx, {
        query: { value: (...a: Parameters<Transaction['query']>) => (refuseAfterEnd(), ptx.query(...a)) },
        exec: { value: (...a: Parameters<Transaction['exec']>) => (refuseAfterEnd(), ptx.exec(...a)) },
      }) as Transaction;
      const session = new PgliteSession(
        guarded,
        base.dialect as never,
        base.schema as never,
        base.options as never,
      );
      const tx = new PgliteTransaction(base.dialect as never, session, base.schema as never) as unknown as Tx;
      deferAuditUntilCommit(tx);
      let heldAudit: string | null | undefined;
      useFinalStatement(tx, async (statement) => {
        if (heldAudit !== undefined) throw new Error(LAST_STATEMENT_TWICE);
        heldAudit = auditInsertForCommit(tx, pg.escapeLiteral);
        try {
          return await statement();
        } finally {
          ended = true;
        }
      });
      const result = await fn(tx);
      const audit = heldAudit === undefined ? auditInsertForCommit(tx, pg.escapeLiteral) : heldAudit;
      if (audit) await ptx.exec(audit);
      return result;
    });
    return committed.catch((err: unknown) => {
      throw err instanceof TransactionAbortedError ? new TransactionRolledBackError(err) : err;
    });
  };
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const shouldMigrate = opts.migrate ?? true;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.maxConnections ?? DEFAULT_POOL_SIZE,
    });
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
    useClinicTransaction(db, pgClinicTransaction(pool, db));
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
  useClinicTransaction(db, pgliteClinicTransaction(client, db));
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
