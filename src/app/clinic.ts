/** The caller's clinic: its identity, what its start page needs, and changing who it is. */
import type { ClinicIdentity } from '../server/schemas/clinic';
import { countPatients } from '../store/patients';
import type { Db } from '../store/open';
import { getClinic, listClinics, updateClinic } from '../store/users';
import { clinicToday } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';

/**
 * The clinics this database holds, oldest first: what a command run by the operator of the
 * database (not a clinic's user) chooses from. Names and ids only, no patient data.
 */
export function clinicsOnRecord(db: Db): Promise<{ id: string; name: string }[]> {
  return listClinics(db);
}

export interface ClinicOverview {
  clinic: { id: string; name: string; timeZone: string };
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
  /** The clinic's local date at the use case's `now`. */
  today: string;
}

export async function clinicOverview(ctx: UseCaseContext): Promise<ClinicOverview> {
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const patientCount = await countPatients(ctx.tx, ctx.actor.clinicId);
  return {
    clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone },
    patientCount,
    canLoadDemo: ctx.actor.role === 'admin' && patientCount === 0,
  };
}

async function identityView(
  ctx: UseCaseContext,
  clinic: { id: string; name: string; address: string | null; phone: string | null; timeZone: string },
): Promise<ClinicIdentityView> {
  const { id, name, address, phone, timeZone } = clinic;
  return { id, name, address, phone, timeZone, today: await clinicToday(ctx) };
}

export async function clinicIdentity(ctx: UseCaseContext): Promise<ClinicIdentityView> {
  return identityView(ctx, await getClinic(ctx.tx, ctx.actor.clinicId));
}

/**
 * Changes the clinic's name, address, phone and time zone. Only the zone dates are read in changes:
 * every stored time is a UTC instant, so a session or an assessment keeps its instant and is shown
 * at the new zone's wall time, and the clinic's "today" becomes the new zone's date.
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
  });
  const changedFields = (['name', 'address', 'phone', 'timeZone'] as const).filter(
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
    },
  });
  return identityView(ctx, after);
}
