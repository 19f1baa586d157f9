/**
 * PK engine over HTTP: the model catalogue, simulation, pump planning and TCI. The engine is pure
 * (src/clinical/pk); these routes validate and hand over to src/app/pk, which fills body size from
 * a patient's record when one is named. Without a `patientId` no patient data is touched.
 *
 * Access: clinicians only (admin, prescriber, nurse — the roles of CLINICAL_WRITE). Predicted
 * concentrations and pump programs are prescribing work, not front-desk work, and the routes can read
 * body size from a record. The routes compute only, so any clinician may call them without a patient.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listPkModels, planInfusionForClinic, planTciForClinic, simulateForClinic } from '../../app/pk';
import { CLINICAL_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  modelsResponseSchema,
  planBody,
  planResponseSchema,
  simulateBody,
  simulateResponseSchema,
  tciBody,
  tciResponseSchema,
} from '../schemas/pk';

export { ageOn, type PatientBodySize } from '../../app/pk';

export const PK_ACCESS = CLINICAL_READ;

export async function pkRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/pk/models',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Published ketamine/esketamine PK models: citation, population, status, parameters',
        response: { 200: modelsResponseSchema, ...errorResponses },
      },
    },
    async () => listPkModels(),
  );

  app.post(
    '/api/pk/simulate',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Simulate plasma (and effect-site, metabolite) concentrations of a regimen with one model',
        description:
          'Doses use the regimen language, e.g. "0.5 mg/kg over 40 min", "20 mg at 60 min", ' +
          '"56 mg intranasal at 0 min". A bad token is refused with 400 naming it.',
        body: simulateBody,
        response: { 200: simulateResponseSchema, ...errorResponses },
      },
    },
    async (request) => simulateForClinic(app.store.db, actorOf(request), app.now(), request.body),
  );

  app.post(
    '/api/pk/plan',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Pump program for one infusion: dose, drug volume, rate rounded to pump resolution',
        description: 'Refuses (400 naming `dose`) a dose above the per-session maximum (default 1.0 mg/kg).',
        body: planBody,
        response: { 200: planResponseSchema, ...errorResponses },
      },
    },
    async (request) => planInfusionForClinic(app.store.db, actorOf(request), app.now(), request.body),
  );

  app.post(
    '/api/pk/tci',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Target-controlled infusion: bolus and stepwise rates to reach and hold a target',
        body: tciBody,
        response: { 200: tciResponseSchema, ...errorResponses },
      },
    },
    async (request) => planTciForClinic(app.store.db, actorOf(request), app.now(), request.body),
  );
}
