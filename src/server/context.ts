import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/open';
import type { Role } from '../store/schema';
import { appendAudit, type AuditEntry } from '../store/audit';
import type { Queryable } from '../store/tx';
import { unauthenticated } from './http-errors';
import type { Actor } from '../app/context';

export interface AuthContext {
  userId: string;
  clinicId: string;
  role: Role;
  email: string;
  name: string;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
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

/** Appends an audit event for the current request inside the caller's transaction. */
export function audit(
  db: Queryable,
  request: FastifyRequest,
  entry: Pick<AuditEntry, 'action' | 'resourceType'> & Partial<AuditEntry>,
): Promise<void> {
  const auth = request.auth;
  const clinicId = entry.clinicId ?? auth?.clinicId;
  if (!clinicId) throw new Error('audit: no clinic for this event');
  return appendAudit(db, {
    clinicId,
    userId: entry.userId ?? auth?.userId ?? null,
    actorRole: entry.actorRole ?? auth?.role ?? null,
    requestId: request.id,
    ...entry,
  });
}

/** The acting user of a request, for use cases in `src/app/`. */
export function actorOf(request: FastifyRequest): Actor {
  const auth = caller(request);
  return { clinicId: auth.clinicId, userId: auth.userId, role: auth.role, requestId: request.id };
}
