import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { clinics, loginSessions, users } from './schema';
import type { Queryable } from './tx';
import type { UserRow } from './users';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a fresh session (a new token at every login prevents session fixation). */
export async function createLoginSession(
  db: Queryable,
  user: Pick<UserRow, 'clinicId' | 'id'>,
  now: Date,
  opts: { twoFactorEnrolmentPending?: boolean } = {},
) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.insert(loginSessions).values({
    clinicId: user.clinicId,
    userId: user.id,
    tokenHash: hashToken(token),
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3600_000),
    twoFactorEnrolmentPending: opts.twoFactorEnrolmentPending ?? false,
  });
  return { token, csrfToken };
}

/**
 * Resolves a cookie token to its live session and user, sliding the idle timeout. The user's
 * clinic's time zone and locale come with it: every request reads the clinic's "today" from them.
 */
export async function resolveLoginSession(db: Queryable, token: string, now: Date) {
  const [row] = await db
    .select({
      session: loginSessions,
      user: users,
      clinicCalendar: { timeZone: clinics.timeZone, locale: clinics.locale },
    })
    .from(loginSessions)
    .innerJoin(users, and(eq(users.clinicId, loginSessions.clinicId), eq(users.id, loginSessions.userId)))
    .innerJoin(clinics, eq(clinics.id, loginSessions.clinicId))
    .where(
      and(
        eq(loginSessions.tokenHash, sql.placeholder('tokenHash')),
        isNull(loginSessions.revokedAt),
        gt(loginSessions.expiresAt, sql.placeholder('now')),
      ),
    )
    .prepare('rein_login_session_by_token')
    .execute({ tokenHash: hashToken(token), now: now.toISOString() });
  if (!row) return null;
  if (row.user.disabled) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > SESSION_IDLE_MINUTES * 60_000) return null;
  // Write the sliding timestamp at most once a minute.
  if (now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await db
      .update(loginSessions)
      .set({ lastSeenAt: now })
      .where(and(eq(loginSessions.clinicId, row.session.clinicId), eq(loginSessions.id, row.session.id)));
  }
  return row;
}

export async function revokeLoginSession(db: Queryable, clinicId: string, sessionId: string, now: Date) {
  await db
    .update(loginSessions)
    .set({ revokedAt: now })
    .where(and(eq(loginSessions.clinicId, clinicId), eq(loginSessions.id, sessionId)));
}

/** Revokes every session of a user (password change, disabling), optionally keeping one. */
export async function revokeUserSessions(
  db: Queryable,
  clinicId: string,
  userId: string,
  now: Date,
  exceptSessionId?: string,
) {
  const conditions = [
    eq(loginSessions.clinicId, clinicId),
    eq(loginSessions.userId, userId),
    isNull(loginSessions.revokedAt),
  ];
  if (exceptSessionId) conditions.push(ne(loginSessions.id, exceptSessionId));
  await db
    .update(loginSessions)
    .set({ revokedAt: now })
    .where(and(...conditions));
}
