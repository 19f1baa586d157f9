/**
 * Measurement-based care over HTTP: instrument definitions for forms, recording and
 * correcting responses, the patient's trajectory with response/remission from the clinical core,
 * and the due lists. Adapters over the use cases in src/app/assessments.ts, which audit every read
 * and write of patient data in the same transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InstrumentId } from '../../clinical/instruments';
import {
  clinicDueList,
  correctAssessment,
  instrumentDefinitions,
  listAssessmentVersions,
  listPatientAssessments,
  patientDue,
  patientTrajectory,
  recordAssessment,
  type Alert,
  type AssessmentWithItems,
  type DueItem,
  type RecordedAssessment,
} from '../../app/assessments';
import { inClinicAs } from '../../app/context';
import { oncePerKey } from '../../app/idempotency';
import { ANY_STAFF, CLINICAL_READ, CLINICAL_WRITE, PATIENT_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { idempotencyKeyHeaders } from '../schemas/common';
import {
  assessmentCorrectionSchema,
  assessmentCreateSchema,
  assessmentDto,
  clinicDueDto,
  clinicDueQuery,
  dueDto,
  instrumentListDto,
  patientParams,
  recordedDto,
  responseParams,
  trajectoryDto,
  type AssessmentDto,
  type DueDto,
} from '../schemas/assessments';

export { assessmentDto, dueDto, itemAnswerDto, TRAJECTORY_INSTRUMENTS } from '../schemas/assessments';

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
  enteredByName: a.enteredByName ?? null,
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

const toAlertRef = (a: Alert | null) => (a ? { id: a.id, kind: a.kind, reason: a.reason } : null);
const toRecordedDto = (out: RecordedAssessment) => ({
  assessment: toAssessmentDto({ ...out.response, items: out.items, current: true }),
  score: out.score,
  alert: toAlertRef(out.alert),
});

export const toDueDto = (d: DueItem): DueDto => ({
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
  actionable: d.actionable,
  completedAt: d.completedAt?.toISOString() ?? null,
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
        response: { 200: instrumentListDto, ...errorResponses },
      },
    },
    async () => ({ items: instrumentDefinitions() }),
  );

  app.get(
    '/api/patients/:patientId/assessments',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['assessments'],
        summary: "A patient's assessments (current versions), oldest first, with item answers",
        params: patientParams,
        response: { 200: z.object({ items: z.array(assessmentDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        listPatientAssessments(ctx, request.params.patientId),
      );
      return { items: rows.map(toAssessmentDto) };
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
        headers: idempotencyKeyHeaders,
        body: assessmentCreateSchema,
        response: { 201: recordedDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const { patientId } = request.params;
      const out = await inClinicAs(db(), actor, app.now(), (ctx) =>
        oncePerKey(
          ctx,
          {
            key: request.headers['idempotency-key'],
            operation: 'assessment.record',
            request: { patientId, body },
          },
          async () =>
            toRecordedDto(
              await recordAssessment(ctx, {
                patientId,
                response: { ...body, administeredAt: new Date(body.administeredAt) },
                author: { kind: 'user', userId: actor.userId! },
              }),
            ),
          { action: 'assessment.replay', resourceType: 'patient', resourceId: patientId },
        ),
      );
      return reply.status(201).send(out);
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
      const body = request.body;
      const out = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        correctAssessment(ctx, {
          ...request.params,
          answers: body.answers,
          reason: body.reason,
          context: body.context,
          administeredAt: body.administeredAt ? new Date(body.administeredAt) : undefined,
        }),
      );
      return reply.status(201).send(toRecordedDto(out));
    },
  );

  app.get(
    '/api/patients/:patientId/assessments/:responseId/versions',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['assessments'],
        summary: 'Every version of one response (the first recording and its corrections)',
        params: responseParams,
        response: { 200: z.object({ items: z.array(assessmentDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        listAssessmentVersions(ctx, request.params),
      );
      return { items: rows.map(toAssessmentDto) };
    },
  );

  app.get(
    '/api/patients/:patientId/trajectory',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['assessments'],
        summary:
          'PHQ-9, QIDS-SR16 and GAD-7 over time with baseline, response and remission lines, and the suicidality track',
        params: patientParams,
        response: { 200: trajectoryDto, ...errorResponses },
      },
    },
    async (request) => {
      const out = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        patientTrajectory(ctx, request.params.patientId),
      );
      return {
        ...out,
        sessions: out.sessions.map((s) => ({ id: s.id, startAt: s.startAt.toISOString() })),
      };
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
      const due = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        patientDue(ctx, request.params.patientId),
      );
      return { items: due.map(toDueDto) };
    },
  );

  app.get(
    '/api/due',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['assessments'],
        summary:
          'The due list: one line per patient and instrument due now or overdue (earliest due), sorted, filtered, paginated',
        querystring: clinicDueQuery,
        response: { 200: clinicDueDto, ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset, sort, instrument, overdueOnly } = request.query;
      const page = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        clinicDueList(ctx, { limit, offset, sort, instrument, overdueOnly: overdueOnly === 'true' }),
      );
      return {
        total: page.total,
        limit,
        offset,
        items: page.items.map((r) => ({
          patientId: r.patientId,
          givenName: r.givenName,
          familyName: r.familyName,
          mrn: r.mrn,
          overdue: r.item.status === 'overdue',
          instrumentKey: r.instrumentKey,
          item: toDueDto(r.item),
          merged: r.merged,
        })),
      };
    },
  );
}
