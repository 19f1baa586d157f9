/**
 * Patient use cases: register, find, read and update a patient of the actor's clinic. A date of
 * birth after the clinic's today is refused (the core's rule); every read and write is audited.
 */
import { ageInYears } from '../clinical/calendar';
import { assertDateOfBirthPlausible } from '../clinical/patient';
import {
  createPatient,
  getPatient,
  listPatients,
  updatePatient,
  type Patient,
  type PatientCreate,
  type PatientUpdate,
} from '../store/patients';
import { recordAudit, type UseCaseContext } from './context';
import { clinicDay } from './clinic-day';
import { commitWith } from '../store/tx';

/** A patient with their age in whole years on the clinic's today (the one age rule, applied here). */
export type PatientWithAge = Patient & { ageYears: number };

const withAge = (p: Patient, today: string): PatientWithAge => ({
  ...p,
  ageYears: ageInYears(p.dateOfBirth, today),
});

export interface PatientPage {
  items: PatientWithAge[];
  total: number;
}

export async function findPatients(
  ctx: UseCaseContext,
  query: { q?: string | undefined; limit: number; offset: number },
): Promise<PatientPage> {
  // Started together: a driver that pipelines sends both in one round trip.
  const [found, { today }] = await Promise.all([
    listPatients(ctx.tx, ctx.actor.clinicId, query),
    clinicDay(ctx),
  ]);
  const page = { ...found, items: found.items.map((p) => withAge(p, today)) };
  await recordAudit(ctx, {
    action: 'patient.list',
    resourceType: 'patient',
    details: { search: Boolean(query.q?.trim()), returned: page.items.length, offset: query.offset },
  });
  return page;
}

export async function registerPatient(ctx: UseCaseContext, input: PatientCreate): Promise<PatientWithAge> {
  const { today } = await clinicDay(ctx);
  assertDateOfBirthPlausible(input.dateOfBirth, today, 'dateOfBirth');
  const created = await createPatient(ctx.tx, ctx.actor.clinicId, input);
  await recordAudit(ctx, { action: 'patient.create', resourceType: 'patient', resourceId: created.id });
  return withAge(created, today);
}

export async function readPatient(ctx: UseCaseContext, patientId: string): Promise<PatientWithAge> {
  const { today } = await clinicDay(ctx);
  // The event is written only if the patient is there (a read that finds no one records nothing,
  // as before), so it need not wait for the read: it and the COMMIT travel with it.
  await recordAudit(ctx, {
    action: 'patient.read',
    resourceType: 'patient',
    resourceId: patientId,
    onlyIfResourceExists: true,
  });
  const patient = await commitWith(ctx.tx, () => getPatient(ctx.tx, ctx.actor.clinicId, patientId));
  return withAge(patient, today);
}

/** Updates a patient (the previous version is kept; a stale `version` is refused). */
export async function changePatient(
  ctx: UseCaseContext,
  input: { patientId: string; update: PatientUpdate },
): Promise<PatientWithAge> {
  const { actor } = ctx;
  if (!actor.userId) throw new Error('changePatient: a patient is changed by a staff user');
  const { today } = await clinicDay(ctx);
  if (input.update.dateOfBirth !== undefined) {
    assertDateOfBirthPlausible(input.update.dateOfBirth, today, 'dateOfBirth');
  }
  const { patient, changedFields } = await updatePatient(
    ctx.tx,
    actor.clinicId,
    input.patientId,
    input.update,
    actor.userId,
  );
  await recordAudit(ctx, {
    action: 'patient.update',
    resourceType: 'patient',
    resourceId: input.patientId,
    details: { changedFields },
  });
  return withAge(patient, today);
}
