/**
 * Medication taper use cases. The pure core (src/clinical/taper) computes every schedule, every
 * check-in suggestion and every replan; these functions load what the core needs, store its
 * answer as a snapshot (replans are new versions), and audit. HTTP, the CLI and the demo call them.
 */
import type { z } from 'zod';
import { ClinicalInputError } from '../clinical/errors';
import {
  canChangeTaperStatus,
  CHECK_IN_ITEMS,
  DEFAULT_INFUSION_SPACING,
  durationText,
  KETAMINE_BZD_THRESHOLD_MG_DE,
  OCCUPANCY_MODELS,
  TAPER_DRUGS,
  isTaperPlanClosed,
  planStateOn,
  planTaperRequest,
  recordTaperDecision,
  replanAfterDecision,
  suggestTaperDecision,
  taperStartFromMedication,
  type DecisionSuggestion,
  type TaperDecision,
  type TaperPlan,
  type TaperPlanInput,
  type taperPlanRequestSchema,
  type TaperPlanStatus,
  type Severity,
  type WithdrawalCheckIn,
} from '../clinical/taper';
import { taperIcs } from '../interop/taper-ics';
import { taperPdf } from '../interop/taper-pdf';
import { ConflictError, NotFoundError } from '../store/errors';
import { listMedications } from '../store/medications';
import { getPatient } from '../store/patients';
import { listPatientSessionDates } from '../store/sessions';
import { getClinic } from '../store/users';
import {
  addTaperCheckIn,
  addTaperDecision,
  addTaperVersion,
  changeTaperStatus,
  createTaperPlan,
  currentTaperVersion,
  getTaperPlan,
  listTaperCheckIns,
  listTaperDecisions,
  listTaperPlans,
  listTaperStatusHistory,
  listTaperVersions,
  type TaperCheckInRow,
  type TaperPlanRow,
  type TaperPlanVersionRow,
} from '../store/tapers';
import { clinicToday } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';

/** A plan request as the core validates it. */
export type TaperPlanRequest = z.infer<typeof taperPlanRequestSchema>;

export interface TaperRef {
  patientId: string;
  taperId: string;
}

/** Taper writes are prescriptions and records by a person: the acting user is required. */
function actingUser(ctx: UseCaseContext): string {
  if (!ctx.actor.userId) throw new ConflictError('user', 'a taper is changed by a signed-in user');
  return ctx.actor.userId;
}

/** A closed plan takes no more check-ins or decisions: a new course of tapering is a new plan. */
function requireOpen(plan: TaperPlanRow): void {
  if (isTaperPlanClosed(plan.status)) {
    throw new ConflictError('status', `this plan is ${plan.status}; start a new plan instead`);
  }
}

/** The check-ins as the pure core takes them. */
const asHistory = (rows: TaperCheckInRow[]): WithdrawalCheckIn[] =>
  rows.map((c) => ({
    date: c.checkInDate,
    answers: c.answers as WithdrawalCheckIn['answers'],
    tolerable: c.tolerable,
  }));

/** The core's suggestion for a date, from every check-in so far and the plan's last dose change. */
const suggestOn = (history: WithdrawalCheckIn[], schedule: TaperPlan, date: string): DecisionSuggestion =>
  suggestTaperDecision(history, { today: date, lastChangeDate: planStateOn(schedule, date).lastChangeDate });

async function loadCurrent(ctx: UseCaseContext, { patientId, taperId }: TaperRef) {
  const clinicId = ctx.actor.clinicId;
  const plan = await getTaperPlan(ctx.tx, clinicId, patientId, taperId);
  const version = await currentTaperVersion(ctx.tx, clinicId, taperId);
  return { plan, version, schedule: version.plan as TaperPlan, input: version.request as TaperPlanInput };
}

/**
 * The patient's current medications (active, not stopped by today) as starting points for a taper:
 * each with the planner's drug and daily dose as the core reads them, or why it cannot.
 */
export async function taperStartsFromMedications(ctx: UseCaseContext, input: { patientId: string }) {
  const rows = await listMedications(ctx.tx, ctx.actor.clinicId, input.patientId);
  const today = await clinicToday(ctx);
  const current = rows.filter((m) => m.stopDate === null || m.stopDate > today);
  await recordAudit(ctx, {
    action: 'medication.list',
    resourceType: 'patient',
    resourceId: input.patientId,
    details: { purpose: 'taper-start', returned: current.length },
  });
  return current.map((m) => {
    const start = taperStartFromMedication(m);
    return {
      medicationId: m.id,
      name: m.name,
      dose: m.dose,
      doseUnit: m.doseUnit,
      frequency: m.frequency,
      ...start,
      notes: [...start.notes],
    };
  });
}

/** A patient's plans, newest first, each with its current version. */
export async function listPatientTapers(ctx: UseCaseContext, input: { patientId: string }) {
  const rows = await listTaperPlans(ctx.tx, ctx.actor.clinicId, input.patientId);
  await recordAudit(ctx, {
    action: 'taper.list',
    resourceType: 'patient',
    resourceId: input.patientId,
    details: { returned: rows.length },
  });
  return rows;
}

/**
 * Plans a taper with the core and stores it as version 1. Without explicit infusion dates the
 * plan is aligned with the patient's scheduled ketamine sessions from the start date on.
 */
export async function createTaper(
  ctx: UseCaseContext,
  input: { patientId: string; request: TaperPlanRequest },
): Promise<{ plan: TaperPlanRow; version: TaperPlanVersionRow; schedule: TaperPlan }> {
  const clinicId = ctx.actor.clinicId;
  const { patientId, request } = input;
  const userId = actingUser(ctx);
  await getPatient(ctx.tx, clinicId, patientId); // 404 before any planning
  const planned: TaperPlanRequest =
    request.infusionDates === undefined && request.startDate
      ? {
          ...request,
          infusionDates: await listPatientSessionDates(ctx.tx, clinicId, patientId, request.startDate),
        }
      : request;
  const schedule = planTaperRequest(planned);
  const { plan, version } = await createTaperPlan(
    ctx.tx,
    clinicId,
    patientId,
    {
      drug: schedule.drug,
      mode: schedule.mode,
      startDate: schedule.startDate,
      startDoseMg: request.startDoseMg,
      infusionDates: schedule.infusionDates,
      request: { ...planned, drug: schedule.drug },
      plan: schedule,
    },
    userId,
  );
  await recordAudit(ctx, {
    action: 'taper.create',
    resourceType: 'taper_plan',
    resourceId: plan.id,
    details: { steps: schedule.steps.length, mode: schedule.mode },
  });
  return { plan, version, schedule };
}

/** A plan with all its versions (oldest first; the last is in effect) and its status history. */
export async function readTaper(ctx: UseCaseContext, ref: TaperRef) {
  const clinicId = ctx.actor.clinicId;
  const plan = await getTaperPlan(ctx.tx, clinicId, ref.patientId, ref.taperId);
  const versions = await listTaperVersions(ctx.tx, clinicId, ref.taperId);
  const history = await listTaperStatusHistory(ctx.tx, clinicId, ref.taperId);
  await recordAudit(ctx, { action: 'taper.read', resourceType: 'taper_plan', resourceId: ref.taperId });
  return { plan, versions, history };
}

/**
 * A plan's check-ins, decisions and status reasons, with the core's suggestion for the clinic's
 * today (none before the plan starts).
 */
export async function readTaperMonitoring(ctx: UseCaseContext, ref: TaperRef) {
  const clinicId = ctx.actor.clinicId;
  const { schedule } = await loadCurrent(ctx, ref);
  const checkIns = await listTaperCheckIns(ctx.tx, clinicId, ref.taperId);
  const decisions = await listTaperDecisions(ctx.tx, clinicId, ref.taperId);
  const history = await listTaperStatusHistory(ctx.tx, clinicId, ref.taperId);
  const today = await clinicToday(ctx);
  const suggestion = today >= schedule.startDate ? suggestOn(asHistory(checkIns), schedule, today) : null;
  await recordAudit(ctx, {
    action: 'taper.monitoring.read',
    resourceType: 'taper_plan',
    resourceId: ref.taperId,
    details: { checkIns: checkIns.length, decisions: decisions.length },
  });
  return { checkIns, decisions, suggestion, history };
}

export interface TaperCheckInInput {
  date: string;
  /** Item id → severity 0–3; items left out (or undefined) count as 0. */
  answers: Partial<Record<string, Severity>>;
  tolerable: boolean;
  note?: string | undefined;
}

/** The answers given, without the items left out. */
const givenAnswers = (answers: Partial<Record<string, Severity>>): Record<string, Severity> =>
  Object.fromEntries(Object.entries(answers).filter((e): e is [string, Severity] => e[1] !== undefined));

/** Records a weekly withdrawal check-in and answers with the core's suggestion (the prescriber decides). */
export async function recordTaperCheckIn(
  ctx: UseCaseContext,
  input: TaperRef & { checkIn: TaperCheckInInput },
) {
  const userId = actingUser(ctx);
  const { plan, schedule } = await loadCurrent(ctx, input);
  requireOpen(plan);
  const previous = await listTaperCheckIns(ctx.tx, ctx.actor.clinicId, input.taperId);
  const checkIn = { ...input.checkIn, answers: givenAnswers(input.checkIn.answers) };
  const history = [...asHistory(previous), checkIn];
  const suggestion = suggestOn(history, schedule, checkIn.date);
  const row = await addTaperCheckIn(
    ctx.tx,
    ctx.actor.clinicId,
    input.taperId,
    { ...checkIn, suggestion },
    userId,
  );
  await recordAudit(ctx, {
    action: 'taper.check_in.create',
    resourceType: 'taper_plan',
    resourceId: input.taperId,
    details: { suggestion: suggestion.decision, urgentReview: suggestion.urgentReview },
  });
  return { checkIn: row, suggestion };
}

export interface TaperDecisionInput {
  date: string;
  decision: TaperDecision;
  reason: string;
  stepPct?: number | undefined;
  stepPp?: number | undefined;
}

/**
 * Records a prescriber's decision against the core's suggestion for that date; a hold or a
 * step-back replans from the date as a new version linked to the decision.
 */
export async function decideTaper(ctx: UseCaseContext, input: TaperRef & { decision: TaperDecisionInput }) {
  const clinicId = ctx.actor.clinicId;
  const userId = actingUser(ctx);
  const body = input.decision;
  const { plan, version, schedule, input: request } = await loadCurrent(ctx, input);
  requireOpen(plan);
  if (body.decision === 'continue' && (body.stepPct !== undefined || body.stepPp !== undefined)) {
    throw new ClinicalInputError('decision', 'a new step size needs a hold or a step-back');
  }
  const checkIns = await listTaperCheckIns(ctx.tx, clinicId, input.taperId);
  const suggested = suggestOn(asHistory(checkIns), schedule, body.date);
  const record = recordTaperDecision({
    date: body.date,
    suggested,
    decision: body.decision,
    decidedBy: userId,
    reason: body.reason,
  });
  // Compute the replan before writing anything, so a refused replan records nothing.
  const replanned =
    record.decision === 'continue'
      ? null
      : replanAfterDecision(request, schedule, {
          decision: record.decision,
          date: body.date,
          ...(body.stepPct === undefined ? {} : { stepPct: body.stepPct }),
          ...(body.stepPp === undefined ? {} : { stepPp: body.stepPp }),
        });
  const decision = await addTaperDecision(ctx.tx, clinicId, {
    planId: input.taperId,
    versionId: version.id,
    decisionDate: record.date,
    suggested: suggested.decision,
    suggestion: suggested,
    decision: record.decision,
    overridesSuggestion: record.overridesSuggestion,
    reason: record.reason,
    decidedBy: userId,
  });
  let newVersion: TaperPlanVersionRow | null = null;
  if (replanned) {
    const start = replanned.steps[0]!;
    const newRequest: TaperPlanInput = {
      ...request,
      startDate: replanned.startDate,
      startDoseMg: start.targetDoseMg,
      ...(replanned.mode === 'occupancy'
        ? { stepPp: replanned.stepPp ?? undefined }
        : { stepPct: replanned.stepPct ?? undefined }),
    };
    newVersion = await addTaperVersion(
      ctx.tx,
      clinicId,
      version,
      {
        mode: replanned.mode,
        startDate: replanned.startDate,
        startDoseMg: start.targetDoseMg,
        infusionDates: replanned.infusionDates,
        request: newRequest,
        plan: replanned,
        reason: `${record.decision} decided for ${record.date}`,
        decisionId: decision.id,
      },
      userId,
    );
  }
  await recordAudit(ctx, {
    action: 'taper.decision.create',
    resourceType: 'taper_plan',
    resourceId: input.taperId,
    details: {
      decision: record.decision,
      suggested: suggested.decision,
      overridesSuggestion: record.overridesSuggestion,
      newVersion: newVersion?.number ?? null,
    },
  });
  return { decision, newVersion };
}

/** Pauses, resumes, completes or cancels a plan, as the core's lifecycle allows; the old state is kept. */
export async function changeTaperPlanStatus(
  ctx: UseCaseContext,
  input: TaperRef & { change: { status: TaperPlanStatus; reason: string; version?: number | undefined } },
) {
  const clinicId = ctx.actor.clinicId;
  const userId = actingUser(ctx);
  const current = await getTaperPlan(ctx.tx, clinicId, input.patientId, input.taperId);
  if (input.change.version !== undefined && input.change.version !== current.version) {
    throw new ConflictError('version', 'this plan was changed by someone else; reload and try again');
  }
  if (!canChangeTaperStatus(current.status, input.change.status)) {
    throw new ConflictError('status', `a ${current.status} plan cannot become ${input.change.status}`);
  }
  const { plan, from } = await changeTaperStatus(ctx.tx, clinicId, current, input.change, userId);
  const version = await currentTaperVersion(ctx.tx, clinicId, input.taperId);
  await recordAudit(ctx, {
    action: 'taper.status.update',
    resourceType: 'taper_plan',
    resourceId: input.taperId,
    details: { from, to: plan.status },
  });
  return { plan, version };
}

export interface TaperExport {
  version: TaperPlanVersionRow;
  schedule: TaperPlan;
  fileName: string;
}

/** One version of a plan (default: the current one) for a file, audited as an export of it. */
async function loadForExport(
  ctx: UseCaseContext,
  ref: TaperRef & { version?: number | undefined },
  action: string,
) {
  const clinicId = ctx.actor.clinicId;
  const patient = await getPatient(ctx.tx, clinicId, ref.patientId);
  await getTaperPlan(ctx.tx, clinicId, ref.patientId, ref.taperId);
  const versions = await listTaperVersions(ctx.tx, clinicId, ref.taperId);
  const version =
    ref.version === undefined ? versions.at(-1) : versions.find((v) => v.number === ref.version);
  if (!version) throw new NotFoundError('taper plan version');
  await recordAudit(ctx, {
    action,
    resourceType: 'taper_plan',
    resourceId: ref.taperId,
    details: { version: version.number },
  });
  return { patient, version, schedule: version.plan as TaperPlan };
}

/** The plan as a patient-friendly PDF calendar, dated the clinic's today. */
export async function exportTaperPdf(
  ctx: UseCaseContext,
  ref: TaperRef & { version?: number | undefined },
): Promise<TaperExport & { pdf: Buffer }> {
  const { patient, version, schedule } = await loadForExport(ctx, ref, 'taper.export.pdf');
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const pdf = await taperPdf(schedule, {
    patientName: `${patient.givenName} ${patient.familyName}`,
    clinicName: clinic.name,
    clinicPhone: clinic.phone,
    versionNumber: version.number,
    replanned: version.previousVersionId !== null,
    madeOn: await clinicToday(ctx),
  });
  return { version, schedule, pdf, fileName: `${schedule.drug}-taper-v${version.number}.pdf` };
}

/** The dose changes as an iCalendar file: one all-day event per change. */
export async function exportTaperIcs(
  ctx: UseCaseContext,
  ref: TaperRef & { version?: number | undefined },
): Promise<TaperExport & { ics: string }> {
  const { version, schedule } = await loadForExport(ctx, ref, 'taper.export.ics');
  const ics = taperIcs(schedule, { uidPrefix: version.id, replanned: version.previousVersionId !== null });
  return { version, schedule, ics, fileName: `${schedule.drug}-taper-v${version.number}.ics` };
}

/** What the taper planner knows: drugs with their occupancy models and dose forms (with evidence status), the check-in items and the defaults. */
export function taperReference() {
  return {
    drugs: TAPER_DRUGS.map((d) => ({
      name: d.name,
      taperClass: d.taperClass,
      occupancyModels: OCCUPANCY_MODELS.filter((m) => m.drug === d.name).map((m) => ({
        id: m.id,
        region: m.region,
        status: m.status,
      })),
      forms: d.forms.map((f) => ({ id: f.id, label: f.label, status: f.status })),
    })),
    checkInItems: CHECK_IN_ITEMS.map((i) => ({
      id: i.id,
      text: i.text,
      domain: i.domain,
      redFlag: i.redFlag,
    })),
    defaults: {
      noChangeHoursBeforeInfusion: DEFAULT_INFUSION_SPACING.noChangeHoursBeforeInfusion,
      bzdThresholdMgPerDayDe: KETAMINE_BZD_THRESHOLD_MG_DE,
      intervalDays: { min: 14, max: 28 },
    },
  };
}

/** Total duration; plans stored before it was computed get it from their last step. */
export const planDuration = (p: TaperPlan) => {
  const last = p.steps.at(-1);
  const days = p.totalDurationDays ?? last?.day ?? 0;
  return {
    totalDurationDays: days,
    endDate: p.endDate ?? last?.date ?? p.startDate,
    durationText: p.durationText ?? durationText(days),
  };
};
