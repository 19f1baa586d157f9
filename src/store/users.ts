import { createHash } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors';
import type { StaffRole } from '../clinical/vocabulary/roles';
import { hashPassword } from './passwords';
import { clinics, loginThrottles, users } from './schema';
import { markOutcomeFactsBuilt } from './outcome-facts';
import type { Queryable } from './tx';

/** A clinic as created (validated by the request schema before it arrives). */
export interface ClinicCreate {
  name: string;
  timeZone: string;
  /** BCP 47 tag of how dates are written; the column's default (en-US) when not given. */
  locale?: string | undefined;
}
/** A staff account as created: the password is hashed here, never stored as given. */
export interface UserCreate {
  email: string;
  name: string;
  role: StaffRole;
  password: string;
}
export interface UserUpdate {
  name?: string | undefined;
  role?: StaffRole | undefined;
  disabled?: boolean | undefined;
  clinicalLead?: boolean | undefined;
  npi?: string | null | undefined;
  deaNumber?: string | null | undefined;
  licenceState?: string | null | undefined;
  licenceNumber?: string | null | undefined;
}

export type UserRow = typeof users.$inferSelect;
/** A user as the rest of the system sees it: never the password hash or second-factor secrets. */
export type User = Omit<
  UserRow,
  'passwordHash' | 'twoFactorSecret' | 'twoFactorLastTimeStep' | 'twoFactorRecoveryCodes'
>;

export function toUser(row: UserRow): User {
  const {
    passwordHash: _h,
    twoFactorSecret: _s,
    twoFactorLastTimeStep: _t,
    twoFactorRecoveryCodes: _r,
    ...user
  } = row;
  return user;
}

export async function createClinic(db: Queryable, input: ClinicCreate & { id?: string }) {
  const [clinic] = await db.insert(clinics).values(input).returning();
  // A clinic without courses has complete dashboard facts; writes keep them so from here on.
  await markOutcomeFactsBuilt(db, clinic!.id, clinic!.createdAt);
  return clinic!;
}

export async function getClinic(db: Queryable, clinicId: string) {
  const [clinic] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  if (!clinic) throw new NotFoundError('clinic');
  return clinic;
}

/** Every clinic in the database, oldest first (the command line chooses one to act on). */
export async function listClinics(db: Queryable): Promise<{ id: string; name: string }[]> {
  return db.select({ id: clinics.id, name: clinics.name }).from(clinics).orderBy(asc(clinics.createdAt));
}

/** Writes the clinic's identity fields (name, address, phone, time zone, locale). */
export async function updateClinic(
  db: Queryable,
  clinicId: string,
  patch: { name: string; address: string | null; phone: string | null; timeZone: string; locale: string },
) {
  const [row] = await db.update(clinics).set(patch).where(eq(clinics.id, clinicId)).returning();
  if (!row) throw new NotFoundError('clinic');
  return row;
}

export async function countClinics(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(clinics);
  return row?.n ?? 0;
}

export async function createUser(
  db: Queryable,
  clinicId: string,
  input: UserCreate,
  opts: { mustChangePassword?: boolean; clinicalLead?: boolean } = {},
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({
        clinicId,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        mustChangePassword: opts.mustChangePassword ?? false,
        clinicalLead: opts.clinicalLead ?? false,
      })
      .returning();
    return toUser(row!);
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_unique')) {
      throw new ConflictError('email', 'a user with this email already exists');
    }
    throw err;
  }
}

/** Login looks a user up by email across clinics (emails are globally unique). */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return row ?? null;
}

export async function getUserRow(db: Queryable, clinicId: string, userId: string): Promise<UserRow> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.id, userId)));
  if (!row) throw new NotFoundError('user');
  return row;
}

export async function listUsers(db: Queryable, clinicId: string): Promise<User[]> {
  const rows = await db.select().from(users).where(eq(users.clinicId, clinicId)).orderBy(asc(users.name));
  return rows.map(toUser);
}

export async function updateUser(db: Queryable, clinicId: string, userId: string, patch: UserUpdate) {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(users.clinicId, clinicId), eq(users.id, userId)))
    .returning();
  if (!row) throw new NotFoundError('user');
  return toUser(row);
}

export async function setPassword(
  db: Queryable,
  clinicId: string,
  userId: string,
  password: string,
  opts: { mustChangePassword: boolean },
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const result = await db
    .update(users)
    .set({ passwordHash, mustChangePassword: opts.mustChangePassword, updatedAt: new Date() })
    .where(and(eq(users.clinicId, clinicId), eq(users.id, userId)))
    .returning({ id: users.id });
  if (result.length === 0) throw new NotFoundError('user');
}

/** Active users holding the clinical-lead sign-off. */
export async function countClinicalLeads(db: Queryable, clinicId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.clinicalLead, true), eq(users.disabled, false)));
  return row?.n ?? 0;
}

export async function countAdmins(db: Queryable, clinicId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.role, 'admin'), eq(users.disabled, false)));
  return row?.n ?? 0;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The throttle's keys for one login attempt: email and client address, hashed. */
export function throttleKeys(
  email: string,
  clientAddress: string,
): { subjectHash: string; emailHash: string } {
  const normalized = email.trim().toLowerCase();
  return { subjectHash: sha256(`${normalized}\0${clientAddress}`), emailHash: sha256(normalized) };
}

/** Until when this email is locked for this client address, if it is. */
export async function throttledUntil(db: Queryable, subjectHash: string, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(eq(loginThrottles.subjectHash, subjectHash));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts a failed login for an email from one address; from the `threshold`-th failure on, that
 * pair is locked with exponential backoff (30 s, 60 s, 120 s … capped at 15 min).
 */
export async function recordFailedLogin(
  db: Queryable,
  keys: { subjectHash: string; emailHash: string },
  now: Date,
  threshold = 5,
): Promise<void> {
  await db
    .insert(loginThrottles)
    .values({ ...keys, failures: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: loginThrottles.subjectHash,
      set: {
        failures: sql`${loginThrottles.failures} + 1`,
        lockedUntil: sql`case when ${loginThrottles.failures} + 1 >= ${threshold}
          then ${now.toISOString()}::timestamptz + least(30 * power(2, ${loginThrottles.failures} + 1 - ${threshold}), 900) * interval '1 second'
          else null end`,
        updatedAt: now,
      },
    });
}

export async function clearFailedLogins(db: Queryable, subjectHash: string): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.subjectHash, subjectHash));
}

/** An admin lifts every lock on an account, from every address. Returns how many were lifted. */
export async function unlockAccount(db: Queryable, email: string): Promise<number> {
  const { emailHash } = throttleKeys(email, '');
  const removed = await db
    .delete(loginThrottles)
    .where(eq(loginThrottles.emailHash, emailHash))
    .returning({ subjectHash: loginThrottles.subjectHash });
  return removed.length;
}
