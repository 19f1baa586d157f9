/**
 * Medication list use cases. A dose above the labelled maximum is refused until the clinician
 * confirms it (the core's check, applied when the row is written); stopping a medication needs a
 * reason; entries are never deleted, only marked entered in error. Every read and write is audited.
 * Each returns the medication with its class tags as the rules see them.
 */
import { derivedClassTags, effectiveClassTags } from '../clinical/medication-dictionary';
import type { MedicationClass } from '../clinical/vocabulary/medication-classes';
import {
  addMedication,
  listMedications,
  markMedicationEnteredInError,
  updateMedication,
  type EnteredInError,
  type Medication,
  type MedicationCreate,
  type MedicationUpdate,
} from '../store/medications';
import { recordAudit, type UseCaseContext } from './context';

/**
 * A medication with the class tags the built-in dictionary derives from its name or RxNorm code
 * (always applied) and the effective tags the rules use: derived and clinician-added together.
 */
export type MedicationView = Medication & {
  derivedClassTags: MedicationClass[];
  effectiveClassTags: MedicationClass[];
};

export const medicationView = (m: Medication): MedicationView => ({
  ...m,
  derivedClassTags: derivedClassTags(m.name, m.rxnormCode),
  effectiveClassTags: effectiveClassTags(m.name, m.rxnormCode, m.classTags),
});

const staffUser = (ctx: UseCaseContext, what: string): string => {
  if (!ctx.actor.userId) throw new Error(`${what}: a medication is changed by a staff user`);
  return ctx.actor.userId;
};

/** The list, including entries marked entered in error (with their status). */
export async function medicationList(ctx: UseCaseContext, patientId: string): Promise<MedicationView[]> {
  const rows = await listMedications(ctx.tx, ctx.actor.clinicId, patientId, { includeEnteredInError: true });
  await recordAudit(ctx, { action: 'medication.list', resourceType: 'patient', resourceId: patientId });
  return rows.map(medicationView);
}

export async function recordMedication(
  ctx: UseCaseContext,
  input: { patientId: string; medication: MedicationCreate },
): Promise<MedicationView> {
  const userId = staffUser(ctx, 'recordMedication');
  const created = await addMedication(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    input.medication,
    userId,
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'medication.create',
    resourceType: 'medication',
    resourceId: created.id,
    details: { patientId: input.patientId, doseAboveMaximumConfirmed: created.doseAboveMaximum !== null },
  });
  return medicationView(created);
}

export async function changeMedication(
  ctx: UseCaseContext,
  input: { patientId: string; medicationId: string; update: MedicationUpdate },
): Promise<MedicationView> {
  const userId = staffUser(ctx, 'changeMedication');
  const { medication, changedFields } = await updateMedication(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    input.medicationId,
    input.update,
    userId,
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'medication.update',
    resourceType: 'medication',
    resourceId: input.medicationId,
    details: {
      patientId: input.patientId,
      changedFields,
      ...(input.update.confirmAboveMaximum && medication.doseAboveMaximum
        ? { doseAboveMaximumConfirmed: true }
        : {}),
    },
  });
  return medicationView(medication);
}

export async function markMedicationInError(
  ctx: UseCaseContext,
  input: { patientId: string; medicationId: string; enteredInError: EnteredInError },
): Promise<MedicationView> {
  const userId = staffUser(ctx, 'markMedicationInError');
  const medication = await markMedicationEnteredInError(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    input.medicationId,
    input.enteredInError,
    userId,
  );
  await recordAudit(ctx, {
    action: 'medication.entered_in_error',
    resourceType: 'medication',
    resourceId: input.medicationId,
    details: { patientId: input.patientId },
  });
  return medicationView(medication);
}
