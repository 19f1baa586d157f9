import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadDemoData } from '../../demo';
import { countPatients } from '../../store/patients';
import { inClinic } from '../../store/tx';
import { getClinic } from '../../store/users';
import { ADMIN_ONLY, ANY_STAFF } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

export async function clinicRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clinic',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['clinic'],
        summary: "The caller's clinic and what its start page needs",
        response: {
          200: z.object({
            clinic: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
            patientCount: z.int(),
            /** True for an admin while the clinic has no patients: the start page offers the demo. */
            canLoadDemo: z.boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const clinic = await getClinic(app.store.db, me.clinicId);
      const patientCount = await countPatients(app.store.db, me.clinicId);
      return {
        clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone },
        patientCount,
        canLoadDemo: me.role === 'admin' && patientCount === 0,
      };
    },
  );

  app.post(
    '/api/clinic/demo',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary:
          'Load the synthetic demo into this (empty) clinic: demo staff, patients, courses, sessions, assessments',
        response: {
          201: z.object({
            patients: z.int(),
            bodyMeasurements: z.int(),
            medications: z.int(),
            staff: z.int(),
            courses: z.int(),
            sessions: z.int(),
            sessionEvents: z.int(),
            assessments: z.int(),
            itemAnswers: z.int(),
            alerts: z.int(),
            outcomeFacts: z.int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const summary = await inClinic(app.store.db, me.clinicId, async (tx) => {
        const result = await loadDemoData(tx, me.clinicId, me.userId, app.now());
        await audit(tx, request, {
          action: 'clinic.load_demo',
          resourceType: 'clinic',
          resourceId: me.clinicId,
          details: { ...result },
        });
        return result;
      });
      return reply.status(201).send(summary);
    },
  );
}
