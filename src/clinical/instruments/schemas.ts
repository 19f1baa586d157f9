import { z } from 'zod';
import { INSTRUMENT_IDS } from './types';

/** zod schemas for the HTTP layer: answer submissions and score results. */

export const instrumentIdSchema = z.enum(INSTRUMENT_IDS);

export const ASSESSMENT_CONTEXTS = [
  'baseline',
  'pre-session',
  'post-4h',
  'post-24h',
  'weekly',
  'ad-hoc',
] as const;
export const assessmentContextSchema = z.enum(ASSESSMENT_CONTEXTS);

/** One answer: the item's scored value, or null for an item skipped by the skip logic or left blank. */
export const answerValueSchema = z.number().int().nullable();

/** Answers in item order, or keyed by item id. Ranges are checked by scoreInstrument (naming the item). */
export const answersSchema = z.union([
  z.array(answerValueSchema),
  z.record(z.string().min(1), answerValueSchema),
]);

export const answersSubmissionSchema = z.object({
  instrument: instrumentIdSchema,
  /** Definition version the form showed; the server rejects a mismatch. */
  version: z.string().min(1),
  context: assessmentContextSchema,
  /** The linked session, when there is one. */
  sessionId: z.string().min(1).optional(),
  /** ISO 8601 time the answers were completed. */
  completedAt: z.iso.datetime({ offset: true }),
  answers: answersSchema,
});
export type AnswersSubmission = z.infer<typeof answersSubmissionSchema>;

export const scoreResultSchema = z.object({
  instrument: instrumentIdSchema,
  version: z.string(),
  rater: z.enum(['patient', 'clinician']),
  total: z.number().int().nullable(),
  totalRange: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  severity: z.string().optional(),
  risk: z.enum(['none', 'low', 'moderate', 'high']).optional(),
  flags: z.array(z.enum(['suicidality', 'positive-screen'])),
  items: z.array(z.object({ id: z.string(), value: z.number().int().nullable() })),
  domains: z
    .array(
      z.object({ id: z.string(), label: z.string(), itemIds: z.array(z.string()), score: z.number().int() }),
    )
    .optional(),
  unverified: z.array(z.string()),
});

const loincSchema = z.object({ code: z.string(), status: z.enum(['V', 'S', 'U']) });

/** An instrument definition as served to forms (GET /instruments/:id). */
export const instrumentDefinitionSchema = z.object({
  id: instrumentIdSchema,
  version: z.string(),
  title: z.string(),
  rater: z.enum(['patient', 'clinician']),
  recallPeriod: z.object({ days: z.number().int().nullable(), description: z.string() }),
  stem: z.string().optional(),
  items: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      text: z.string().optional(),
      options: z.array(
        z.object({
          value: z.number().int(),
          label: z.string(),
          text: z.string().optional(),
          loinc: loincSchema.optional(),
        }),
      ),
      loinc: loincSchema.optional(),
      scored: z.boolean(),
      required: z.boolean(),
      suicideItem: z.boolean(),
      part: z.enum(['subjective', 'observer']).optional(),
      askedWhen: z.object({ itemId: z.string(), value: z.number().int() }).optional(),
    }),
  ),
  loinc: z.object({
    panel: loincSchema.optional(),
    total: loincSchema.optional(),
    riskLevel: loincSchema.optional(),
  }),
  licence: z.object({
    status: z.enum(['free-to-reproduce', 'licence-required', 'unknown']),
    itemTextShipped: z.boolean(),
    note: z.string(),
    source: z.string(),
    sourceStatus: z.enum(['V', 'S', 'U']),
  }),
  totalRange: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  severityBands: z
    .array(z.object({ label: z.string(), min: z.number().int(), max: z.number().int() }))
    .optional(),
  scoringSource: z.string(),
  unverified: z.array(z.string()),
});
