import { and, desc, eq } from 'drizzle-orm';
import { auditEvents } from './schema';
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

export async function appendAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    clinicId: entry.clinicId,
    userId: entry.userId,
    actorRole: entry.actorRole,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    requestId: entry.requestId ?? null,
    outcome: entry.outcome ?? 'success',
    details: entry.details ?? null,
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
