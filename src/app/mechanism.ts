/**
 * The educational mechanism model for a regimen. Compute only; nothing is stored. With a patient,
 * the latest recorded weight (and height, sex at birth, age) of that patient fill in fields the
 * request leaves out, and the read is audited.
 */
import { ClinicalInputError } from '../clinical/errors';
import {
  mechanismFromRegimen,
  type MechanismFromRegimenRequest,
  type MechanismFromRegimenResult,
} from '../clinical/mechanism/fromRegimen';
import { latestMeasuredByNow } from '../clinical/plausibility';
import { listBodyMeasurements } from '../store/body-measurements';
import type { Db } from '../store/open';
import { getPatient } from '../store/patients';
import { type Actor, inClinicAs, recordAudit } from './context';
import { ageInYears } from '../clinical/calendar';
import { clinicToday } from './clinic-day';

export type MechanismRequest = Omit<MechanismFromRegimenRequest, 'weightKg'> & {
  weightKg?: number | undefined;
  patientId?: string | undefined;
};

export async function simulateMechanism(
  db: Db,
  actor: Actor,
  now: Date,
  input: MechanismRequest,
): Promise<MechanismFromRegimenResult> {
  const { patientId, ...body } = input;
  let filled = body;
  if (patientId !== undefined) {
    // The read is audited in its own transaction, kept even when the record has no weight.
    filled = await inClinicAs(db, actor, now, async (ctx) => {
      const patient = await getPatient(ctx.tx, actor.clinicId, patientId);
      const measurements = await listBodyMeasurements(ctx.tx, actor.clinicId, patientId);
      const weight = latestMeasuredByNow(measurements, now, (m) => m.weightKg) ?? undefined;
      const height = latestMeasuredByNow(measurements, now, (m) => m.heightCm) ?? undefined;
      const sex = patient.sexAtBirth === 'female' ? 'F' : patient.sexAtBirth === 'male' ? 'M' : undefined;
      const fromRecord: string[] = [];
      const out = { ...body };
      if (out.weightKg === undefined && weight !== undefined) {
        out.weightKg = weight;
        fromRecord.push('weightKg');
      }
      if (out.heightCm === undefined && height !== undefined) {
        out.heightCm = height;
        fromRecord.push('heightCm');
      }
      if (out.sex === undefined && sex !== undefined) {
        out.sex = sex;
        fromRecord.push('sex');
      }
      if (out.ageYears === undefined) {
        out.ageYears = ageInYears(patient.dateOfBirth, await clinicToday(ctx));
        fromRecord.push('ageYears');
      }
      await recordAudit(ctx, {
        action: 'mechanism.simulate',
        resourceType: 'patient',
        resourceId: patientId,
        details: { fromRecord },
      });
      return out;
    });
    if (filled.weightKg === undefined) {
      throw new ClinicalInputError('weightKg', 'no weight is recorded for this patient; give weightKg');
    }
  }
  if (filled.weightKg === undefined) {
    throw new ClinicalInputError('weightKg', 'required (kg), or give patientId to use the recorded weight');
  }
  return mechanismFromRegimen(filled);
}
