/**
 * Persistence of Idempotency-Keys: claim a key for a request, keep the answer it got, read it back.
 * The use case (src/app/idempotency.ts) decides what a repeat gets.
 */
import { and, eq, lt } from 'drizzle-orm';
import { idempotencyKeys } from './schema';
import type { Queryable } from './tx';

export interface IdempotencyScope {
  clinicId: string;
  /** `user:<id>` or `portal-link:<id>`: a key means something only to the one who sent it. */
  actor: string;
  key: string;
}

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

const whereKey = (s: IdempotencyScope) =>
  and(
    eq(idempotencyKeys.clinicId, s.clinicId),
    eq(idempotencyKeys.actor, s.actor),
    eq(idempotencyKeys.key, s.key),
  );

/** Forgets the actor's keys created before `before`. */
export async function forgetIdempotencyKeys(
  db: Queryable,
  scope: Omit<IdempotencyScope, 'key'>,
  before: Date,
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.clinicId, scope.clinicId),
        eq(idempotencyKeys.actor, scope.actor),
        lt(idempotencyKeys.createdAt, before),
      ),
    );
}

/**
 * Claims the key for this request. True when this request is the first to use it; false when the
 * key is already taken. On PostgreSQL a claim racing an uncommitted one waits for it to end, so a
 * false means the first request committed and its record can be read.
 */
export async function claimIdempotencyKey(
  db: Queryable,
  scope: IdempotencyScope,
  request: { operation: string; requestHash: string },
  now: Date,
): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ ...scope, ...request, response: null, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

export async function saveIdempotentResponse(
  db: Queryable,
  scope: IdempotencyScope,
  response: unknown,
): Promise<void> {
  await db.update(idempotencyKeys).set({ response }).where(whereKey(scope));
}

export async function getIdempotencyRecord(
  db: Queryable,
  scope: IdempotencyScope,
): Promise<IdempotencyRecord | null> {
  const [row] = await db.select().from(idempotencyKeys).where(whereKey(scope));
  return row ?? null;
}
