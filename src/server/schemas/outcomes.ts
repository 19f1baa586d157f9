/** Request and response schemas of the outcomes summary (pure zod). */
import { z } from 'zod';
import { modalitySchema } from '../../clinical/protocols/evidence';

export const outcomeSummaryQuery = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  modality: modalitySchema.optional(),
  prescriberId: z.uuid({ error: 'must be a user id (UUID)' }).optional(),
});

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
