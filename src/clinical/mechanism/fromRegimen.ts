/**
 * From a dosing regimen to the mechanism chain on one time axis:
 *
 *   regimen + model + patient → PK engine (plasma parent drug and metabolite)
 *     → simulateMechanism (occupancy, trapped block, burst suppression, spine component).
 *
 * Pure: the PK engine and the mechanism model are both pure. The shells (CLI, HTTP, web) call
 * `mechanismFromRegimen` with the same request, validated by `mechanismFromRegimenRequestSchema`.
 * Educational model, not a prediction for the individual (MECHANISM_BANNER).
 */
import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { checkRegimenDoses, PLAUSIBLE, plausibleNumber } from '../plausibility';
import { MODEL_EVIDENCE_STATUSES, type ModelEvidenceStatus } from '../vocabulary/evidence-statuses';
import { doseMg, getModelInfo, MODEL_IDS, parseRegimen, simulateDoses, type ResolvedDose } from '../pk';
import { mechanismRequestSchema, mechanismResponseSchema } from './api';
import { educationStepSchema, patientEducation, type EducationStep } from './education';
import { simulateMechanism, type MechanismTimeCourse } from './pipeline';

/** Default horizon: 72 h, long enough to show the spine component rise (12–24 h) and persist. */
export const DEFAULT_MECHANISM_UNTIL_MIN = 72 * 60;
/** Longest horizon: 28 days (the spine component is mostly gone after 2 weeks). */
export const MAX_MECHANISM_UNTIL_MIN = 28 * 24 * 60;
/** Largest grid a caller may ask for (uniform points, before the refinement around doses). */
export const MAX_MECHANISM_GRID_POINTS = 50_000;
/** The automatic step keeps the uniform grid at or below this many points (charts stay light). */
const AUTO_TARGET_POINTS = 1_500;
const AUTO_STEPS_MIN = [0.5, 1, 2, 5, 10, 15, 20, 30, 60];
/** Extra time points after every dose start and infusion end, so fast changes are resolved. */
const REFINE_OFFSETS_MIN = [0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120];
/** A bolus is an instantaneous jump: a point this long before it keeps the pre-dose value. */
const PRE_BOLUS_MIN = 1e-3;
/** Times closer than this are the same time point. */
const SAME_TIME_MIN = 1e-6;

const positive = z.number().finite().positive();
const modelId = z
  .string()
  .refine((s) => MODEL_IDS.includes(s), { message: `unknown model; known: ${MODEL_IDS.join(', ')}` });

export const mechanismFromRegimenRequestSchema = z.object({
  model: modelId,
  weightKg: plausibleNumber(PLAUSIBLE.weightKg),
  ageYears: z.number().finite().min(0).max(130).optional(),
  heightCm: plausibleNumber(PLAUSIBLE.heightCm).optional(),
  sex: z.enum(['F', 'M']).optional(),
  asian: z.boolean().optional(),
  japanese: z.boolean().optional(),
  weightBasis: z.enum(['actual', 'ideal', 'adjusted']).optional(),
  /** Regimen strings of the PK engine, e.g. "0.5 mg/kg over 40 min"; empty = no drug. */
  doses: z.array(z.string().min(1)).max(200),
  /** Horizon in minutes (default 72 h, at most 28 days). */
  untilMin: positive.max(MAX_MECHANISM_UNTIL_MIN).optional(),
  /** Uniform grid step in minutes (default: chosen so the grid has ≤ 1500 points). */
  stepMin: positive.optional(),
  receptorOverrides: mechanismRequestSchema.shape.receptorOverrides,
  spineOverrides: mechanismRequestSchema.shape.spineOverrides,
});
export type MechanismFromRegimenRequest = z.infer<typeof mechanismFromRegimenRequestSchema>;

const pkStatus = z.enum(MODEL_EVIDENCE_STATUSES);

export const mechanismFromRegimenResponseSchema = mechanismResponseSchema.extend({
  pk: z.object({
    model: z.string(),
    modelName: z.string(),
    citation: z.string(),
    status: pkStatus,
    statusNote: z.string(),
    parentAnalyte: z.string(),
    metaboliteAnalyte: z.string().nullable(),
    dosingWeightKg: z.number(),
    doses: z.array(
      z.object({
        text: z.string(),
        route: z.enum(['iv', 'intranasal', 'oral']),
        doseMg: z.number(),
        startMin: z.number(),
        durationMin: z.number().nullable(),
      }),
    ),
    parameters: z.array(
      z.object({
        name: z.string(),
        value: z.number(),
        unit: z.string(),
        status: pkStatus,
        source: z.string(),
      }),
    ),
    notes: z.array(z.string()),
  }),
  grid: z.object({ untilMin: z.number(), stepMin: z.number(), points: z.number() }),
  /** The same course in plain words for a patient, with sources. */
  education: z.array(educationStepSchema),
});

export interface MechanismFromRegimenResult extends MechanismTimeCourse {
  pk: {
    model: string;
    modelName: string;
    citation: string;
    status: ModelEvidenceStatus;
    statusNote: string;
    parentAnalyte: string;
    metaboliteAnalyte: string | null;
    dosingWeightKg: number;
    doses: ResolvedDose[];
    parameters: {
      name: string;
      value: number;
      unit: string;
      status: ModelEvidenceStatus;
      source: string;
    }[];
    notes: string[];
  };
  grid: { untilMin: number; stepMin: number; points: number };
  education: EducationStep[];
}

function parse(body: unknown): MechanismFromRegimenRequest {
  const r = mechanismFromRegimenRequestSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
    throw new ClinicalInputError(field, issue.message);
  }
  return r.data;
}

/** The automatic grid step: the smallest of 0.5, 1, 2, 5 … 60 min giving ≤ 1500 points. */
export function autoStepMin(untilMin: number): number {
  for (const s of AUTO_STEPS_MIN) if (untilMin / s <= AUTO_TARGET_POINTS) return s;
  return AUTO_STEPS_MIN.at(-1)!;
}

/**
 * The shared time axis: a uniform grid from 0 to `untilMin`, refined after each dose start and
 * infusion end (and just before each IV bolus), sorted, with duplicates removed so the times
 * strictly increase (the mechanism model needs that).
 */
export function mechanismTimeGrid(
  untilMin: number,
  stepMin: number,
  doses: readonly { route: string; startMin: number; durationMin: number | null }[],
): number[] {
  const count = Math.floor(untilMin / stepMin + 1e-9) + 1;
  if (count > MAX_MECHANISM_GRID_POINTS) {
    throw new ClinicalInputError(
      'stepMin',
      `a step of ${stepMin} min over ${untilMin} min gives ${count} points; the limit is ${MAX_MECHANISM_GRID_POINTS}`,
    );
  }
  const times: number[] = Array.from({ length: count }, (_, k) => k * stepMin);
  times.push(untilMin);
  for (const d of doses) {
    const events = d.durationMin === null ? [d.startMin] : [d.startMin, d.startMin + d.durationMin];
    for (const e of events) for (const o of REFINE_OFFSETS_MIN) times.push(e + o);
    if (d.route === 'iv' && d.durationMin === null && d.startMin > 0) times.push(d.startMin - PRE_BOLUS_MIN);
  }
  const inRange = times.filter((t) => t >= 0 && t <= untilMin).sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of inRange) if (out.length === 0 || t - out.at(-1)! > SAME_TIME_MIN) out.push(t);
  return out;
}

/**
 * Runs the PK engine for the regimen and feeds its plasma series into the mechanism model.
 * `onProgress` receives the completed fraction (0–1). Bad input raises ClinicalInputError naming
 * the field (`doses`, `dose token "…"`, `weightKg`, `untilMin`, …).
 */
export function mechanismFromRegimen(
  body: unknown,
  onProgress?: (fraction: number) => void,
): MechanismFromRegimenResult {
  const progress = onProgress ?? (() => undefined);
  const r = parse(body);
  const info = getModelInfo(r.model);
  const untilMin = r.untilMin ?? DEFAULT_MECHANISM_UNTIL_MIN;
  const stepMin = r.stepMin ?? autoStepMin(untilMin);
  const parsedDoses = r.doses.length > 0 ? parseRegimen(r.doses) : [];
  checkRegimenDoses(
    parsedDoses.map((d) => ({ route: d.route, doseMg: doseMg(d, r.weightKg) })),
    r.weightKg,
  );
  const timesMin = mechanismTimeGrid(untilMin, stepMin, parsedDoses);
  progress(0.02);

  const parent = info.analytes.find((a) => a.role === 'parent')!.name;
  const metabolite = info.analytes.find((a) => a.role === 'metabolite')?.name ?? null;
  const patient = {
    weightKg: r.weightKg,
    ageYears: r.ageYears,
    heightCm: r.heightCm,
    sex: r.sex,
    asian: r.asian,
    japanese: r.japanese,
    weightBasis: r.weightBasis,
  };

  let plasma: number[];
  let nk: number[] | undefined;
  let dosingWeightKg = r.weightKg;
  let doses: ResolvedDose[] = [];
  let pkNotes: string[] = [];
  let clamped = 0;
  let worst = 0;
  if (parsedDoses.length > 0) {
    // The doses were parsed once above; the engine takes them structured.
    const pk = simulateDoses({ model: r.model, ...patient, doses: parsedDoses, timesMin, ke0PerMin: null });
    // The exact solution can dip a hair below zero (round-off, ~1e-14 ng/mL) before a dose
    // arrives; concentrations cannot be negative, so those are set to 0.
    const nonNegative = (xs: number[]) =>
      xs.map((c) => {
        if (c >= 0) return c;
        clamped++;
        worst = Math.max(worst, -c);
        return 0;
      });
    plasma = nonNegative(pk.analytes[parent]!);
    nk = metabolite !== null ? nonNegative(pk.analytes[metabolite]!) : undefined;
    dosingWeightKg = pk.dosingWeightKg;
    doses = pk.doses;
    pkNotes = pk.notes;
  } else {
    plasma = timesMin.map(() => 0);
    nk = metabolite !== null ? timesMin.map(() => 0) : undefined;
  }
  progress(0.3);

  const mech = simulateMechanism(
    { timesMin, plasmaNgPerMl: plasma, ...(nk !== undefined ? { norketamineNgPerMl: nk } : {}) },
    {
      drug: info.drug === 'esketamine' ? 'esketamine' : 'racemic-ketamine',
      ...(r.receptorOverrides !== undefined ? { receptorOverrides: r.receptorOverrides } : {}),
      ...(r.spineOverrides !== undefined ? { spineOverrides: r.spineOverrides } : {}),
      onProgress: (f) => progress(0.3 + 0.7 * f),
    },
  );

  const after = doses.filter((d) => d.startMin > untilMin).map((d) => `"${d.text}"`);
  const assumptions = [
    parsedDoses.length > 0
      ? `Plasma concentrations come from the published population model ${info.name} (${info.citation}; status [${info.status}]: ${info.statusNote}) for a typical patient with the covariates given; a real patient's concentrations can differ several-fold.`
      : 'No dose was given: plasma concentrations are zero throughout, so the chain shows no drug effect.',
    metabolite !== null
      ? `The ${metabolite} series of the PK model is used as the metabolite input of the receptor model.`
      : `The PK model ${info.id} has no metabolite; norketamine is not included.`,
    `Time axis: 0 to ${untilMin} min on a ${stepMin}-min grid, refined after each dose start and infusion end${doses.some((d) => d.route === 'iv' && d.durationMin === null) ? ' and just before each IV bolus' : ''} (${timesMin.length} points); the same times are used for every series.`,
    ...(clamped > 0
      ? [
          `${clamped} concentration value(s) below zero by round-off (at most ${worst.toExponential(1)} ng/mL) were set to 0.`,
        ]
      : []),
    ...(after.length > 0 ? [`Dose(s) ${after.join(', ')} start after the horizon and do not show.`] : []),
  ];

  return {
    ...mech,
    education: patientEducation(mech),
    assumptions: [...assumptions, ...mech.assumptions],
    pk: {
      model: info.id,
      modelName: info.name,
      citation: info.citation,
      status: info.status,
      statusNote: info.statusNote,
      parentAnalyte: parent,
      metaboliteAnalyte: metabolite,
      dosingWeightKg,
      doses,
      parameters: info.parameters.map((p) => ({
        name: p.name,
        value: p.value,
        unit: p.unit,
        status: p.status,
        source: p.source,
      })),
      notes: pkNotes,
    },
    grid: { untilMin, stepMin, points: timesMin.length },
  };
}
