/**
 * Validation of what is written to the taper tables. The plan request itself is the pure
 * core's `taperPlanRequestSchema`; check-ins reuse the core's `withdrawalCheckInSchema`.
 */
import { z } from 'zod';
import { taperPlanRequestSchema, withdrawalCheckInSchema } from '../clinical/taper';
import { TAPER_DECISIONS, TAPER_PLAN_STATUSES } from './schema-taper';

const reasonText = z.string().trim().min(1, 'must not be empty').max(2000, 'at most 2000 characters');

export const taperCreateSchema = taperPlanRequestSchema;
export type TaperCreate = z.infer<typeof taperCreateSchema>;

export const taperCheckInCreateSchema = withdrawalCheckInSchema.extend({
  note: z.string().trim().max(2000, 'at most 2000 characters').optional(),
});
export type TaperCheckInCreate = z.infer<typeof taperCheckInCreateSchema>;

export const taperDecisionCreateSchema = z.object({
  /** ISO date the decision takes effect (a hold or step-back replans from this date). */
  date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
  decision: z.enum(TAPER_DECISIONS),
  reason: reasonText,
  /** After a step-back the step must be smaller (NICE NG222 1.4.22): the new step. */
  stepPct: z.number().finite().positive().optional(),
  stepPp: z.number().finite().positive().optional(),
});
export type TaperDecisionCreate = z.infer<typeof taperDecisionCreateSchema>;

export const taperStatusChangeSchema = z.object({
  status: z.enum(TAPER_PLAN_STATUSES),
  reason: reasonText,
  /** Optional optimistic-concurrency check against the plan's row version. */
  version: z.int().min(1).optional(),
});
export type TaperStatusChange = z.infer<typeof taperStatusChangeSchema>;
