/**
 * Simulation of a regimen with one model: concentrations on any time grid plus exposure metrics.
 */
import { ClinicalInputError } from '../errors';
import { type BuiltModel, buildModel, type Covariates, type ModelOptions } from './models';
import { type Dose, doseLabel, doseMg } from './regimen';
import {
  exactIntegral,
  type InputEvent,
  inputDeliveredBy,
  makePropagator,
  type Propagator,
  type PropagatorMethod,
  solveWith,
  statesAt,
} from './solver';

/**
 * Default threshold: 100 ng/mL, the lower end of the 100–250 ng/mL range associated with
 * dissociation during a 40-min infusion (Krystal 1994 via Zanos 2018 Pharmacol Rev Table 1) [S].
 */
export const DEFAULT_THRESHOLD_NG_PER_ML = 100;
export { DISSOCIATION_BAND_NG_PER_ML } from '../vocabulary/pk';
/** Resolution of the internal grid used for Cmax/Tmax and threshold crossings. */
export const DEFAULT_METRICS_RESOLUTION_MIN = 0.1;
export const MAX_TIME_POINTS = 2_000_000;
const MAX_METRIC_POINTS = 1_000_000;

export interface ResolvedDose {
  text: string;
  route: Dose['route'];
  doseMg: number;
  startMin: number;
  durationMin: number | null;
}

export interface AnalyteMetrics {
  cmaxNgPerMl: number;
  tmaxMin: number;
  cmaxUm: number;
  /** Exact AUC from the first dose to the last requested time. */
  aucToEndNgHPerMl: number;
  /** Exact AUC to infinity of every dose in the regimen. */
  aucInfNgHPerMl: number;
  /** Concentration at the end of each infusion (exact). */
  endOfInfusion: { dose: string; timeMin: number; concentrationNgPerMl: number }[];
  /** Only for the parent drug. */
  threshold?: {
    thresholdNgPerMl: number;
    timeAboveMin: number;
    /** Last time the concentration falls below the threshold; null if never above or still above at the end. */
    fallsBelowAtMin: number | null;
    aboveAtEnd: boolean;
  };
}

export interface SimulationResult {
  model: string;
  unit: 'ng/mL';
  method: PropagatorMethod;
  timesMin: number[];
  analytes: Record<string, number[]>;
  analytesUm: Record<string, number[]>;
  effectSite: { ke0PerMin: number; ke0Status: string; ngPerMl: number[] } | null;
  metrics: Record<string, AnalyteMetrics>;
  metricsResolutionMin: number;
  doses: ResolvedDose[];
  dosingWeightKg: number;
  notes: string[];
}

export interface SimulationInput {
  modelId: string;
  covariates: Covariates;
  modelOptions?: ModelOptions;
  doses: readonly Dose[];
  /** Weight a mg/kg dose is multiplied by (defaults to covariates.weightKg). */
  dosingWeightKg?: number;
  timesMin: readonly number[];
  thresholdNgPerMl?: number;
  metricsResolutionMin?: number;
  method?: PropagatorMethod;
}

export function timeGrid(stepMin: number, untilMin: number, field = 'step'): number[] {
  if (!Number.isFinite(stepMin) || stepMin <= 0)
    throw new ClinicalInputError(field, `must be positive, got ${stepMin}`);
  if (!Number.isFinite(untilMin) || untilMin < 0)
    throw new ClinicalInputError('until', `must be ≥ 0, got ${untilMin}`);
  const count = Math.floor(untilMin / stepMin + 1e-9) + 1;
  if (count > MAX_TIME_POINTS) {
    throw new ClinicalInputError(field, `grid of ${count} points exceeds the limit of ${MAX_TIME_POINTS}`);
  }
  return Array.from({ length: count }, (_, k) => k * stepMin);
}

export function resolveDoses(doses: readonly Dose[], dosingWeightKg: number): ResolvedDose[] {
  return doses.map((d) => ({
    text: doseLabel(d),
    route: d.route,
    doseMg: doseMg(d, dosingWeightKg),
    startMin: d.startMin,
    durationMin: d.durationMin,
  }));
}

export function eventsFor(model: BuiltModel, doses: readonly ResolvedDose[]): InputEvent[] {
  return doses.flatMap((d) =>
    model.doseEvents({
      doseMg: d.doseMg,
      route: d.route,
      startMin: d.startMin,
      durationMin: d.durationMin,
      token: `dose "${d.text}"`,
    }),
  );
}

function validateTimes(times: readonly number[]): void {
  if (times.length === 0) throw new ClinicalInputError('times', 'at least one time is required');
  if (times.length > MAX_TIME_POINTS)
    throw new ClinicalInputError('times', `more than ${MAX_TIME_POINTS} time points`);
  for (const t of times) {
    if (!Number.isFinite(t) || t < 0)
      throw new ClinicalInputError('times', `times must be finite and ≥ 0, got ${t}`);
  }
}

export function simulateRegimen(input: SimulationInput): SimulationResult {
  validateTimes(input.timesMin);
  const threshold = input.thresholdNgPerMl ?? DEFAULT_THRESHOLD_NG_PER_ML;
  if (!Number.isFinite(threshold) || threshold <= 0) {
    throw new ClinicalInputError('threshold', `must be a positive number, got ${threshold}`);
  }
  const model = buildModel(input.modelId, input.covariates, input.modelOptions);
  if (input.doses.length === 0) throw new ClinicalInputError('doses', 'at least one dose is required');
  const parsed = input.doses;
  const dosingWeight = input.dosingWeightKg ?? input.covariates.weightKg;
  const doses = resolveDoses(parsed, dosingWeight);
  const events = eventsFor(model, doses);
  const prop = makePropagator(model.system, input.method);
  const rows = model.outputs.map((o) => o.row);
  if (model.effectRow !== null) rows.push(model.effectRow);
  const res = solveWith(prop, model.system, events, input.timesMin, rows);
  const analytes: Record<string, number[]> = {};
  const analytesUm: Record<string, number[]> = {};
  model.outputs.forEach((o, k) => {
    const v = Array.from(res.values[k]!);
    analytes[o.analyte] = v;
    // ng/mL ÷ (g/mol) = µmol/L.
    analytesUm[o.analyte] = v.map((x) => x / o.mwGPerMol);
  });
  const effectSite =
    model.effectRow !== null && model.ke0PerMin !== null
      ? {
          ke0PerMin: model.ke0PerMin,
          ke0Status: `[${model.info.ke0.status}] ${model.info.ke0.note}`,
          ngPerMl: Array.from(res.values[model.outputs.length]!),
        }
      : null;
  const tEnd = Math.max(...input.timesMin);
  const resolution = input.metricsResolutionMin ?? DEFAULT_METRICS_RESOLUTION_MIN;
  const metrics = computeMetrics(model, prop, events, doses, tEnd, threshold, resolution);
  return {
    model: model.info.id,
    unit: 'ng/mL',
    method: res.method,
    timesMin: [...input.timesMin],
    analytes,
    analytesUm,
    effectSite,
    metrics: metrics.byAnalyte,
    metricsResolutionMin: metrics.resolutionMin,
    doses,
    dosingWeightKg: dosingWeight,
    notes: model.notes,
  };
}

function computeMetrics(
  model: BuiltModel,
  prop: Propagator,
  events: readonly InputEvent[],
  doses: readonly ResolvedDose[],
  tEnd: number,
  threshold: number,
  resolutionMin: number,
): { byAnalyte: Record<string, AnalyteMetrics>; resolutionMin: number } {
  if (!Number.isFinite(resolutionMin) || resolutionMin <= 0) {
    throw new ClinicalInputError('metricsResolutionMin', `must be positive, got ${resolutionMin}`);
  }
  const t0 = Math.min(0, ...doses.map((d) => d.startMin));
  let step = resolutionMin;
  if ((tEnd - t0) / step > MAX_METRIC_POINTS) step = (tEnd - t0) / MAX_METRIC_POINTS;
  const grid = new Set<number>();
  const count = Math.floor((tEnd - t0) / step + 1e-9);
  for (let k = 0; k <= count; k++) grid.add(t0 + k * step);
  grid.add(tEnd);
  const infusionEnds: { dose: string; timeMin: number }[] = [];
  for (const d of doses) {
    if (d.startMin <= tEnd) grid.add(d.startMin);
    if (d.durationMin !== null) {
      const end = d.startMin + d.durationMin;
      infusionEnds.push({ dose: d.text, timeMin: end });
      grid.add(end);
    }
  }
  const times = [...grid].sort((x, y) => x - y);
  const rows = model.outputs.map((o) => o.row);
  const dense = solveWith(prop, model.system, events, times, rows).values;
  const ends = solveWith(
    prop,
    model.system,
    events,
    infusionEnds.map((e) => e.timeMin),
    rows,
  ).values;
  const n = model.system.names.length;
  const stateEnd = statesAtProp(prop, model, events, tEnd);
  const deliveredEnd = inputDeliveredBy(n, events, tEnd);
  const deliveredAll = inputDeliveredBy(n, events, Infinity);
  const zero = new Array<number>(n).fill(0);
  const byAnalyte: Record<string, AnalyteMetrics> = {};
  model.outputs.forEach((o, k) => {
    const c = dense[k]!;
    let imax = 0;
    for (let i = 1; i < c.length; i++) if (c[i]! > c[imax]!) imax = i;
    const cmax = c[imax]!;
    // ∫ c·x dt in ng/mL·min → ng·h/mL.
    const aucEnd = exactIntegral(model.system, o.row, stateEnd, deliveredEnd) / 60;
    const aucInf = exactIntegral(model.system, o.row, zero, deliveredAll) / 60;
    const m: AnalyteMetrics = {
      cmaxNgPerMl: cmax,
      tmaxMin: times[imax]!,
      cmaxUm: cmax / o.mwGPerMol,
      aucToEndNgHPerMl: aucEnd,
      aucInfNgHPerMl: aucInf,
      endOfInfusion: infusionEnds.map((e, j) => ({ ...e, concentrationNgPerMl: ends[k]![j]! })),
    };
    if (k === 0) m.threshold = thresholdMetrics(times, c, threshold);
    byAnalyte[o.analyte] = m;
  });
  return { byAnalyte, resolutionMin: step };
}

function statesAtProp(
  prop: Propagator,
  model: BuiltModel,
  events: readonly InputEvent[],
  t: number,
): number[] {
  return statesAt(model.system, events, [t], { method: prop.method })[0]!;
}

/** Time above a threshold and the last downward crossing, by linear interpolation on the grid. */
export function thresholdMetrics(
  times: readonly number[],
  c: ArrayLike<number>,
  threshold: number,
): NonNullable<AnalyteMetrics['threshold']> {
  let above = 0;
  let fallsBelow: number | null = null;
  for (let i = 1; i < times.length; i++) {
    const t1 = times[i - 1]!;
    const t2 = times[i]!;
    const a = c[i - 1]! - threshold;
    const b = c[i]! - threshold;
    if (a >= 0 && b >= 0) above += t2 - t1;
    else if (a >= 0 || b >= 0) {
      const tc = t1 + ((t2 - t1) * a) / (a - b);
      if (a >= 0) {
        above += tc - t1;
        fallsBelow = tc;
      } else above += t2 - tc;
    }
  }
  const aboveAtEnd = c.length > 0 && c[c.length - 1]! >= threshold;
  return {
    thresholdNgPerMl: threshold,
    timeAboveMin: above,
    fallsBelowAtMin: aboveAtEnd ? null : fallsBelow,
    aboveAtEnd,
  };
}
