/**
 * What every use case receives. A use case is `(ctx, input) → result`: it loads, decides with the
 * clinical core, appends, audits and refreshes derived facts, each step explicit, inside the one
 * clinic-scoped transaction its caller opened. HTTP routes, the CLI, importers, jobs and the demo
 * generator all call the same use cases, so none of them can drift from the others.
 */
import { appendAudit, type AuditEntry } from '../store/audit';
import { raceConflictOf } from '../store/locks';
import type { Db } from '../store/open';
import type { Role } from '../store/schema';
import { inClinic, type Queryable, type Tx } from '../store/tx';

/**
 * Who is acting. Staff and portal patients act through HTTP; the CLI, the demo generator and
 * background jobs act as `cli` or `system` with no user. The request id ties audit rows to a log line.
 */
export interface Actor {
  clinicId: string;
  userId: string | null;
  role: Role | 'cli' | 'system' | null;
  requestId: string | null;
  /**
   * The clinic's time zone and locale when the caller already holds them current (a signed-in
   * request's cached session, which a change to them drops); otherwise they are read in the use case.
   */
  clinicCalendar?: { timeZone: string; locale: string };
}

export interface UseCaseContext {
  /** The clinic-scoped transaction (row-level security applies). */
  tx: Tx;
  actor: Actor;
  /** The instant the use case runs at: every "now" and the clinic's "today" derive from it. */
  now: Date;
}

/** An actor for work that no person started (demo generation, jobs, imports run by the CLI). */
export function systemActor(clinicId: string, role: 'cli' | 'system' = 'cli'): Actor {
  return { clinicId, userId: null, role, requestId: null };
}

/**
 * Runs a use case in the actor's clinic, in one transaction: all of it commits or none of it. A
 * write that lost a race to a unique constraint (a stale version, a second check-in) is the
 * conflict (409) it would have been had it come second, never an unexplained failure.
 */
export async function inClinicAs<T>(
  db: Db,
  actor: Actor,
  now: Date,
  fn: (ctx: UseCaseContext) => Promise<T>,
): Promise<T> {
  try {
    return await inClinic(db, actor.clinicId, (tx) => fn({ tx, actor, now }));
  } catch (err) {
    throw raceConflictOf(err) ?? err;
  }
}

export type AuditFields = Pick<AuditEntry, 'action' | 'resourceType'> &
  Partial<Omit<AuditEntry, 'clinicId' | 'userId' | 'actorRole' | 'requestId'>>;

/**
 * Records an audit event for the acting user in the use case's transaction. The handle may be a
 * plain connection for the few events written outside a clinic transaction (login, refusals).
 */
export function recordAudit(ctx: { tx: Queryable; actor: Actor }, entry: AuditFields): Promise<void> {
  return appendAudit(ctx.tx, {
    clinicId: ctx.actor.clinicId,
    userId: ctx.actor.userId,
    actorRole: ctx.actor.role,
    requestId: ctx.actor.requestId,
    ...entry,
  });
}
