/**
 * Request schemas and validated entry points for the shells (HTTP routes, web client). Each
 * function checks its body with the exported zod schema, then calls the pure core, so every shell
 * refuses bad input the same way (ClinicalInputError naming the field).
 */
import { localDateSchema } from '../calendar';
import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import {
  EQUIVALENCE_TABLES,
  type EquivalenceTableId,
  bzdKetamineFlag,
  type BzdKetamineFlag,
} from './benzodiazepines';
import {
  CHECK_IN_ITEMS,
  type DecisionSuggestion,
  suggestTaperDecision,
  type WithdrawalCheckIn,
} from './checkin';
import { planTaper, type TaperPlan, type TaperPlanInput } from './plan';
import { taperStartDoseProblem } from '../plausibility';

const positive = z.number().finite().positive();
const tableId = z.enum(Object.keys(EQUIVALENCE_TABLES) as [EquivalenceTableId, ...EquivalenceTableId[]]);

export const medicationDoseSchema = z.object({
  drug: z.string().min(1).max(100),
  doseMgPerDay: z.number().finite().min(0),
});

export const taperPlanRequestSchema = z
  .object({
    drug: z.string().min(1).max(100),
    startDoseMg: positive,
    mode: z.enum(['occupancy', 'proportional']),
    stepPp: positive.optional(),
    stepPct: positive.optional(),
    intervalDays: z.number().int().min(14).max(28),
    startDate: localDateSchema,
    modelId: z.string().min(1).optional(),
    maxCutPct: positive.max(50).optional(),
    finalDoseMg: positive.optional(),
    shortTermBzdUse: z.boolean().optional(),
    forms: z
      .object({
        liquidResolutionMl: positive.optional(),
        maxTabletSplit: z.enum(['quarter', 'half', 'none']).optional(),
        maxPiecesPerDose: z.number().int().min(1).max(8).optional(),
        market: z.enum(['US', 'UK']).optional(),
        formIds: z.array(z.string().min(1)).optional(),
        excludeUnverifiedForms: z.boolean().optional(),
      })
      .optional(),
    infusionDates: z.array(localDateSchema).max(500).optional(),
    infusionSpacing: z
      .object({
        noChangeHoursBeforeInfusion: z.number().finite().min(0).max(336).optional(),
        noChangeHoursAfterInfusion: z.number().finite().min(0).max(336).optional(),
      })
      .optional(),
    equivalenceTable: tableId.optional(),
    bzdThresholdMgPerDay: z.number().finite().min(0).optional(),
    otherBenzodiazepines: z.array(medicationDoseSchema).max(50).optional(),
    maxSteps: z.number().int().min(1).max(1000).optional(),
    dosesPerDay: z.number().int().min(1).max(4).optional(),
    release: z.enum(['IR', 'CR', 'ER', 'DR', 'ODT']).optional(),
    allowCompounding: z.boolean().optional(),
  })
  .superRefine((req, ctx) => {
    // A start dose above the drug's labelled maximum is a typing error, not a taper to plan.
    const problem = taperStartDoseProblem(req.drug, req.startDoseMg);
    if (problem) ctx.addIssue({ code: 'custom', path: ['startDoseMg'], message: problem });
  });

const severity = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

export const withdrawalCheckInSchema = z.object({
  date: localDateSchema,
  answers: z.partialRecord(z.enum(CHECK_IN_ITEMS.map((i) => i.id) as [string, ...string[]]), severity),
  tolerable: z.boolean(),
  note: z.string().max(2000).optional(),
});

export const taperDecisionRequestSchema = z.object({
  history: z.array(withdrawalCheckInSchema).max(500),
  today: localDateSchema,
  lastChangeDate: localDateSchema,
  maxCheckInAgeDays: z.number().int().min(1).max(28).optional(),
});

export const bzdEquivalenceRequestSchema = z.object({
  meds: z.array(medicationDoseSchema).max(50),
  table: tableId.optional(),
  thresholdMgPerDay: z.number().finite().min(0).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    throw new ClinicalInputError(field, issue.message);
  }
  return r.data;
}

export function planTaperRequest(body: unknown): TaperPlan {
  return planTaper(parse(taperPlanRequestSchema, body) as TaperPlanInput);
}

export function taperDecisionRequest(body: unknown): DecisionSuggestion {
  const req = parse(taperDecisionRequestSchema, body);
  return suggestTaperDecision(req.history as WithdrawalCheckIn[], {
    today: req.today,
    lastChangeDate: req.lastChangeDate,
    ...(req.maxCheckInAgeDays === undefined ? {} : { maxCheckInAgeDays: req.maxCheckInAgeDays }),
  });
}

export function bzdEquivalenceRequest(body: unknown): BzdKetamineFlag {
  const req = parse(bzdEquivalenceRequestSchema, body);
  return bzdKetamineFlag(req.meds, {
    ...(req.table === undefined ? {} : { table: req.table }),
    ...(req.thresholdMgPerDay === undefined ? {} : { thresholdMgPerDay: req.thresholdMgPerDay }),
  });
}
