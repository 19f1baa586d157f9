import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { endOfLocalDay, startOfLocalDay } from '../../clinical/calendar';
import { AUDIT_CSV_COLUMNS } from '../../interop/audit-csv';
import { csvHeader, csvRow } from '../../interop/csv';
import {
  auditEventsInOrder,
  sealAudit,
  sealAuditChain,
  SEAL_BATCH,
  verifyAuditChain,
} from '../../store/audit';
import { inClinic } from '../../store/tx';
import { getClinic, listUsers } from '../../store/users';
import { ADMIN_ONLY } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

const verification = z.object({
  clinicId: z.uuid(),
  ok: z.boolean(),
  checked: z.int(),
  unchained: z.int(),
  unsealed: z.int(),
  oldestUnsealedAt: z.string().nullable(),
  problem: z
    .object({
      kind: z.enum(['edited', 'inserted', 'deleted']),
      seq: z.int(),
      eventId: z.string().nullable(),
      message: z.string(),
    })
    .nullable(),
});

export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/audit/verify',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['audit'],
        summary: "Check the clinic's audit hash chain; reports the first edited, inserted or deleted event",
        response: { 200: verification, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      // Everything committed so far is sealed first, so the check covers it.
      await sealAudit(app.store.db, { clinicId: me.clinicId });
      const result = await verifyAuditChain(app.store.db, me.clinicId);
      await audit(app.store.db, request, {
        action: 'audit.verify',
        resourceType: 'audit',
        details: { ok: result.ok, checked: result.checked },
      });
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
        querystring: z.object({
          from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
          to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
        }),
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { from, to } = request.query;
      const csv = await inClinic(app.store.db, me.clinicId, async (tx) => {
        // Dates are the clinic's; `to` is inclusive: events up to the end of that local day.
        const { timeZone } = await getClinic(tx, me.clinicId);
        const range = {
          from: from ? startOfLocalDay(from, timeZone) : undefined,
          to: to ? endOfLocalDay(to, timeZone) : undefined,
        };
        // The export itself is recorded first and sealed with everything committed before it, so
        // it appears, in place, in the chain it exports.
        await audit(tx, request, {
          action: 'audit.export',
          resourceType: 'audit',
          details: { from: from ?? null, to: to ?? null },
        });
        while ((await sealAuditChain(tx, me.clinicId)) === SEAL_BATCH);
        const emails = new Map((await listUsers(tx, me.clinicId)).map((u) => [u.id, u.email]));
        let out = csvHeader(AUDIT_CSV_COLUMNS);
        for await (const e of auditEventsInOrder(tx, me.clinicId, range)) {
          out += csvRow(AUDIT_CSV_COLUMNS, {
            ...e,
            userEmail: e.userId ? (emails.get(e.userId) ?? null) : null,
          });
        }
        return out;
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rein-audit-${stamp}.csv"`)
        .send(csv);
    },
  );
}
