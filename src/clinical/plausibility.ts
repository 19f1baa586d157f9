import { z } from 'zod';
import { daysBetween, isLocalDate } from './calendar';
import { ClinicalInputError } from './errors';
import { genericName, lookupMedication, type MaxDailyDose } from './medication-dictionary';
import { DEFAULT_EQUIVALENCE_TABLE, EQUIVALENCE_TABLES } from './taper/benzodiazepines';
import { dosesPerDayOf, medicationFrequencyFromText } from './protocols/interactions';

/**
 * Plausibility of what a clinician types: a value outside these ranges is a data-entry error and
 * is refused with the allowed range, never silently changed. Sources and status:
 * docs/clinical-sources/medications.md.
 */

export { PLAUSIBLE, type PlausibleRange } from './vocabulary/plausible-ranges';
import type { PlausibleRange } from './vocabulary/plausible-ranges';

const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

/** "must be between 20 and 500 kg": the message every shell shows for an out-of-range value. */
export function rangeMessage(r: PlausibleRange): string {
  return `must be between ${fmt(r.min)} and ${fmt(r.max)} ${r.unit}`;
}

/** A zod number inside the range, with the range as its message (for request schemas). */
export function plausibleNumber(r: PlausibleRange) {
  return z
    .number({ error: rangeMessage(r) })
    .min(r.min, rangeMessage(r))
    .max(r.max, rangeMessage(r));
}

export function inRange(r: PlausibleRange, value: number): boolean {
  return Number.isFinite(value) && value >= r.min && value <= r.max;
}

/** Throws ClinicalInputError naming `field` when `value` is outside the range. */
export function requireInRange(field: string, r: PlausibleRange, value: number): void {
  if (!inRange(r, value)) throw new ClinicalInputError(field, `${rangeMessage(r)}, got ${value}`);
}

// ---------------------------------------------------------------------------------------------
// Medication doses against the dictionary's labelled maximum daily doses.

/** Doses a day for a recorded frequency; null when it is not a regular daily schedule we know. */
export function dosesPerDayFromFrequency(frequency: string | null | undefined): number | null {
  return dosesPerDayOf(medicationFrequencyFromText(frequency));
}

export interface DoseCheck {
  /** `above-maximum` needs the clinician's confirmation; `unchecked` says why no check was made. */
  readonly result: 'within-maximum' | 'above-maximum' | 'unchecked';
  readonly message: string;
  readonly drug?: string;
  /** The daily amount compared: dose × doses a day, or the single dose when the schedule is unknown. */
  readonly comparedMg?: number;
  readonly maximum?: MaxDailyDose;
}

export interface MedicationDoseInput {
  readonly name: string;
  readonly rxNormCode?: string | null;
  readonly dose?: number | null;
  readonly doseUnit?: string | null;
  readonly frequency?: string | null;
}

/**
 * Compares a medication's dose with the labelled maximum daily dose of its drug. An unknown or
 * as-needed schedule compares the single dose (one dose above the daily maximum is already above it).
 */
export function checkMedicationDose(m: MedicationDoseInput): DoseCheck {
  if (m.dose === null || m.dose === undefined) return { result: 'unchecked', message: 'no dose entered' };
  const unit = (m.doseUnit ?? 'mg').trim().toLowerCase();
  if (unit !== 'mg') return { result: 'unchecked', message: `dose unit "${m.doseUnit}" is not mg` };
  const drug = genericName(m.name, m.rxNormCode);
  const maximum = drug
    ? lookupMedication(m.name, m.rxNormCode).find((e) => e.generic === drug)?.maxDailyDose
    : undefined;
  if (!drug || !maximum) {
    return { result: 'unchecked', message: 'no labelled maximum daily dose in the dictionary for this drug' };
  }
  const perDay = dosesPerDayFromFrequency(m.frequency);
  const comparedMg = m.dose * (perDay ?? 1);
  const what = perDay === null ? `a single dose of ${fmt(m.dose)} mg` : `${fmt(comparedMg)} mg a day`;
  if (comparedMg > maximum.mgPerDay) {
    return {
      result: 'above-maximum',
      drug,
      comparedMg,
      maximum,
      message:
        `${what} is above the labelled maximum of ${fmt(maximum.mgPerDay)} mg/day for ${drug} ` +
        `(${maximum.source}); confirm to record it`,
    };
  }
  return {
    result: 'within-maximum',
    drug,
    comparedMg,
    maximum,
    message: `${what} is within the labelled maximum of ${fmt(maximum.mgPerDay)} mg/day for ${drug}`,
  };
}

/**
 * A taper cannot start above the drug's labelled maximum daily dose: such a start dose is a typing
 * error (5,000 mg of sertraline), not a patient to taper. Returns the field message, or null.
 */
export function taperStartDoseProblem(drug: string, startDoseMg: number): string | null {
  const entries = lookupMedication(drug);
  const maximum = entries.length === 1 ? entries[0]!.maxDailyDose : undefined;
  if (!maximum) return benzodiazepineCeilingProblem(drug, startDoseMg);
  if (startDoseMg <= maximum.mgPerDay) return null;
  return (
    `must be at most ${fmt(maximum.mgPerDay)} mg a day, the labelled maximum for ${entries[0]!.generic} ` +
    `(${maximum.source}); got ${fmt(startDoseMg)}`
  );
}

/**
 * A benzodiazepine with no labelled maximum of its own in the dictionary (temazepam, oxazepam, …)
 * may not start above the largest labelled benzodiazepine daily dose, in diazepam equivalents,
 * converted to the drug by the default equivalence table (or the first that lists it) [C]:
 * clonazepam's 20 mg/day is 400 mg
 * diazepam-equivalent (Ashton), so temazepam may start at up to 800 mg a day. A generous ceiling
 * that only refuses typing errors (1e9 mg), never a dose a label allows.
 */
function benzodiazepineCeilingProblem(drug: string, startDoseMg: number): string | null {
  const key = drug.trim().toLowerCase();
  const table = [EQUIVALENCE_TABLES[DEFAULT_EQUIVALENCE_TABLE], ...Object.values(EQUIVALENCE_TABLES)].find(
    (t) => t.equivalentMg[key] !== undefined,
  );
  const own = table?.equivalentMg[key];
  if (!table || !own) return null;
  let ceilingDiazepamMg = 0;
  for (const [name, [lowMg]] of Object.entries(table.equivalentMg)) {
    const labelled = lookupMedication(name).find((e) => e.generic === name)?.maxDailyDose;
    if (labelled)
      ceilingDiazepamMg = Math.max(ceilingDiazepamMg, (labelled.mgPerDay * table.diazepamMg) / lowMg);
  }
  const ceilingMg = (ceilingDiazepamMg * own[1]) / table.diazepamMg;
  if (ceilingDiazepamMg === 0 || startDoseMg <= ceilingMg) return null;
  return (
    `must be at most ${fmt(ceilingMg)} mg a day, the largest labelled benzodiazepine daily dose ` +
    `(${fmt(ceilingDiazepamMg)} mg diazepam-equivalent, ${table.name}); got ${fmt(startDoseMg)}`
  );
}

// ---------------------------------------------------------------------------------------------
// Ketamine doses in the mechanism simulator.

/** Ketalar label: the initial IV dose "may range from 1 mg/kg to 4.5 mg/kg" (induction of anaesthesia). */
export const KETAMINE_IV_MAX_MG_PER_KG = 4.5;
/** Spravato label: the highest session dose is 84 mg (three devices). */
export const ESKETAMINE_INTRANASAL_MAX_MG = 84;

export interface RegimenDose {
  readonly route: 'iv' | 'intranasal' | 'oral';
  /** Dose in mg (mg/kg doses already multiplied by the weight). */
  readonly doseMg: number;
}

/**
 * Refuses a simulated dose above the largest labelled single dose: IV (and oral, which has no
 * label; the IV bound is applied) at most 4.5 mg/kg of the patient's weight, intranasal at most 84 mg.
 */
export function checkRegimenDoses(doses: readonly RegimenDose[], weightKg: number, field = 'doses'): void {
  doses.forEach((d, i) => {
    if (d.route === 'intranasal') {
      if (d.doseMg > ESKETAMINE_INTRANASAL_MAX_MG)
        throw new ClinicalInputError(
          `${field}.${i}`,
          `an intranasal dose must be at most ${ESKETAMINE_INTRANASAL_MAX_MG} mg (Spravato label), got ${fmt(d.doseMg)} mg`,
        );
      return;
    }
    const mgPerKg = d.doseMg / weightKg;
    if (mgPerKg > KETAMINE_IV_MAX_MG_PER_KG + 1e-9)
      throw new ClinicalInputError(
        `${field}.${i}`,
        `a dose must be at most ${KETAMINE_IV_MAX_MG_PER_KG} mg/kg (Ketalar label, highest initial IV dose); ` +
          `got ${fmt(mgPerKg)} mg/kg (${fmt(d.doseMg)} mg at ${fmt(weightKg)} kg)`,
      );
  });
}

// ---------------------------------------------------------------------------------------------
// Facts from the future.

/**
 * How far ahead of the server's clock a measurement's instant may lie and still be a reading taken
 * now: five minutes. A tablet or a connected scale whose clock runs a little fast times a present
 * reading slightly ahead of the server; anything further ahead is a typing slip (2062 for 2026),
 * and a future weight would otherwise become "the latest" and drive every dose.
 */
export const MEASUREMENT_CLOCK_SKEW_MS = 5 * 60_000;

/** Whether a fact measured at `at` counts as already measured at `now` (the skew allowance included). */
export function measuredByNow(at: Date, now: Date): boolean {
  return at.getTime() <= now.getTime() + MEASUREMENT_CLOCK_SKEW_MS;
}

/** The rows measured by `now`, in their order: what every reader of a measurement history counts. */
export function measuredByNowOnly<T extends { readonly measuredAt: Date }>(
  rows: readonly T[],
  now: Date,
): T[] {
  return rows.filter((r) => measuredByNow(r.measuredAt, now));
}

/** Refuses, naming `field`, a measurement whose instant lies after `now` (beyond the skew allowance). */
export function assertMeasuredByNow(field: string, at: Date, now: Date): void {
  if (Number.isNaN(at.getTime())) throw new ClinicalInputError(field, 'must be a valid date-time');
  if (!measuredByNow(at, now)) {
    throw new ClinicalInputError(
      field,
      `must not be in the future (now is ${now.toISOString()}), got ${at.toISOString()}`,
    );
  }
}

/**
 * The latest of `rows` measured by `now` that has a value for `pick`, or null. "The latest weight"
 * always means this: a row dated after now (entered before this rule, or imported) never counts.
 * Rows may come in any order; ties on the instant keep the later row.
 */
export function latestMeasuredByNow<T extends { readonly measuredAt: Date }, V>(
  rows: readonly T[],
  now: Date,
  pick: (row: T) => V | null,
): V | null {
  let best: { at: number; value: V } | null = null;
  for (const row of rows) {
    const value = pick(row);
    if (value === null || !measuredByNow(row.measuredAt, now)) continue;
    const at = row.measuredAt.getTime();
    if (best === null || at >= best.at) best = { at, value };
  }
  return best?.value ?? null;
}

/**
 * How far ahead of the clinic's today a course may start: 366 days. A clinic scheduling choice,
 * not a clinical threshold: courses are booked weeks ahead, a start a year or more out is a typing
 * slip (9999-12-31), and the calendar cannot book sessions that far ahead.
 */
export const COURSE_START_MAX_DAYS_AHEAD = 366;

/** Refuses, naming `field`, a course start that is not a date or lies too far after `today`. */
export function assertCourseStartPlausible(startDate: string, today: string, field = 'startDate'): void {
  if (!isLocalDate(startDate))
    throw new ClinicalInputError(field, `must be a date YYYY-MM-DD, got "${startDate}"`);
  if (daysBetween(today, startDate) > COURSE_START_MAX_DAYS_AHEAD) {
    throw new ClinicalInputError(
      field,
      `must be at most ${COURSE_START_MAX_DAYS_AHEAD} days after today (${today}), got ${startDate}`,
    );
  }
}
