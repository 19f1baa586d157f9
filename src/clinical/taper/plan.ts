import { ClinicalInputError } from '../errors';
import type { EquivalenceTableId, MedicationDose } from './benzodiazepines';
import { DEFAULT_EQUIVALENCE_TABLE, EQUIVALENCE_TABLES } from './benzodiazepines';
import { dateFromDayNumber, dayNumber } from '../calendar';
import type { DailyTake, Preparation, Realisation, RealisationOptions } from './doseForms';
import {
  availableForms,
  compoundedDoseMg,
  compoundedRealisation,
  dailyRealisation,
  realiseDailyDose,
  roundMg,
  solidCombinations,
  validateRealisationOptions,
} from './doseForms';
import type { Release, ReleaseSwitch, SolidForm, TaperClass, TaperDrug } from './drugs';
import { findTaperDrug, releaseOf, TAPER_DRUGS } from './drugs';
import type { InfusionBzdFlag, InfusionSpacing } from './ketamine';
import { firstAllowedChangeDay, infusionBzdFlags, parseInfusionDates, validateSpacing } from './ketamine';
import type { OccupancyModel } from './occupancy';
import { doseForOccupancyMg, occupancyModelsFor, occupancyPct, selectOccupancyModel } from './occupancy';
import type { TaperRule } from './rules';
import { TAPER_RULES } from './rules';
import { TAPER_SOURCES } from './sources';

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
  /** How many times a day the patient takes the drug (equal doses); default from the label where known. */
  readonly dosesPerDay?: number;
  /** Release form the patient takes now (IR, CR, ER, DR, ODT); default: the form the start dose is made of. */
  readonly release?: Release;
  /**
   * When no listed product delivers a step, name a compounded preparation (default true). When false
   * the plan ends at the last deliverable dose with the reason, never with an abrupt stop.
   */
  readonly allowCompounding?: boolean;
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
  /** What to take each time and how many times a day; null for the stop step and undeliverable steps. */
  readonly take: DailyTake | null;
  /** Set when no listed product gives the dose and a compounding pharmacy makes it. */
  readonly preparation?: Preparation;
  /** Set on the step where the plan changes release form (flagged, with the equivalence cited). */
  readonly formSwitch?: ReleaseSwitch;
  /** The largest cut this step may make (% of the dose taken before it). */
  readonly capPct: number | null;
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
  /** The rule or input the final dose came from. */
  readonly finalDoseSource: {
    readonly text: string;
    readonly status: string;
    readonly citation: string;
  } | null;
  /** Release form the plan starts in (null when the reference lists no product). */
  readonly release: Release | null;
  readonly dosesPerDay: number;
  readonly dosesPerDaySource: { readonly text: string; readonly status: string; readonly citation: string };
  /** complete: ends with a stop from the final dose; ends-before-zero: stopped with a reason, no stop step. */
  readonly status: 'complete' | 'ends-before-zero';
  readonly endReason: string | null;
  /** Days from the start to the last step (the stop, or the last dose when the plan ends before zero). */
  readonly totalDurationDays: number;
  readonly endDate: string;
  /** e.g. "56 weeks (about 1 year 1 month)". */
  readonly durationText: string;
  readonly steps: readonly TaperStep[];
  readonly undeliverableSteps: number;
  readonly compoundedSteps: number;
  readonly formSwitches: number;
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
const LOW_DOSE_MAX_CUT_PCT = 25; // NICE NG222 1.4.17 "smaller reductions (for example, 25 %)" [V]
const LOW_DOSE_SHARE_OF_START = 0.5; // "as the dose becomes lower": at or below half the start dose [D]
const SERTRALINE_FINAL_DOSE_MG = 1; // Maudsley 14th ed. ch. 3: tapering to 1 mg of sertraline [V]
const BZD_FINAL_DIAZEPAM_MG = 0.5; // lescanico/bzd-taper stop at 0.5 mg [S]; Ashton 0.5 mg steps [U]

/** Human words for a duration in days. */
export function durationText(days: number): string {
  const weeks = Math.round(days / 7);
  const months = Math.round(days / 30.4375);
  const y = Math.floor(months / 12);
  const m = months % 12;
  const approx =
    months < 1
      ? `${days} days`
      : y === 0
        ? `${m} month${m === 1 ? '' : 's'}`
        : `${y} year${y === 1 ? '' : 's'}${m === 0 ? '' : ` ${m} month${m === 1 ? '' : 's'}`}`;
  return `${weeks} week${weeks === 1 ? '' : 's'} (about ${approx})`;
}

/**
 * The default final dose before stopping, from a cited rule: antidepressants, the dose with the
 * modelled SERT occupancy of sertraline 1 mg (the lowest over the drug's regional models when the
 * plan has none); benzodiazepines, diazepam 0.5 mg by the equivalence table. Null when no rule applies.
 */
export function defaultFinalDose(
  drug: TaperDrug,
  model: OccupancyModel | null,
  table: EquivalenceTableId = DEFAULT_EQUIVALENCE_TABLE,
): { doseMg: number; ruleId: string; text: string; status: string; citation: string } | null {
  if (drug.taperClass === 'antidepressant') {
    const sert = occupancyModelsFor('sertraline')[0];
    const models = model ? [model] : occupancyModelsFor(drug.name);
    if (!sert || models.length === 0) return null;
    const anchorPct = occupancyPct(sert, SERTRALINE_FINAL_DOSE_MG);
    const doseMg = Math.min(...models.map((m) => doseForOccupancyMg(m, anchorPct)));
    const rule = TAPER_RULES.finalDoseAntidepressant;
    return {
      doseMg: roundMg(doseMg),
      ruleId: rule.id,
      text: `${Number(doseMg.toPrecision(3))} mg: same modelled SERT occupancy (${anchorPct.toFixed(1)} %) as sertraline 1 mg`,
      status: rule.status,
      citation: rule.citation,
    };
  }
  const t = EQUIVALENCE_TABLES[table];
  const eq = t.equivalentMg[drug.name];
  if (!eq) return null;
  const doseMg = (BZD_FINAL_DIAZEPAM_MG * eq[0]) / t.diazepamMg;
  const rule = TAPER_RULES.finalDoseBenzodiazepine;
  return {
    doseMg: roundMg(doseMg),
    ruleId: rule.id,
    text: `${Number(doseMg.toPrecision(3))} mg: equivalent of diazepam ${BZD_FINAL_DIAZEPAM_MG} mg (${t.name})`,
    status: rule.status,
    citation: rule.citation,
  };
}

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
  const startDay = dayNumber(input.startDate, 'startDate');
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
  const allowCompounding = input.allowCompounding ?? true;
  const releasesListed = [...new Set(forms.map(releaseOf))];

  // Doses a day: the prescriber's number, else the label's usual number for the release form.
  const dosesFor = (release: Release | null): number =>
    input.dosesPerDay ?? (release ? drug.dosing?.[release]?.timesPerDay : undefined) ?? 1;
  if (
    input.dosesPerDay !== undefined &&
    (!Number.isInteger(input.dosesPerDay) || input.dosesPerDay < 1 || input.dosesPerDay > 4)
  ) {
    throw new ClinicalInputError(
      'dosesPerDay',
      `must be a whole number from 1 to 4, got ${input.dosesPerDay}`,
    );
  }
  const exactIn = (release: Release, n: number): Realisation | null => {
    const r = realiseDailyDose(
      drug,
      startDoseMg,
      { minMg: startDoseMg, belowMg: startDoseMg + 1e-6, maxDeviationMg: 0 },
      formOpts,
      { timesPerDay: n, release, solidCache: solids },
    );
    return r.ok ? r.realisation : null;
  };

  // Release form: the prescriber's, else the one the start dose is made of (forms are never mixed).
  let release: Release | null = null;
  if (input.release !== undefined) {
    if (!releasesListed.includes(input.release)) {
      throw new ClinicalInputError(
        'release',
        `${drug.name} has no ${input.release} product for these settings; listed: ${releasesListed.join(', ') || 'none'}`,
      );
    }
    release = input.release;
  } else if (releasesListed.length > 0) {
    release =
      releasesListed.find((r) => exactIn(r, dosesFor(r)) !== null) ??
      releasesListed.find((r) => r !== 'IR' || forms.some((f) => f.kind !== 'liquid')) ??
      releasesListed[0]!;
    if (releasesListed.length > 1) {
      warnings.push(
        `${drug.name} comes in several release forms (${releasesListed.join(', ')}); the plan assumes the patient takes ${release} — set the release form the patient takes`,
      );
    }
  }
  let dosesPerDay = dosesFor(release);
  const cited = release ? drug.dosing?.[release] : undefined;
  const dosesPerDaySource =
    input.dosesPerDay !== undefined
      ? { text: `${input.dosesPerDay} a day, as prescribed`, status: 'V', citation: 'prescriber' }
      : cited
        ? { text: cited.text, status: cited.status, citation: cited.citation }
        : {
            text: 'once a day (no usual number of doses in the reference)',
            status: 'U',
            citation: 'planner default; set dosesPerDay to the patient’s regimen',
          };
  if (input.dosesPerDay === undefined && !cited && isBzd) {
    warnings.push(
      `the number of doses a day is not set: the plan gives ${drug.name} once a day — set the patient's number of doses (short-acting benzodiazepines are often taken in divided doses)`,
    );
  }

  // Final dose before stopping: the prescriber's, else a cited rule, else the smallest deliverable dose.
  let finalDoseMg: number | null = null;
  let finalDoseSource: TaperPlan['finalDoseSource'] = null;
  if (input.mode === 'proportional') {
    if (input.finalDoseMg !== undefined) {
      finalDoseMg = positive('finalDoseMg', input.finalDoseMg, startDoseMg);
      finalDoseSource = { text: `${finalDoseMg} mg, as prescribed`, status: 'V', citation: 'prescriber' };
    } else {
      const rule = forms.length > 0 ? defaultFinalDose(drug, model, input.equivalenceTable) : null;
      if (!rule) {
        throw new ClinicalInputError(
          'finalDoseMg',
          `${drug.name} has no dose forms or final-dose rule in the reference; give the final dose before stopping`,
        );
      }
      finalDoseMg = Math.min(rule.doseMg, startDoseMg);
      finalDoseSource = { text: rule.text, status: rule.status, citation: rule.citation };
    }
  }

  const occ = (d: number): number | null => (model ? occupancyPct(model, d) : null);
  const steps: TaperStep[] = [];
  const startRealisation = release ? exactIn(release, dosesPerDay) : null;
  steps.push({
    index: 0,
    day: 0,
    date: dateFromDayNumber(startDay),
    targetDoseMg: startDoseMg,
    doseMg: startDoseMg,
    targetOccupancyPct: occ(startDoseMg),
    occupancyPct: occ(startDoseMg),
    cutPct: null,
    deliverable: startRealisation !== null,
    how: startRealisation ? `current dose: ${startRealisation.how}` : `current dose ${startDoseMg} mg a day`,
    realisation: startRealisation,
    kind: 'start',
    take: startRealisation?.take ?? null,
    capPct: null,
    problems: startRealisation
      ? []
      : [
          `the current dose ${startDoseMg} mg is not one the listed ${release ?? ''} forms deliver exactly in ${dosesPerDay} equal dose(s) a day`,
        ],
  });

  const startRelease = release;
  const startDosesPerDay = dosesPerDay;
  const compoundingCitation = TAPER_SOURCES.compounding.citation;
  const leftReleases = new Set<Release>();
  let status: TaperPlan['status'] = 'complete';
  let endReason: string | null = null;
  let prevDoseMg = startDoseMg; // the dose the patient takes (realised; the target only when undeliverable)
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
            shiftedFromDate: dateFromDayNumber(wanted),
            shiftReason: `${TAPER_RULES.infusionSpacing.id}: infusion on ${allowed.blockedBy.map(dateFromDayNumber).join(', ')}`,
          }
        : {};

    // The cap on this step: benzodiazepines never more than the stated percentage (ASAM 2025);
    // antidepressants the plan's maxCutPct; plans above 25 % come down to 25 % at low doses (NICE).
    let capPct = isBzd && stepPct !== null ? Math.min(stepPct, maxCutPct) : maxCutPct;
    let lowDose = false;
    if (capPct > LOW_DOSE_MAX_CUT_PCT && prevDoseMg <= startDoseMg * LOW_DOSE_SHARE_OF_START + 1e-9) {
      capPct = LOW_DOSE_MAX_CUT_PCT;
      lowDose = true;
    }
    const stepNowPct = stepPct === null ? null : Math.min(stepPct, capPct);

    const stopNow =
      input.mode === 'occupancy'
        ? prevTargetOcc! - stepPp! <= 1e-9
        : prevDoseMg * (1 - stepNowPct! / 100) < finalDoseMg! - 1e-9;
    if (stopNow) {
      steps.push({
        index,
        day: day - startDay,
        date: dateFromDayNumber(day),
        targetDoseMg: 0,
        doseMg: 0,
        targetOccupancyPct: model ? 0 : null,
        occupancyPct: model ? 0 : null,
        cutPct: 100,
        deliverable: true,
        how: `stop taking ${drug.name}`,
        realisation: null,
        kind: 'stop',
        take: null,
        capPct: null,
        ...shift,
        problems: [],
      });
      break;
    }

    const floorMg = prevDoseMg * (1 - capPct / 100);
    let targetMg: number;
    let limitedBy: string | undefined;
    if (input.mode === 'occupancy') {
      // When rounding left the dose taken below the previous target, count the step from the dose
      // taken, so every step reduces.
      if (doseForOccupancyMg(model!, prevTargetOcc! - stepPp!) >= prevDoseMg - 1e-9) {
        prevTargetOcc = occupancyPct(model!, prevDoseMg);
      }
      targetMg = doseForOccupancyMg(model!, prevTargetOcc! - stepPp!);
      if (targetMg < floorMg) {
        targetMg = floorMg;
        limitedBy = lowDose
          ? TAPER_RULES.smallerCutsAtLowDose.id
          : isBzd
            ? TAPER_RULES.bzdMaxCut.id
            : TAPER_RULES.antidepressantMaxCut.id;
      }
    } else {
      targetMg = prevDoseMg * (1 - stepNowPct! / 100);
      if (stepNowPct! < stepPct!) limitedBy = TAPER_RULES.smallerCutsAtLowDose.id;
    }
    const targetOcc = occ(targetMg);
    const constraints = {
      minMg: floorMg,
      belowMg: prevDoseMg,
      maxDeviationMg: ROUNDING_SHARE_OF_CUT * (prevDoseMg - targetMg),
    };

    let result = release
      ? realiseDailyDose(
          drug,
          targetMg,
          { ...constraints, ...(keepLiquidFormId === undefined ? {} : { keepLiquidFormId }) },
          formOpts,
          { timesPerDay: dosesPerDay, release, solidCache: solids },
        )
      : null;
    let formSwitch: ReleaseSwitch | undefined;
    if (release && result && !result.ok) {
      // Another release form, only where a source gives the equivalence, never back to one left.
      for (const sw of drug.releaseSwitches ?? []) {
        if (sw.from !== release || leftReleases.has(sw.to) || !releasesListed.includes(sw.to)) continue;
        const n = input.dosesPerDay ?? drug.dosing?.[sw.to]?.timesPerDay ?? dosesPerDay;
        const r = realiseDailyDose(drug, targetMg, constraints, formOpts, {
          timesPerDay: n,
          release: sw.to,
          solidCache: solids,
        });
        if (r.ok) {
          result = r;
          formSwitch = sw;
          leftReleases.add(release);
          release = sw.to;
          dosesPerDay = n;
          break;
        }
      }
    }
    let realisation: Realisation | null = result?.ok ? result.realisation : null;
    if (!realisation && release && allowCompounding) {
      let perDoseMg = compoundedDoseMg(targetMg / dosesPerDay);
      if (perDoseMg * dosesPerDay >= prevDoseMg - 1e-9) perDoseMg = targetMg / dosesPerDay;
      realisation = dailyRealisation(
        compoundedRealisation(drug, perDoseMg, release, compoundingCitation),
        dosesPerDay,
        drug.name,
      );
    }
    if (!realisation && release && !allowCompounding) {
      // Without compounding, a product further from the target is better than no step, as long as
      // the cut stays within the cap.
      const r = realiseDailyDose(
        drug,
        targetMg,
        { ...constraints, maxDeviationMg: Number.POSITIVE_INFINITY },
        formOpts,
        { timesPerDay: dosesPerDay, release, solidCache: solids },
      );
      if (r.ok) realisation = r.realisation;
    }
    if (!realisation && release) {
      // No product and no compounding: end here at the dose the patient takes, never stop abruptly.
      status = 'ends-before-zero';
      endReason =
        `no listed ${release} product of ${drug.name} gives ${roundMg(targetMg)} mg a day ` +
        `(${dosesPerDay} equal dose(s), cut ≤ ${roundMg(capPct)} %) and compounding is off: ` +
        `the plan stays at ${roundMg(prevDoseMg)} mg a day; the prescriber decides the next step ` +
        `(compounded or liquid preparation, or a change of product)`;
      warnings.push(`the plan ends before zero: ${endReason}`);
      break;
    }
    prevDay = day;
    const doseMg = realisation ? realisation.doseMg : null;
    if (realisation?.liquid) keepLiquidFormId = realisation.liquid.formId;
    const effective = doseMg ?? targetMg;
    const reason =
      result && !result.ok
        ? result.reason
        : `no dose form of ${drug.name} is listed in the reference for these settings`;
    steps.push({
      index,
      day: day - startDay,
      date: dateFromDayNumber(day),
      targetDoseMg: targetMg,
      doseMg,
      targetOccupancyPct: targetOcc,
      occupancyPct: doseMg === null ? null : occ(doseMg),
      cutPct: (100 * (prevDoseMg - effective)) / prevDoseMg,
      deliverable: realisation !== null,
      how: realisation
        ? realisation.how
        : `NOT DELIVERABLE: target ${roundMg(targetMg)} mg a day — ${reason}; prescriber to decide (e.g. compounding)`,
      realisation,
      kind: 'reduce',
      take: realisation?.take ?? null,
      ...(realisation?.preparation ? { preparation: realisation.preparation } : {}),
      ...(formSwitch ? { formSwitch } : {}),
      capPct,
      ...(limitedBy === undefined ? {} : { limitedBy }),
      ...shift,
      problems: realisation ? [] : [reason],
    });
    prevDoseMg = effective;
    prevTargetOcc = targetOcc;
  }

  const undeliverableSteps = steps.filter((s) => !s.deliverable && s.kind !== 'start').length;
  const compoundedSteps = steps.filter((s) => s.kind === 'reduce' && s.preparation !== undefined).length;
  const formSwitches = steps.filter((s) => s.formSwitch !== undefined).length;
  if (compoundedSteps > 0) {
    warnings.push(
      `${compoundedSteps} step(s) need a compounded preparation: no listed product gives the dose; the prescriber arranges it with a compounding pharmacy.`,
    );
  }
  if (formSwitches > 0) {
    warnings.push('the plan changes release form: see the flagged step and its cited equivalence.');
  }
  const lastStep = steps[steps.length - 1]!;
  if (undeliverableSteps > 0) {
    warnings.push(
      `${undeliverableSteps} step(s) cannot be delivered with the listed dose forms; see each step.`,
    );
  }
  const lastDose = status === 'complete' ? steps[steps.length - 2] : undefined;
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
      ? infusionBzdFlags(drug.name, steps, infusionDays.map(dateFromDayNumber), {
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
    TAPER_RULES.capOnDoseTaken,
    ...(maxCutPct > LOW_DOSE_MAX_CUT_PCT ? [TAPER_RULES.smallerCutsAtLowDose] : []),
    ...(input.mode === 'proportional' && input.finalDoseMg === undefined
      ? [isBzd ? TAPER_RULES.finalDoseBenzodiazepine : TAPER_RULES.finalDoseAntidepressant]
      : []),
    TAPER_RULES.releaseFormsKept,
    ...(compoundedSteps > 0 || !allowCompounding ? [TAPER_RULES.compoundedStep] : []),
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
    startDate: dateFromDayNumber(startDay),
    model,
    finalDoseMg,
    finalDoseSource,
    release: startRelease,
    dosesPerDay: startDosesPerDay,
    dosesPerDaySource,
    status,
    endReason,
    totalDurationDays: lastStep.day,
    endDate: lastStep.date,
    durationText: durationText(lastStep.day),
    steps,
    undeliverableSteps,
    compoundedSteps,
    formSwitches,
    infusionDates: infusionDays.map(dateFromDayNumber),
    infusionSpacing: spacing,
    infusionFlags,
    rules,
    warnings,
  };
}

/** Index of the step in effect on `isoDate` (the last step dated on or before it). */
export function stepInEffect(plan: TaperPlan, isoDate: string): number {
  const day = dayNumber(isoDate, 'date');
  let idx = -1;
  plan.steps.forEach((s, i) => {
    if (dayNumber(s.date, 'date') <= day) idx = i;
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
          daysAway: dayNumber(next.date, 'date') - dayNumber(isoDate, 'date'),
        }
      : null,
  };
}
