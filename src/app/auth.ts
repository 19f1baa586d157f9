/**
 * Logging in and out, the current user, changing one's own password, and the login-session cache
 * the auth hook resolves cookies with. Login runs before there is an actor, so it audits with the
 * account it found.
 */
import { appendAudit } from '../store/audit';
import { LoginSessionCache } from '../store/login-cache';
import { createLoginSession, revokeLoginSession, revokeUserSessions } from '../store/login-sessions';
import type { Db, Store } from '../store/open';
import { decoyPasswordHash, verifyPassword } from '../store/passwords';
import { inClinic } from '../store/tx';
import { secondFactorStep, securitySettingsOf } from '../clinical/sign-in';
import { createChallenge, getTwoFactorRequiredRoles } from '../store/two-factor';
import {
  clearFailedLogins,
  findUserByEmail,
  getUserRow,
  recordFailedLogin,
  setPassword,
  throttledUntil,
  throttleKeys,
  toUser,
  type User,
} from '../store/users';
import { type Actor, inClinicAs, recordAudit, type UseCaseContext } from './context';

export { LoginSessionCache };

/** The cache of live login sessions, fed by the database's auth-change notifications. */
export function loginSessionCache(store: Store): LoginSessionCache {
  return new LoginSessionCache(store);
}

export type LoginResult =
  | { kind: 'ok'; user: User; token: string; csrfToken: string; twoFactorEnrolmentPending: boolean }
  /** The password was right; the sign-in waits for an authenticator code (no session yet). */
  | { kind: 'second-factor'; challengeToken: string }
  | { kind: 'locked'; retryAfterSeconds: number }
  | { kind: 'invalid' };

/**
 * Checks an email and password. Known and unknown emails take the same path and the same answers:
 * a lock-out is counted per email and client address, so neither the result nor the work done tells
 * whether an account exists, and nobody elsewhere can lock a clinician out. An account with an
 * authenticator then needs its code (app/two-factor.ts) before a session exists; one the clinic
 * requires to have one and that has none gets a session that may only set it up.
 * `twoFactorRequired` is the deployment's switch (REIN_TWO_FACTOR_REQUIRED).
 */
export async function login(
  db: Db,
  input: {
    email: string;
    password: string;
    clientAddress: string;
    requestId: string;
    now: Date;
    twoFactorRequired: boolean;
  },
): Promise<LoginResult> {
  const { email, password, now } = input;
  const keys = throttleKeys(email, input.clientAddress);
  const lockedUntil = await throttledUntil(db, keys.subjectHash, now);
  const row = await findUserByEmail(db, email);
  const auditAttempt = (outcome: 'success' | 'denied', reason?: string) =>
    row
      ? appendAudit(db, {
          clinicId: row.clinicId,
          userId: row.id,
          actorRole: row.role,
          requestId: input.requestId,
          action: 'auth.login',
          resourceType: 'user',
          resourceId: row.id,
          outcome,
          ...(reason ? { details: { reason } } : {}),
        })
      : Promise.resolve();
  if (lockedUntil) {
    await auditAttempt('denied', 'locked');
    return { kind: 'locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  const ok = row
    ? await verifyPassword(row.passwordHash, password)
    : // Same work as a real check, so response time does not reveal whether the email exists.
      await verifyPassword(await decoyPasswordHash(), password).then(() => false);
  if (!row || !ok || row.disabled) {
    if (!ok) await recordFailedLogin(db, keys, now);
    await auditAttempt('denied', ok ? 'disabled' : 'bad_password');
    return { kind: 'invalid' };
  }
  await clearFailedLogins(db, keys.subjectHash);
  const step = secondFactorStep({
    role: row.role,
    requiredRoles: securitySettingsOf(await getTwoFactorRequiredRoles(db, row.clinicId))
      .twoFactorRequiredRoles,
    requirementOn: input.twoFactorRequired,
    enrolled: row.twoFactorEnabledAt !== null,
  });
  if (step === 'code') {
    const challengeToken = await inClinic(db, row.clinicId, (tx) =>
      createChallenge(tx, row.clinicId, row.id, now),
    );
    return { kind: 'second-factor', challengeToken };
  }
  const twoFactorEnrolmentPending = step === 'enrol';
  const session = await inClinic(db, row.clinicId, async (tx) => {
    const created = await createLoginSession(tx, row, now, { twoFactorEnrolmentPending });
    await appendAudit(tx, {
      clinicId: row.clinicId,
      userId: row.id,
      actorRole: row.role,
      requestId: input.requestId,
      action: 'auth.login',
      resourceType: 'user',
      resourceId: row.id,
      ...(twoFactorEnrolmentPending ? { details: { twoFactorEnrolmentPending } } : {}),
    });
    return created;
  });
  return { kind: 'ok', user: toUser(row), ...session, twoFactorEnrolmentPending };
}

/** Ends the caller's login session. */
export async function logout(ctx: UseCaseContext, input: { sessionId: string }): Promise<void> {
  await revokeLoginSession(ctx.tx, ctx.actor.clinicId, input.sessionId, ctx.now);
  await recordAudit(ctx, { action: 'auth.logout', resourceType: 'user', resourceId: ctx.actor.userId });
}

/** The acting user's account. */
export async function currentUser(db: Db, actor: Actor): Promise<User> {
  return toUser(await getUserRow(db, actor.clinicId, userIdOf(actor)));
}

export type PasswordChangeResult =
  { kind: 'ok'; user: User } | { kind: 'wrong-current-password' } | { kind: 'unchanged' };

/** Changes one's own password; the user's other sessions end (whoever knew the old one is out). */
export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  now: Date,
  input: { sessionId: string; currentPassword: string; newPassword: string },
): Promise<PasswordChangeResult> {
  const userId = userIdOf(actor);
  const row = await getUserRow(db, actor.clinicId, userId);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword)))
    return { kind: 'wrong-current-password' };
  if (input.currentPassword === input.newPassword) return { kind: 'unchanged' };
  const updated = await inClinicAs(db, actor, now, async (ctx) => {
    await setPassword(ctx.tx, actor.clinicId, userId, input.newPassword, { mustChangePassword: false });
    await revokeUserSessions(ctx.tx, actor.clinicId, userId, now, input.sessionId);
    await recordAudit(ctx, { action: 'auth.password_change', resourceType: 'user', resourceId: userId });
    return getUserRow(ctx.tx, actor.clinicId, userId);
  });
  return { kind: 'ok', user: toUser(updated) };
}

function userIdOf(actor: Actor): string {
  if (actor.userId === null) throw new Error('this use case needs a signed-in user');
  return actor.userId;
}
