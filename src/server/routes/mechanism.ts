import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { simulateMechanism } from '../../app/mechanism';
import { CLINICAL_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { mechanismFromRegimenResponseSchema, mechanismSimulateBody } from '../schemas/mechanism';

export { mechanismSimulateBody } from '../schemas/mechanism';

/** The mechanism view is for clinical staff (front desk has no use for it). */
const CLINICAL_STAFF = CLINICAL_READ;

export async function mechanismRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/mechanism/simulate',
    {
      config: { access: CLINICAL_STAFF },
      schema: {
        tags: ['mechanism'],
        summary:
          'Educational mechanism model for a regimen: plasma → NMDA-receptor occupancy and trapped block → ' +
          'lateral-habenula burst suppression → spine component, on one time axis (not a prediction for the individual)',
        description:
          'Compute only; nothing is stored. With `patientId`, the latest recorded weight (and height, sex at ' +
          'birth, age) of that patient of your clinic fill in fields the body leaves out; the read is audited.',
        body: mechanismSimulateBody,
        response: { 200: mechanismFromRegimenResponseSchema, ...errorResponses },
      },
    },
    async (request) => simulateMechanism(app.store.db, actorOf(request), app.now(), request.body),
  );
}
