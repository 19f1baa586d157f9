import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inClinicAs } from '../../app/context';
import { readOutcomeSummary } from '../../app/outcomes';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { outcomeSummaryDto, outcomeSummaryQuery } from '../schemas/outcomes';
import { EXPORT_ACCESS } from './exports';

export async function outcomeRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/outcomes/summary',
    {
      config: { access: EXPORT_ACCESS },
      schema: {
        tags: ['outcomes'],
        summary:
          'Clinic outcomes: response/remission at end of induction (PHQ-9) with Wilson CIs, rapid response, suicidality change, Kaplan–Meier durability, per-session safety rates, published benchmarks',
        querystring: outcomeSummaryQuery,
        response: { 200: outcomeSummaryDto, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const now = app.now();
      const { summary, counts, prescribers, phq9Threshold, relapseDefinition, benchmarks } = await inClinicAs(
        app.store.db,
        actorOf(request),
        now,
        (ctx) => readOutcomeSummary(ctx, q),
      );
      return {
        generatedAt: now.toISOString(),
        filters: {
          from: q.from ?? null,
          to: q.to ?? null,
          modality: q.modality ?? null,
          prescriberId: q.prescriberId ?? null,
        },
        ...counts,
        prescribers,
        courses: summary.courses,
        evaluable: summary.evaluable,
        response: summary.response,
        remission: summary.remission,
        rapidResponse4h: summary.rapidResponse4h,
        rapidResponse24h: summary.rapidResponse24h,
        suicidalityDecreased: summary.suicidalityDecreased,
        suicidalityIncreased: summary.suicidalityIncreased,
        meanSuicidalityChange: summary.meanSuicidalityChange,
        durability: {
          n: summary.durability.n,
          events: summary.durability.events,
          censored: summary.durability.censored,
          medianDays: summary.durability.medianTime,
          steps: summary.durability.steps.map((s) => ({
            time: s.time,
            atRisk: s.atRisk,
            events: s.events,
            censored: s.censored,
            survival: s.survival,
            lower: s.lower,
            upper: s.upper,
          })),
          at28Days: summary.durabilityAt.days28,
          at56Days: summary.durabilityAt.days56,
        },
        sessions: summary.sessions,
        relapseDefinition: {
          criterion: relapseDefinition.criterion,
          consecutive: relapseDefinition.consecutive,
          source: relapseDefinition.source,
        },
        remissionThreshold: {
          comparator: phq9Threshold.comparator,
          value: phq9Threshold.value,
          source: phq9Threshold.source,
        },
        benchmarks,
      };
    },
  );
}
