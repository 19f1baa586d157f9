/**
 * Medication list use cases. A dose above the labelled maximum is refused until the clinician
 * confirms it (the core's check, applied when the row is written); stopping a medication needs a
 * reason; entries are never deleted, only marked entered in error. Every read and write is audited.
 * Each returns the medication with its class tags as the rules see them.
 */
import { derivedClassTags, effectiveClassTags } from '../clinical/medication-dictionary';
import type { MedicationClass } from '../clinical/vocabulary/medication-classes';
import { ClinicalInputError } from '../clinical/errors';
import { checkMedicationDose } from '../clinical/plausibility';
import { ConfirmationRequiredError, ConflictError } from '../store/errors';
import {
  addMedication,
  getMedication,
  listMedications,
  markMedicationEnteredInError,
  writeMedicationVersion,
  type EnteredInError,
  type Medication,
  type MedicationCreate,
  type MedicationUpdate,
} from '../store/medications';
import { getPatient } from '../store/patients';
import type { DoseAboveMaximumConfirmation } from '../store/schema';
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

type DoseFields = Pick<Medication, 'name' | 'rxnormCode' | 'dose' | 'doseUnit' | 'frequency'>;

/**
 * The labelled-maximum check of the core for a medication about to be written: refused until the
 * clinician confirms, then the confirmation is kept with the row.
 */
function doseConfirmation(
  m: DoseFields,
  confirmed: boolean | undefined,
  by: string,
  now: Date,
): DoseAboveMaximumConfirmation | null {
  const check = checkMedicationDose({
    name: m.name,
    rxNormCode: m.rxnormCode,
    dose: m.dose,
    doseUnit: m.doseUnit,
    frequency: m.frequency,
  });
  if (check.result !== 'above-maximum') return null;
  if (!confirmed) throw new ConfirmationRequiredError('dose', check.message);
  return {
    comparedMg: check.comparedMg!,
    maxMgPerDay: check.maximum!.mgPerDay,
    source: check.maximum!.source,
    confirmedBy: by,
    confirmedAt: now.toISOString(),
  };
}

/**
 * Decides a change to a medication (e.g. a dose change or a stop date) and writes it as a new
 * version. Stopping a medication requires a reason; a new dose above the labelled maximum requires
 * confirmation; a stale `version` or an entry marked entered in error is refused.
 */
async function updateMedication(
  ctx: UseCaseContext,
  patientId: string,
  medicationId: string,
  update: MedicationUpdate,
  changedBy: string,
): Promise<{ medication: Medication; changedFields: string[] }> {
  const { tx, actor, now } = ctx;
  const { version, reason, confirmAboveMaximum, ...patch } = update;
  const current = await getMedication(tx, actor.clinicId, patientId, medicationId);
  if (version !== undefined && version !== current.version) {
    throw new ConflictError('version', 'this medication was changed by someone else; reload and try again');
  }
  if (current.status === 'entered-in-error') {
    throw new ConflictError('status', 'this medication is marked entered in error and cannot be changed');
  }
  const merged = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  } as Medication;
  if (merged.startDate && merged.stopDate && merged.stopDate < merged.startDate) {
    throw new ConflictError('stopDate', 'must not be before the start date');
  }
  const changedFields = Object.entries(patch)
    .filter(
      ([key, value]) =>
        value !== undefined && JSON.stringify(current[key as keyof Medication]) !== JSON.stringify(value),
    )
    .map(([key]) => key);
  if (changedFields.length === 0) return { medication: current, changedFields };
  if (changedFields.includes('stopDate') && merged.stopDate !== null && !reason) {
    throw new ClinicalInputError('reason', 'say why the medication is stopped');
  }
  const doseChanged = ['name', 'rxnormCode', 'dose', 'doseUnit', 'frequency'].some((f) =>
    changedFields.includes(f),
  );
  const set: Partial<Medication> = { ...(patch as Partial<Medication>) };
  if (doseChanged) set.doseAboveMaximum = doseConfirmation(merged, confirmAboveMaximum, changedBy, now);
  const medication = await writeMedicationVersion(
    tx,
    actor.clinicId,
    current,
    set,
    changedBy,
    reason ?? null,
  );
  return { medication, changedFields };
}

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
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const { confirmAboveMaximum, ...fields } = input.medication;
  const doseAboveMaximum = doseConfirmation(
    {
      name: fields.name,
      rxnormCode: fields.rxnormCode ?? null,
      dose: fields.dose ?? null,
      doseUnit: fields.doseUnit ?? null,
      frequency: fields.frequency ?? null,
    },
    confirmAboveMaximum,
    userId,
    ctx.now,
  );
  const created = await addMedication(
    ctx.tx,
    ctx.actor.clinicId,
    input.patientId,
    fields,
    doseAboveMaximum,
    userId,
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
    ctx,
    input.patientId,
    input.medicationId,
    input.update,
    userId,
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
