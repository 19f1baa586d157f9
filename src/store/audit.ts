import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { auditChainHeads, auditEvents } from './schema';
import type { Queryable } from './tx';

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

/**
 * Appends an event to its clinic's chain. The clinic's chain head is locked (FOR UPDATE) inside a
 * (sub)transaction, so concurrent requests extend the chain one at a time and the lock is held until
 * the caller's transaction commits — the event commits or rolls back with the record it describes.
 */
export async function appendAudit(db: Queryable, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(auditChainHeads)
      .values({ clinicId: entry.clinicId, seq: 0, hash: GENESIS_HASH })
      .onConflictDoNothing();
    const [head] = await tx
      .select()
      .from(auditChainHeads)
      .where(eq(auditChainHeads.clinicId, entry.clinicId))
      .for('update');
    const event: ChainedFields = {
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
      seq: head!.seq + 1,
      prevHash: head!.hash,
    };
    const hash = auditEventHash(event);
    await tx.insert(auditEvents).values({ ...event, hash });
    await tx
      .update(auditChainHeads)
      .set({ seq: event.seq, hash })
      .where(eq(auditChainHeads.clinicId, entry.clinicId));
  });
}

export async function listAudit(
  db: Queryable,
  clinicId: string,
  opts: { resourceType?: string; resourceId?: string; limit?: number } = {},
) {
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

/** A clinic's events in chain order, optionally within [from, to), in pages (for exports). */
export async function* auditEventsInOrder(
  db: Queryable,
  clinicId: string,
  range: { from?: Date | undefined; to?: Date | undefined } = {},
  pageSize = 1000,
): AsyncGenerator<AuditEvent> {
  const conditions: SQL[] = [eq(auditEvents.clinicId, clinicId)];
  if (range.from) conditions.push(gte(auditEvents.at, range.from));
  if (range.to) conditions.push(lt(auditEvents.at, range.to));
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(sql`${auditEvents.seq} asc nulls first`, asc(auditEvents.at), asc(auditEvents.id))
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
  /** Events whose hash was checked. */
  checked: number;
  /** Events written before the chain existed (no hash); they precede the chain and cannot be verified. */
  unchained: number;
  problem: { kind: AuditProblemKind; seq: number; eventId: string | null; message: string } | null;
}

/**
 * Walks a clinic's chain and reports the first event that was edited (its hash no longer matches
 * its fields), inserted (it does not follow from the event before it) or deleted (a gap in the
 * sequence, or a head that is ahead of the last event).
 */
export async function verifyAuditChain(db: Queryable, clinicId: string): Promise<AuditVerification> {
  const result: AuditVerification = { clinicId, ok: true, checked: 0, unchained: 0, problem: null };
  const fail = (kind: AuditProblemKind, seq: number, eventId: string | null, message: string) => {
    result.ok = false;
    result.problem = { kind, seq, eventId, message };
    return result;
  };
  let expectedSeq = 1;
  let lastHash = GENESIS_HASH;
  for await (const e of auditEventsInOrder(db, clinicId)) {
    if (e.seq === null) {
      if (result.checked > 0)
        return fail('inserted', expectedSeq, e.id, `event ${e.id} has no place in the chain`);
      result.unchained++;
      continue;
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
