/**
 * The session workflow over HTTP: check-in → pre-session checklist → dose and pump program →
 * dosing start → vitals with alerts and recorded pause/stop/continue decisions, CADSS-6 and
 * MOAA/S, adverse events → discharge; and the REMS submission mark. Each route is a short adapter
 * over a use case in src/app/sessions (which decides with the session core, appends, audits and
 * refreshes facts) and answers with the session state.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UseCaseContext } from '../../app/context';
import type { LoadedSession } from '../../app/sessions/load';
import {
  checkIn,
  discharge,
  giveRescue,
  signOrder,
  verifyDose,
  markRemsSubmitted,
  planDose,
  readSession,
  recordAdverseEvent,
  recordAlertDecision,
  recordDosingAction,
  recordObservation,
  recordVitals,
  startDosing,
  submitChecklist,
} from '../../app/sessions/record';
import { errorResponses } from '../dto';
import {
  adverseEventSubmitSchema,
  alertDecisionSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  dosingActionSubmitSchema,
  dosingStartSchema,
  observationSchema,
  remsSubmittedSchema,
  sessionParams,
  sessionReadingDto,
  sessionStateDto,
  vitalsEntrySchema,
} from '../schemas/sessions';
import { rescueGivenSchema, signOrderSchema, verifyDoseSchema } from '../schemas/orders';
import { PRESCRIBE } from '../access';
import { actorOf } from '../context';
import { lockedError } from '../http-errors';
import { sessionRecordRoutes } from './sessions-records';
import { runSessionUseCase, SESSION_READ, SESSION_WRITE } from './sessions-run';
import { sessionReadingView, sessionView } from './sessions-view';

export { SESSION_READ, SESSION_WRITE };

export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const run = async (request: FastifyRequest, fn: (ctx: UseCaseContext) => Promise<LoadedSession>) =>
    sessionView(await runSessionUseCase(app, request, fn));
  const stateResponse = { 200: sessionStateDto, ...errorResponses };

  app.get(
    '/api/patients/:patientId/sessions/:sessionId',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          'The session state derived from its records: checklist, dose plan, vitals and alerts, observations, discharge',
        params: sessionParams,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => readSession(ctx, request.params)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/check-in',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Check the patient in',
        params: sessionParams,
        body: checkInSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => checkIn(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/checklist',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Record the pre-session checklist (today's weight is stored as a body measurement; baseline BP as the pre-dose vitals reading)",
        params: sessionParams,
        body: checklistSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => submitChecklist(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/dose-plan',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Compute the dose (PK engine, today's weight) and the pump program; esketamine: the chosen dose in devices",
        params: sessionParams,
        body: dosePlanSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => planDose(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/start',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Start dosing (infusion start / first device): session minutes count from now. Refused (409) until a prescriber has signed the session order; refused (409) outside the clinic's window around the scheduled date unless scheduleOverrideReason is given, and sooner than the clinic's minimum days after the patient's last dose of the modality",
        params: sessionParams,
        body: dosingStartSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => startDosing(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/orders',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags: ['sessions'],
        summary:
          'Sign the session order (prescribers): drug, dose in mg/kg and mg, route, infusion time and rate, maximum, hold conditions and rescue lines. Refused (409) for a drug the patient is allergic to. Once dosing has started only rescue lines and hold conditions may change',
        params: sessionParams,
        body: signOrderSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => signOrder(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/dose-verification',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "A second person verifies the drawn-up dose against the signed order by entering their own email and password (required before dosing when the clinic's orders.secondPersonVerification is on)",
        params: sessionParams,
        body: verifyDoseSchema,
        response: { ...stateResponse, 423: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const result = await verifyDose(app.store.db, actorOf(request), app.now(), request.params, {
        ...request.body,
        clientAddress: request.ip,
      });
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        throw lockedError(result.retryAfterSeconds);
      }
      return sessionView(result.session);
    },
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/rescues',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Record a rescue medication given against the signed order's rescue line; a dose or route other than the line's needs deviationReason; refused for a drug the patient is allergic to",
        params: sessionParams,
        body: rescueGivenSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => giveRescue(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/vitals',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record a vitals reading (minutes after dosing start; default now); alerts are evaluated against the thresholds. Answers with the parts of the session state a reading changes',
        params: sessionParams,
        body: vitalsEntrySchema,
        response: { 200: sessionReadingDto, ...errorResponses },
      },
    },
    async (request) =>
      sessionReadingView(
        await runSessionUseCase(app, request, (ctx) => recordVitals(ctx, request.params, request.body)),
      ),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/alert-decisions',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Record the decision on a vitals reading's alerts (one decision covers the reading). IV pause / stop take effect on the infusion; esketamine offers continue or stop only",
        params: sessionParams,
        body: alertDecisionSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => recordAlertDecision(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/dosing-actions',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Pause, resume or stop dosing. IV: a pause stops the infusion clock, pump program and predicted curve until a resume; stop ends dosing and records the mg given (rate × running time). Esketamine: stop only (no further devices)',
        params: sessionParams,
        body: dosingActionSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => recordDosingAction(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/observations',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record a dissociation (CADSS-6, scored by the instruments core) or sedation (MOAA/S 0–5) entry',
        params: sessionParams,
        body: observationSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => recordObservation(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/adverse-events',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Record an adverse event (category, severity, action taken)',
        params: sessionParams,
        body: adverseEventSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => recordAdverseEvent(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/discharge',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record discharge. Refused (400 naming the field; the message names every unmet criterion) unless every discharge check passes: IV at least the clinic observation time after dosing ended, esketamine at least 120 min from the first device; HR and SpO2 within thresholds, MOAA/S back to the pre-dose score, dissociation resolved.',
        params: sessionParams,
        body: dischargeSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => discharge(ctx, request.params, request.body)),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/rems/submitted',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Mark the REMS Patient Monitoring Form as submitted (date)',
        params: sessionParams,
        body: remsSubmittedSchema,
        response: stateResponse,
      },
    },
    async (request) => run(request, (ctx) => markRemsSubmitted(ctx, request.params, request.body)),
  );

  await sessionRecordRoutes(app);
}
