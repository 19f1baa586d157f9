/**
 * A session's events as its use cases read them: parsed by the core and folded into its record.
 * Reading, parsing and folding every event on every request makes a long session's appends cost
 * in proportion to its length, so the parsed log of recently used sessions is kept in memory per
 * database and checked against the database on every read, in the reader's transaction:
 *
 * - Events are only ever appended (never updated or deleted), so a kept log whose rows were all
 *   committed is a subset of the session's rows; if the session has as many rows as the log holds
 *   (and still has the log's last row), it is the session's log. Otherwise the rows after the
 *   log's last (in stored order) are read with the count in one statement; if they make up the
 *   difference they are parsed and folded on, else (a row stored before the last, e.g. by a
 *   process whose clock runs behind) every row is read again.
 * - A log is kept only once its transaction has committed (a rolled-back append never reaches it).
 * - Recorders' names are shown with their events: a renamed recorder makes the log be re-read.
 *
 * Another process appending to the session is therefore seen exactly as by a fresh read.
 */
import {
  EMPTY_SESSION_RECORD,
  foldSessionFrom,
  parseSessionEvents,
  type SessionEvent,
  type SessionRecord,
  type StoredSessionEvent,
} from '../../clinical/session';
import type { Db } from '../../store/open';
import {
  listSessionEvents,
  listSessionEventsAfter,
  sessionEventsVersion,
  type SessionEventPosition,
} from '../../store/sessions';
import type { Tx } from '../../store/tx';

/** A session's stored events, parsed and folded, with what identifies them in the database. */
export interface SessionEventLog {
  /** Rows read, readable or not. */
  count: number;
  /** The last row read, in stored order (null: none). */
  last: SessionEventPosition | null;
  /** The readable events in stored order. */
  events: readonly SessionEvent[];
  /** Ids of rows the core could not read. */
  unreadable: readonly string[];
  /** The fold of `events`. */
  record: SessionRecord;
  /** Each recorder's name as shown with their events. */
  recorders: ReadonlyMap<string, string>;
}

/** How many sessions' logs, and how many events in all, one database's cache keeps at most. */
const MAX_SESSIONS = 500;
const MAX_EVENTS = 50_000;

/** Least recently used logs go first; bounded by sessions and by events. */
class SessionLogCache {
  private readonly logs = new Map<string, SessionEventLog>();
  private events = 0;

  get(key: string): SessionEventLog | undefined {
    const log = this.logs.get(key);
    if (log) {
      this.logs.delete(key);
      this.logs.set(key, log);
    }
    return log;
  }

  /** Keeps `log` unless a log holding more of the session's rows is kept already. */
  put(key: string, log: SessionEventLog): void {
    const kept = this.logs.get(key);
    if (kept && kept.count > log.count) return;
    this.delete(key);
    if (log.count > MAX_EVENTS) return;
    this.logs.set(key, log);
    this.events += log.count;
    for (const k of this.logs.keys()) {
      if (this.logs.size <= MAX_SESSIONS && this.events <= MAX_EVENTS) break;
      this.delete(k);
    }
  }

  private delete(key: string): void {
    const kept = this.logs.get(key);
    if (!kept) return;
    this.logs.delete(key);
    this.events -= kept.count;
  }
}

const caches = new WeakMap<Db, SessionLogCache>();

/** One transaction's view of its database's cache: read any time, filled after commit. */
export interface SessionLogs {
  get(clinicId: string, sessionId: string): SessionEventLog | undefined;
  /** Keeps the log once the transaction has committed. */
  keep(clinicId: string, sessionId: string, log: SessionEventLog): void;
}

/**
 * The cache for a transaction on `db`, and what to run once it has committed. `begin` is called at
 * the start of each attempt of the transaction: what an abandoned attempt would have kept is dropped.
 */
export function sessionLogsFor(db: Db): { logs: SessionLogs; begin(): void; committed(): void } {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SessionLogCache();
    caches.set(db, cache);
  }
  const shared = cache;
  let pending: [string, SessionEventLog][] = [];
  return {
    logs: {
      get: (clinicId, sessionId) => shared.get(`${clinicId}:${sessionId}`),
      keep: (clinicId, sessionId, log) => {
        pending.push([`${clinicId}:${sessionId}`, log]);
      },
    },
    begin: () => {
      pending = [];
    },
    committed: () => {
      for (const [key, log] of pending) shared.put(key, log);
      pending = [];
    },
  };
}

/** Parses and folds stored rows onto a log (rows after its last, in stored order). */
function extend(log: SessionEventLog, rows: readonly (StoredSessionEvent & { recordedByName: string })[]) {
  const parsed = parseSessionEvents(rows);
  let recorders = log.recorders;
  for (const r of rows) {
    if (recorders.get(r.recordedBy) !== r.recordedByName) {
      recorders = new Map(recorders).set(r.recordedBy, r.recordedByName);
    }
  }
  const last = rows.at(-1);
  return {
    count: log.count + rows.length,
    last: last ? { recordedAt: last.recordedAt, id: last.id } : log.last,
    events: parsed.events.length > 0 ? [...log.events, ...parsed.events] : log.events,
    unreadable: parsed.unreadable.length > 0 ? [...log.unreadable, ...parsed.unreadable] : log.unreadable,
    record: foldSessionFrom(log.record, parsed.events),
    recorders,
  } satisfies SessionEventLog;
}

const EMPTY_LOG: SessionEventLog = {
  count: 0,
  last: null,
  events: [],
  unreadable: [],
  record: EMPTY_SESSION_RECORD,
  recorders: new Map(),
};

/** The log with the rows just stored in this transaction (after every row it holds) folded on. */
export function withAppendedRows(
  log: SessionEventLog,
  rows: readonly (StoredSessionEvent & { recordedByName: string })[],
): SessionEventLog {
  return extend(log, rows);
}

const sameNames = (log: SessionEventLog, names: ReadonlyMap<string, string>) =>
  [...log.recorders].every(([id, name]) => names.get(id) === name);

/** The session's event log as of this transaction, from the cache when it still matches. */
export async function readSessionEventLog(
  tx: Tx,
  logs: SessionLogs | undefined,
  clinicId: string,
  sessionId: string,
): Promise<SessionEventLog> {
  const kept = logs?.get(clinicId, sessionId);
  if (kept?.last) {
    const version = await sessionEventsVersion(tx, clinicId, sessionId, kept.last.id, [
      ...kept.recorders.keys(),
    ]);
    if (version?.hasLast && sameNames(kept, version.names)) {
      if (version.count === kept.count) return kept;
      if (version.count > kept.count) {
        const after = await listSessionEventsAfter(tx, clinicId, sessionId, kept.last);
        if (after.count === kept.count + after.rows.length) {
          const log = extend(kept, after.rows);
          logs?.keep(clinicId, sessionId, log);
          return log;
        }
      }
    }
  }
  const log = extend(EMPTY_LOG, await listSessionEvents(tx, clinicId, sessionId));
  if (log.count > 0) logs?.keep(clinicId, sessionId, log);
  return log;
}
