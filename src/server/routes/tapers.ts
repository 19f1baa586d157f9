/**
 * Medication taper plans over HTTP. The server computes every schedule with the pure core
 * (src/clinical/taper) and stores it as a snapshot; replans are new versions.
 *
 * Access (who may do what, and why):
 * - Create a plan, decide (continue / hold / step-back), pause/resume/complete/cancel: prescribers
 *   and admins. A taper is a prescription change; admins have clinical access (docs/architecture.md).
 * - Record a weekly withdrawal check-in, read check-ins and decisions: clinicians (admin, prescriber,
 *   nurse). Nurses run the weekly check-in calls; front desk does not see symptom answers.
 * - Read plans and download the PDF calendar / ICS file: clinicians only. Every step states a dose,
 *   so a plan is a prescription the front desk does not need; the clinician prints it for the patient.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inClinicAs, type UseCaseContext } from '../../app/context';
import {
  changeTaperPlanStatus,
  createTaper,
  decideTaper,
  exportTaperIcs,
  exportTaperPdf,
  listPatientTapers,
  readTaper,
  planDuration,
  readTaperMonitoring,
  recordTaperCheckIn,
  taperReference,
  taperStartsFromMedications,
} from '../../app/tapers';
import type { DecisionSuggestion, TaperPlan, TaperStep } from '../../clinical/taper';
import type {
  TaperCheckInRow,
  TaperDecisionRow,
  TaperPlanRow,
  TaperPlanVersionRow,
  WithUserName,
} from '../../store/tapers';
import { CLINICAL_READ, CLINICAL_WRITE, PATIENT_READ, PRESCRIBE } from '../access';
import { actorOf, caller } from '../context';
import { errorResponses } from '../dto';
import type {
  suggestionDto,
  taperCheckInDto,
  taperDecisionDto,
  taperScheduleDto,
  taperStepDto,
  taperVersionDto,
} from '../schemas/tapers';
import {
  checkInResultDto,
  decisionResultDto,
  monitoringDto,
  patientParams,
  referenceDto,
  taperCheckInCreateSchema,
  taperCreateSchema,
  taperDecisionCreateSchema,
  taperParams,
  taperPlanDetailDto,
  taperPlanSummaryDto,
  taperStartDto,
  taperStatusChangeSchema,
  versionQuery,
} from '../schemas/tapers';

export const TAPER_PRESCRIBE = PRESCRIBE;
export const TAPER_MONITOR = CLINICAL_WRITE;
/** A taper is a prescription with its doses: clinicians only. */
export const TAPER_READ = CLINICAL_READ;

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

const toSuggestionDto = (s: DecisionSuggestion): z.infer<typeof suggestionDto> => ({
  decision: s.decision,
  ruleId: s.ruleId,
  citation: s.citation,
  reasons: [...s.reasons],
  urgentReview: s.urgentReview,
  basedOn: s.basedOn,
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

const statusHistoryDto = (h: {
  fromStatus: TaperPlanRow['status'];
  changedAt: Date;
  userName: string | null;
}) => ({
  fromStatus: h.fromStatus,
  changedAt: h.changedAt.toISOString(),
  changedByName: h.userName,
});

export async function taperRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  /** Runs a use case as the request's user, in the user's clinic, at the server's clock. */
  const run = <T>(request: FastifyRequest, fn: (ctx: UseCaseContext) => Promise<T>) =>
    inClinicAs(app.store.db, actorOf(request), app.now(), fn);

  app.get(
    '/api/tapers/reference',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['tapers'],
        summary:
          'Drugs, occupancy models and dose forms the taper planner knows (with status), and the check-in items',
        response: { 200: referenceDto, ...errorResponses },
      },
    },
    async () => taperReference(),
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
      const rows = await run(request, (ctx) => listPatientTapers(ctx, request.params));
      return { items: rows.map((r) => toSummaryDto(r.plan, r.current)) };
    },
  );

  app.get(
    '/api/patients/:patientId/taper-starts',
    {
      config: { access: TAPER_READ },
      schema: {
        tags: ['tapers'],
        summary:
          "The patient's current medications as taper starting points: the planner's drug and mg a day, or why not",
        params: patientParams,
        response: { 200: z.object({ items: z.array(taperStartDto) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await run(request, (ctx) => taperStartsFromMedications(ctx, request.params)),
    }),
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
      const { plan, version } = await run(request, (ctx) =>
        createTaper(ctx, { patientId: request.params.patientId, request: request.body }),
      );
      return reply
        .status(201)
        .send({ ...toSummaryDto(plan, version), versions: [toVersionDto(version)], statusHistory: [] });
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
      const { plan, versions, history } = await run(request, (ctx) => readTaper(ctx, request.params));
      return {
        ...toSummaryDto(plan, versions.at(-1)!),
        versions: versions.map(toVersionDto),
        statusHistory: history.map(statusHistoryDto),
      };
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
        response: { 200: monitoringDto, ...errorResponses },
      },
    },
    async (request) => {
      const m = await run(request, (ctx) => readTaperMonitoring(ctx, request.params));
      return {
        checkIns: m.checkIns.map(toCheckInDto),
        decisions: m.decisions.map(toDecisionDto),
        suggestion: m.suggestion && toSuggestionDto(m.suggestion),
        statusReasons: m.history.map((h) => ({ ...statusHistoryDto(h), reason: h.reason })),
      };
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
        response: { 201: checkInResultDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const r = await run(request, (ctx) =>
        recordTaperCheckIn(ctx, { ...request.params, checkIn: request.body }),
      );
      return reply.status(201).send({
        checkIn: toCheckInDto({ ...r.checkIn, userName: caller(request).name }),
        suggestion: toSuggestionDto(r.suggestion),
      });
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
        response: { 201: decisionResultDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const r = await run(request, (ctx) => decideTaper(ctx, { ...request.params, decision: request.body }));
      return reply.status(201).send({
        decision: toDecisionDto({ ...r.decision, userName: caller(request).name }),
        newVersion: r.newVersion && toVersionDto(r.newVersion),
      });
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
      const { plan, version } = await run(request, (ctx) =>
        changeTaperPlanStatus(ctx, { ...request.params, change: request.body }),
      );
      return toSummaryDto(plan, version);
    },
  );

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
      const { pdf, fileName } = await run(request, (ctx) =>
        exportTaperPdf(ctx, { ...request.params, version: request.query.version }),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${fileName}"`)
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
      const { ics, fileName } = await run(request, (ctx) =>
        exportTaperIcs(ctx, { ...request.params, version: request.query.version }),
      );
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(ics as never); // text/calendar, not JSON
    },
  );
}
