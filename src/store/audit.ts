import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { auditChainHeads, auditEvents } from './schema';
import type { Db } from './open';
import { inClinic, type Queryable } from './tx';

export interface AuditEntry {
  clinicId: string;
  userId: string | null;
  actorRole: string | null;
  /** e.g. `patient.read`, `patient.update`, `patient.list`, `user.create`, `auth.login`. */
  action: string;
  resourceType: string;
  resourceId?: string | null;
  requestId?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  /** Non-PHI context (field names changed, result counts, query kind) — never names or values. */
  details?: Record<string, unknown> | null;
  /**
   * For a read whose use case fails when the resource is not there (its transaction then rolls back
   * and leaves no event). Where the event is inserted before the use case has the read's answer (on
   * recording, outside a deferring transaction, or with the COMMIT sent behind the read: commitWith),
   * its insert checks the row itself, so a read that finds nothing still leaves no event.
   */
  onlyIfResourceExists?: boolean;
}

export type AuditEvent = typeof auditEvents.$inferSelect;

/** The hash before a clinic's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the hash does not depend on jsonb's key order. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

type ChainedFields = Pick<
  AuditEvent,
  | 'clinicId'
  | 'id'
  | 'at'
  | 'userId'
  | 'actorRole'
  | 'action'
  | 'resourceType'
  | 'resourceId'
  | 'requestId'
  | 'outcome'
  | 'details'
> & { seq: number; prevHash: string };

/** SHA-256 over the previous hash and every field of the event (format version 1). */
export function auditEventHash(e: ChainedFields): string {
  const material = canonicalJson([
    'rein-audit/1',
    e.clinicId,
    e.seq,
    e.prevHash,
    e.id,
    e.at.toISOString(),
    e.userId,
    e.actorRole,
    e.action,
    e.resourceType,
    e.resourceId,
    e.requestId,
    e.outcome,
    e.details,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** SHA-256 over the event's own fields (no chain position): written with the event, before sealing. */
export function auditEventDigest(e: Omit<ChainedFields, 'seq' | 'prevHash'>): string {
  const material = canonicalJson([
    'rein-audit-event/1',
    e.clinicId,
    e.id,
    e.at.toISOString(),
    e.userId,
    e.actorRole,
    e.action,
    e.resourceType,
    e.resourceId,
    e.requestId,
    e.outcome,
    e.details,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

type NewAuditEvent = Omit<ChainedFields, 'seq' | 'prevHash'> & { digest: string; existsIn: string | null };

/** The table holding each resource type whose events can be made conditional on the row being there. */
const RESOURCE_TABLES: Readonly<Record<string, string>> = { patient: 'patients' };

/**
 * Transactions whose audit events are written with their COMMIT (one round trip fewer per audited
 * request): the driver's clinic transaction marks its transaction here and sends the events'
 * inserts with COMMIT, in one write (auditStatementsForCommit on PostgreSQL, auditInsertForCommit on
 * PGlite). Rows are written in the same transaction as the work either way; a savepoint's
 * transaction object is never marked, so an event recorded inside a savepoint is inserted at once and
 * rolls back with it.
 */
const deferred = new WeakMap<object, NewAuditEvent[] | 'committing'>();

/** Holds the audit events recorded in `tx` until its commit (see auditInsertForCommit). */
export function deferAuditUntilCommit(tx: Queryable): void {
  deferred.set(tx, []);
}

/**
 * The held events of `tx` as INSERT statements with every value a quoted literal (the commit message
 * carries no parameters), or null when none is held, for a COMMIT about to be sent after the work's
 * last answer; any event recorded after it is refused: it could no longer be written in the transaction.
 */
export function auditInsertForCommit(tx: Queryable, quote: (value: string) => string): string | null {
  const held = takeHeldEvents(tx);
  return held.length === 0 ? null : auditInsertStatements(held, quote, false);
}

/** A statement a driver sends by name with its values: PostgreSQL parses and plans it once per connection. */
export interface NamedStatement {
  name: string;
  text: string;
  values: Array<string | null>;
}

/**
 * The held events of `tx` as named, parameterised INSERTs, one per event, for a driver that sends
 * them with the COMMIT (PostgreSQL's pipeline). The same rows as auditInsertForCommit writes; but the
 * server plans each statement once per connection, where a statement of literals is parsed and
 * planned on every commit. Any event recorded afterwards is refused, as there.
 */
export function auditStatementsForCommit(tx: Queryable, aheadOfRead = false): NamedStatement[] {
  return takeHeldEvents(tx).map((e) => {
    const statement = aheadOfRead && e.existsIn !== null ? INSERT_IF_EXISTS.get(e.existsIn) : INSERT;
    if (!statement) throw new Error(`auditStatementsForCommit: no resource table ${e.existsIn}`);
    return { ...statement, values: AUDIT_COLUMNS.map(([, , value]) => value(e)) };
  });
}

/** The events `tx` holds, handed over for its commit: none when it holds none; later ones are refused. */
function takeHeldEvents(tx: Queryable): NewAuditEvent[] {
  const held = deferred.get(tx);
  if (held === undefined) return [];
  deferred.set(tx, 'committing');
  return held === 'committing' ? [] : held;
}

/** The columns an event is inserted with, in order: each with its type (its value's cast) and value as text. */
const AUDIT_COLUMNS: ReadonlyArray<readonly [string, string, (e: NewAuditEvent) => string | null]> = [
  ['clinic_id', 'uuid', (e) => e.clinicId],
  ['id', 'uuid', (e) => e.id],
  ['at', 'timestamptz', (e) => e.at.toISOString()],
  ['user_id', 'uuid', (e) => e.userId],
  ['actor_role', 'text', (e) => e.actorRole],
  ['action', 'text', (e) => e.action],
  ['resource_type', 'text', (e) => e.resourceType],
  ['resource_id', 'uuid', (e) => e.resourceId],
  ['request_id', 'text', (e) => e.requestId],
  ['outcome', 'text', (e) => e.outcome],
  ['details', 'jsonb', (e) => (e.details === null ? null : JSON.stringify(e.details))],
  ['digest', 'text', (e) => e.digest],
];
const AUDIT_INSERT_INTO = `insert into audit_events (${AUDIT_COLUMNS.map(([name]) => name).join(', ')})`;

/** The parameterised INSERTs, written once: every commit sends the same texts with new values. */
const PARAMETERS = AUDIT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}`).join(', ');
const parameterOf = (column: string) => `$${AUDIT_COLUMNS.findIndex(([name]) => name === column) + 1}`;
const INSERT = { name: 'rein_audit_commit', text: `${AUDIT_INSERT_INTO} values (${PARAMETERS})` };
/** Per resource table: the INSERT that writes the event only if its row is there. */
const INSERT_IF_EXISTS = new Map(
  Object.values(RESOURCE_TABLES).map((table) => [
    table,
    {
      name: `rein_audit_commit_if_${table}`,
      text:
        `${AUDIT_INSERT_INTO} select ${PARAMETERS} where exists (select 1 from ${table} ` +
        `where clinic_id = ${parameterOf('clinic_id')}::uuid and id = ${parameterOf('resource_id')}::uuid)`,
    },
  ]),
);

/**
 * Events as INSERT statements with every value a quoted literal (a message with no parameters): one
 * statement for all, but, when `aheadOfRead`, each event that waits on its resource's existence in a
 * statement of its own, guarded by it (the check costs a subquery; after the read it is not needed).
 */
function auditInsertStatements(
  events: NewAuditEvent[],
  quote: (value: string) => string,
  aheadOfRead: boolean,
): string {
  const literal = (v: string | null) => (v === null ? 'null' : quote(v));
  const values = (e: NewAuditEvent) =>
    AUDIT_COLUMNS.map(([, type, value]) => {
      const v = value(e);
      return v === null ? 'null' : `${quote(v)}::${type}`;
    }).join(', ');
  const checked = (e: NewAuditEvent) => aheadOfRead && e.existsIn !== null;
  const statements: string[] = [];
  const always = events.filter((e) => !checked(e));
  if (always.length > 0) statements.push(`${AUDIT_INSERT_INTO} values (${always.map(values).join('), (')})`);
  for (const e of events.filter(checked)) {
    statements.push(
      `${AUDIT_INSERT_INTO} select ${values(e)} where exists (select 1 from ${e.existsIn} ` +
        `where clinic_id = ${literal(e.clinicId)} and id = ${literal(e.resourceId)})`,
    );
  }
  return statements.join('; ');
}

/** Writes the events `db` holds now, before a statement that reads the audit table. */
async function flushDeferred(db: Queryable): Promise<void> {
  const held = deferred.get(db);
  if (!held || held === 'committing' || held.length === 0) return;
  deferred.set(db, []);
  for (const event of held) await insertAuditEvent(db, event);
}

async function insertAuditEvent(db: Queryable, event: NewAuditEvent): Promise<void> {
  if (event.existsIn !== null) {
    await db.execute(sql.raw(auditInsertStatements([event], pg.escapeLiteral, true)));
    return;
  }
  // A named prepared statement: PostgreSQL parses and plans it once per connection.
  await db
    .insert(auditEvents)
    .values({
      clinicId: sql.placeholder('clinicId'),
      id: sql.placeholder('id'),
      at: sql.placeholder('at'),
      userId: sql.placeholder('userId'),
      actorRole: sql.placeholder('actorRole'),
      action: sql.placeholder('action'),
      resourceType: sql.placeholder('resourceType'),
      resourceId: sql.placeholder('resourceId'),
      requestId: sql.placeholder('requestId'),
      outcome: sql.placeholder('outcome'),
      details: sql.placeholder('details'),
      digest: sql.placeholder('digest'),
    })
    .prepare('rein_audit_insert')
    .execute(event);
}

/**
 * Records an event inside the caller's transaction, so it commits or rolls back with the record it
 * describes. It takes no lock: the event waits, unsealed, for the sealer to give it its place in the
 * clinic's chain (sealAuditChain). Its digest, written now, reveals an edit made before sealing.
 */
export async function appendAudit(db: Queryable, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  const fields = {
    clinicId: entry.clinicId,
    id: uuidv7(),
    at,
    userId: entry.userId,
    actorRole: entry.actorRole,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    requestId: entry.requestId ?? null,
    outcome: entry.outcome ?? 'success',
    details: entry.details ?? null,
  };
  let existsIn: string | null = null;
  if (entry.onlyIfResourceExists) {
    existsIn = RESOURCE_TABLES[entry.resourceType] ?? null;
    if (existsIn === null || fields.resourceId === null) {
      throw new Error(`appendAudit: no row to check for a ${entry.resourceType} event`);
    }
  }
  const event = { ...fields, digest: auditEventDigest(fields), existsIn };
  const held = deferred.get(db);
  if (held === 'committing') {
    throw new Error(
      'appendAudit: the transaction is already committing; record events before its last statement',
    );
  }
  if (held) held.push(event);
  else await insertAuditEvent(db, event);
}

/** Events sealed per statement; a clinic with more waiting is sealed in several batches. */
export const SEAL_BATCH = 1000;

const textArray = (values: Array<string | number>) => `{${values.join(',')}}`;

/**
 * Seals a clinic's committed, unsealed events onto the end of its chain, oldest first, and moves
 * the head. Runs in the caller's transaction (RLS-scoped to the clinic). The head row is the only
 * lock: two sealers extend the chain one at a time; requests never take it. With `skipLocked`, a
 * clinic another sealer is working on is left to it (returns 0). Chain order is sealing order: an
 * event whose transaction commits late is simply sealed in a later batch, so no committed event can
 * be skipped, and sequence gaps cannot occur (a deletion after sealing breaks the chain).
 */
export async function sealAuditChain(
  tx: Queryable,
  clinicId: string,
  opts: { skipLocked?: boolean; batch?: number } = {},
): Promise<number> {
  await flushDeferred(tx);
  await tx.insert(auditChainHeads).values({ clinicId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
  const head = tx.select().from(auditChainHeads).where(eq(auditChainHeads.clinicId, clinicId));
  const [locked] = opts.skipLocked
    ? await head.for('update', { skipLocked: true })
    : await head.for('update');
  if (!locked) return 0;
  const pending = await tx
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.clinicId, clinicId), isNull(auditEvents.hash), isNotNull(auditEvents.digest)))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id))
    .limit(opts.batch ?? SEAL_BATCH);
  if (pending.length === 0) return 0;
  let seq = locked.seq;
  let prevHash = locked.hash;
  const ids: string[] = [];
  const seqs: number[] = [];
  const prevHashes: string[] = [];
  const hashes: string[] = [];
  for (const e of pending) {
    seq++;
    const hash = auditEventHash({ ...e, seq, prevHash });
    ids.push(e.id);
    seqs.push(seq);
    prevHashes.push(prevHash);
    hashes.push(hash);
    prevHash = hash;
  }
  await tx.execute(sql`
    update audit_events e set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
    from unnest(${textArray(ids)}::uuid[], ${textArray(seqs)}::bigint[],
                ${textArray(prevHashes)}::text[], ${textArray(hashes)}::text[]) as v(id, seq, prev_hash, hash)
    where e.clinic_id = ${clinicId} and e.id = v.id and e.hash is null`);
  await tx.update(auditChainHeads).set({ seq, hash: prevHash }).where(eq(auditChainHeads.clinicId, clinicId));
  return pending.length;
}

/** Clinics with events waiting to be sealed (read as the connecting role, across clinics). */
async function clinicsWithUnsealed(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ clinicId: auditEvents.clinicId })
    .from(auditEvents)
    .where(and(isNull(auditEvents.hash), isNotNull(auditEvents.digest)));
  return rows.map((r) => r.clinicId);
}

/**
 * Seals every clinic's committed events (or one clinic's), batch after batch, until none is left
 * that was committed when its batch began. Safe to run beside requests and beside other sealers
 * (another process's `rein serve`, `rein audit seal`): each batch is one short transaction.
 */
export async function sealAudit(
  db: Db,
  opts: { clinicId?: string; batch?: number; skipLocked?: boolean } = {},
): Promise<{ sealed: number; clinics: number }> {
  const ids = opts.clinicId ? [opts.clinicId] : await clinicsWithUnsealed(db);
  const batch = opts.batch ?? SEAL_BATCH;
  let sealed = 0;
  let clinics = 0;
  for (const clinicId of ids) {
    let forClinic = 0;
    for (;;) {
      const n = await inClinic(db, clinicId, (tx) =>
        sealAuditChain(tx, clinicId, { batch, skipLocked: opts.skipLocked ?? false }),
      );
      forClinic += n;
      if (n < batch) break;
    }
    sealed += forClinic;
    if (forClinic > 0) clinics++;
  }
  return { sealed, clinics };
}

/**
 * Seals on a timer, in the serving process: the unsealed tail is what was written in the last
 * interval (plus any transaction still open). Runs never overlap; a failure is reported and retried
 * at the next tick, and nothing is lost meanwhile because the events are already committed.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Seals now (e.g. at start-up, what a crashed process left), then on every interval. */
  async start(): Promise<{ sealed: number; clinics: number }> {
    const first = await sealAudit(this.db);
    this.schedule();
    return first;
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = sealAudit(this.db, { skipLocked: true })
        .then(
          () => undefined,
          (err: unknown) => this.onError(err),
        )
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a batch in progress; seals once more when `finalSeal`. */
  async stop(opts: { finalSeal?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (opts.finalSeal) await sealAudit(this.db);
  }
}

export async function listAudit(
  db: Queryable,
  clinicId: string,
  opts: { resourceType?: string; resourceId?: string; limit?: number } = {},
) {
  await flushDeferred(db);
  const conditions = [eq(auditEvents.clinicId, clinicId)];
  if (opts.resourceType) conditions.push(eq(auditEvents.resourceType, opts.resourceType));
  if (opts.resourceId) conditions.push(eq(auditEvents.resourceId, opts.resourceId));
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(opts.limit ?? 100);
}

/** How many events of the clinic fall in the range (what an export of it would hold). */
export async function countAuditEvents(
  db: Queryable,
  clinicId: string,
  range: { from?: Date | undefined; to?: Date | undefined } = {},
): Promise<number> {
  await flushDeferred(db);
  const conditions: SQL[] = [eq(auditEvents.clinicId, clinicId)];
  if (range.from) conditions.push(gte(auditEvents.at, range.from));
  if (range.to) conditions.push(lt(auditEvents.at, range.to));
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(and(...conditions));
  return row?.n ?? 0;
}

/**
 * A clinic's events in chain order, optionally within [from, to), in pages (for exports): events
 * from before the chain existed, then the sealed chain by position, then the unsealed tail in the
 * order the sealer will take it.
 */
export async function* auditEventsInOrder(
  db: Queryable,
  clinicId: string,
  range: { from?: Date | undefined; to?: Date | undefined } = {},
  pageSize = 1000,
): AsyncGenerator<AuditEvent> {
  await flushDeferred(db);
  const conditions: SQL[] = [eq(auditEvents.clinicId, clinicId)];
  if (range.from) conditions.push(gte(auditEvents.at, range.from));
  if (range.to) conditions.push(lt(auditEvents.at, range.to));
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(
        sql`case when ${auditEvents.seq} is not null then 1 when ${auditEvents.digest} is null then 0 else 2 end`,
        sql`${auditEvents.seq} asc nulls first`,
        asc(auditEvents.at),
        asc(auditEvents.id),
      )
      .limit(pageSize)
      .offset(offset);
    yield* rows;
    if (rows.length < pageSize) return;
  }
}

export type AuditProblemKind = 'edited' | 'inserted' | 'deleted';

export interface AuditVerification {
  clinicId: string;
  ok: boolean;
  /** Sealed events whose hash was checked. */
  checked: number;
  /** Events written before the chain existed (no hash); they precede the chain and cannot be verified. */
  unchained: number;
  /** Committed events not sealed yet (their digests were checked); the sealer takes them next. */
  unsealed: number;
  /** When the oldest unsealed event was written: a tail much older than the sealer's interval means no sealer runs. */
  oldestUnsealedAt: Date | null;
  /** `seq` is the event's chain position, or 0 for an event not sealed yet. */
  problem: { kind: AuditProblemKind; seq: number; eventId: string | null; message: string } | null;
}

/**
 * Walks a clinic's chain and reports the first event that was edited (its hash or digest no longer
 * matches its fields), inserted (it does not follow from the event before it) or deleted (a gap in
 * the sequence, or a head that is ahead of the last event). Unsealed events are checked against the
 * digest written with them and counted.
 */
export async function verifyAuditChain(db: Queryable, clinicId: string): Promise<AuditVerification> {
  await flushDeferred(db);
  const result: AuditVerification = {
    clinicId,
    ok: true,
    checked: 0,
    unchained: 0,
    unsealed: 0,
    oldestUnsealedAt: null,
    problem: null,
  };
  const fail = (kind: AuditProblemKind, seq: number, eventId: string | null, message: string) => {
    result.ok = false;
    result.problem = { kind, seq, eventId, message };
    return result;
  };
  let expectedSeq = 1;
  let lastHash = GENESIS_HASH;
  let latestUnchained: AuditEvent | null = null;
  for await (const e of auditEventsInOrder(db, clinicId)) {
    if (e.digest !== null && auditEventDigest(e) !== e.digest) {
      return e.seq === null
        ? fail('edited', 0, e.id, `unsealed event ${e.id} was changed after it was written`)
        : fail('edited', e.seq, e.id, `event ${e.seq} (${e.id}) was changed after it was written`);
    }
    if (e.seq === null) {
      if (e.digest !== null) {
        result.unsealed++;
        if (result.oldestUnsealedAt === null || e.at < result.oldestUnsealedAt)
          result.oldestUnsealedAt = e.at;
        continue;
      }
      result.unchained++;
      if (latestUnchained === null || e.at > latestUnchained.at) latestUnchained = e;
      continue;
    }
    if (result.checked === 0 && latestUnchained !== null && latestUnchained.at > e.at) {
      // Events from before the chain must be older than its first event.
      return fail(
        'inserted',
        0,
        latestUnchained.id,
        `event ${latestUnchained.id} has no place in the chain (written after the chain began)`,
      );
    }
    if (e.seq > expectedSeq) {
      return fail(
        'deleted',
        expectedSeq,
        null,
        `event ${expectedSeq} is missing (the chain jumps to ${e.seq})`,
      );
    }
    const recomputed = auditEventHash({ ...e, seq: e.seq, prevHash: e.prevHash ?? '' });
    if (recomputed !== e.hash) {
      return fail('edited', e.seq, e.id, `event ${e.seq} (${e.id}) was changed after it was written`);
    }
    if (e.seq < expectedSeq || e.prevHash !== lastHash) {
      return fail(
        'inserted',
        e.seq,
        e.id,
        `event ${e.seq} (${e.id}) does not follow from event ${expectedSeq - 1}`,
      );
    }
    result.checked++;
    lastHash = e.hash!;
    expectedSeq++;
  }
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.clinicId, clinicId));
  const lastSeq = expectedSeq - 1;
  if (head && head.seq > lastSeq) {
    return fail(
      'deleted',
      lastSeq + 1,
      null,
      `events ${lastSeq + 1}–${head.seq} are missing from the end of the chain`,
    );
  }
  if (head && (head.seq < lastSeq || head.hash !== lastHash)) {
    return fail('inserted', head.seq + 1, null, `events after ${head.seq} were added outside Rein`);
  }
  return result;
}

/** The clinic's chain head (the last sealed event's seq and hash), or null before the first seal. */
export async function auditChainHead(
  db: Queryable,
  clinicId: string,
): Promise<{ seq: number; hash: string } | null> {
  const [head] = await db
    .select({ seq: auditChainHeads.seq, hash: auditChainHeads.hash })
    .from(auditChainHeads)
    .where(eq(auditChainHeads.clinicId, clinicId));
  return head ?? null;
}

/** The hash sealed at chain position `seq`, or null when no event holds it. */
export async function auditHashAt(db: Queryable, clinicId: string, seq: number): Promise<string | null> {
  await flushDeferred(db);
  const [row] = await db
    .select({ hash: auditEvents.hash })
    .from(auditEvents)
    .where(and(eq(auditEvents.clinicId, clinicId), eq(auditEvents.seq, seq)));
  return row?.hash ?? null;
}
