/** The caller's clinic: what its start page needs, and loading the synthetic demo into it. */
import { countPatients } from '../store/patients';
import type { Db } from '../store/open';
import { getClinic, listClinics } from '../store/users';
import type { UseCaseContext } from './context';

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

export async function clinicOverview(ctx: UseCaseContext): Promise<ClinicOverview> {
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const patientCount = await countPatients(ctx.tx, ctx.actor.clinicId);
  return {
    clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone },
    patientCount,
    canLoadDemo: ctx.actor.role === 'admin' && patientCount === 0,
  };
}
