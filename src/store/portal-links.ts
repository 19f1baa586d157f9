/**
 * Self-report portal magic links. A link belongs to ONE patient; the random 256-bit
 * token is shown once to staff and only its SHA-256 is stored. Links expire (default 72 h), can be
 * revoked, and every use bumps a counter (the audit trail is written by the route).
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { clinics } from './schema';
import { ConflictError, NotFoundError } from './errors';
import { hashToken } from './login-sessions';
import { getPatient } from './patients';
import { portalLinks, type PortalLinkRow } from './schema-measurement';
import type { Queryable } from './tx';

export type PortalLink = PortalLinkRow;

/** At most this many links per patient per hour (a runaway button or script is refused with 429). */
export const PORTAL_LINKS_PER_PATIENT_PER_HOUR = 5;

export async function countRecentLinks(
  db: Queryable,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(portalLinks)
    .where(
      and(
        eq(portalLinks.clinicId, clinicId),
        eq(portalLinks.patientId, patientId),
        gt(portalLinks.createdAt, new Date(now.getTime() - 3600_000)),
      ),
    );
  return row?.n ?? 0;
}

export async function createPortalLink(
  db: Queryable,
  clinicId: string,
  patientId: string,
  createdBy: string,
  expiresInHours: number,
  now: Date,
): Promise<{ link: PortalLink; token: string }> {
  await getPatient(db, clinicId, patientId);
  const token = randomBytes(32).toString('base64url');
  const [link] = await db
    .insert(portalLinks)
    .values({
      clinicId,
      patientId,
      tokenHash: hashToken(token),
      createdBy,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInHours * 3600_000),
    })
    .returning();
  return { link: link!, token };
}

export async function listPortalLinks(db: Queryable, clinicId: string, patientId: string) {
  await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(portalLinks)
    .where(and(eq(portalLinks.clinicId, clinicId), eq(portalLinks.patientId, patientId)))
    .orderBy(desc(portalLinks.createdAt), desc(portalLinks.id));
}

export async function revokePortalLink(
  db: Queryable,
  clinicId: string,
  patientId: string,
  linkId: string,
  userId: string,
  now: Date,
): Promise<PortalLink> {
  const [row] = await db
    .update(portalLinks)
    .set({ revokedAt: now, revokedBy: userId })
    .where(
      and(
        eq(portalLinks.clinicId, clinicId),
        eq(portalLinks.patientId, patientId),
        eq(portalLinks.id, linkId),
        sql`${portalLinks.revokedAt} is null`,
      ),
    )
    .returning();
  if (row) return row;
  const [existing] = await db
    .select({ id: portalLinks.id })
    .from(portalLinks)
    .where(
      and(
        eq(portalLinks.clinicId, clinicId),
        eq(portalLinks.patientId, patientId),
        eq(portalLinks.id, linkId),
      ),
    );
  if (!existing) throw new NotFoundError('portal link');
  throw new ConflictError('link', 'this link is already revoked');
}

export type PortalLinkState = 'active' | 'expired' | 'revoked';

export function linkState(link: PortalLink, now: Date): PortalLinkState {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/**
 * Finds a link by its token (across clinics: the token is the credential, like a session cookie).
 * Returns null for an unknown token; the caller checks the state before using it.
 */
export async function findPortalLinkByToken(
  db: Queryable,
  token: string,
): Promise<{ link: PortalLink; clinicName: string } | null> {
  if (token.length < 20 || token.length > 100) return null;
  const [row] = await db
    .select({ link: portalLinks, clinicName: clinics.name })
    .from(portalLinks)
    .innerJoin(clinics, eq(clinics.id, portalLinks.clinicId))
    .where(eq(portalLinks.tokenHash, hashToken(token)));
  return row ?? null;
}

export async function markPortalLinkUsed(db: Queryable, link: PortalLink, now: Date): Promise<void> {
  await db
    .update(portalLinks)
    .set({ lastUsedAt: now, useCount: sql`${portalLinks.useCount} + 1` })
    .where(and(eq(portalLinks.clinicId, link.clinicId), eq(portalLinks.id, link.id)));
}
