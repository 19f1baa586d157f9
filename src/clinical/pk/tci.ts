/**
 * Target-controlled infusion in the STANPUMP manner (Shafer & Gregg 1992 as implemented in
 * stanpumpR; pharmacology.md §7): at every update the engine predicts, with the exact solution,
 * the free course of the targeted concentration (no further drug) and the course produced by a
 * unit bolus or a unit rate held for one update interval, and picks the largest bolus or rate
 * whose predicted peak over the coming horizon does not exceed the target. By linearity that is a
 * closed-form minimum over the horizon grid. The schedule is then verified by simulating it.
 */
import { ClinicalInputError } from '../errors';
import { buildModel, type Covariates, type ModelOptions } from './models';
import { type InputEvent, makePropagator, solveWith } from './solver';

/** Engineering default (not a clinical value): recompute the rate every 10 s. Configurable. */
export const DEFAULT_TCI_UPDATE_INTERVAL_MIN = 10 / 60;

export interface TciInput {
  modelId: string;
  covariates: Covariates;
  modelOptions?: ModelOptions;
  /** Which concentration to control; the effect site needs a ke0. */
  targetSite?: 'plasma' | 'effect';
  /** Stepped targets: each holds from its startMin until the next; the first must start at 0. */
  targets: { startMin: number; targetNgPerMl: number }[];
  durationMin: number;
  updateIntervalMin?: number;
  maxRateMgPerMin?: number;
}

export interface TciSegmentCheck {
  startMin: number;
  endMin: number;
  targetNgPerMl: number;
  /** First time the controlled concentration is within 1% of the target (null: never). */
  reachedWithinOnePercentAtMin: number | null;
  maxNgPerMl: number;
  overshootPercent: number;
  /** Largest |C − target| / target after the target was reached, in percent. */
  maxDeviationAfterReachPercent: number | null;
}

export interface TciResult {
  model: string;
  targetSite: 'plasma' | 'effect';
  updateIntervalMin: number;
  boluses: { timeMin: number; doseMg: number }[];
  infusions: { startMin: number; durationMin: number; rateMgPerMin: number; rateMgPerH: number }[];
  totalDoseMg: number;
  verification: { resolutionMin: number; segments: TciSegmentCheck[]; method: string };
  /** Predicted concentrations from the verification simulation, on the verification grid. */
  predicted: { timesMin: number[]; plasmaNgPerMl: number[]; effectNgPerMl: number[] | null };
}

function positive(field: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0)
    throw new ClinicalInputError(field, `must be a positive number, got ${v}`);
  return v;
}

export function computeTci(input: TciInput): TciResult {
  const site = input.targetSite ?? 'plasma';
  const duration = positive('durationMin', input.durationMin);
  const dt = positive('updateIntervalMin', input.updateIntervalMin ?? DEFAULT_TCI_UPDATE_INTERVAL_MIN);
  const maxRate =
    input.maxRateMgPerMin === undefined ? Infinity : positive('maxRateMgPerMin', input.maxRateMgPerMin);
  if (input.targets.length === 0) throw new ClinicalInputError('target', 'at least one target is required');
  const targets = [...input.targets].sort((a, b) => a.startMin - b.startMin);
  if (targets[0]!.startMin !== 0)
    throw new ClinicalInputError('target', 'the first target must start at 0 min');
  for (const t of targets) {
    positive('target', t.targetNgPerMl);
    if (!Number.isFinite(t.startMin) || t.startMin < 0)
      throw new ClinicalInputError('target', `bad start ${t.startMin}`);
  }
  const model = buildModel(input.modelId, input.covariates, input.modelOptions);
  if (!model.info.routes.includes('iv')) throw new ClinicalInputError('model', 'TCI needs an IV model');
  let row: number[];
  let horizon: number;
  if (site === 'effect') {
    if (model.effectRow === null || model.ke0PerMin === null) {
      throw new ClinicalInputError(
        'ke0PerMin',
        `model ${model.info.id} has no ke0; give one to target the effect site`,
      );
    }
    row = model.effectRow;
    horizon = dt + Math.max(8 / model.ke0PerMin, 2 * dt);
  } else {
    row = model.outputs[0]!.row;
    horizon = 2 * dt;
  }
  const n = model.system.names.length;
  const central = model.centralIndex;
  const prop = makePropagator(model.system);
  // Horizon grid: fine inside the first interval, then uniform.
  const tau: number[] = [];
  for (let j = 0; j <= 8; j++) tau.push((dt * j) / 8);
  const extra = 160;
  for (let j = 1; j <= extra; j++) tau.push(dt + ((horizon - dt) * j) / extra);
  // Unit responses from an empty body.
  const unitBolus = solveWith(
    prop,
    model.system,
    [{ kind: 'bolus', compartment: central, timeMin: 0, amountMg: 1 }],
    tau,
    [row],
  ).values[0]!;
  const unitRate = solveWith(
    prop,
    model.system,
    [{ kind: 'zero-order', compartment: central, startMin: 0, durationMin: dt, rateMgPerMin: 1 }],
    tau,
    [row],
  ).values[0]!;
  const rowInternal = prop.outputRow(row);
  const zeroW = new Float64Array(n);
  const e = new Array<number>(n).fill(0);
  e[central] = 1;
  const unitInternal = prop.toInternal(e);

  const targetAt = (t: number): number => {
    let v = targets[0]!.targetNgPerMl;
    for (const s of targets) if (s.startMin <= t + 1e-12) v = s.targetNgPerMl;
    return v;
  };
  const updateTimes = new Set<number>();
  for (let k = 0; k * dt < duration - 1e-12; k++) updateTimes.add(k * dt);
  for (const s of targets) if (s.startMin < duration) updateTimes.add(s.startMin);
  const steps = [...updateTimes].sort((a, b) => a - b);

  const z = new Float64Array(n);
  const free = new Float64Array(tau.length);
  const predictFree = (): void => {
    const zz = Float64Array.from(z);
    let prev = 0;
    for (let j = 0; j < tau.length; j++) {
      prop.advance(zz, tau[j]! - prev, zeroW);
      prev = tau[j]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += rowInternal[i]! * zz[i]!;
      free[j] = s;
    }
  };
  /** Largest amount a such that free + a·unit ≤ target on the horizon. */
  const largest = (unit: Float64Array, target: number): number => {
    let best = Infinity;
    let maxUnit = 0;
    for (const u of unit) maxUnit = Math.max(maxUnit, u);
    for (let j = 0; j < tau.length; j++) {
      const u = unit[j]!;
      if (u > 1e-9 * maxUnit) best = Math.min(best, (target - free[j]!) / u);
    }
    return Number.isFinite(best) ? Math.max(0, best) : 0;
  };

  const boluses: TciResult['boluses'] = [];
  const infusions: TciResult['infusions'] = [];
  let previousTarget = 0;
  for (let k = 0; k < steps.length; k++) {
    const t = steps[k]!;
    const next = k + 1 < steps.length ? steps[k + 1]! : duration;
    const target = targetAt(t);
    if (target > previousTarget) {
      predictFree();
      const b = largest(unitBolus, target);
      if (b > 0) {
        boluses.push({ timeMin: t, doseMg: b });
        for (let i = 0; i < n; i++) z[i]! += b * unitInternal[i]!;
      }
    }
    previousTarget = target;
    predictFree();
    let rate = Math.min(largest(unitRate, target), maxRate);
    if (!(rate > 0)) rate = 0;
    const h = next - t;
    infusions.push({ startMin: t, durationMin: h, rateMgPerMin: rate, rateMgPerH: rate * 60 });
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = rate * unitInternal[i]!;
    prop.advance(z, h, w);
  }

  // Verification by simulating the schedule with the exact solver on a fine grid.
  const events: InputEvent[] = [
    ...boluses.map((b): InputEvent => ({
      kind: 'bolus',
      compartment: central,
      timeMin: b.timeMin,
      amountMg: b.doseMg,
    })),
    ...infusions
      .filter((s) => s.rateMgPerMin > 0)
      .map((s): InputEvent => ({
        kind: 'zero-order',
        compartment: central,
        startMin: s.startMin,
        durationMin: s.durationMin,
        rateMgPerMin: s.rateMgPerMin,
      })),
  ];
  const resolution = Math.min(dt / 10, 0.05);
  const times: number[] = [];
  for (let k = 0; k * resolution <= duration + 1e-9; k++) times.push(k * resolution);
  const verifyRows = [model.outputs[0]!.row];
  if (model.effectRow !== null) verifyRows.push(model.effectRow);
  const sim = solveWith(prop, model.system, events, times, verifyRows);
  const plasma = Array.from(sim.values[0]!);
  const effect = model.effectRow !== null ? Array.from(sim.values[1]!) : null;
  const controlled = site === 'effect' ? effect! : plasma;
  const segments: TciSegmentCheck[] = targets
    .filter((s) => s.startMin < duration)
    .map((s, idx, arr) => {
      const end = idx + 1 < arr.length ? arr[idx + 1]!.startMin : duration;
      let reached: number | null = null;
      let max = -Infinity;
      let dev: number | null = null;
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        if (t < s.startMin || t >= end) continue;
        const c = controlled[i]!;
        max = Math.max(max, c);
        const rel = Math.abs(c - s.targetNgPerMl) / s.targetNgPerMl;
        if (reached === null && rel <= 0.01) reached = t;
        if (reached !== null && t < end) dev = Math.max(dev ?? 0, rel * 100);
      }
      return {
        startMin: s.startMin,
        endMin: end,
        targetNgPerMl: s.targetNgPerMl,
        reachedWithinOnePercentAtMin: reached,
        maxNgPerMl: max,
        overshootPercent: Math.max(0, ((max - s.targetNgPerMl) / s.targetNgPerMl) * 100),
        maxDeviationAfterReachPercent: dev,
      };
    });
  const totalDoseMg =
    boluses.reduce((s, b) => s + b.doseMg, 0) +
    infusions.reduce((s, i) => s + i.rateMgPerMin * i.durationMin, 0);
  return {
    model: model.info.id,
    targetSite: site,
    updateIntervalMin: dt,
    boluses,
    infusions,
    totalDoseMg,
    verification: { resolutionMin: resolution, segments, method: sim.method },
    predicted: { timesMin: times, plasmaNgPerMl: plasma, effectNgPerMl: effect },
  };
}
