/**
 * Request and response schemas of the taper routes. Pure zod: the web validates its forms with
 * the same schemas the server does. The plan request itself is the core's `taperPlanRequestSchema`;
 * check-ins extend the core's `withdrawalCheckInSchema`.
 */
import { z } from 'zod';
import {
  TAPER_DECISIONS,
  TAPER_PLAN_STATUSES,
  taperPlanRequestSchema,
  withdrawalCheckInSchema,
} from '../../clinical/taper';

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

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
export const taperParams = patientParams.extend({
  taperId: z.uuid({ error: 'must be a taper plan id (UUID)' }),
});
export const versionQuery = z.object({
  version: z.coerce.number().int().min(1).optional().describe('Plan version number (default: current)'),
});

const status = z.enum(['V', 'S', 'U', 'D']);

export const taperStepDto = z.object({
  index: z.int(),
  day: z.int(),
  date: z.string(),
  targetDoseMg: z.number(),
  doseMg: z.number().nullable(),
  targetOccupancyPct: z.number().nullable(),
  occupancyPct: z.number().nullable(),
  cutPct: z.number().nullable(),
  deliverable: z.boolean(),
  how: z.string(),
  kind: z.enum(['start', 'reduce', 'stop']),
  limitedBy: z.string().nullable(),
  shiftedFromDate: z.string().nullable(),
  shiftReason: z.string().nullable(),
  problems: z.array(z.string()),
  formStatuses: z.array(status),
  administration: z.string().nullable(),
  take: z
    .object({
      timesPerDay: z.int(),
      perDoseMg: z.number(),
      eachTime: z.string(),
      text: z.string().describe('What to take each time and how often, e.g. "1 × … tablet twice a day"'),
    })
    .nullable(),
  preparation: z
    .object({ method: z.literal('compounded'), text: z.string(), citation: z.string(), status })
    .nullable()
    .describe('Set when no listed product gives the dose: a compounding pharmacy makes it'),
  formSwitch: z
    .object({
      from: z.string(),
      to: z.string(),
      equivalence: z.string(),
      citation: z.string(),
      status,
    })
    .nullable()
    .describe('Set on the step where the plan changes release form'),
  capPct: z.number().nullable(),
});

export const taperScheduleDto = z.object({
  drug: z.string(),
  taperClass: z.enum(['antidepressant', 'benzodiazepine']),
  mode: z.enum(['occupancy', 'proportional']),
  stepPp: z.number().nullable(),
  stepPct: z.number().nullable(),
  intervalDays: z.int(),
  maxCutPct: z.number(),
  startDate: z.string(),
  model: z
    .object({
      id: z.string(),
      region: z.string(),
      emaxPct: z.number(),
      ed50Mg: z.number(),
      status,
      note: z.string(),
    })
    .nullable(),
  finalDoseMg: z.number().nullable(),
  finalDoseSource: z.object({ text: z.string(), status: z.string(), citation: z.string() }).nullable(),
  release: z.string().nullable(),
  dosesPerDay: z.int(),
  dosesPerDaySource: z.object({ text: z.string(), status: z.string(), citation: z.string() }),
  status: z.enum(['complete', 'ends-before-zero']),
  endReason: z.string().nullable(),
  totalDurationDays: z.int(),
  endDate: z.string(),
  durationText: z.string(),
  steps: z.array(taperStepDto),
  undeliverableSteps: z.int(),
  compoundedSteps: z.int(),
  formSwitches: z.int(),
  infusionDates: z.array(z.string()),
  infusionSpacing: z.object({
    noChangeHoursBeforeInfusion: z.number(),
    noChangeHoursAfterInfusion: z.number(),
  }),
  infusionFlags: z.array(
    z.object({
      date: z.string(),
      planDoseMg: z.number().nullable(),
      level: z.enum(['above', 'possibly-above', 'not-above']),
      lowMgPerDayDe: z.number(),
      highMgPerDayDe: z.number(),
      thresholdMgPerDay: z.number(),
      ruleId: z.string(),
      citation: z.string(),
    }),
  ),
  rules: z.array(z.object({ id: z.string(), text: z.string(), citation: z.string(), status })),
  warnings: z.array(z.string()),
});

export const taperVersionDto = z.object({
  id: z.uuid(),
  number: z.int(),
  previousVersionId: z.uuid().nullable(),
  decisionId: z.uuid().nullable(),
  reason: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  schedule: taperScheduleDto,
});

export const taperPlanSummaryDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  drug: z.string(),
  status: z.enum(TAPER_PLAN_STATUSES),
  version: z.int().describe('Row version of the plan (status changes)'),
  createdBy: z.uuid(),
  createdAt: z.string(),
  currentVersion: z.int(),
  startDate: z.string(),
  startDoseMg: z.number(),
  mode: z.enum(['occupancy', 'proportional']),
  stepCount: z.int(),
  endDate: z.string(),
  totalDurationDays: z.int(),
  durationText: z.string(),
  planStatus: z
    .enum(['complete', 'ends-before-zero'])
    .describe('complete: ends with a stop from the final dose; ends-before-zero: stops with a reason'),
  undeliverableSteps: z.int(),
  compoundedSteps: z.int(),
  infusionFlags: z.int(),
});

export const suggestionDto = z.object({
  decision: z.enum(['continue', 'hold', 'step-back']),
  ruleId: z.string(),
  citation: z.string(),
  reasons: z.array(z.string()),
  urgentReview: z.boolean(),
  basedOn: z.string().nullable(),
});

export const taperCheckInDto = z.object({
  id: z.uuid(),
  date: z.string(),
  answers: z.record(z.string(), z.int()),
  tolerable: z.boolean(),
  note: z.string().nullable(),
  suggestion: suggestionDto,
  recordedBy: z.uuid(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
});

export const taperDecisionDto = z.object({
  id: z.uuid(),
  date: z.string(),
  versionId: z.uuid(),
  suggested: z.enum(['continue', 'hold', 'step-back']),
  suggestion: suggestionDto,
  decision: z.enum(['continue', 'hold', 'step-back']),
  overridesSuggestion: z.boolean(),
  reason: z.string(),
  decidedBy: z.uuid(),
  decidedByName: z.string().nullable(),
  createdAt: z.string(),
});

export const taperPlanDetailDto = taperPlanSummaryDto.extend({
  versions: z.array(taperVersionDto),
  statusHistory: z.array(
    z.object({
      fromStatus: z.enum(TAPER_PLAN_STATUSES),
      changedAt: z.string(),
      changedByName: z.string().nullable(),
    }),
  ),
});

export const referenceDto = z.object({
  drugs: z.array(
    z.object({
      name: z.string(),
      taperClass: z.enum(['antidepressant', 'benzodiazepine']),
      occupancyModels: z.array(z.object({ id: z.string(), region: z.string(), status })),
      forms: z.array(z.object({ id: z.string(), label: z.string(), status })),
    }),
  ),
  checkInItems: z.array(
    z.object({ id: z.string(), text: z.string(), domain: z.string(), redFlag: z.boolean() }),
  ),
  defaults: z.object({
    noChangeHoursBeforeInfusion: z.number(),
    bzdThresholdMgPerDayDe: z.number(),
    intervalDays: z.object({ min: z.int(), max: z.int() }),
  }),
});

export const monitoringDto = z.object({
  checkIns: z.array(taperCheckInDto),
  decisions: z.array(taperDecisionDto),
  suggestion: suggestionDto.nullable(),
  statusReasons: z.array(
    z.object({
      fromStatus: z.enum(TAPER_PLAN_STATUSES),
      changedAt: z.string(),
      changedByName: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});

export const checkInResultDto = z.object({ checkIn: taperCheckInDto, suggestion: suggestionDto });
export const decisionResultDto = z.object({
  decision: taperDecisionDto,
  newVersion: taperVersionDto.nullable(),
});

/** A current medication as a taper starting point (the core's reading of drug and daily dose). */
export const taperStartDto = z.object({
  medicationId: z.uuid(),
  name: z.string(),
  dose: z.number().nullable(),
  doseUnit: z.string().nullable(),
  frequency: z.string().nullable(),
  /** The planner's drug, or null when it has no rules for this medication. */
  drug: z.string().nullable(),
  startDoseMg: z.number().nullable(),
  dosesPerDay: z.number().nullable(),
  /** Why a field is left for the prescriber (plain words). */
  notes: z.array(z.string()),
});
