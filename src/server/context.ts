import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/open';
import type { Role } from '../store/schema';
import type { AuditEntry } from '../store/audit';
import type { Queryable } from '../store/tx';
import { unauthenticated } from './http-errors';
import { recordAudit, type Actor } from '../app/context';

export interface AuthContext {
  userId: string;
  clinicId: string;
  role: Role;
  /** Holds the clinical-lead sign-off (clinic session settings). */
  clinicalLead: boolean;
  email: string;
  name: string;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  /** Signed in with a password only; the clinic requires an authenticator the user has not set up. */
  twoFactorEnrolmentPending: boolean;
  /** The clinic's time zone and locale, current: a change to them drops the cached session. */
  clinicCalendar: { timeZone: string; locale: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    store: Store;
    /** The clock, injectable for tests. */
    now(): Date;
  }
}

/** The caller of an authenticated route (the access hook has already guaranteed there is one). */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}

/**
 * Appends an audit event for the current request inside the caller's transaction: a thin wrapper
 * over `recordAudit` for routes that do not call a use case yet. The entry may name the clinic,
 * user or role itself (the login route audits before a session exists).
 */
export function audit(
  db: Queryable,
  request: FastifyRequest,
  entry: Pick<AuditEntry, 'action' | 'resourceType'> & Partial<AuditEntry>,
): Promise<void> {
  const auth = request.auth;
  const { clinicId: entryClinicId, userId, actorRole, requestId, ...fields } = entry;
  const clinicId = entryClinicId ?? auth?.clinicId;
  if (!clinicId) throw new Error('audit: no clinic for this event');
  // A field the entry names (even as null) wins over the session's, as it always has.
  const actor: Actor = {
    clinicId,
    userId: 'userId' in entry ? (userId ?? null) : (auth?.userId ?? null),
    role: ('actorRole' in entry ? (actorRole ?? null) : (auth?.role ?? null)) as Actor['role'],
    requestId: 'requestId' in entry ? (requestId ?? null) : request.id,
  };
  return recordAudit({ tx: db, actor }, fields);
}

/** The acting user of a request, for use cases in `src/app/`. */
export function actorOf(request: FastifyRequest): Actor {
  const auth = caller(request);
  return {
    clinicId: auth.clinicId,
    userId: auth.userId,
    role: auth.role,
    requestId: request.id,
    clinicCalendar: auth.clinicCalendar,
  };
}
