import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { endOfLocalDay, startOfLocalDay } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import { getInstrument } from '../../clinical/instruments';
import { INSTRUMENT_IDS } from '../../clinical/instruments/types';
import { toCsv, type CsvColumn } from '../../interop/csv';
import { ADVERSE_EVENT_CSV_COLUMNS, SESSION_CSV_COLUMNS, scoreCsvColumns } from '../../interop/outcome-csv';
import { exportAdverseEvents, exportScores, exportSessions } from '../../store/outcomes';
import { inClinic, type Tx } from '../../store/tx';
import { getClinic } from '../../store/users';
import { roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

/** Exports of clinical data: clinical roles only (front-desk staff cannot export). */
export const EXPORT_ACCESS = roles('admin', 'prescriber', 'nurse');

const dateRange = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
});

function checkRange(from?: string, to?: string): void {
  if (from && to && from > to) throw new ClinicalInputError('to', 'must be on or after from');
}

function sendCsv(reply: FastifyReply, name: string, csv: string) {
  const stamp = new Date().toISOString().slice(0, 10);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="rein-${name}-${stamp}.csv"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

export async function exportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/exports/scores.csv',
    {
      config: { access: EXPORT_ACCESS },
      schema: {
        tags: ['exports'],
        summary:
          'Assessment scores (current versions) as CSV; items=true with an instrument adds one column per item (docs/csv-exports.md)',
        querystring: dateRange.extend({
          instrument: z.enum(INSTRUMENT_IDS).optional(),
          items: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { from, to, instrument } = request.query;
      const withItems = request.query.items === 'true';
      checkRange(from, to);
      if (withItems && !instrument) {
        throw new ClinicalInputError('instrument', 'choose an instrument to export item-level answers');
      }
      const itemIds = withItems ? getInstrument(instrument!).items.map((i) => i.id) : undefined;
      const csv = await inClinic(app.store.db, me.clinicId, async (tx) => {
        const { timeZone } = await getClinic(tx, me.clinicId);
        const rows = await exportScores(tx, me.clinicId, {
          from: from ? startOfLocalDay(from, timeZone) : undefined,
          to: to ? endOfLocalDay(to, timeZone) : undefined,
          instrument,
          withItems,
        });
        await audit(tx, request, {
          action: 'export.scores',
          resourceType: 'assessment',
          details: {
            from: from ?? null,
            to: to ?? null,
            instrument: instrument ?? null,
            items: withItems,
            rows: rows.length,
          },
        });
        return toCsv(scoreCsvColumns(itemIds), rows);
      });
      return sendCsv(reply, 'scores', csv);
    },
  );

  // Sessions and adverse events: the same date filter, audit and CSV reply; only the rows differ.
  const sessionCsvRoute = <Row>(o: {
    name: 'sessions' | 'adverse-events';
    summary: string;
    action: string;
    rows: (tx: Tx, clinicId: string, f: { fromDate?: string; toDate?: string }) => Promise<Row[]>;
    columns: ReadonlyArray<CsvColumn<Row>>;
  }) =>
    app.get(
      `/api/exports/${o.name}.csv`,
      {
        config: { access: EXPORT_ACCESS },
        schema: {
          tags: ['exports'],
          summary: o.summary,
          querystring: dateRange,
          response: { 200: z.string(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const me = caller(request);
        const { from, to } = request.query;
        checkRange(from, to);
        const csv = await inClinic(app.store.db, me.clinicId, async (tx) => {
          const rows = await o.rows(tx, me.clinicId, { fromDate: from, toDate: to });
          await audit(tx, request, {
            action: o.action,
            resourceType: 'session',
            details: { from: from ?? null, to: to ?? null, rows: rows.length },
          });
          return toCsv(o.columns, rows);
        });
        return sendCsv(reply, o.name, csv);
      },
    );

  sessionCsvRoute({
    name: 'sessions',
    summary:
      'Treatment sessions with dose, vitals summary, hypertension alerts and adverse-event counts as CSV',
    action: 'export.sessions',
    rows: exportSessions,
    columns: SESSION_CSV_COLUMNS,
  });
  sessionCsvRoute({
    name: 'adverse-events',
    summary: 'Adverse events recorded in sessions as CSV',
    action: 'export.adverse_events',
    rows: exportAdverseEvents,
    columns: ADVERSE_EVENT_CSV_COLUMNS,
  });
}
