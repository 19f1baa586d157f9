import { ClinicalInputError } from '../errors';
import type { EquivalenceTableId, MedicationDose } from './benzodiazepines';
import { formatIsoDate, parseIsoDate } from './dates';
import type { Realisation, RealisationOptions } from './doseForms';
import {
  availableForms,
  realiseDose,
  realiseExactly,
  roundMg,
  solidCombinations,
  validateRealisationOptions,
} from './doseForms';
import type { SolidForm, TaperClass, TaperDrug } from './drugs';
import { findTaperDrug, TAPER_DRUGS } from './drugs';
import type { InfusionBzdFlag, InfusionSpacing } from './ketamine';
import { firstAllowedChangeDay, infusionBzdFlags, parseInfusionDates, validateSpacing } from './ketamine';
import type { OccupancyModel } from './occupancy';
import { doseForOccupancyMg, occupancyPct, selectOccupancyModel } from './occupancy';
import type { TaperRule } from './rules';
import { TAPER_RULES } from './rules';

export type TaperMode = 'occupancy' | 'proportional';

export interface TaperPlanInput {
  readonly drug: string;
  /** Current total daily dose. */
  readonly startDoseMg: number;
  readonly mode: TaperMode;
  /** Occupancy mode: percentage points of SERT occupancy per step. */
  readonly stepPp?: number;
  /** Proportional mode: percent of the most recent dose removed per step. */
  readonly stepPct?: number;
  /** Days between reductions, 14–28 (Maudsley; ASAM). */
  readonly intervalDays: number;
  /** ISO date of the plan start (day 0, current dose). */
  readonly startDate: string;
  /** Occupancy model id or region, required when the drug has several. */
  readonly modelId?: string;
  /** Per-step limit on the cut (%); defaults 25 (Maudsley; ASAM). Antidepressants: up to 50 (NICE example). */
  readonly maxCutPct?: number;
  /** Proportional mode: stop after the last dose ≥ this; default the smallest deliverable dose. */
  readonly finalDoseMg?: number;
  /** Benzodiazepines taken daily for < 3 months may taper faster than 10 % (ASAM 2025). */
  readonly shortTermBzdUse?: boolean;
  readonly forms?: RealisationOptions;
  /** Ketamine infusion dates (ISO). */
  readonly infusionDates?: readonly string[];
  readonly infusionSpacing?: Partial<InfusionSpacing>;
  readonly equivalenceTable?: EquivalenceTableId;
  readonly bzdThresholdMgPerDay?: number;
  /** Other benzodiazepines the patient takes, for the infusion-day flag. */
  readonly otherBenzodiazepines?: readonly MedicationDose[];
  /** Safety cap on plan length; default 200 steps. */
  readonly maxSteps?: number;
}

export interface TaperStep {
  readonly index: number;
  /** Days from the plan start. */
  readonly day: number;
  readonly date: string;
  /** The dose the rules ask for (un-rounded). */
  readonly targetDoseMg: number;
  /** The dose the patient takes; null when no form can deliver the target. */
  readonly doseMg: number | null;
  readonly targetOccupancyPct: number | null;
  readonly occupancyPct: number | null;
  /** Percent cut from the previous step's dose; null for step 0. */
  readonly cutPct: number | null;
  readonly deliverable: boolean;
  readonly how: string;
  readonly realisation: Realisation | null;
  readonly kind: 'start' | 'reduce' | 'stop';
  /** Rule that limited this step below the requested size. */
  readonly limitedBy?: string;
  /** Set when the change was postponed away from an infusion. */
  readonly shiftedFromDate?: string;
  readonly shiftReason?: string;
  readonly problems: readonly string[];
}

export interface TaperPlan {
  readonly drug: string;
  readonly taperClass: TaperClass;
  readonly mode: TaperMode;
  readonly stepPp: number | null;
  readonly stepPct: number | null;
  readonly intervalDays: number;
  readonly maxCutPct: number;
  readonly startDate: string;
  readonly model: OccupancyModel | null;
  readonly finalDoseMg: number | null;
  readonly steps: readonly TaperStep[];
  readonly undeliverableSteps: number;
  readonly infusionDates: readonly string[];
  readonly infusionSpacing: InfusionSpacing;
  readonly infusionFlags: readonly InfusionBzdFlag[];
  readonly rules: readonly TaperRule[];
  readonly warnings: readonly string[];
}

const DEFAULT_MAX_CUT_PCT = 25; // Maudsley 14th ed. (10–25 %); ASAM 2025 (≤25 % / 2 weeks) [V]
const NICE_MAX_CUT_PCT = 50; // NICE NG222 example step, 50 % of previous dose [V]
const BZD_INITIAL_MAX_PCT = 10; // ASAM 2025 initial pace 5–10 % [V]
const MIN_INTERVAL_DAYS = 14; // "every 2–4 weeks" Maudsley 14th; ASAM 2025 [V]
const MAX_INTERVAL_DAYS = 28; // "every 2–4 weeks" Maudsley 14th; ASAM 2025 [V]
const ROUNDING_SHARE_OF_CUT = 0.5; // planner design choice [D]

function requireDrug(name: string): TaperDrug {
  const drug = findTaperDrug(name);
  if (!drug) {
    throw new ClinicalInputError(
      'drug',
      `unknown drug "${name}"; known: ${TAPER_DRUGS.map((d) => d.name).join(', ')}`,
    );
  }
  return drug;
}

function positive(field: string, v: number | undefined, max?: number): number {
  if (v === undefined || !Number.isFinite(v) || v <= 0 || (max !== undefined && v > max)) {
    throw new ClinicalInputError(
      field,
      `must be a number > 0${max === undefined ? '' : ` and ≤ ${max}`}, got ${String(v)}`,
    );
  }
  return v;
}

/** Builds a dated, form-realised taper schedule ending with a stop step (dose 0). */
export function planTaper(input: TaperPlanInput): TaperPlan {
  const drug = requireDrug(input.drug);
  const isBzd = drug.taperClass === 'benzodiazepine';
  const startDoseMg = positive('startDoseMg', input.startDoseMg);
  const startDay = parseIsoDate('startDate', input.startDate);
  const intervalDays = input.intervalDays;
  if (
    !Number.isInteger(intervalDays) ||
    intervalDays < MIN_INTERVAL_DAYS ||
    intervalDays > MAX_INTERVAL_DAYS
  ) {
    throw new ClinicalInputError(
      'intervalDays',
      `must be a whole number of days from ${MIN_INTERVAL_DAYS} to ${MAX_INTERVAL_DAYS} (every 2–4 weeks), got ${intervalDays}`,
    );
  }
  const maxCutLimit = isBzd ? DEFAULT_MAX_CUT_PCT : NICE_MAX_CUT_PCT;
  const maxCutPct = positive('maxCutPct', input.maxCutPct ?? DEFAULT_MAX_CUT_PCT, maxCutLimit);
  const maxSteps = input.maxSteps ?? 200;
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > 1000) {
    throw new ClinicalInputError('maxSteps', `must be an integer from 1 to 1000, got ${maxSteps}`);
  }
  const formOpts = validateRealisationOptions(input.forms ?? {});
  const spacing = validateSpacing(input.infusionSpacing);
  const infusionDays = parseInfusionDates(input.infusionDates ?? []);
  const warnings: string[] = [];

  let model: OccupancyModel | null = null;
  let stepPp: number | null = null;
  let stepPct: number | null = null;
  if (input.mode === 'occupancy') {
    if (input.stepPct !== undefined)
      throw new ClinicalInputError('stepPct', 'occupancy mode takes stepPp, not stepPct');
    model = selectOccupancyModel(drug.name, input.modelId);
    stepPp = positive('stepPp', input.stepPp);
    const startOcc = occupancyPct(model, startDoseMg);
    if (stepPp >= startOcc) {
      throw new ClinicalInputError(
        'stepPp',
        `step of ${stepPp} pp is not below the start occupancy ${startOcc.toFixed(1)} %; choose a smaller step`,
      );
    }
  } else if (input.mode === 'proportional') {
    if (input.stepPp !== undefined)
      throw new ClinicalInputError('stepPp', 'proportional mode takes stepPct, not stepPp');
    const limit = isBzd && !input.shortTermBzdUse ? Math.min(BZD_INITIAL_MAX_PCT, maxCutPct) : maxCutPct;
    if (input.stepPct !== undefined && input.stepPct > limit) {
      const why =
        isBzd && !input.shortTermBzdUse
          ? TAPER_RULES.bzdInitialPace
          : isBzd
            ? TAPER_RULES.bzdMaxCut
            : TAPER_RULES.antidepressantMaxCut;
      throw new ClinicalInputError(
        'stepPct',
        `${input.stepPct} % exceeds the ${limit} % limit per step (${why.id}: ${why.citation})` +
          (isBzd ? '' : `; maxCutPct may be raised to at most ${NICE_MAX_CUT_PCT} % (NICE NG222 example)`),
      );
    }
    stepPct = positive('stepPct', input.stepPct, limit);
    if (drug.name !== 'diazepam' && isBzd) {
      warnings.push(
        'ASAM 2025: clinicians can consider switching to a comparable dose of a longer-acting benzodiazepine (over 1–2 weeks).',
      );
    }
  } else {
    throw new ClinicalInputError('mode', `must be occupancy or proportional, got "${String(input.mode)}"`);
  }

  const forms = availableForms(drug, formOpts);
  const markets = [...new Set(forms.flatMap((f) => f.markets))];
  if (markets.length > 1) {
    warnings.push(
      `dose forms from several markets (${markets.join(', ')}) are mixed; set the market to use one`,
    );
  }
  if (forms.some((f) => f.status === 'U')) {
    warnings.push(
      'some dose forms have strengths not yet verified in the reference [U]; check them against the local formulary',
    );
  }
  const solids = solidCombinations(
    forms.filter((f): f is SolidForm => f.kind !== 'liquid'),
    formOpts,
  );
  let finalDoseMg: number | null = null;
  if (input.mode === 'proportional') {
    if (input.finalDoseMg !== undefined) {
      finalDoseMg = positive('finalDoseMg', input.finalDoseMg, startDoseMg);
    } else {
      const smallest = [
        ...solids.map((s) => s.doseMg),
        ...forms.flatMap((f) =>
          f.kind === 'liquid' ? [roundMg(f.concentrationMgPerMl * formOpts.liquidResolutionMl)] : [],
        ),
      ].sort((a, b) => a - b)[0];
      if (smallest === undefined) {
        throw new ClinicalInputError(
          'finalDoseMg',
          `${drug.name} has no dose forms in the reference; give the final dose before stopping`,
        );
      }
      finalDoseMg = Math.min(smallest, startDoseMg);
    }
  }

  const occ = (d: number): number | null => (model ? occupancyPct(model, d) : null);
  const steps: TaperStep[] = [];
  const startRealisation = realiseExactly(drug, startDoseMg, formOpts);
  steps.push({
    index: 0,
    day: 0,
    date: formatIsoDate(startDay),
    targetDoseMg: startDoseMg,
    doseMg: startDoseMg,
    targetOccupancyPct: occ(startDoseMg),
    occupancyPct: occ(startDoseMg),
    cutPct: null,
    deliverable: startRealisation !== null,
    how: startRealisation ? `current dose: ${startRealisation.how}` : `current dose ${startDoseMg} mg a day`,
    realisation: startRealisation,
    kind: 'start',
    problems: startRealisation
      ? []
      : [`the current dose ${startDoseMg} mg is not one the listed forms deliver exactly`],
  });

  let prevDoseMg = startDoseMg; // dose in effect (realised, or target when undeliverable)
  let prevTargetOcc = occ(startDoseMg);
  let prevDay = startDay;
  let keepLiquidFormId: string | undefined;
  for (let index = 1; ; index++) {
    if (index > maxSteps) {
      throw new ClinicalInputError(
        input.mode === 'occupancy' ? 'stepPp' : 'stepPct',
        `the plan would need more than ${maxSteps} steps; use a larger step or a higher final dose`,
      );
    }
    const wanted = prevDay + intervalDays;
    const allowed = firstAllowedChangeDay(wanted, infusionDays, spacing);
    const day = allowed.day;
    const shift =
      allowed.day !== wanted
        ? {
            shiftedFromDate: formatIsoDate(wanted),
            shiftReason: `${TAPER_RULES.infusionSpacing.id}: infusion on ${allowed.blockedBy.map(formatIsoDate).join(', ')}`,
          }
        : {};
    prevDay = day;

    const stopNow =
      input.mode === 'occupancy'
        ? prevTargetOcc! - stepPp! <= 1e-9
        : prevDoseMg * (1 - stepPct! / 100) < finalDoseMg! - 1e-9;
    if (stopNow) {
      steps.push({
        index,
        day: day - startDay,
        date: formatIsoDate(day),
        targetDoseMg: 0,
        doseMg: 0,
        targetOccupancyPct: model ? 0 : null,
        occupancyPct: model ? 0 : null,
        cutPct: 100,
        deliverable: true,
        how: `stop taking ${drug.name}`,
        realisation: null,
        kind: 'stop',
        ...shift,
        problems: [],
      });
      break;
    }

    const floorMg = prevDoseMg * (1 - maxCutPct / 100);
    let targetMg: number;
    let limitedBy: string | undefined;
    if (input.mode === 'occupancy') {
      targetMg = doseForOccupancyMg(model!, prevTargetOcc! - stepPp!);
      if (targetMg < floorMg) {
        targetMg = floorMg;
        limitedBy = isBzd ? TAPER_RULES.bzdMaxCut.id : TAPER_RULES.antidepressantMaxCut.id;
      }
    } else {
      targetMg = prevDoseMg * (1 - stepPct! / 100);
    }
    const targetOcc = occ(targetMg);
    const result = realiseDose(
      drug,
      targetMg,
      {
        minMg: floorMg,
        belowMg: prevDoseMg,
        maxDeviationMg: ROUNDING_SHARE_OF_CUT * (prevDoseMg - targetMg),
        ...(keepLiquidFormId === undefined ? {} : { keepLiquidFormId }),
      },
      formOpts,
      solids,
    );
    const doseMg = result.ok ? result.realisation.doseMg : null;
    if (result.ok && result.realisation.liquid) keepLiquidFormId = result.realisation.liquid.formId;
    const effective = doseMg ?? targetMg;
    steps.push({
      index,
      day: day - startDay,
      date: formatIsoDate(day),
      targetDoseMg: targetMg,
      doseMg,
      targetOccupancyPct: targetOcc,
      occupancyPct: doseMg === null ? null : occ(doseMg),
      cutPct: (100 * (prevDoseMg - effective)) / prevDoseMg,
      deliverable: result.ok,
      how: result.ok
        ? result.realisation.how
        : `NOT DELIVERABLE: target ${roundMg(targetMg)} mg a day — ${result.reason}; prescriber to decide (e.g. compounding)`,
      realisation: result.ok ? result.realisation : null,
      kind: 'reduce',
      ...(limitedBy === undefined ? {} : { limitedBy }),
      ...shift,
      problems: result.ok ? [] : [result.reason],
    });
    prevDoseMg = effective;
    prevTargetOcc = targetOcc;
  }

  const undeliverableSteps = steps.filter((s) => !s.deliverable && s.kind !== 'start').length;
  if (undeliverableSteps > 0) {
    warnings.push(
      `${undeliverableSteps} step(s) cannot be delivered with the listed dose forms; see each step.`,
    );
  }
  const lastDose = steps[steps.length - 2];
  if (model && lastDose) {
    // Stopping removes all remaining modelled occupancy; say how much when it exceeds one step.
    const dropPp = occupancyPct(model, lastDose.doseMg ?? lastDose.targetDoseMg);
    if (stepPp === null || dropPp > stepPp + 1e-6) {
      warnings.push(
        `stopping from ${roundMg(lastDose.doseMg ?? lastDose.targetDoseMg)} mg removes ${dropPp.toFixed(1)} pp of modelled SERT occupancy`,
      );
    }
  }
  const infusionFlags =
    infusionDays.length > 0
      ? infusionBzdFlags(drug.name, steps, infusionDays.map(formatIsoDate), {
          ...(input.equivalenceTable === undefined ? {} : { table: input.equivalenceTable }),
          ...(input.bzdThresholdMgPerDay === undefined
            ? {}
            : { thresholdMgPerDay: input.bzdThresholdMgPerDay }),
          ...(input.otherBenzodiazepines === undefined ? {} : { otherMeds: input.otherBenzodiazepines }),
        })
      : [];
  const rules: TaperRule[] = [
    TAPER_RULES.intervalTwoToFourWeeks,
    ...(isBzd
      ? [TAPER_RULES.bzdInitialPace, TAPER_RULES.bzdMaxCut]
      : [TAPER_RULES.antidepressantMaxCut, TAPER_RULES.antidepressantNiceCut]),
    ...(input.mode === 'occupancy' ? [TAPER_RULES.occupancyStep] : [TAPER_RULES.proportionalStop]),
    TAPER_RULES.noAlternateDay,
    TAPER_RULES.smallFinalDose,
    TAPER_RULES.roundingShare,
    ...(infusionDays.length > 0 ? [TAPER_RULES.infusionSpacing] : []),
  ];
  return {
    drug: drug.name,
    taperClass: drug.taperClass,
    mode: input.mode,
    stepPp,
    stepPct,
    intervalDays,
    maxCutPct,
    startDate: formatIsoDate(startDay),
    model,
    finalDoseMg,
    steps,
    undeliverableSteps,
    infusionDates: infusionDays.map(formatIsoDate),
    infusionSpacing: spacing,
    infusionFlags,
    rules,
    warnings,
  };
}

/** Index of the step in effect on `isoDate` (the last step dated on or before it). */
export function stepInEffect(plan: TaperPlan, isoDate: string): number {
  const day = parseIsoDate('date', isoDate);
  let idx = -1;
  plan.steps.forEach((s, i) => {
    if (parseIsoDate('date', s.date) <= day) idx = i;
  });
  if (idx < 0)
    throw new ClinicalInputError('date', `${isoDate} is before the plan starts (${plan.startDate})`);
  return idx;
}

/**
 * A new plan after a prescriber's hold or step-back on `date` (pauses and reversals, NICE NG222
 * 1.4.22; ASAM 2025). Hold: stay on the current dose; the next reduction comes a full interval
 * after `date`. Step-back: restart the previous step's dose, then taper with a strictly smaller
 * step ("smaller decrements", NICE NG222 1.4.22) — the caller chooses it. The original plan is
 * unchanged; the lead stores both with the decision record.
 */
export function replanAfterDecision(
  input: TaperPlanInput,
  plan: TaperPlan,
  change: { decision: 'hold' | 'step-back'; date: string; stepPct?: number; stepPp?: number },
): TaperPlan {
  const i = stepInEffect(plan, change.date);
  const dose = (k: number): number => plan.steps[k]!.doseMg ?? plan.steps[k]!.targetDoseMg;
  const step =
    input.mode === 'occupancy'
      ? { stepPp: change.stepPp ?? input.stepPp }
      : { stepPct: change.stepPct ?? input.stepPct };
  if (change.decision === 'hold') {
    if (dose(i) === 0)
      throw new ClinicalInputError('decision', 'the plan has already stopped; a hold has nothing to pause');
    return planTaper({ ...input, ...step, startDate: change.date, startDoseMg: dose(i) });
  }
  if (change.decision !== 'step-back') {
    throw new ClinicalInputError('decision', `must be hold or step-back, got "${String(change.decision)}"`);
  }
  if (i === 0) throw new ClinicalInputError('date', 'no previous dose to step back to on the first step');
  const field = input.mode === 'occupancy' ? 'stepPp' : 'stepPct';
  const oldStep = input.mode === 'occupancy' ? input.stepPp : input.stepPct;
  const newStep = input.mode === 'occupancy' ? change.stepPp : change.stepPct;
  if (newStep === undefined || oldStep === undefined || !(newStep < oldStep)) {
    throw new ClinicalInputError(
      field,
      `after a step-back the step must be smaller than ${String(oldStep)} (NICE NG222 1.4.22)`,
    );
  }
  return planTaper({ ...input, ...step, startDate: change.date, startDoseMg: dose(i - 1) });
}

export interface PlanState {
  /** Index of the step in effect. */
  readonly stepIndex: number;
  readonly doseMg: number | null;
  /** Date the step in effect began (the last dose change, or the plan start). */
  readonly lastChangeDate: string;
  readonly next: { readonly date: string; readonly doseMg: number | null; readonly daysAway: number } | null;
}

/** Where a patient is in a plan on a given date (the caller passes the date: no clock). */
export function planStateOn(plan: TaperPlan, isoDate: string): PlanState {
  const i = stepInEffect(plan, isoDate);
  const step = plan.steps[i]!;
  const next = plan.steps[i + 1];
  return {
    stepIndex: i,
    doseMg: step.doseMg,
    lastChangeDate: step.date,
    next: next
      ? {
          date: next.date,
          doseMg: next.doseMg,
          daysAway: parseIsoDate('date', next.date) - parseIsoDate('date', isoDate),
        }
      : null,
  };
}
