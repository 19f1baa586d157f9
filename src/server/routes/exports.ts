import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inClinicAs } from '../../app/context';
import {
  exportAdministrationsCsv,
  exportAdverseEventsCsv,
  exportScoresCsv,
  exportRecordCsv,
  exportSessionsCsv,
  type CsvExport,
  type DateRange,
} from '../../app/exports';
import type { UseCaseContext } from '../../app/context';
import { CLINICAL_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { csvResponse, dateRange, scoresExportQuery } from '../schemas/exports';

/** Exports of clinical data: clinical roles only (front-desk staff cannot export). */
export const EXPORT_ACCESS = CLINICAL_READ;

function sendCsv(reply: FastifyReply, { csv, fileName }: CsvExport) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
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
        querystring: scoresExportQuery,
        response: { 200: csvResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { items, ...query } = request.query;
      const result = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        exportScoresCsv(ctx, { ...query, items: items === 'true' }),
      );
      return sendCsv(reply, result);
    },
  );

  // Exports over a date range: the same filter and CSV reply; only the use case differs.
  const sessionCsvRoute = (
    name:
      'sessions' | 'adverse-events' | 'administrations' | 'allergies' | 'problem-list' | 'treatment-trials',
    summary: string,
    useCase: (ctx: UseCaseContext, range: DateRange) => Promise<CsvExport>,
  ) =>
    app.get(
      `/api/exports/${name}.csv`,
      {
        config: { access: EXPORT_ACCESS },
        schema: {
          tags: ['exports'],
          summary,
          querystring: dateRange,
          response: { 200: csvResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const result = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
          useCase(ctx, request.query),
        );
        return sendCsv(reply, result);
      },
    );

  sessionCsvRoute(
    'sessions',
    'Treatment sessions with dose, vitals summary, hypertension alerts and adverse-event counts as CSV',
    exportSessionsCsv,
  );
  sessionCsvRoute('adverse-events', 'Adverse events recorded in sessions as CSV', exportAdverseEventsCsv);
  sessionCsvRoute(
    'administrations',
    'Medication administrations (the MAR) as CSV: each dose with its order, start, pauses, stop, volume, rescues and who gave and verified it (docs/csv-exports.md)',
    exportAdministrationsCsv,
  );

  // The clinical record: allergies, the problem list and prior treatment trials, by date recorded.
  for (const [kind, summary] of [
    [
      'allergies',
      'Allergies of every patient as CSV (entries entered in error left out; docs/csv-exports.md)',
    ],
    ['problem-list', 'The problem list (diagnoses, ICD-10-CM) of every patient as CSV (docs/csv-exports.md)'],
    ['treatment-trials', 'Prior treatment trials of every patient as CSV (docs/csv-exports.md)'],
  ] as const) {
    sessionCsvRoute(kind, summary, (ctx, range) => exportRecordCsv(ctx, { ...range, kind }));
  }
}
