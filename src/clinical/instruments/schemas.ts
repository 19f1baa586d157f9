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
