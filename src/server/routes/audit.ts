import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportAuditCsv, verifyClinicAudit } from '../../app/audit';
import { inClinicAs } from '../../app/context';
import { ADMIN_ONLY } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { auditExportQuery, auditVerification } from '../schemas/audit';

export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/audit/verify',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['audit'],
        summary: "Check the clinic's audit hash chain; reports the first edited, inserted or deleted event",
        response: { 200: auditVerification, ...errorResponses },
      },
    },
    async (request) => {
      const result = await verifyClinicAudit(app.store.db, actorOf(request));
      return { ...result, oldestUnsealedAt: result.oldestUnsealedAt?.toISOString() ?? null };
    },
  );

  app.get(
    '/api/audit/export.csv',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['audit'],
        summary: "The clinic's audit log as CSV for compliance review (columns in docs/csv-exports.md)",
        querystring: auditExportQuery,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const csv = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        exportAuditCsv(ctx, request.query),
      );
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rein-audit-${stamp}.csv"`)
        .send(csv);
    },
  );
}
