/**
 * Records read from sessions over HTTP: a patient's interaction flags, the predicted concentration
 * curve, the IV pump program sheet (PDF), the esketamine REMS Patient Monitoring Form (JSON, PDF) and the overdue REMS list.
 * Short adapters over src/app/sessions/read.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  listOverdueRems,
  patientInteractions,
  sessionCurve,
  sessionPumpProgramPdf,
  sessionRems,
  sessionRemsPdf,
} from '../../app/sessions/read';
import { errorResponses } from '../dto';
import {
  curveDto,
  interactionsDto,
  interactionsQuery,
  overdueRemsDto,
  patientParams,
  remsDto,
  sessionParams,
} from '../schemas/sessions';
import { runSessionUseCase, SESSION_READ } from './sessions-run';

export async function sessionRecordRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/patients/:patientId/interactions',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          "Interaction flags from the patient's current medication list (shown at intake and at each session)",
        params: patientParams,
        querystring: interactionsQuery,
        response: { 200: interactionsDto, ...errorResponses },
      },
    },
    async (request) =>
      runSessionUseCase(app, request, (ctx) =>
        patientInteractions(ctx, { patientId: request.params.patientId, modality: request.query.modality }),
      ),
  );

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/curve',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          "Predicted concentration curve for this session's dose (PK engine) with the dissociative band",
        params: sessionParams,
        response: { 200: curveDto, ...errorResponses },
      },
    },
    async (request) => runSessionUseCase(app, request, (ctx) => sessionCurve(ctx, request.params)),
  );

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/pump-program/pdf',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          'The IV pump program as a sheet to hang on the pump (application/pdf); 409 for esketamine (no pump) or before the dose is computed',
        params: sessionParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { pdf, sessionDate } = await runSessionUseCase(app, request, (ctx) =>
        sessionPumpProgramPdf(ctx, request.params),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="pump-program-${sessionDate}.pdf"`)
        .send(pdf as never);
    },
  );

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/rems',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary: 'The SPRAVATO REMS Patient Monitoring Form built from the session (missing fields listed)',
        params: sessionParams,
        response: { 200: remsDto, ...errorResponses },
      },
    },
    async (request) => {
      const { session, built, dueDate } = await runSessionUseCase(app, request, (ctx) =>
        sessionRems(ctx, request.params, 'session.rems.read'),
      );
      return {
        ok: built.ok,
        missing: built.ok ? [] : built.missing,
        warnings: built.ok ? built.warnings : [],
        form: built.ok ? { ...built.form } : null,
        submittedOn: session.state.record.remsSubmitted?.payload.submittedOn ?? null,
        dueDate,
      };
    },
  );

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/rems/pdf',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary: 'The REMS Patient Monitoring Form as a printable PDF (application/pdf)',
        params: sessionParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { pdf, sessionDate } = await runSessionUseCase(app, request, (ctx) =>
        sessionRemsPdf(ctx, request.params),
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="rems-monitoring-${sessionDate}.pdf"`)
        .send(pdf as never);
    },
  );

  app.get(
    '/api/rems/overdue',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          'Esketamine sessions whose REMS form is not marked submitted within 7 days, most overdue first: at most 500; the header x-total-count says how many are outstanding',
        response: { 200: overdueRemsDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { items, total } = await runSessionUseCase(app, request, (ctx) => listOverdueRems(ctx));
      void reply.header('x-total-count', String(total));
      return items;
    },
  );
}
