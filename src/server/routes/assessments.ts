/**
 * Measurement-based care over HTTP: instrument definitions for forms, recording and
 * correcting responses, the patient's trajectory with response/remission from the clinical core,
 * and the due lists. Every read or write of patient data is audited in the same transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assessRemission,
  assessResponse,
  DEFAULT_REMISSION_THRESHOLDS,
  DEFAULT_RESPONSE_MIN_FALL_PERCENT,
  instrumentDefinitionSchema,
  instrumentIdSchema,
  instruments,
  renderDefinition,
  scoreResultSchema,
  clinicRemissionThresholds,
  type DueAssessment,
  type InstrumentId,
  type RemissionThreshold,
} from '../../clinical/instruments';
import { baselineAssessment } from '../../clinical/outcomes';
import { getSessionSettings } from '../../store/courses';
import {
  actionable,
  correctAssessment,
  dueForClinic,
  dueForPatient,
  listAssessments,
  listScheduleSessions,
  listVersions,
  recordAssessment,
  type AssessmentWithItems,
} from '../../store/assessments';
import { assessmentCorrectionSchema, assessmentCreateSchema } from '../../store/inputs-measurement';
import { ALERT_KINDS, ASSESSMENT_CONTEXTS, RESPONDENTS } from '../../store/schema-measurement';
import { listEventsOfKinds } from '../../store/sessions';
import { inClinic } from '../../store/tx';
import type { Alert } from '../../store/alerts';
import { ANY_STAFF, CLINICAL_WRITE, PATIENT_READ } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const responseParams = patientParams.extend({
  responseId: z.uuid({ error: 'must be an assessment id (UUID)' }),
});

export const itemAnswerDto = z.object({
  itemId: z.string(),
  value: z.number().int().nullable(),
  suicideItem: z.boolean(),
  positive: z.boolean().nullable(),
});

export const assessmentDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  instrument: instrumentIdSchema,
  instrumentVersion: z.string(),
  context: z.enum(ASSESSMENT_CONTEXTS),
  sessionId: z.uuid().nullable(),
  administeredAt: z.string(),
  respondent: z.enum(RESPONDENTS),
  enteredBy: z.uuid().nullable(),
  portalLinkId: z.uuid().nullable(),
  totalScore: z.number().int().nullable(),
  severity: z.string().nullable(),
  cssrsRisk: z.enum(['none', 'low', 'moderate', 'high']).nullable(),
  flags: z.array(z.string()),
  suicidality: z.boolean(),
  /** Null for the whole instrument; else the only items asked (no total then). */
  partialItemIds: z.array(z.string()).nullable(),
  version: z.int(),
  rootId: z.uuid(),
  supersedesId: z.uuid().nullable(),
  correctionReason: z.string().nullable(),
  current: z.boolean(),
  createdAt: z.string(),
  items: z.array(itemAnswerDto),
});
type AssessmentDto = z.infer<typeof assessmentDto>;

export const toAssessmentDto = (a: AssessmentWithItems): AssessmentDto => ({
  id: a.id,
  patientId: a.patientId,
  instrument: a.instrument as InstrumentId,
  instrumentVersion: a.instrumentVersion,
  context: a.context,
  sessionId: a.sessionId,
  administeredAt: a.administeredAt.toISOString(),
  respondent: a.respondent,
  enteredBy: a.enteredBy,
  portalLinkId: a.portalLinkId,
  totalScore: a.totalScore,
  severity: a.severity,
  cssrsRisk: a.cssrsRisk as AssessmentDto['cssrsRisk'],
  flags: a.flags,
  suicidality: a.suicidality,
  partialItemIds: a.partialItemIds,
  version: a.version,
  rootId: a.rootId,
  supersedesId: a.supersedesId,
  correctionReason: a.correctionReason,
  current: a.current,
  createdAt: a.createdAt.toISOString(),
  items: a.items.map((i) => ({
    itemId: i.itemId,
    value: i.value,
    suicideItem: i.suicideItem,
    positive: i.positive,
  })),
});

const alertRefDto = z.object({ id: z.uuid(), kind: z.enum(ALERT_KINDS), reason: z.string() }).nullable();
const toAlertRef = (a: Alert | null) => (a ? { id: a.id, kind: a.kind, reason: a.reason } : null);

const recordedDto = z.object({ assessment: assessmentDto, score: scoreResultSchema, alert: alertRefDto });

export const dueDto = z.object({
  ruleId: z.string(),
  context: z.enum(ASSESSMENT_CONTEXTS),
  instruments: z.array(z.object({ instrument: instrumentIdSchema, itemIds: z.array(z.string()).optional() })),
  dueAt: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  sessionId: z.string().nullable(),
  status: z.enum(['done', 'due', 'overdue', 'upcoming']),
  /** Due now, or overdue recently enough to still act on (store: OVERDUE_LIST_DAYS). */
  actionable: z.boolean(),
  completedAt: z.string().nullable(),
});
export const toDueDto = (d: DueAssessment, now: Date): z.infer<typeof dueDto> => ({
  ruleId: d.ruleId,
  context: d.context,
  instruments: d.anyOf.map((r) => ({
    instrument: r.instrument,
    ...(r.itemIds ? { itemIds: r.itemIds } : {}),
  })),
  dueAt: d.dueAt.toISOString(),
  windowStart: d.windowStart.toISOString(),
  windowEnd: d.windowEnd.toISOString(),
  sessionId: d.sessionId ?? null,
  status: d.status,
  actionable: actionable(d, now),
  completedAt: d.completedAt?.toISOString() ?? null,
});

/** The instruments charted on the trajectory. */
export const TRAJECTORY_INSTRUMENTS = ['phq9', 'qids-sr16', 'gad7'] as const;

const seriesDto = z.object({
  instrument: z.enum(TRAJECTORY_INSTRUMENTS),
  title: z.string(),
  totalRange: z.object({ min: z.int(), max: z.int() }).nullable(),
  points: z.array(
    z.object({
      responseId: z.uuid(),
      at: z.string(),
      total: z.int(),
      severity: z.string().nullable(),
      context: z.string(),
    }),
  ),
  baseline: z.object({ responseId: z.uuid(), at: z.string(), total: z.int() }).nullable(),
  /** Score at or below which the fall from baseline is a response (core: assessResponse). */
  responseLine: z.number().nullable(),
  responseMinFallPercent: z.int(),
  remission: z.object({ comparator: z.enum(['<', '<=']), value: z.number(), source: z.string() }).nullable(),
  latest: z
    .object({
      total: z.int(),
      fallPercent: z.number().nullable(),
      response: z.boolean().nullable(),
      remission: z.boolean().nullable(),
    })
    .nullable(),
});

const suicidalityPointDto = z.object({
  responseId: z.uuid(),
  at: z.string(),
  instrument: instrumentIdSchema,
  itemId: z.string(),
  value: z.int(),
  positive: z.boolean(),
});

export async function assessmentRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  app.get(
    '/api/instruments',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['assessments'],
        summary: 'Instruments Rein scores (definitions with items, options and licence status)',
        response: { 200: z.object({ items: z.array(instrumentDefinitionSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: instruments.map((d) => renderDefinition(d.id)) }),
  );

  app.get(
    '/api/patients/:patientId/assessments',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary: "A patient's assessments (current versions), oldest first, with item answers",
        params: patientParams,
        response: { 200: z.object({ items: z.array(assessmentDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listAssessments(tx, me.clinicId, patientId);
        await audit(tx, request, {
          action: 'assessment.list',
          resourceType: 'patient',
          resourceId: patientId,
          details: { returned: rows.length },
        });
        return { items: rows.map(toAssessmentDto) };
      });
    },
  );

  app.post(
    '/api/patients/:patientId/assessments',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['assessments'],
        summary:
          'Record a completed instrument (clinician-rated, or a self-report entered by staff); a suicidality flag raises an alert in the same transaction',
        params: patientParams,
        body: assessmentCreateSchema,
        response: { 201: recordedDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId } = request.params;
      const body = request.body;
      const out = await inClinic(db(), me.clinicId, async (tx) => {
        const rec = await recordAssessment(
          tx,
          me.clinicId,
          patientId,
          { ...body, administeredAt: new Date(body.administeredAt) },
          { kind: 'user', userId: me.userId },
          app.now(),
        );
        await audit(tx, request, {
          action: 'assessment.create',
          resourceType: 'assessment_response',
          resourceId: rec.response.id,
          details: { patientId, instrument: rec.response.instrument, context: rec.response.context },
        });
        if (rec.alert) {
          await audit(tx, request, {
            action: 'alert.create',
            resourceType: 'alert',
            resourceId: rec.alert.id,
            details: { patientId, responseId: rec.response.id, kind: rec.alert.kind },
          });
        }
        return rec;
      });
      return reply.status(201).send({
        assessment: toAssessmentDto({ ...out.response, items: out.items, current: true }),
        score: out.score,
        alert: toAlertRef(out.alert),
      });
    },
  );

  app.post(
    '/api/patients/:patientId/assessments/:responseId/corrections',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['assessments'],
        summary: 'Correct a response: stored as a new version linked to the previous one (never overwritten)',
        params: responseParams,
        body: assessmentCorrectionSchema,
        response: { 201: recordedDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId, responseId } = request.params;
      const body = request.body;
      const out = await inClinic(db(), me.clinicId, async (tx) => {
        const rec = await correctAssessment(
          tx,
          me.clinicId,
          patientId,
          responseId,
          {
            answers: body.answers,
            reason: body.reason,
            context: body.context,
            administeredAt: body.administeredAt ? new Date(body.administeredAt) : undefined,
          },
          me.userId,
          app.now(),
        );
        await audit(tx, request, {
          action: 'assessment.correct',
          resourceType: 'assessment_response',
          resourceId: rec.response.id,
          details: { patientId, supersedes: responseId, version: rec.response.version },
        });
        if (rec.alert) {
          await audit(tx, request, {
            action: 'alert.create',
            resourceType: 'alert',
            resourceId: rec.alert.id,
            details: { patientId, responseId: rec.response.id, kind: rec.alert.kind },
          });
        }
        return rec;
      });
      return reply.status(201).send({
        assessment: toAssessmentDto({ ...out.response, items: out.items, current: true }),
        score: out.score,
        alert: toAlertRef(out.alert),
      });
    },
  );

  app.get(
    '/api/patients/:patientId/assessments/:responseId/versions',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary: 'Every version of one response (the first recording and its corrections)',
        params: responseParams,
        response: { 200: z.object({ items: z.array(assessmentDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId, responseId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listVersions(tx, me.clinicId, patientId, responseId);
        await audit(tx, request, {
          action: 'assessment.versions',
          resourceType: 'assessment_response',
          resourceId: responseId,
          details: { patientId, returned: rows.length },
        });
        return { items: rows.map(toAssessmentDto) };
      });
    },
  );

  app.get(
    '/api/patients/:patientId/trajectory',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary:
          'PHQ-9, QIDS-SR16 and GAD-7 over time with baseline, response and remission lines, and the suicidality track',
        params: patientParams,
        response: {
          200: z.object({
            series: z.array(seriesDto),
            suicidality: z.array(suicidalityPointDto),
            /** Scheduled treatment sessions, to mark on the chart. */
            sessions: z.array(z.object({ id: z.uuid(), startAt: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listAssessments(tx, me.clinicId, patientId);
        const sessions = await listScheduleSessions(tx, me.clinicId, patientId);
        const settings = await getSessionSettings(tx, me.clinicId);
        const dosingStarts = await listEventsOfKinds(
          tx,
          me.clinicId,
          sessions.map((s) => s.id),
          ['dosing-start'],
        );
        await audit(tx, request, {
          action: 'assessment.trajectory',
          resourceType: 'patient',
          resourceId: patientId,
        });
        return {
          ...trajectory(
            rows,
            clinicRemissionThresholds(settings.outcomes.remissionThresholds),
            dosingStarts[0]?.recordedAt ?? null,
          ),
          sessions: sessions.map((s) => ({ id: s.id, startAt: s.startAt.toISOString() })),
        };
      });
    },
  );

  app.get(
    '/api/patients/:patientId/due',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary: "A patient's scheduled assessments with their status (done, due, overdue, upcoming)",
        params: patientParams,
        response: { 200: z.object({ items: z.array(dueDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const due = await dueForPatient(tx, me.clinicId, patientId, app.now());
        await audit(tx, request, {
          action: 'assessment.due',
          resourceType: 'patient',
          resourceId: patientId,
        });
        return { items: due.map((d) => toDueDto(d, app.now())) };
      });
    },
  );

  app.get(
    '/api/due',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary: 'The due list: patients with assessments due now or overdue (overdue first)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                patientId: z.uuid(),
                givenName: z.string(),
                familyName: z.string(),
                mrn: z.string(),
                overdue: z.boolean(),
                due: z.array(dueDto),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await dueForClinic(tx, me.clinicId, app.now());
        await audit(tx, request, {
          action: 'assessment.due_list',
          resourceType: 'patient',
          details: { returned: rows.length },
        });
        return {
          items: rows.map((r) => ({
            patientId: r.patientId,
            givenName: r.givenName,
            familyName: r.familyName,
            mrn: r.mrn,
            overdue: r.due.some((d) => d.status === 'overdue'),
            due: r.due.map((d) => toDueDto(d, app.now())),
          })),
        };
      });
    },
  );
}

/** Builds the trajectory with the core's outcome rules (assessResponse, assessRemission). */
export function trajectory(
  rows: AssessmentWithItems[],
  thresholds: Partial<Record<InstrumentId, RemissionThreshold>> = {},
  treatmentStartedAt: Date | null = null,
) {
  const series = TRAJECTORY_INSTRUMENTS.map((instrument) => {
    const def = renderDefinition(instrument);
    const own = rows.filter((r) => r.instrument === instrument && r.totalScore !== null);
    const points = own.map((r) => ({
      responseId: r.id,
      at: r.administeredAt.toISOString(),
      total: r.totalScore!,
      severity: r.severity,
      context: r.context,
    }));
    const base = baselineAssessment(
      own.map((r) => ({ ...r, at: r.administeredAt, score: r.totalScore })),
      treatmentStartedAt,
    );
    const baseline = base
      ? { responseId: base.id, at: base.administeredAt.toISOString(), total: base.totalScore! }
      : null;
    const threshold = thresholds[instrument] ?? DEFAULT_REMISSION_THRESHOLDS[instrument];
    const last = own[own.length - 1];
    let latest = null;
    if (last) {
      const resp = baseline && baseline.total > 0 ? assessResponse(baseline.total, last.totalScore!) : null;
      latest = {
        total: last.totalScore!,
        fallPercent: resp ? Math.round(resp.fallPercent * 10) / 10 : null,
        response: resp && last.id !== baseline?.responseId ? resp.response : null,
        remission: threshold ? assessRemission(instrument, last.totalScore!, thresholds).remission : null,
      };
    }
    return {
      instrument,
      title: def.title,
      totalRange: def.totalRange,
      points,
      baseline,
      responseLine:
        baseline && baseline.total > 0
          ? (baseline.total * (100 - DEFAULT_RESPONSE_MIN_FALL_PERCENT)) / 100
          : null,
      responseMinFallPercent: DEFAULT_RESPONSE_MIN_FALL_PERCENT,
      remission: threshold
        ? { comparator: threshold.comparator, value: threshold.value, source: threshold.source }
        : null,
      latest,
    };
  });
  const suicidality = rows.flatMap((r) =>
    r.items
      .filter((i) => i.suicideItem && i.value !== null)
      .map((i) => ({
        responseId: r.id,
        at: r.administeredAt.toISOString(),
        instrument: r.instrument as InstrumentId,
        itemId: i.itemId,
        value: i.value!,
        positive: i.positive ?? false,
      })),
  );
  return { series, suicidality };
}
