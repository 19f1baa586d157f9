/**
 * Idempotent submissions. A client sends an Idempotency-Key with a submission (a new key per form
 * it shows, the same key on every retry of that form). The first request with the key runs and
 * its answer is kept; a repeat of the same request with the same key gets that answer again and
 * stores nothing; the same key with a different request is refused (409). Keys belong to the
 * clinic and the actor that sent them and are forgotten after IDEMPOTENCY_KEY_HOURS.
 *
 * The first request claims the key before it writes anything, in its own transaction: a repeat
 * arriving meanwhile waits for it to commit (PostgreSQL) and then reads its answer, and if the
 * first request fails, nothing was kept and the repeat runs as if it were first.
 */
import { createHash } from 'node:crypto';
import { ConflictError } from '../store/errors';
import {
  claimIdempotencyKey,
  forgetIdempotencyKeys,
  getIdempotencyRecord,
  saveIdempotentResponse,
} from '../store/idempotency';
import { recordAudit, type AuditFields, type UseCaseContext } from './context';

/** How long a key is remembered: long enough for any retry of a form, short enough to keep little. */
export const IDEMPOTENCY_KEY_HOURS = 24;

export interface IdempotentRequest {
  /** The client's key; without one the request simply runs. */
  key: string | undefined;
  /** Who sent it, when it is not the acting user (the portal link a patient acts through). */
  actor?: string;
  /** What the request does, e.g. `assessment.record`. */
  operation: string;
  /** Everything that makes the request what it is (its target and its body). */
  request: unknown;
}

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Runs `run` once per key. `run` must return a JSON value (what the client is answered with),
 * since a repeat gets the stored copy. A repeat's read of the stored answer is audited as
 * `replayAudit`.
 */
export async function oncePerKey<T>(
  ctx: UseCaseContext,
  req: IdempotentRequest,
  run: () => Promise<T>,
  replayAudit: AuditFields,
): Promise<T> {
  const actor = req.actor ?? (ctx.actor.userId ? `user:${ctx.actor.userId}` : null);
  if (req.key === undefined || actor === null) return run();
  const scope = { clinicId: ctx.actor.clinicId, actor, key: req.key };
  const requestHash = createHash('sha256')
    .update(canonical({ operation: req.operation, request: req.request }))
    .digest('hex');
  await forgetIdempotencyKeys(
    ctx.tx,
    { clinicId: scope.clinicId, actor },
    new Date(ctx.now.getTime() - IDEMPOTENCY_KEY_HOURS * 3600_000),
  );
  if (await claimIdempotencyKey(ctx.tx, scope, { operation: req.operation, requestHash }, ctx.now)) {
    const response = await run();
    await saveIdempotentResponse(ctx.tx, scope, response);
    return response;
  }
  const first = await getIdempotencyRecord(ctx.tx, scope);
  if (!first || first.response === null) {
    throw new ConflictError('Idempotency-Key', 'a request with this key is still being saved; try again');
  }
  if (first.operation !== req.operation || first.requestHash !== requestHash) {
    throw new ConflictError(
      'Idempotency-Key',
      'this Idempotency-Key was already used for a different request; send a new key with a new submission',
    );
  }
  await recordAudit(ctx, { ...replayAudit, details: { ...replayAudit.details, replayOf: req.operation } });
  return first.response as T;
}
