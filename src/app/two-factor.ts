/**
 * Two-factor sign-in with an authenticator app (TOTP, RFC 6238, through otplib): setting it up,
 * the code step of a sign-in, recovery codes, an admin's reset and the clinic's required roles.
 * The rules (who must, what a sign-in asks for) are the core's (clinical/sign-in.ts).
 */
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import {
  formatRecoveryCode,
  RECOVERY_CODE_COUNT,
  securitySettingsOf,
  TOTP_TOLERANCE_SECONDS,
  type SecuritySettings,
} from '../clinical/sign-in';
import { appendAudit } from '../store/audit';
import { ConflictError } from '../store/errors';
import { createLoginSession, revokeUserSessions } from '../store/login-sessions';
import type { Db } from '../store/open';
import { inClinic } from '../store/tx';
import {
  clearEnrolmentPending,
  clearTwoFactor,
  confirmTwoFactor,
  deleteChallenge,
  failChallenge,
  findChallenge,
  getTwoFactorRequiredRoles,
  hashRecoveryCode,
  setPendingSecret,
  setTwoFactorRequiredRoles,
  useRecoveryCode,
  useTimeStep,
} from '../store/two-factor';
import {
  clearFailedLogins,
  findUserByEmail,
  getClinic,
  getUserRow,
  recordFailedLogin,
  throttledUntil,
  throttleKeys,
  toUser,
  type User,
} from '../store/users';
import { type Actor, inClinicAs, recordAudit, systemActor, type UseCaseContext } from './context';

/** Wrong codes one half-done sign-in takes before the password must be entered again. */
const CHALLENGE_ATTEMPTS = 5;
const ISSUER = 'Rein';

/** The time step a code belongs to if it is right for this secret at `now` (within the tolerance). */
async function checkCode(secret: string, code: string, now: Date): Promise<number | null> {
  // otplib throws on a token that is not six digits; the routes refuse those first.
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from(randomBytes(10), (b) => alphabet[b % 32]).join(''),
  );
}

function userIdOf(actor: Actor): string {
  if (actor.userId === null) throw new Error('this use case needs a signed-in user');
  return actor.userId;
}

export interface EnrolmentStart {
  /** Base32, for typing into the app by hand; shown this once. */
  secret: string;
  otpauthUri: string;
  /** The same URI as a QR code (PNG data URL) for the app to scan. */
  qrDataUrl: string;
}

/** Starts setting up an authenticator app for oneself: a new secret, until a code confirms it. */
export async function startTwoFactorEnrolment(ctx: UseCaseContext): Promise<EnrolmentStart> {
  const userId = userIdOf(ctx.actor);
  const user = await getUserRow(ctx.tx, ctx.actor.clinicId, userId);
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const secret = generateSecret();
  if (!(await setPendingSecret(ctx.tx, ctx.actor.clinicId, userId, secret))) {
    throw new ConflictError(
      'twoFactor',
      'two-factor sign-in is already set up; an admin can reset it if you lost your phone',
    );
  }
  await recordAudit(ctx, { action: 'auth.two_factor_enrol', resourceType: 'user', resourceId: userId });
  const otpauthUri = generateURI({ issuer: `${ISSUER} (${clinic.name})`, label: user.email, secret });
  return { secret, otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }) };
}

export type EnrolmentConfirmResult = { kind: 'ok'; recoveryCodes: string[] } | { kind: 'wrong-code' };

/**
 * Confirms the authenticator with a code from it. From now on every sign-in asks for a code; the
 * recovery codes returned are shown once and stored only hashed.
 */
export async function confirmTwoFactorEnrolment(
  ctx: UseCaseContext,
  input: { code: string },
): Promise<EnrolmentConfirmResult> {
  const userId = userIdOf(ctx.actor);
  const user = await getUserRow(ctx.tx, ctx.actor.clinicId, userId);
  if (user.twoFactorEnabledAt) throw new ConflictError('twoFactor', 'two-factor sign-in is already set up');
  if (!user.twoFactorSecret)
    throw new ConflictError('twoFactor', 'start setting up two-factor sign-in first');
  const timeStep = await checkCode(user.twoFactorSecret, input.code, ctx.now);
  if (timeStep === null) return { kind: 'wrong-code' };
  const codes = newRecoveryCodes();
  const confirmed = await confirmTwoFactor(ctx.tx, {
    clinicId: ctx.actor.clinicId,
    userId,
    timeStep,
    recoveryCodeHashes: codes.map(hashRecoveryCode),
    now: ctx.now,
  });
  if (!confirmed) throw new ConflictError('twoFactor', 'two-factor sign-in is already set up');
  await clearEnrolmentPending(ctx.tx, ctx.actor.clinicId, userId);
  await recordAudit(ctx, { action: 'auth.two_factor_confirm', resourceType: 'user', resourceId: userId });
  return { kind: 'ok', recoveryCodes: codes.map(formatRecoveryCode) };
}

/** Audits a wrong confirmation code (in its own transaction: the refusal writes nothing else). */
export async function auditWrongEnrolmentCode(db: Db, actor: Actor, now: Date): Promise<void> {
  await inClinicAs(db, actor, now, (ctx) =>
    recordAudit(ctx, {
      action: 'auth.two_factor_confirm',
      resourceType: 'user',
      resourceId: userIdOf(actor),
      outcome: 'denied',
      details: { reason: 'wrong_code' },
    }),
  );
}

export type SecondFactorResult =
  | { kind: 'ok'; user: User; token: string; csrfToken: string }
  | { kind: 'expired' }
  | { kind: 'locked'; retryAfterSeconds: number }
  | { kind: 'wrong-code'; reason: 'wrong_code' | 'replayed' | 'unknown_recovery_code' };

/**
 * The code step of a sign-in: an authenticator code, or one recovery code instead. Only now is the
 * login session created. Wrong codes count against the same lock-out as wrong passwords (per email
 * and client address); a code is accepted once — a second use in its window is refused.
 */
export async function completeSecondFactor(
  db: Db,
  input: {
    challengeToken: string;
    code?: string | undefined;
    recoveryCode?: string | undefined;
    clientAddress: string;
    requestId: string;
    now: Date;
  },
): Promise<SecondFactorResult> {
  const { now } = input;
  const challenge = await findChallenge(db, input.challengeToken, now);
  if (!challenge) return { kind: 'expired' };
  const user = await getUserRow(db, challenge.clinicId, challenge.userId);
  if (user.disabled || !user.twoFactorEnabledAt || !user.twoFactorSecret) {
    await deleteChallenge(db, challenge);
    return { kind: 'expired' };
  }
  const keys = throttleKeys(user.email, input.clientAddress);
  const audit = (action: string, outcome: 'success' | 'denied', details?: Record<string, unknown>) =>
    appendAudit(db, {
      clinicId: user.clinicId,
      userId: user.id,
      actorRole: user.role,
      requestId: input.requestId,
      action,
      resourceType: 'user',
      resourceId: user.id,
      outcome,
      ...(details ? { details } : {}),
    });
  const lockedUntil = await throttledUntil(db, keys.subjectHash, now);
  if (lockedUntil) {
    await audit('auth.two_factor_code', 'denied', { reason: 'locked' });
    return { kind: 'locked', retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  const refuse = async (reason: 'wrong_code' | 'replayed' | 'unknown_recovery_code') => {
    await recordFailedLogin(db, keys, now);
    await failChallenge(db, challenge, CHALLENGE_ATTEMPTS);
    await audit('auth.two_factor_code', 'denied', { reason });
    return { kind: 'wrong-code' as const, reason };
  };

  let method: 'code' | 'recovery_code';
  let recoveryCodesLeft: number | null = null;
  if (input.recoveryCode !== undefined) {
    method = 'recovery_code';
    recoveryCodesLeft = await useRecoveryCode(
      db,
      user.clinicId,
      user.id,
      hashRecoveryCode(input.recoveryCode),
    );
    if (recoveryCodesLeft === null) return refuse('unknown_recovery_code');
  } else {
    method = 'code';
    const timeStep = await checkCode(user.twoFactorSecret, input.code ?? '', now);
    if (timeStep === null) return refuse('wrong_code');
    if (!(await useTimeStep(db, user.clinicId, user.id, timeStep))) return refuse('replayed');
  }
  // A second request racing with the same challenge gets no second session.
  if (!(await deleteChallenge(db, challenge))) return { kind: 'expired' };
  await clearFailedLogins(db, keys.subjectHash);
  const session = await inClinic(db, user.clinicId, async (tx) => {
    const created = await createLoginSession(tx, user, now);
    const entry = {
      clinicId: user.clinicId,
      userId: user.id,
      actorRole: user.role,
      requestId: input.requestId,
      resourceType: 'user',
      resourceId: user.id,
    };
    if (method === 'recovery_code') {
      await appendAudit(tx, {
        ...entry,
        action: 'auth.two_factor_recovery_code_used',
        details: { recoveryCodesLeft },
      });
    }
    await appendAudit(tx, { ...entry, action: 'auth.login', details: { secondFactor: method } });
    return created;
  });
  return { kind: 'ok', user: toUser(user), ...session };
}

/**
 * An admin removes a user's authenticator (a lost phone): the user's sessions end and the next
 * sign-in sets it up again where the clinic requires it.
 */
export async function resetTwoFactor(ctx: UseCaseContext, input: { userId: string }): Promise<void> {
  const user = await getUserRow(ctx.tx, ctx.actor.clinicId, input.userId);
  await clearTwoFactor(ctx.tx, ctx.actor.clinicId, input.userId);
  await revokeUserSessions(ctx.tx, ctx.actor.clinicId, input.userId, ctx.now);
  await recordAudit(ctx, {
    action: 'user.reset_two_factor',
    resourceType: 'user',
    resourceId: input.userId,
    details: { wasEnrolled: user.twoFactorEnabledAt !== null },
  });
}

/** `rein user reset-two-factor`: the same reset by the database's operator, by email. */
export async function resetTwoFactorFromCommandLine(
  db: Db,
  email: string,
  now: Date,
): Promise<{ clinicId: string; email: string; wasEnrolled: boolean } | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  await inClinicAs(db, systemActor(user.clinicId, 'cli'), now, (ctx) =>
    resetTwoFactor(ctx, { userId: user.id }),
  );
  return { clinicId: user.clinicId, email: user.email, wasEnrolled: user.twoFactorEnabledAt !== null };
}

export async function securitySettings(ctx: UseCaseContext): Promise<SecuritySettings> {
  return securitySettingsOf(await getTwoFactorRequiredRoles(ctx.tx, ctx.actor.clinicId));
}

/** Changes which roles must use two-factor sign-in; applies from each user's next sign-in. */
export async function updateSecuritySettings(
  ctx: UseCaseContext,
  input: SecuritySettings,
): Promise<SecuritySettings> {
  const before = await securitySettings(ctx);
  await setTwoFactorRequiredRoles(ctx.tx, ctx.actor.clinicId, input.twoFactorRequiredRoles);
  await recordAudit(ctx, {
    action: 'clinic.security_update',
    resourceType: 'clinic',
    resourceId: ctx.actor.clinicId,
    details: { from: before.twoFactorRequiredRoles, to: input.twoFactorRequiredRoles },
  });
  return securitySettings(ctx);
}
