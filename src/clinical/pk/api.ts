/**
 * Request schemas and pure entry points shared by the CLI, the HTTP API and the web client.
 * Each function validates its request with the exported zod schema, so every shell refuses bad
 * input the same way (ClinicalInputError naming the field or regimen token).
 *
 * Two doors: `simulateDoses` and `planDose` take structured doses (what code that already knows a
 * dose calls); `simulate` and `planInfusion` take the regimen language people type (the CLI, the
 * planner), parse it once with `parseSimulateRequest` / `parsePlanRequest` and go through the
 * structured door, so both validate and compute the same way.
 */
import { z } from 'zod';
import { dosingWeightKg } from '../body';
import { ClinicalInputError } from '../errors';
import { listModels, MODEL_IDS, type PkModelInfo } from './models';
import { type InfusionPlan, type InfusionPlanInput, planInfusionDose } from './planning';
import { doseSchema, parseDose, parseRegimen } from './regimen';
import { type SimulationResult, simulateRegimen, timeGrid } from './simulate';
import { computeTci, type TciResult } from './tci';
import { PLAUSIBLE, plausibleNumber } from '../plausibility';
import { MODEL_EVIDENCE_STATUSES } from '../vocabulary/evidence-statuses';

const positive = z.number().finite().positive();
const modelId = z
  .string()
  .refine((s) => MODEL_IDS.includes(s), { message: `unknown model; known: ${MODEL_IDS.join(', ')}` });

const patientFields = {
  weightKg: plausibleNumber(PLAUSIBLE.weightKg),
  ageYears: z.number().finite().min(0).max(130).optional(),
  heightCm: plausibleNumber(PLAUSIBLE.heightCm).optional(),
  sex: z.enum(['F', 'M']).optional(),
  /** Perez-Ruixo 2021 race covariates. */
  asian: z.boolean().optional(),
  japanese: z.boolean().optional(),
  weightBasis: z.enum(['actual', 'ideal', 'adjusted']).optional(),
};

const gridFields = {
  timesMin: z.array(z.number().finite().min(0)).min(1).optional(),
  stepMin: positive.optional(),
  untilMin: z.number().finite().min(0).optional(),
  /** Effect-site rate constant; null turns the effect site off; omitted = model default (labelled). */
  ke0PerMin: positive.nullable().optional(),
  thresholdNgPerMl: positive.optional(),
};
const hasTimes = (r: {
  timesMin?: number[] | undefined;
  stepMin?: number | undefined;
  untilMin?: number | undefined;
}) => r.timesMin !== undefined || (r.stepMin !== undefined && r.untilMin !== undefined);
const timesIssue = { message: 'give timesMin, or stepMin and untilMin', path: ['timesMin'] };

/** A simulation request in the regimen language: `doses` as people write them. */
export const simulateRequestSchema = z
  .object({
    model: modelId,
    ...patientFields,
    doses: z.array(z.string().min(1)).min(1).max(200),
    ...gridFields,
  })
  .refine(hasTimes, timesIssue);
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;

/** A simulation request with structured doses. */
export const simulateInputSchema = z
  .object({ model: modelId, ...patientFields, doses: z.array(doseSchema).min(1).max(200), ...gridFields })
  .refine(hasTimes, timesIssue);
export type SimulateInput = z.input<typeof simulateInputSchema>;

export const planRequestSchema = z.object({
  weightKg: plausibleNumber(PLAUSIBLE.weightKg),
  heightCm: plausibleNumber(PLAUSIBLE.heightCm).optional(),
  sex: z.enum(['F', 'M']).optional(),
  weightBasis: z.enum(['actual', 'ideal', 'adjusted']).optional(),
  dose: z.string().min(1),
  vialMgPerMl: positive,
  bagMl: z.number().finite().min(0),
  pumpResolutionMlPerH: positive.optional(),
  maxMgPerKgPerSession: positive.optional(),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

/** A pump-plan request with a structured dose. */
export const planInputSchema = planRequestSchema.extend({ dose: doseSchema });
export type PlanInput = z.input<typeof planInputSchema>;

export const tciRequestSchema = z
  .object({
    model: modelId,
    ...patientFields,
    targetSite: z.enum(['plasma', 'effect']).optional(),
    /** A constant target… */
    targetNgPerMl: positive.optional(),
    /** …or stepped targets (the first starting at 0 min). */
    targets: z
      .array(z.object({ startMin: z.number().finite().min(0), targetNgPerMl: positive }))
      .min(1)
      .optional(),
    durationMin: positive.max(7 * 24 * 60),
    updateIntervalMin: positive.optional(),
    maxRateMgPerMin: positive.optional(),
    ke0PerMin: positive.nullable().optional(),
  })
  .refine((r) => (r.targetNgPerMl === undefined) !== (r.targets === undefined), {
    message: 'give exactly one of targetNgPerMl or targets',
    path: ['targetNgPerMl'],
  });
export type TciRequest = z.infer<typeof tciRequestSchema>;

/** Parses with a schema, converting the first zod issue into a ClinicalInputError. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
    throw new ClinicalInputError(field, issue.message);
  }
  return r.data;
}

function sexAtBirth(sex: 'F' | 'M' | undefined): 'female' | 'male' | undefined {
  return sex === undefined ? undefined : sex === 'F' ? 'female' : 'male';
}

export function modelsCatalogue(): PkModelInfo[] {
  return listModels();
}

/** Validates a regimen-language request and parses its doses, once. */
export function parseSimulateRequest(body: unknown): SimulateInput {
  const r = parseRequest(simulateRequestSchema, body);
  return { ...r, doses: parseRegimen(r.doses) };
}

/** Simulates a request written in the regimen language (the CLI, the planner). */
export function simulate(request: unknown): SimulationResult {
  return simulateDoses(parseSimulateRequest(request));
}

/** Simulates structured doses with one model. */
export function simulateDoses(input: SimulateInput): SimulationResult {
  const r = parseRequest(simulateInputSchema, input);
  const times = r.timesMin ?? timeGrid(r.stepMin!, r.untilMin!, 'stepMin');
  const weight = dosingWeightKg(r.weightBasis ?? 'actual', r.weightKg, r.heightCm, sexAtBirth(r.sex), {
    sexAtBirth: 'sex',
  });
  return simulateRegimen({
    modelId: r.model,
    covariates: {
      weightKg: r.weightKg,
      ageYears: r.ageYears,
      heightCm: r.heightCm,
      sex: r.sex,
      asian: r.asian,
      japanese: r.japanese,
    },
    modelOptions: r.ke0PerMin === undefined ? {} : { ke0PerMin: r.ke0PerMin },
    doses: r.doses,
    dosingWeightKg: weight,
    timesMin: times,
    thresholdNgPerMl: r.thresholdNgPerMl,
  });
}

/** Validates a regimen-language pump-plan request and parses its dose, once. */
export function parsePlanRequest(body: unknown): InfusionPlanInput {
  const r = parseRequest(planRequestSchema, body);
  return { ...r, dose: parseDose(r.dose) };
}

/** A pump plan for a dose written in the regimen language (the CLI, the planner). */
export function planInfusion(request: unknown): InfusionPlan {
  return planDose(parsePlanRequest(request));
}

/** A pump plan for a structured dose, validated as the typed request is. */
export function planDose(input: PlanInput): InfusionPlan {
  return planInfusionDose(parseRequest(planInputSchema, input));
}

export function planTci(request: unknown): TciResult {
  const r = parseRequest(tciRequestSchema, request);
  return computeTci({
    modelId: r.model,
    covariates: {
      weightKg: r.weightKg,
      ageYears: r.ageYears,
      heightCm: r.heightCm,
      sex: r.sex,
      asian: r.asian,
      japanese: r.japanese,
    },
    modelOptions: r.ke0PerMin === undefined ? {} : { ke0PerMin: r.ke0PerMin },
    targetSite: r.targetSite,
    targets: r.targets ?? [{ startMin: 0, targetNgPerMl: r.targetNgPerMl! }],
    durationMin: r.durationMin,
    updateIntervalMin: r.updateIntervalMin,
    maxRateMgPerMin: r.maxRateMgPerMin,
  });
}

/** Deep-converts object keys from camelCase to snake_case (the CLI's JSON convention). */
export function toSnakeCaseJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnakeCaseJson);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        toSnakeCaseJson(v),
      ]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Response schemas (for the OpenAPI document); they describe what the entry points return.

const status = z.enum(MODEL_EVIDENCE_STATUSES);
const num = z.number();
const nullableNum = z.number().nullable();

export const modelInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  drug: z.enum(['ketamine', 'esketamine']),
  citation: z.string(),
  doiOrPmid: z.string(),
  population: z.string(),
  sampling: z.string(),
  status,
  statusNote: z.string(),
  scaling: z.string(),
  structure: z.string(),
  routes: z.array(z.enum(['iv', 'intranasal', 'oral'])),
  analytes: z.array(z.object({ name: z.string(), mwGPerMol: num, role: z.enum(['parent', 'metabolite']) })),
  parameters: z.array(
    z.object({ name: z.string(), value: num, unit: z.string(), status, source: z.string() }),
  ),
  ke0: z.object({ defaultPerMin: nullableNum, status, note: z.string() }),
  observations: z.array(
    z.object({
      description: z.string(),
      regimen: z.string(),
      timeMin: nullableNum,
      analyte: z.string(),
      valueNgPerMl: num.optional(),
      valueText: z.string().optional(),
      source: z.string(),
      status,
    }),
  ),
});
export const modelsResponseSchema = z.array(modelInfoSchema);

const analyteMetricsSchema = z.object({
  cmaxNgPerMl: num,
  tmaxMin: num,
  cmaxUm: num,
  aucToEndNgHPerMl: num,
  aucInfNgHPerMl: num,
  endOfInfusion: z.array(z.object({ dose: z.string(), timeMin: num, concentrationNgPerMl: num })),
  threshold: z
    .object({
      thresholdNgPerMl: num,
      timeAboveMin: num,
      fallsBelowAtMin: nullableNum,
      aboveAtEnd: z.boolean(),
    })
    .optional(),
});

export const simulateResponseSchema = z.object({
  model: z.string(),
  unit: z.literal('ng/mL'),
  method: z.enum(['eigen', 'expm']),
  timesMin: z.array(num),
  analytes: z.record(z.string(), z.array(num)),
  analytesUm: z.record(z.string(), z.array(num)),
  effectSite: z.object({ ke0PerMin: num, ke0Status: z.string(), ngPerMl: z.array(num) }).nullable(),
  metrics: z.record(z.string(), analyteMetricsSchema),
  metricsResolutionMin: num,
  doses: z.array(
    z.object({
      text: z.string(),
      route: z.enum(['iv', 'intranasal', 'oral']),
      doseMg: num,
      startMin: num,
      durationMin: nullableNum,
    }),
  ),
  dosingWeightKg: num,
  notes: z.array(z.string()),
});

export const planResponseSchema = z.object({
  dose: z.string(),
  weightBasis: z.enum(['actual', 'ideal', 'adjusted']),
  actualWeightKg: num,
  dosingWeightKg: num,
  doseMg: num,
  doseMgPerKgActual: num,
  doseMgPerKgDosingWeight: num,
  maxMgPerKgPerSession: num,
  vialMgPerMl: num,
  drugVolumeMl: num,
  bagMl: num,
  totalVolumeMl: num,
  finalConcentrationMgPerMl: num,
  durationMin: num,
  startMin: num,
  exactRateMlPerH: num,
  pumpResolutionMlPerH: num,
  rateMlPerH: num,
  vtbiMl: num,
  durationAtRoundedRateMin: num,
  deliveredAtPlannedDurationMg: num,
  doseErrorMg: num,
  doseErrorPercent: num,
  assumptions: z.array(z.string()),
});

export const tciResponseSchema = z.object({
  model: z.string(),
  targetSite: z.enum(['plasma', 'effect']),
  updateIntervalMin: num,
  boluses: z.array(z.object({ timeMin: num, doseMg: num })),
  infusions: z.array(z.object({ startMin: num, durationMin: num, rateMgPerMin: num, rateMgPerH: num })),
  totalDoseMg: num,
  verification: z.object({
    resolutionMin: num,
    method: z.string(),
    segments: z.array(
      z.object({
        startMin: num,
        endMin: num,
        targetNgPerMl: num,
        reachedWithinOnePercentAtMin: nullableNum,
        maxNgPerMl: num,
        overshootPercent: num,
        maxDeviationAfterReachPercent: nullableNum,
      }),
    ),
  }),
  predicted: z.object({
    timesMin: z.array(num),
    plasmaNgPerMl: z.array(num),
    effectNgPerMl: z.array(num).nullable(),
  }),
});
