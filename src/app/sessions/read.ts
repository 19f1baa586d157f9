/**
 * What is read from sessions besides the session screen: the predicted concentration curve, the
 * IV pump program sheet (PDF), the esketamine REMS Patient Monitoring Form (JSON and PDF), the
 * clinic's overdue REMS forms and a patient's interaction flags. Each read is audited in the same
 * transaction.
 */
import { clinicDateFormatOrDefault } from '../../clinical/vocabulary/date-format';
import { addDays, ageInYears, localDateOf } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import { DISSOCIATION_BAND_NG_PER_ML, formatRegimen, simulateDoses } from '../../clinical/pk';
import {
  interactionFlags,
  overdueRemsForms,
  remsOverdueIfDatedBefore,
  REMS_SUBMIT_WITHIN_DAYS,
  type Modality,
  type RemsBuildResult,
} from '../../clinical/protocols';
import {
  curveWindowMin,
  refuseUnlessEsketamine,
  sessionDoses,
  sessionRemsForm,
} from '../../clinical/session';
import { pumpProgramPdf } from '../../interop/pump-program-pdf';
import { remsPdf } from '../../interop/rems-pdf';
import { ConflictError } from '../../store/errors';
import { listMedications } from '../../store/medications';
import { listTreatmentsAwaitingRems } from '../../store/sessions';
import { getClinic, getUserRow } from '../../store/users';
import { recordAudit, type UseCaseContext } from '../context';
import { loadSession, toCoreMedications, type LoadedSession, type SessionRef } from './load';
import { decided } from './record';

const audited = (ctx: UseCaseContext, ref: SessionRef, action: string) =>
  recordAudit(ctx, { action, resourceType: 'treatment_session', resourceId: ref.sessionId });

export interface SessionCurve {
  model: string;
  regimen: string[];
  weightKg: number;
  timesMin: number[];
  plasmaNgPerMl: number[];
  effectNgPerMl: number[] | null;
  band: { low: number; high: number; status: string; source: string };
  nowMin: number | null;
  notes: string[];
}

/** The predicted concentration curve for this session's dose (PK engine) with the dissociative band. */
export async function sessionCurve(ctx: UseCaseContext, ref: SessionRef): Promise<SessionCurve> {
  const s = await loadSession(ctx, ref);
  await audited(ctx, ref, 'session.curve');
  const state = s.state;
  const plan = state.record.dosePlan?.payload;
  if (!plan) throw new ConflictError('session', 'no dose plan yet');
  const weightKg = plan.weightKg ?? s.weights.at(-1)?.weightKg;
  if (weightKg === undefined) throw new ClinicalInputError('weightKg', 'no weight on record');
  const doses = sessionDoses(state) ?? [];
  if (doses.length === 0) throw new ConflictError('session', 'nothing has been given yet');
  const model = state.modality === 'esketamine' ? s.settings.pkModelEsketamine : s.settings.pkModelIv;
  // Bounded to the session's own window, so the work per request is bounded too.
  const until = curveWindowMin(state);
  const sex = s.patient.sexAtBirth;
  const sim = simulateDoses({
    model,
    weightKg,
    ageYears: ageInYears(s.patient.dateOfBirth, s.today),
    ...(sex === 'female' ? { sex: 'F' as const } : sex === 'male' ? { sex: 'M' as const } : {}),
    doses,
    stepMin: 1,
    untilMin: until,
  });
  const parent = Object.keys(sim.analytes)[0]!;
  return {
    model: sim.model,
    regimen: formatRegimen(doses),
    weightKg,
    timesMin: sim.timesMin,
    plasmaNgPerMl: sim.analytes[parent]!,
    effectNgPerMl: sim.effectSite?.ngPerMl ?? null,
    band: { ...DISSOCIATION_BAND_NG_PER_ML },
    nowMin: state.nowMin,
    notes: sim.notes,
  };
}

/**
 * The IV pump program as a printable sheet for the pump: the recorded dose plan with the drug and
 * its concentration, two patient identifiers, diluent, lot, prescriber, weight and its date, and
 * the clinic's phone. Refused for esketamine (nasal devices, no pump) and before a dose plan.
 */
export async function sessionPumpProgramPdf(
  ctx: UseCaseContext,
  ref: SessionRef,
): Promise<{ pdf: Buffer; sessionDate: string }> {
  const s = await loadSession(ctx, ref);
  if (s.modality === 'esketamine') {
    throw new ConflictError(
      'session',
      'esketamine is given from nasal devices: there is no pump program to print',
    );
  }
  const plan = s.state.record.dosePlan;
  if (!plan?.payload.pump) {
    throw new ConflictError('session', "no pump program yet: compute the dose from today's weight first");
  }
  await audited(ctx, ref, 'session.pump_program.pdf');
  const p = plan.payload;
  const pump = p.pump!;
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const prescriber = await getUserRow(ctx.tx, ctx.actor.clinicId, s.course.createdBy);
  // A sheet a nurse reads beside the screen: its dates are written as the clinic's screens write them.
  const dates = clinicDateFormatOrDefault(clinic.locale);
  const pdf = await pumpProgramPdf({
    clinic: { name: clinic.name, phone: clinic.phone },
    patient: {
      fullName: `${s.patient.givenName} ${s.patient.familyName}`,
      dateOfBirth: dates.date(s.patient.dateOfBirth),
      mrn: s.patient.mrn,
    },
    sessionDate: dates.date(s.session.date),
    drug: {
      name: 'Ketamine',
      finalConcentrationMgPerMl: pump.finalConcentrationMgPerMl,
      vialMgPerMl: pump.vialMgPerMl,
      drugVolumeMl: pump.drugVolumeMl,
      bagMl: pump.bagMl,
    },
    diluent: p.diluent ?? null,
    lotNumber: p.lotNumber,
    prescriber: prescriber.name,
    computedBy: plan.recordedByName,
    computedOn: dates.dateTime(plan.recordedAt, s.timeZone),
    weightKg: p.weightKg ?? pump.actualWeightKg,
    // Plans recorded before the date was kept: an IV plan is computed only on a weight measured
    // that day (decideDosePlan), so the plan's own date is the weight's.
    weightMeasuredOn: dates.date(p.weightMeasuredOn ?? localDateOf(plan.recordedAt, s.timeZone)),
    doseMg: p.doseMg,
    doseMgPerKg: p.doseMgPerKg,
    totalVolumeMl: pump.totalVolumeMl,
    vtbiMl: pump.vtbiMl,
    rateMlPerH: pump.rateMlPerH,
    durationMin: pump.durationMin,
    assumptions: pump.assumptions,
    madeOn: dates.date(s.today),
  });
  return { pdf, sessionDate: s.session.date };
}

export interface SessionRems {
  session: LoadedSession;
  built: RemsBuildResult;
  /** The form is due this many days after the session date. */
  dueDate: string;
}

/** The REMS Patient Monitoring Form built from the session (esketamine only; missing fields listed). */
export async function sessionRems(
  ctx: UseCaseContext,
  ref: SessionRef,
  action: string,
): Promise<SessionRems> {
  const s = await loadSession(ctx, ref);
  decided(() => refuseUnlessEsketamine(s.state));
  await audited(ctx, ref, action);
  const built = sessionRemsForm(s.state, {
    patient: s.patient,
    medications: toCoreMedications(s.medications, s.today).meds,
    sessionDate: s.session.date,
    firstTreatment: s.session.sequence === 1,
    remsSetting: s.settings.remsSetting,
    remsMonitoringHcp: s.settings.remsMonitoringHcp,
  });
  return { session: s, built, dueDate: addDays(s.session.date, REMS_SUBMIT_WITHIN_DAYS) };
}

/** The REMS form as a printable PDF; refused while the form is incomplete. */
export async function sessionRemsPdf(
  ctx: UseCaseContext,
  ref: SessionRef,
): Promise<{ pdf: Buffer; sessionDate: string }> {
  const { session, built } = await sessionRems(ctx, ref, 'session.rems.pdf');
  if (!built.ok) throw new ClinicalInputError('session', `form incomplete: ${built.missing.join('; ')}`);
  const pdf = await remsPdf(built.form, {
    clinicName: (await getClinic(ctx.tx, ctx.actor.clinicId)).name,
    madeOn: session.today,
    warnings: built.warnings,
  });
  return { pdf, sessionDate: session.session.date };
}

export interface OverdueRems {
  sessionId: string;
  patientId: string;
  sessionDate: string;
  dueDate: string;
  daysOverdue: number;
  patientName: string;
  mrn: string;
}

/** The most overdue REMS forms one request lists; `total` says how many there are in all. */
export const OVERDUE_REMS_LIST_MAX = 500;

/**
 * Esketamine treatments (discharge recorded) whose REMS form is not marked submitted in time, most
 * overdue first, at most OVERDUE_REMS_LIST_MAX, with the number outstanding in all.
 */
export async function listOverdueRems(ctx: UseCaseContext): Promise<{ items: OverdueRems[]; total: number }> {
  const clinicId = ctx.actor.clinicId;
  const clinic = await getClinic(ctx.tx, clinicId);
  const today = localDateOf(ctx.now, clinic.timeZone);
  const { rows, total } = await listTreatmentsAwaitingRems(ctx.tx, clinicId, {
    datedBefore: remsOverdueIfDatedBefore(today),
    limit: OVERDUE_REMS_LIST_MAX,
  });
  const byId = new Map(rows.map((r) => [r.sessionId, r]));
  const overdue = overdueRemsForms(
    rows.map((r) => ({ sessionId: r.sessionId, sessionDate: r.date })),
    today,
  );
  await recordAudit(ctx, {
    action: 'rems.overdue.list',
    resourceType: 'treatment_session',
    details: { returned: overdue.length, total },
  });
  const items = overdue.map((o) => {
    const r = byId.get(o.sessionId)!;
    return { ...o, patientId: r.patientId, patientName: `${r.givenName} ${r.familyName}`, mrn: r.mrn };
  });
  return { items, total };
}

/** Interaction flags from the patient's current medication list (intake and each session). */
export async function patientInteractions(
  ctx: UseCaseContext,
  input: { patientId: string; modality: Modality },
) {
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const rows = await listMedications(ctx.tx, ctx.actor.clinicId, input.patientId);
  const { meds, notes } = toCoreMedications(rows, localDateOf(ctx.now, clinic.timeZone));
  const flags = interactionFlags(meds, { modality: input.modality });
  await recordAudit(ctx, {
    action: 'interactions.read',
    resourceType: 'patient',
    resourceId: input.patientId,
    details: { flags: flags.length },
  });
  return { flags, notes };
}
