import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDateOf } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import { clinicRemissionThresholds, DEFAULT_REMISSION_THRESHOLDS } from '../../clinical/instruments';
import { BENCHMARKS, DEFAULT_RELAPSE_DEFINITION, summariseCounts } from '../../clinical/outcomes';
import { MODALITIES } from '../../store/schema-sessions';
import { getSessionSettings } from '../../store/courses';
import { outcomeFactCounts } from '../../store/outcome-facts';
import { activityCounts, coursePrescribers } from '../../store/outcomes';
import { inClinic } from '../../store/tx';
import { getClinic } from '../../store/users';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';
import { EXPORT_ACCESS } from './exports';

const proportionDto = z.object({
  successes: z.int(),
  total: z.int(),
  proportion: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});
const rateDto = proportionDto.extend({ events: z.int(), eventsPer100Sessions: z.number().nullable() });
const pointDto = z.object({
  survival: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  atRisk: z.int(),
});

export const outcomeSummaryDto = z.object({
  generatedAt: z.string(),
  filters: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    modality: z.string().nullable(),
    prescriberId: z.string().nullable(),
  }),
  patientsInTreatment: z.int(),
  sessionsThisWeek: z.int(),
  /** Staff who created courses (choices for the prescriber filter). */
  prescribers: z.array(z.object({ id: z.string(), name: z.string() })),
  courses: z.int(),
  evaluable: z.int(),
  response: proportionDto,
  remission: proportionDto,
  rapidResponse4h: proportionDto,
  rapidResponse24h: proportionDto,
  suicidalityDecreased: proportionDto,
  suicidalityIncreased: proportionDto,
  meanSuicidalityChange: z.number().nullable(),
  durability: z.object({
    n: z.int(),
    events: z.int(),
    censored: z.int(),
    medianDays: z.number().nullable(),
    steps: z.array(
      z.object({
        time: z.number(),
        atRisk: z.int(),
        events: z.int(),
        censored: z.int(),
        survival: z.number(),
        lower: z.number().nullable(),
        upper: z.number().nullable(),
      }),
    ),
    at28Days: pointDto,
    at56Days: pointDto,
  }),
  sessions: z.object({
    dosed: z.int(),
    adverseEvents: rateDto,
    seriousAdverseEvents: rateDto,
    hypertensionAlerts: rateDto,
  }),
  relapseDefinition: z.object({ criterion: z.string(), consecutive: z.int(), source: z.string() }),
  /** The PHQ-9 remission threshold applied (the clinic's setting, or the cited default). */
  remissionThreshold: z.object({ comparator: z.enum(['<', '<=']), value: z.number(), source: z.string() }),
  benchmarks: z.record(
    z.string(),
    z.object({ label: z.string(), value: z.number(), source: z.string(), status: z.string() }),
  ),
});
export type OutcomeSummaryDto = z.infer<typeof outcomeSummaryDto>;

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
        querystring: z.object({
          from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
          to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
          modality: z.enum(MODALITIES).optional(),
          prescriberId: z.uuid({ error: 'must be a user id (UUID)' }).optional(),
        }),
        response: { 200: outcomeSummaryDto, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const q = request.query;
      if (q.from && q.to && q.from > q.to) throw new ClinicalInputError('to', 'must be on or after from');
      const now = app.now();
      return inClinic(app.store.db, me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const remissionThresholds = clinicRemissionThresholds(
          (await getSessionSettings(tx, me.clinicId)).outcomes.remissionThresholds,
        );
        const phq9Threshold = remissionThresholds.phq9 ?? DEFAULT_REMISSION_THRESHOLDS.phq9!;
        // Pre-aggregated per-course facts (src/store/outcome-facts.ts), kept current by every write.
        const summary = summariseCounts(
          await outcomeFactCounts(tx, me.clinicId, {
            fromDate: q.from,
            toDate: q.to,
            modality: q.modality,
            prescriberId: q.prescriberId,
          }),
        );
        const counts = await activityCounts(tx, me.clinicId, now, localDateOf(now, clinic.timeZone));
        await audit(tx, request, {
          action: 'outcomes.read',
          resourceType: 'outcomes',
          details: { courses: summary.courses, evaluable: summary.evaluable },
        });
        return {
          generatedAt: now.toISOString(),
          filters: {
            from: q.from ?? null,
            to: q.to ?? null,
            modality: q.modality ?? null,
            prescriberId: q.prescriberId ?? null,
          },
          ...counts,
          prescribers: await coursePrescribers(tx, me.clinicId),
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
            criterion: DEFAULT_RELAPSE_DEFINITION.criterion,
            consecutive: DEFAULT_RELAPSE_DEFINITION.consecutive,
            source: DEFAULT_RELAPSE_DEFINITION.source,
          },
          remissionThreshold: {
            comparator: phq9Threshold.comparator,
            value: phq9Threshold.value,
            source: phq9Threshold.source,
          },
          benchmarks: BENCHMARKS,
        };
      });
    },
  );
}
