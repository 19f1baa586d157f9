/** The caller's clinic: its identity, what its start page needs, and changing who it is. */
import { uuidv7 } from 'uuidv7';
import type { ClinicCreate, ClinicIdentity } from '../server/schemas/clinic';
import type { UserCreate } from '../server/schemas/users';
import { countPatients } from '../store/patients';
import type { Db } from '../store/open';
import { inClinic } from '../store/tx';
import { createClinic, createUser, getClinic, listClinics, updateClinic } from '../store/users';
import { clinicToday } from './clinic-day';
import { type AuditFields, recordAudit, systemActor, type UseCaseContext } from './context';

/**
 * The clinics this database holds, oldest first: what a command run by the operator of the
 * database (not a clinic's user) chooses from. Names and ids only, no patient data.
 */
export function clinicsOnRecord(db: Db): Promise<{ id: string; name: string }[]> {
  return listClinics(db);
}

/**
 * Creates a clinic and its first administrator in one transaction — never a clinic that nobody can
 * log in to — and audits it in the new clinic with the entry the caller names (first start or the
 * operator's command).
 */
export async function createClinicWithAdmin(
  db: Db,
  input: {
    clinic: ClinicCreate;
    admin: Omit<UserCreate, 'role'>;
    mustChangePassword: boolean;
    /** Who creates it (first start or the operator's command) and the audit entry it writes. */
    createdBy: 'system' | 'cli';
    audit: (created: { clinicId: string; adminId: string }) => AuditFields;
  },
): Promise<{ clinicId: string; name: string; adminEmail: string }> {
  const clinicId = uuidv7();
  return inClinic(db, clinicId, async (tx) => {
    const clinic = await createClinic(tx, { id: clinicId, ...input.clinic });
    const admin = await createUser(
      tx,
      clinicId,
      { ...input.admin, role: 'admin' },
      // The clinic's first user signs off its settings until they name another clinical lead.
      { mustChangePassword: input.mustChangePassword, clinicalLead: true },
    );
    await recordAudit(
      { tx, actor: systemActor(clinicId, input.createdBy) },
      input.audit({ clinicId, adminId: admin.id }),
    );
    return { clinicId, name: clinic.name, adminEmail: admin.email };
  });
}

/** A clinic created by the database's operator (`rein clinic create`), audited as the command line's. */
export function createClinicFromCommandLine(
  db: Db,
  input: { clinic: ClinicCreate; admin: Omit<UserCreate, 'role'> },
): Promise<{ clinicId: string; name: string; adminEmail: string }> {
  return createClinicWithAdmin(db, {
    ...input,
    mustChangePassword: false,
    createdBy: 'cli',
    audit: ({ clinicId }) => ({
      action: 'clinic.create',
      resourceType: 'clinic',
      resourceId: clinicId,
    }),
  });
}

export interface ClinicOverview {
  clinic: { id: string; name: string; timeZone: string; locale: string };
  patientCount: number;
  /** True for an admin while the clinic has no patients: the start page offers the demo. */
  canLoadDemo: boolean;
}

export interface ClinicIdentityView {
  id: string;
  name: string;
  address: string | null;
  phone: string | null;
  timeZone: string;
  /** How the clinic writes dates (a supported BCP 47 tag). */
  locale: string;
  /** The clinic's local date at the use case's `now`. */
  today: string;
}

export async function clinicOverview(ctx: UseCaseContext): Promise<ClinicOverview> {
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const patientCount = await countPatients(ctx.tx, ctx.actor.clinicId);
  return {
    clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone, locale: clinic.locale },
    patientCount,
    canLoadDemo: ctx.actor.role === 'admin' && patientCount === 0,
  };
}

async function identityView(
  ctx: UseCaseContext,
  clinic: {
    id: string;
    name: string;
    address: string | null;
    phone: string | null;
    timeZone: string;
    locale: string;
  },
): Promise<ClinicIdentityView> {
  const { id, name, address, phone, timeZone, locale } = clinic;
  return { id, name, address, phone, timeZone, locale, today: await clinicToday(ctx) };
}

export async function clinicIdentity(ctx: UseCaseContext): Promise<ClinicIdentityView> {
  return identityView(ctx, await getClinic(ctx.tx, ctx.actor.clinicId));
}

/**
 * Changes the clinic's name, address, phone, time zone and locale. Only the zone dates are read in
 * changes: every stored time is a UTC instant, so a session or an assessment keeps its instant and is
 * shown at the new zone's wall time, and the clinic's "today" becomes the new zone's date. The locale
 * changes only how dates are written; a request without one keeps the clinic's.
 */
export async function updateClinicIdentity(
  ctx: UseCaseContext,
  input: ClinicIdentity,
): Promise<ClinicIdentityView> {
  const before = await getClinic(ctx.tx, ctx.actor.clinicId);
  const after = await updateClinic(ctx.tx, ctx.actor.clinicId, {
    name: input.name,
    address: input.address ?? null,
    phone: input.phone ?? null,
    timeZone: input.timeZone,
    locale: input.locale ?? before.locale,
  });
  const changedFields = (['name', 'address', 'phone', 'timeZone', 'locale'] as const).filter(
    (f) => before[f] !== after[f],
  );
  await recordAudit(ctx, {
    action: 'clinic.update',
    resourceType: 'clinic',
    resourceId: ctx.actor.clinicId,
    details: {
      changedFields,
      ...(before.timeZone !== after.timeZone
        ? { timeZoneFrom: before.timeZone, timeZoneTo: after.timeZone }
        : {}),
      ...(before.locale !== after.locale ? { localeFrom: before.locale, localeTo: after.locale } : {}),
    },
  });
  // The actor's calendar is the clinic's as the request began; from here on it is the new one.
  const calendar = { timeZone: after.timeZone, locale: after.locale };
  return identityView({ ...ctx, actor: { ...ctx.actor, clinicCalendar: calendar } }, after);
}
