/**
 * Medication taper plans over HTTP. The server computes every schedule with the pure core
 * (src/clinical/taper) and stores it as a snapshot; replans are new versions.
 *
 * Access (who may do what, and why):
 * - Create a plan, decide (continue / hold / step-back), pause/resume/complete/cancel: prescribers
 *   and admins. A taper is a prescription change; admins have clinical access (docs/architecture.md).
 * - Record a weekly withdrawal check-in, read check-ins and decisions: clinicians (admin, prescriber,
 *   nurse). Nurses run the weekly check-in calls; front desk does not see symptom answers.
 * - Read plans and download the PDF calendar / ICS file: all staff, front desk included, so the
 *   desk can print the calendar for a patient. What staff see is what the patient is given (the
 *   schedule); replan versions carry no free-text reason, only the decision they came from.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clinicToday } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import {
  CHECK_IN_ITEMS,
  OCCUPANCY_MODELS,
  TAPER_DRUGS,
  DEFAULT_INFUSION_SPACING,
  durationText,
  KETAMINE_BZD_THRESHOLD_MG_DE,
  planStateOn,
  planTaperRequest,
  recordTaperDecision,
  replanAfterDecision,
  suggestTaperDecision,
  type DecisionSuggestion,
  type TaperPlan,
  type TaperPlanInput,
  type TaperStep,
  type WithdrawalCheckIn,
} from '../../clinical/taper';
import { taperIcs } from '../../interop/taper-ics';
import { taperPdf } from '../../interop/taper-pdf';
import {
  taperCheckInCreateSchema,
  taperCreateSchema,
  taperDecisionCreateSchema,
  taperStatusChangeSchema,
  type TaperCreate,
} from '../../store/inputs-taper';
import { getPatient } from '../../store/patients';
import { getClinic } from '../../store/users';
import { listPatientSessionDates } from '../../store/sessions';
import { TAPER_PLAN_STATUSES } from '../../store/schema-taper';
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
  type TaperDecisionRow,
  type TaperPlanRow,
  type TaperPlanVersionRow,
  type WithUserName,
} from '../../store/tapers';
import { inClinic, type Tx } from '../../store/tx';
import { PATIENT_READ, roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';
import { HttpError } from '../http-errors';

export const TAPER_PRESCRIBE = roles('admin', 'prescriber');
export const TAPER_MONITOR = roles('admin', 'prescriber', 'nurse');
export const TAPER_READ = PATIENT_READ;

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const taperParams = patientParams.extend({ taperId: z.uuid({ error: 'must be a taper plan id (UUID)' }) });
const versionQuery = z.object({
  version: z.coerce.number().int().min(1).optional().describe('Plan version number (default: current)'),
});

const status = z.enum(['V', 'S', 'U', 'D']);

export const taperStepDto = z.object({
  index: z.int(),
  day: z.int(),
  date: z.string(),
  targetDoseMg: z.number(),
  doseMg: z.number().nullable(),
  targetOccupancyPct: z.number().nullable(),
  occupancyPct: z.number().nullable(),
  cutPct: z.number().nullable(),
  deliverable: z.boolean(),
  how: z.string(),
  kind: z.enum(['start', 'reduce', 'stop']),
  limitedBy: z.string().nullable(),
  shiftedFromDate: z.string().nullable(),
  shiftReason: z.string().nullable(),
  problems: z.array(z.string()),
  formStatuses: z.array(status),
  administration: z.string().nullable(),
  take: z
    .object({
      timesPerDay: z.int(),
      perDoseMg: z.number(),
      eachTime: z.string(),
      text: z.string().describe('What to take each time and how often, e.g. "1 × … tablet twice a day"'),
    })
    .nullable(),
  preparation: z
    .object({ method: z.literal('compounded'), text: z.string(), citation: z.string(), status })
    .nullable()
    .describe('Set when no listed product gives the dose: a compounding pharmacy makes it'),
  formSwitch: z
    .object({
      from: z.string(),
      to: z.string(),
      equivalence: z.string(),
      citation: z.string(),
      status,
    })
    .nullable()
    .describe('Set on the step where the plan changes release form'),
  capPct: z.number().nullable(),
});

export const taperScheduleDto = z.object({
  drug: z.string(),
  taperClass: z.enum(['antidepressant', 'benzodiazepine']),
  mode: z.enum(['occupancy', 'proportional']),
  stepPp: z.number().nullable(),
  stepPct: z.number().nullable(),
  intervalDays: z.int(),
  maxCutPct: z.number(),
  startDate: z.string(),
  model: z
    .object({
      id: z.string(),
      region: z.string(),
      emaxPct: z.number(),
      ed50Mg: z.number(),
      status,
      note: z.string(),
    })
    .nullable(),
  finalDoseMg: z.number().nullable(),
  finalDoseSource: z.object({ text: z.string(), status: z.string(), citation: z.string() }).nullable(),
  release: z.string().nullable(),
  dosesPerDay: z.int(),
  dosesPerDaySource: z.object({ text: z.string(), status: z.string(), citation: z.string() }),
  status: z.enum(['complete', 'ends-before-zero']),
  endReason: z.string().nullable(),
  totalDurationDays: z.int(),
  endDate: z.string(),
  durationText: z.string(),
  steps: z.array(taperStepDto),
  undeliverableSteps: z.int(),
  compoundedSteps: z.int(),
  formSwitches: z.int(),
  infusionDates: z.array(z.string()),
  infusionSpacing: z.object({
    noChangeHoursBeforeInfusion: z.number(),
    noChangeHoursAfterInfusion: z.number(),
  }),
  infusionFlags: z.array(
    z.object({
      date: z.string(),
      planDoseMg: z.number().nullable(),
      level: z.enum(['above', 'possibly-above', 'not-above']),
      lowMgPerDayDe: z.number(),
      highMgPerDayDe: z.number(),
      thresholdMgPerDay: z.number(),
      ruleId: z.string(),
      citation: z.string(),
    }),
  ),
  rules: z.array(z.object({ id: z.string(), text: z.string(), citation: z.string(), status })),
  warnings: z.array(z.string()),
});

const toStepDto = (s: TaperStep): z.infer<typeof taperStepDto> => ({
  index: s.index,
  day: s.day,
  date: s.date,
  targetDoseMg: s.targetDoseMg,
  doseMg: s.doseMg,
  targetOccupancyPct: s.targetOccupancyPct,
  occupancyPct: s.occupancyPct,
  cutPct: s.cutPct,
  deliverable: s.deliverable,
  how: s.how,
  kind: s.kind,
  limitedBy: s.limitedBy ?? null,
  shiftedFromDate: s.shiftedFromDate ?? null,
  shiftReason: s.shiftReason ?? null,
  problems: [...s.problems],
  formStatuses: [...(s.realisation?.formStatuses ?? [])],
  administration: s.realisation?.administration ?? null,
  take: s.take ? { ...s.take } : null,
  preparation: s.preparation ? { ...s.preparation } : null,
  formSwitch: s.formSwitch ? { ...s.formSwitch } : null,
  capPct: s.capPct ?? null,
});

/** Total duration; plans stored before it was computed get it from their last step. */
const planDuration = (p: TaperPlan) => {
  const last = p.steps.at(-1);
  const days = p.totalDurationDays ?? last?.day ?? 0;
  return {
    totalDurationDays: days,
    endDate: p.endDate ?? last?.date ?? p.startDate,
    durationText: p.durationText ?? durationText(days),
  };
};

const toScheduleDto = (p: TaperPlan): z.infer<typeof taperScheduleDto> => ({
  drug: p.drug,
  taperClass: p.taperClass,
  mode: p.mode,
  stepPp: p.stepPp,
  stepPct: p.stepPct,
  intervalDays: p.intervalDays,
  maxCutPct: p.maxCutPct,
  startDate: p.startDate,
  model: p.model && {
    id: p.model.id,
    region: p.model.region,
    emaxPct: p.model.emaxPct,
    ed50Mg: p.model.ed50Mg,
    status: p.model.status,
    note: p.model.note,
  },
  finalDoseMg: p.finalDoseMg,
  finalDoseSource: p.finalDoseSource ? { ...p.finalDoseSource } : null,
  release: p.release ?? null,
  dosesPerDay: p.dosesPerDay ?? 1,
  dosesPerDaySource: p.dosesPerDaySource
    ? { ...p.dosesPerDaySource }
    : { text: 'not recorded (plan made before doses a day were planned)', status: 'U', citation: '' },
  status: p.status ?? 'complete',
  endReason: p.endReason ?? null,
  ...planDuration(p),
  steps: p.steps.map(toStepDto),
  undeliverableSteps: p.undeliverableSteps,
  compoundedSteps: p.compoundedSteps ?? 0,
  formSwitches: p.formSwitches ?? 0,
  infusionDates: [...p.infusionDates],
  infusionSpacing: { ...p.infusionSpacing },
  infusionFlags: p.infusionFlags.map((f) => ({
    date: f.date,
    planDoseMg: f.planDoseMg,
    level: f.level,
    lowMgPerDayDe: f.lowMgPerDayDe,
    highMgPerDayDe: f.highMgPerDayDe,
    thresholdMgPerDay: f.thresholdMgPerDay,
    ruleId: f.ruleId,
    citation: f.citation,
  })),
  rules: p.rules.map((r) => ({ ...r })),
  warnings: [...p.warnings],
});

export const taperVersionDto = z.object({
  id: z.uuid(),
  number: z.int(),
  previousVersionId: z.uuid().nullable(),
  decisionId: z.uuid().nullable(),
  reason: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  schedule: taperScheduleDto,
});

const toVersionDto = (v: TaperPlanVersionRow): z.infer<typeof taperVersionDto> => ({
  id: v.id,
  number: v.number,
  previousVersionId: v.previousVersionId,
  decisionId: v.decisionId,
  reason: v.reason,
  createdBy: v.createdBy,
  createdAt: v.createdAt.toISOString(),
  schedule: toScheduleDto(v.plan as TaperPlan),
});

export const taperPlanSummaryDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  drug: z.string(),
  status: z.enum(TAPER_PLAN_STATUSES),
  version: z.int().describe('Row version of the plan (status changes)'),
  createdBy: z.uuid(),
  createdAt: z.string(),
  currentVersion: z.int(),
  startDate: z.string(),
  startDoseMg: z.number(),
  mode: z.enum(['occupancy', 'proportional']),
  stepCount: z.int(),
  endDate: z.string(),
  totalDurationDays: z.int(),
  durationText: z.string(),
  planStatus: z
    .enum(['complete', 'ends-before-zero'])
    .describe('complete: ends with a stop from the final dose; ends-before-zero: stops with a reason'),
  undeliverableSteps: z.int(),
  compoundedSteps: z.int(),
  infusionFlags: z.int(),
});

const toSummaryDto = (p: TaperPlanRow, v: TaperPlanVersionRow): z.infer<typeof taperPlanSummaryDto> => {
  const plan = v.plan as TaperPlan;
  return {
    id: p.id,
    patientId: p.patientId,
    drug: p.drug,
    status: p.status,
    version: p.version,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    currentVersion: v.number,
    startDate: v.startDate,
    startDoseMg: v.startDoseMg,
    mode: v.mode as 'occupancy' | 'proportional',
    stepCount: plan.steps.length,
    ...planDuration(plan),
    planStatus: plan.status ?? 'complete',
    undeliverableSteps: plan.undeliverableSteps,
    compoundedSteps: plan.compoundedSteps ?? 0,
    infusionFlags: plan.infusionFlags.length,
  };
};

const suggestionDto = z.object({
  decision: z.enum(['continue', 'hold', 'step-back']),
  ruleId: z.string(),
  citation: z.string(),
  reasons: z.array(z.string()),
  urgentReview: z.boolean(),
  basedOn: z.string().nullable(),
});

const toSuggestionDto = (s: DecisionSuggestion): z.infer<typeof suggestionDto> => ({
  decision: s.decision,
  ruleId: s.ruleId,
  citation: s.citation,
  reasons: [...s.reasons],
  urgentReview: s.urgentReview,
  basedOn: s.basedOn,
});

export const taperCheckInDto = z.object({
  id: z.uuid(),
  date: z.string(),
  answers: z.record(z.string(), z.int()),
  tolerable: z.boolean(),
  note: z.string().nullable(),
  suggestion: suggestionDto,
  recordedBy: z.uuid(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
});
const toCheckInDto = (c: TaperCheckInRow & Partial<WithUserName>): z.infer<typeof taperCheckInDto> => ({
  id: c.id,
  date: c.checkInDate,
  answers: c.answers as Record<string, number>,
  tolerable: c.tolerable,
  note: c.note,
  suggestion: toSuggestionDto(c.suggestion as DecisionSuggestion),
  recordedBy: c.recordedBy,
  recordedByName: c.userName ?? null,
  createdAt: c.createdAt.toISOString(),
});

export const taperDecisionDto = z.object({
  id: z.uuid(),
  date: z.string(),
  versionId: z.uuid(),
  suggested: z.enum(['continue', 'hold', 'step-back']),
  suggestion: suggestionDto,
  decision: z.enum(['continue', 'hold', 'step-back']),
  overridesSuggestion: z.boolean(),
  reason: z.string(),
  decidedBy: z.uuid(),
  decidedByName: z.string().nullable(),
  createdAt: z.string(),
});
const toDecisionDto = (d: TaperDecisionRow & Partial<WithUserName>): z.infer<typeof taperDecisionDto> => ({
  id: d.id,
  date: d.decisionDate,
  versionId: d.versionId,
  suggested: d.suggested as DecisionSuggestion['decision'],
  suggestion: toSuggestionDto(d.suggestion as DecisionSuggestion),
  decision: d.decision as DecisionSuggestion['decision'],
  overridesSuggestion: d.overridesSuggestion,
  reason: d.reason,
  decidedBy: d.decidedBy,
  decidedByName: d.userName ?? null,
  createdAt: d.createdAt.toISOString(),
});

export const taperPlanDetailDto = taperPlanSummaryDto.extend({
  versions: z.array(taperVersionDto),
  statusHistory: z.array(
    z.object({
      fromStatus: z.enum(TAPER_PLAN_STATUSES),
      changedAt: z.string(),
      changedByName: z.string().nullable(),
    }),
  ),
});

const referenceDto = z.object({
  drugs: z.array(
    z.object({
      name: z.string(),
      taperClass: z.enum(['antidepressant', 'benzodiazepine']),
      occupancyModels: z.array(z.object({ id: z.string(), region: z.string(), status })),
      forms: z.array(z.object({ id: z.string(), label: z.string(), status })),
    }),
  ),
  checkInItems: z.array(
    z.object({ id: z.string(), text: z.string(), domain: z.string(), redFlag: z.boolean() }),
  ),
  defaults: z.object({
    noChangeHoursBeforeInfusion: z.number(),
    bzdThresholdMgPerDayDe: z.number(),
    intervalDays: z.object({ min: z.int(), max: z.int() }),
  }),
});

/** The check-ins as the pure core takes them. */
const asHistory = (rows: TaperCheckInRow[]): WithdrawalCheckIn[] =>
  rows.map((c) => ({
    date: c.checkInDate,
    answers: c.answers as WithdrawalCheckIn['answers'],
    tolerable: c.tolerable,
  }));

async function loadCurrent(tx: Tx, clinicId: string, patientId: string, taperId: string) {
  const plan = await getTaperPlan(tx, clinicId, patientId, taperId);
  const version = await currentTaperVersion(tx, clinicId, taperId);
  return { plan, version, schedule: version.plan as TaperPlan, input: version.request as TaperPlanInput };
}

export async function taperRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  app.get(
    '/api/tapers/reference',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary:
          'Drugs, occupancy models and dose forms the taper planner knows (with status), and the check-in items',
        response: { 200: referenceDto, ...errorResponses },
      },
    },
    async () => ({
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
    }),
  );

  app.get(
    '/api/patients/:patientId/tapers',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary: "A patient's taper plans, newest first, each summarised from its current version",
        params: patientParams,
        response: { 200: z.object({ items: z.array(taperPlanSummaryDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listTaperPlans(tx, me.clinicId, patientId);
        await audit(tx, request, {
          action: 'taper.list',
          resourceType: 'patient',
          resourceId: patientId,
          details: { returned: rows.length },
        });
        return { items: rows.map((r) => toSummaryDto(r.plan, r.current)) };
      });
    },
  );

  app.post(
    '/api/patients/:patientId/tapers',
    {
      config: { access: TAPER_PRESCRIBE },
      schema: {
        tags: ['tapers'],
        summary: 'Create a taper plan: the server computes the schedule with the pure planner and stores it',
        params: patientParams,
        body: taperCreateSchema,
        response: { 201: taperPlanDetailDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId } = request.params;
      const body: TaperCreate = request.body;
      const detail = await inClinic(db(), me.clinicId, async (tx) => {
        await getPatient(tx, me.clinicId, patientId); // 404 before any planning
        // Aligned with the ketamine course: without explicit dates, the patient's scheduled sessions.
        const planned: TaperCreate =
          body.infusionDates === undefined && body.startDate
            ? {
                ...body,
                infusionDates: await listPatientSessionDates(tx, me.clinicId, patientId, body.startDate),
              }
            : body;
        const schedule = planTaperRequest(planned);
        const { plan, version } = await createTaperPlan(
          tx,
          me.clinicId,
          patientId,
          {
            drug: schedule.drug,
            mode: schedule.mode,
            startDate: schedule.startDate,
            startDoseMg: body.startDoseMg,
            infusionDates: schedule.infusionDates,
            request: { ...planned, drug: schedule.drug },
            plan: schedule,
          },
          me.userId,
        );
        await audit(tx, request, {
          action: 'taper.create',
          resourceType: 'taper_plan',
          resourceId: plan.id,
          details: { steps: schedule.steps.length, mode: schedule.mode },
        });
        return { ...toSummaryDto(plan, version), versions: [toVersionDto(version)], statusHistory: [] };
      });
      return reply.status(201).send(detail);
    },
  );

  app.get(
    '/api/patients/:patientId/tapers/:taperId',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary: 'Read a taper plan with all its versions (oldest first; the last is in effect)',
        params: taperParams,
        response: { 200: taperPlanDetailDto, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId, taperId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const plan = await getTaperPlan(tx, me.clinicId, patientId, taperId);
        const versions = await listTaperVersions(tx, me.clinicId, taperId);
        const history = await listTaperStatusHistory(tx, me.clinicId, taperId);
        await audit(tx, request, { action: 'taper.read', resourceType: 'taper_plan', resourceId: taperId });
        return {
          ...toSummaryDto(plan, versions.at(-1)!),
          versions: versions.map(toVersionDto),
          statusHistory: history.map((h) => ({
            fromStatus: h.fromStatus,
            changedAt: h.changedAt.toISOString(),
            changedByName: h.userName,
          })),
        };
      });
    },
  );

  app.get(
    '/api/patients/:patientId/tapers/:taperId/monitoring',
    {
      config: { access: TAPER_MONITOR },
      schema: {
        tags: ['tapers'],
        summary:
          "A plan's withdrawal check-ins and decisions (who, why, suggested vs chosen), and today's suggestion",
        params: taperParams,
        response: {
          200: z.object({
            checkIns: z.array(taperCheckInDto),
            decisions: z.array(taperDecisionDto),
            suggestion: suggestionDto.nullable(),
            statusReasons: z.array(
              z.object({
                fromStatus: z.enum(TAPER_PLAN_STATUSES),
                changedAt: z.string(),
                changedByName: z.string().nullable(),
                reason: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId, taperId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const { schedule } = await loadCurrent(tx, me.clinicId, patientId, taperId);
        const checkIns = await listTaperCheckIns(tx, me.clinicId, taperId);
        const decisions = await listTaperDecisions(tx, me.clinicId, taperId);
        const history = await listTaperStatusHistory(tx, me.clinicId, taperId);
        const today = clinicToday(app.now(), (await getClinic(tx, me.clinicId)).timeZone);
        const suggestion =
          today >= schedule.startDate
            ? suggestTaperDecisionDto(asHistory(checkIns), {
                today,
                lastChangeDate: planStateOn(schedule, today).lastChangeDate,
              })
            : null;
        await audit(tx, request, {
          action: 'taper.monitoring.read',
          resourceType: 'taper_plan',
          resourceId: taperId,
          details: { checkIns: checkIns.length, decisions: decisions.length },
        });
        return {
          checkIns: checkIns.map(toCheckInDto),
          decisions: decisions.map(toDecisionDto),
          suggestion,
          statusReasons: history.map((h) => ({
            fromStatus: h.fromStatus,
            changedAt: h.changedAt.toISOString(),
            changedByName: h.userName,
            reason: h.reason,
          })),
        };
      });
    },
  );

  app.post(
    '/api/patients/:patientId/tapers/:taperId/check-ins',
    {
      config: { access: TAPER_MONITOR },
      schema: {
        tags: ['tapers'],
        summary:
          'Record a weekly withdrawal check-in; answers with the rule-based suggestion (the prescriber decides)',
        params: taperParams,
        body: taperCheckInCreateSchema,
        response: {
          201: z.object({ checkIn: taperCheckInDto, suggestion: suggestionDto }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId, taperId } = request.params;
      const result = await inClinic(db(), me.clinicId, async (tx) => {
        const { plan, schedule } = await loadCurrent(tx, me.clinicId, patientId, taperId);
        requireOpen(plan);
        const previous = await listTaperCheckIns(tx, me.clinicId, taperId);
        const history = [
          ...asHistory(previous),
          { ...request.body, answers: request.body.answers as WithdrawalCheckIn['answers'] },
        ];
        const suggestion = suggestTaperDecision(history, {
          today: request.body.date,
          lastChangeDate: planStateOn(schedule, request.body.date).lastChangeDate,
        });
        const row = await addTaperCheckIn(
          tx,
          me.clinicId,
          taperId,
          { ...request.body, suggestion },
          me.userId,
        );
        await audit(tx, request, {
          action: 'taper.check_in.create',
          resourceType: 'taper_plan',
          resourceId: taperId,
          details: { suggestion: suggestion.decision, urgentReview: suggestion.urgentReview },
        });
        return {
          checkIn: toCheckInDto({ ...row, userName: me.name }),
          suggestion: toSuggestionDto(suggestion),
        };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/patients/:patientId/tapers/:taperId/decisions',
    {
      config: { access: TAPER_PRESCRIBE },
      schema: {
        tags: ['tapers'],
        summary:
          'Record a decision (continue / hold / step-back) with why; hold and step-back replan from the date as a new version',
        params: taperParams,
        body: taperDecisionCreateSchema,
        response: {
          201: z.object({ decision: taperDecisionDto, newVersion: taperVersionDto.nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId, taperId } = request.params;
      const body = request.body;
      const result = await inClinic(db(), me.clinicId, async (tx) => {
        const { plan, version, schedule, input } = await loadCurrent(tx, me.clinicId, patientId, taperId);
        requireOpen(plan);
        if (body.decision === 'continue' && (body.stepPct !== undefined || body.stepPp !== undefined)) {
          throw new ClinicalInputError('decision', 'a new step size needs a hold or a step-back');
        }
        const checkIns = await listTaperCheckIns(tx, me.clinicId, taperId);
        const suggested = suggestTaperDecision(asHistory(checkIns), {
          today: body.date,
          lastChangeDate: planStateOn(schedule, body.date).lastChangeDate,
        });
        const record = recordTaperDecision({
          date: body.date,
          suggested,
          decision: body.decision,
          decidedBy: me.userId,
          reason: body.reason,
        });
        // Compute the replan before writing anything, so a refused replan records nothing.
        const replanned =
          record.decision === 'continue'
            ? null
            : replanAfterDecision(input, schedule, {
                decision: record.decision,
                date: body.date,
                ...(body.stepPct === undefined ? {} : { stepPct: body.stepPct }),
                ...(body.stepPp === undefined ? {} : { stepPp: body.stepPp }),
              });
        const decision = await addTaperDecision(tx, me.clinicId, {
          planId: taperId,
          versionId: version.id,
          decisionDate: record.date,
          suggested: suggested.decision,
          suggestion: suggested,
          decision: record.decision,
          overridesSuggestion: record.overridesSuggestion,
          reason: record.reason,
          decidedBy: me.userId,
        });
        let newVersion: TaperPlanVersionRow | null = null;
        if (replanned) {
          const start = replanned.steps[0]!;
          const newInput: TaperPlanInput = {
            ...input,
            startDate: replanned.startDate,
            startDoseMg: start.targetDoseMg,
            ...(replanned.mode === 'occupancy'
              ? { stepPp: replanned.stepPp ?? undefined }
              : { stepPct: replanned.stepPct ?? undefined }),
          };
          newVersion = await addTaperVersion(
            tx,
            me.clinicId,
            version,
            {
              mode: replanned.mode,
              startDate: replanned.startDate,
              startDoseMg: start.targetDoseMg,
              infusionDates: replanned.infusionDates,
              request: newInput,
              plan: replanned,
              reason: `${record.decision} decided for ${record.date}`,
              decisionId: decision.id,
            },
            me.userId,
          );
        }
        await audit(tx, request, {
          action: 'taper.decision.create',
          resourceType: 'taper_plan',
          resourceId: taperId,
          details: {
            decision: record.decision,
            suggested: suggested.decision,
            overridesSuggestion: record.overridesSuggestion,
            newVersion: newVersion?.number ?? null,
          },
        });
        return {
          decision: toDecisionDto({ ...decision, userName: me.name }),
          newVersion: newVersion && toVersionDto(newVersion),
        };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/patients/:patientId/tapers/:taperId/status',
    {
      config: { access: TAPER_PRESCRIBE },
      schema: {
        tags: ['tapers'],
        summary: 'Pause, resume, complete or cancel a plan (with why); the previous state is kept',
        params: taperParams,
        body: taperStatusChangeSchema,
        response: { 200: taperPlanSummaryDto, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId, taperId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const { plan, from } = await changeTaperStatus(
          tx,
          me.clinicId,
          patientId,
          taperId,
          request.body,
          me.userId,
        );
        const version = await currentTaperVersion(tx, me.clinicId, taperId);
        await audit(tx, request, {
          action: 'taper.status.update',
          resourceType: 'taper_plan',
          resourceId: taperId,
          details: { from, to: plan.status },
        });
        return toSummaryDto(plan, version);
      });
    },
  );

  const loadForExport = async (
    request: FastifyRequest,
    { patientId, taperId }: { patientId: string; taperId: string },
    wanted: number | undefined,
    action: string,
  ) => {
    const me = caller(request);
    return inClinic(db(), me.clinicId, async (tx) => {
      const patient = await getPatient(tx, me.clinicId, patientId);
      await getTaperPlan(tx, me.clinicId, patientId, taperId);
      const versions = await listTaperVersions(tx, me.clinicId, taperId);
      const version = wanted === undefined ? versions.at(-1)! : versions.find((v) => v.number === wanted);
      if (!version) throw new HttpError(404, 'not_found', 'taper plan version not found');
      await audit(tx, request, {
        action,
        resourceType: 'taper_plan',
        resourceId: taperId,
        details: { version: version.number },
      });
      const today = clinicToday(app.now(), (await getClinic(tx, me.clinicId)).timeZone);
      return { patient, version, schedule: version.plan as TaperPlan, today };
    });
  };

  app.get(
    '/api/patients/:patientId/tapers/:taperId/pdf',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary: 'The plan as a patient-friendly PDF calendar (application/pdf)',
        params: taperParams,
        querystring: versionQuery,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { patient, version, schedule, today } = await loadForExport(
        request,
        request.params,
        request.query.version,
        'taper.export.pdf',
      );
      const pdf = await taperPdf(schedule, {
        patientName: `${patient.givenName} ${patient.familyName}`,
        versionNumber: version.number,
        replanned: version.previousVersionId !== null,
        madeOn: today,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${schedule.drug}-taper-v${version.number}.pdf"`)
        .send(pdf as never); // binary: Fastify sends Buffers as they are
    },
  );

  app.get(
    '/api/patients/:patientId/tapers/:taperId/ics',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary: 'The dose changes as an iCalendar file: one all-day event per change (text/calendar)',
        params: taperParams,
        querystring: versionQuery,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { version, schedule } = await loadForExport(
        request,
        request.params,
        request.query.version,
        'taper.export.ics',
      );
      const ics = taperIcs(schedule, {
        uidPrefix: version.id,
        replanned: version.previousVersionId !== null,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${schedule.drug}-taper-v${version.number}.ics"`)
        .send(ics as never); // text/calendar, not JSON
    },
  );
}

function suggestTaperDecisionDto(
  ...args: Parameters<typeof suggestTaperDecision>
): z.infer<typeof suggestionDto> {
  return toSuggestionDto(suggestTaperDecision(...args));
}

function requireOpen(plan: TaperPlanRow): void {
  if (plan.status === 'completed' || plan.status === 'cancelled') {
    throw new HttpError(409, 'conflict', `this plan is ${plan.status}; start a new plan instead`);
  }
}
