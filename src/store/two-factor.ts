/**
 * Persistence of two-factor sign-in: an account's authenticator secret, last accepted time step and
 * hashed recovery codes; half-done sign-ins (challenges); the clinic's required roles. Each check
 * that must hold once only (a time step, a recovery code) is one conditional UPDATE, so two
 * requests racing with the same code cannot both pass.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { StaffRole } from '../clinical/vocabulary/roles';
import { NotFoundError } from './errors';
import { clinics, loginChallenges, loginSessions, users } from './schema';
import type { Queryable } from './tx';

export const CHALLENGE_MINUTES = 5;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const hashRecoveryCode = sha256;

export async function getTwoFactorRequiredRoles(
  db: Queryable,
  clinicId: string,
): Promise<StaffRole[] | null> {
  const [row] = await db
    .select({ roles: clinics.twoFactorRequiredRoles })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  if (!row) throw new NotFoundError('clinic');
  return row.roles;
}

export async function setTwoFactorRequiredRoles(db: Queryable, clinicId: string, roles: StaffRole[]) {
  await db.update(clinics).set({ twoFactorRequiredRoles: roles }).where(eq(clinics.id, clinicId));
}

/** Starts (or restarts) enrolment with a new secret; refused once enrolment is confirmed. */
export async function setPendingSecret(db: Queryable, clinicId: string, userId: string, secret: string) {
  const rows = await db
    .update(users)
    .set({ twoFactorSecret: secret, twoFactorLastTimeStep: null, twoFactorRecoveryCodes: [] })
    .where(and(eq(users.clinicId, clinicId), eq(users.id, userId), isNull(users.twoFactorEnabledAt)))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Confirms enrolment: the secret is in force, the confirming code's step is used. */
export async function confirmTwoFactor(
  db: Queryable,
  input: { clinicId: string; userId: string; timeStep: number; recoveryCodeHashes: string[]; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({
      twoFactorEnabledAt: input.now,
      twoFactorLastTimeStep: input.timeStep,
      twoFactorRecoveryCodes: input.recoveryCodeHashes,
    })
    .where(
      and(eq(users.clinicId, input.clinicId), eq(users.id, input.userId), isNull(users.twoFactorEnabledAt)),
    )
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Records a time step as used if it is later than the last one; false when it was used already. */
export async function useTimeStep(db: Queryable, clinicId: string, userId: string, timeStep: number) {
  const rows = await db
    .update(users)
    .set({ twoFactorLastTimeStep: timeStep })
    .where(
      and(
        eq(users.clinicId, clinicId),
        eq(users.id, userId),
        or(isNull(users.twoFactorLastTimeStep), lt(users.twoFactorLastTimeStep, timeStep)),
      ),
    )
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Removes an unused recovery code; returns how many remain, or null when it was not unused. */
export async function useRecoveryCode(
  db: Queryable,
  clinicId: string,
  userId: string,
  codeHash: string,
): Promise<number | null> {
  const rows = await db
    .update(users)
    .set({ twoFactorRecoveryCodes: sql`${users.twoFactorRecoveryCodes} - ${codeHash}::text` })
    .where(
      and(
        eq(users.clinicId, clinicId),
        eq(users.id, userId),
        sql`${users.twoFactorRecoveryCodes} @> jsonb_build_array(${codeHash}::text)`,
      ),
    )
    .returning({ codes: users.twoFactorRecoveryCodes });
  return rows[0] ? rows[0].codes.length : null;
}

/** Removes the account's authenticator and recovery codes and any half-done sign-in. */
export async function clearTwoFactor(db: Queryable, clinicId: string, userId: string) {
  const rows = await db
    .update(users)
    .set({
      twoFactorSecret: null,
      twoFactorEnabledAt: null,
      twoFactorLastTimeStep: null,
      twoFactorRecoveryCodes: [],
    })
    .where(and(eq(users.clinicId, clinicId), eq(users.id, userId)))
    .returning({ id: users.id });
  if (rows.length === 0) throw new NotFoundError('user');
  await db
    .delete(loginChallenges)
    .where(and(eq(loginChallenges.clinicId, clinicId), eq(loginChallenges.userId, userId)));
}

/** The user's sessions may now do everything their role allows. */
export async function clearEnrolmentPending(db: Queryable, clinicId: string, userId: string) {
  await db
    .update(loginSessions)
    .set({ twoFactorEnrolmentPending: false })
    .where(and(eq(loginSessions.clinicId, clinicId), eq(loginSessions.userId, userId)));
}

export async function createChallenge(db: Queryable, clinicId: string, userId: string, now: Date) {
  const token = randomBytes(32).toString('base64url');
  await db.insert(loginChallenges).values({
    clinicId,
    userId,
    tokenHash: sha256(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
  });
  return token;
}

export async function findChallenge(db: Queryable, token: string, now: Date) {
  const [row] = await db
    .select()
    .from(loginChallenges)
    .where(and(eq(loginChallenges.tokenHash, sha256(token)), gt(loginChallenges.expiresAt, now)));
  return row ?? null;
}

/** Counts a wrong code; the challenge is dropped at `limit`, so the password must be entered again. */
export async function failChallenge(
  db: Queryable,
  challenge: { clinicId: string; id: string },
  limit: number,
) {
  const where = and(eq(loginChallenges.clinicId, challenge.clinicId), eq(loginChallenges.id, challenge.id));
  const [row] = await db
    .update(loginChallenges)
    .set({ failures: sql`${loginChallenges.failures} + 1` })
    .where(where)
    .returning({ failures: loginChallenges.failures });
  if (row && row.failures >= limit) await db.delete(loginChallenges).where(where);
}

/** Ends a challenge; true when this call ended it (a second request with the same token gets false). */
export async function deleteChallenge(db: Queryable, challenge: { clinicId: string; id: string }) {
  const rows = await db
    .delete(loginChallenges)
    .where(and(eq(loginChallenges.clinicId, challenge.clinicId), eq(loginChallenges.id, challenge.id)))
    .returning({ id: loginChallenges.id });
  return rows.length === 1;
}
