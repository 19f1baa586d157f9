/**
 * Clinic user accounts: list, create, change, reset a password, lift a lock-out. Each change is
 * audited in the same transaction. Callers drop cached logins of the user after the commit (a role
 * change or disabling applies to the user's very next request).
 */
import { ConflictError } from '../store/errors';
import { lockClinic } from '../store/locks';
import { revokeUserSessions } from '../store/login-sessions';
import { generatePassword } from '../store/passwords';
import type { Db } from '../store/open';
import {
  countAdmins,
  createUser,
  findUserByEmail,
  getUserRow,
  listUsers,
  setPassword,
  toUser,
  unlockAccount,
  updateUser,
  type User,
} from '../store/users';
import type { StaffRole } from '../clinical/vocabulary/roles';
import { inClinicAs, recordAudit, systemActor, type UseCaseContext } from './context';

export type { User };

export interface NewUser {
  email: string;
  name: string;
  role: StaffRole;
  /** Without one, a strong temporary password is generated and returned once. */
  password?: string;
}

export interface UserPatch {
  name?: string;
  role?: StaffRole;
  disabled?: boolean;
}

export function listClinicUsers(ctx: UseCaseContext): Promise<User[]> {
  return listUsers(ctx.tx, ctx.actor.clinicId);
}

/**
 * Creates a staff account. An admin hands the password over, so by default the account must change
 * it at first login; the database's operator creating an account with its own chosen password
 * (`rein user create --password`) is the exception. A generated password always must be changed.
 */
export async function createClinicUser(
  ctx: UseCaseContext,
  input: NewUser,
  opts: { chosenPasswordMustChange?: boolean } = {},
): Promise<{ user: User; temporaryPassword?: string }> {
  const generated = input.password ? undefined : generatePassword();
  const user = await createUser(
    ctx.tx,
    ctx.actor.clinicId,
    { ...input, password: input.password ?? generated! },
    { mustChangePassword: generated !== undefined || (opts.chosenPasswordMustChange ?? true) },
  );
  await recordAudit(ctx, {
    action: 'user.create',
    resourceType: 'user',
    resourceId: user.id,
    details: { role: user.role },
  });
  return generated ? { user, temporaryPassword: generated } : { user };
}

/** Changes name, role or disabled; the clinic must keep at least one active admin. */
export async function updateClinicUser(
  ctx: UseCaseContext,
  input: { userId: string; patch: UserPatch },
): Promise<User> {
  const { userId, patch } = input;
  const clinicId = ctx.actor.clinicId;
  // Changes that could take an admin away are made one at a time per clinic, each counting the
  // admins the previous one left: two admins demoting each other at once keep one of them.
  if (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin')) {
    await lockClinic(ctx.tx, clinicId);
  }
  const current = toUser(await getUserRow(ctx.tx, clinicId, userId));
  const losesAdmin =
    current.role === 'admin' &&
    !current.disabled &&
    (patch.disabled === true || (patch.role && patch.role !== 'admin'));
  if (losesAdmin && (await countAdmins(ctx.tx, clinicId)) <= 1) {
    throw new ConflictError('role', 'the clinic must keep at least one active admin');
  }
  const updated = await updateUser(ctx.tx, clinicId, userId, patch);
  if (patch.disabled === true) await revokeUserSessions(ctx.tx, clinicId, userId, ctx.now);
  await recordAudit(ctx, {
    action: 'user.update',
    resourceType: 'user',
    resourceId: userId,
    details: { changedFields: Object.keys(patch) },
  });
  return updated;
}

/** A new temporary password (shown once); every session of the user ends. */
export async function resetUserPassword(
  ctx: UseCaseContext,
  input: { userId: string },
): Promise<{ temporaryPassword: string }> {
  const temporaryPassword = generatePassword();
  await setPassword(ctx.tx, ctx.actor.clinicId, input.userId, temporaryPassword, {
    mustChangePassword: true,
  });
  await revokeUserSessions(ctx.tx, ctx.actor.clinicId, input.userId, ctx.now);
  await recordAudit(ctx, { action: 'user.reset_password', resourceType: 'user', resourceId: input.userId });
  return { temporaryPassword };
}

/** Lifts every login lock-out on the account, from any address. */
export async function unlockUser(
  ctx: UseCaseContext,
  input: { userId: string },
): Promise<{ locksLifted: number }> {
  const user = await getUserRow(ctx.tx, ctx.actor.clinicId, input.userId);
  const locksLifted = await unlockAccount(ctx.tx, user.email);
  await recordAudit(ctx, {
    action: 'user.unlock',
    resourceType: 'user',
    resourceId: input.userId,
    details: { locksLifted },
  });
  return { locksLifted };
}

/**
 * A lost password reset from the command line, by the account's email (emails are unique across
 * clinics): a new temporary password, shown once, that must be changed at first login; every
 * session of the user ends; audited in the user's clinic with the command line as actor. Returns
 * null when no account has this email.
 */
export async function resetPasswordFromCommandLine(
  db: Db,
  email: string,
  now: Date,
): Promise<{ clinicId: string; email: string; temporaryPassword: string; wasDisabled: boolean } | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const actor = systemActor(user.clinicId, 'cli');
  const { temporaryPassword } = await inClinicAs(db, actor, now, async (ctx) => {
    const result = await resetUserPassword(ctx, { userId: user.id });
    // A locked-out administrator is the usual reason for a reset: lift the lock-out as well.
    await unlockUser(ctx, { userId: user.id });
    return result;
  });
  return { clinicId: user.clinicId, email: user.email, temporaryPassword, wasDisabled: user.disabled };
}
