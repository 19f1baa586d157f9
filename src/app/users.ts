/**
 * Clinic user accounts: list, create, change, reset a password, lift a lock-out. Each change is
 * audited in the same transaction. Callers drop cached logins of the user after the commit (a role
 * change or disabling applies to the user's very next request).
 */
import { ClinicalInputError } from '../clinical/errors';
import { CLINICAL_LEAD_ROLES } from '../clinical/vocabulary/roles';
import { ConflictError, ForbiddenError } from '../store/errors';
import { lockClinic } from '../store/locks';
import { revokeUserSessions } from '../store/login-sessions';
import { generatePassword } from '../store/passwords';
import type { Db } from '../store/open';
import {
  countAdmins,
  countClinicalLeads,
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
  clinicalLead?: boolean;
  /** Prescriber identifiers, already checked and normalized (src/clinical/credentials); null clears. */
  npi?: string | null;
  deaNumber?: string | null;
  licenceState?: string | null;
  licenceNumber?: string | null;
}

const ROLE_NAMES: Record<StaffRole, string> = {
  admin: 'clinic admin',
  prescriber: 'prescriber',
  nurse: 'nurse',
  staff: 'front desk',
};

/**
 * Granting or removing the clinical-lead sign-off takes a clinical lead, so being admin is not
 * enough; while the clinic has no active lead any admin may grant it, or a clinic could never
 * change its settings again (docs/clinical-sources/regulatory.md §4). The command line is the
 * database's operator and may always.
 */
async function mayGrantClinicalLead(ctx: UseCaseContext): Promise<boolean> {
  if (ctx.actor.userId === null) return true;
  const actor = await getUserRow(ctx.tx, ctx.actor.clinicId, ctx.actor.userId);
  if (actor.clinicalLead) return true;
  return (await countClinicalLeads(ctx.tx, ctx.actor.clinicId)) === 0;
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

/**
 * Changes name, role, disabled, the clinical-lead sign-off or the prescriber identifiers; the
 * clinic must keep at least one active admin, and a clinical lead is an admin or prescriber.
 */
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
  const role = patch.role ?? current.role;
  const clinicalLead = patch.clinicalLead ?? current.clinicalLead;
  if (clinicalLead && !(CLINICAL_LEAD_ROLES as readonly string[]).includes(role)) {
    if (patch.clinicalLead === true)
      throw new ClinicalInputError('clinicalLead', 'only an admin or a prescriber can be clinical lead');
    throw new ConflictError(
      'role',
      `${current.name} signs off as clinical lead; remove that before making them ${ROLE_NAMES[role]}`,
    );
  }
  if (patch.clinicalLead !== undefined && patch.clinicalLead !== current.clinicalLead) {
    if (!(await mayGrantClinicalLead(ctx)))
      throw new ForbiddenError('only a clinical lead can grant or remove the clinical-lead sign-off');
  }
  const updated = await updateUser(ctx.tx, clinicId, userId, patch);
  if (patch.disabled === true) await revokeUserSessions(ctx.tx, clinicId, userId, ctx.now);
  await recordAudit(ctx, {
    action: 'user.update',
    resourceType: 'user',
    resourceId: userId,
    details: {
      changedFields: Object.keys(patch),
      ...(patch.role !== undefined && patch.role !== current.role
        ? { fromRole: current.role, toRole: patch.role }
        : {}),
      ...(patch.clinicalLead !== undefined ? { clinicalLead: patch.clinicalLead } : {}),
    },
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
