import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clinicOverview } from '../../app/clinic';
import { loadDemoClinic } from '../../demo/load';
import { inClinicAs } from '../../app/context';
import { ADMIN_ONLY, ANY_STAFF } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { clinicOverviewResponse, demoSummaryResponse } from '../schemas/clinic';

export async function clinicRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clinic',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['clinic'],
        summary: "The caller's clinic and what its start page needs",
        response: { 200: clinicOverviewResponse, ...errorResponses },
      },
    },
    async (request) => inClinicAs(app.store.db, actorOf(request), app.now(), clinicOverview),
  );

  app.post(
    '/api/clinic/demo',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary:
          'Load the synthetic demo into this (empty) clinic: demo staff, patients, courses, sessions, assessments',
        response: { 201: demoSummaryResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const summary = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        loadDemoClinic(ctx),
      );
      return reply.status(201).send(summary);
    },
  );
}
