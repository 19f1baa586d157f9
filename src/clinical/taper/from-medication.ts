/**
 * Where a taper starts from a medication the patient takes now: the planner's drug (the
 * dictionary's generic name, when the planner knows it) and the daily dose in mg (dose × doses a
 * day for a regular schedule). Anything it cannot tell is left for the prescriber to enter, with
 * the reason, rather than guessed.
 */
import { genericName } from '../medication-dictionary';
import { dosesPerDayFromFrequency } from '../plausibility';
import { TAPER_DRUGS } from './drugs';

export interface TaperStartMedication {
  readonly name: string;
  readonly rxnormCode?: string | null;
  readonly dose: number | null;
  readonly doseUnit: string | null;
  readonly frequency: string | null;
}

export interface TaperStartFromMedication {
  /** The planner's drug, or null when the planner has no rules for this medication. */
  readonly drug: string | null;
  /** mg a day, or null when the dose, unit or schedule does not say. */
  readonly startDoseMg: number | null;
  /** Doses a day read from the frequency (null: not a regular daily schedule). */
  readonly dosesPerDay: number | null;
  /** Why a field is left empty (none when both are filled). */
  readonly notes: readonly string[];
}

export function taperStartFromMedication(m: TaperStartMedication): TaperStartFromMedication {
  const notes: string[] = [];
  const generic = genericName(m.name, m.rxnormCode);
  const drug = TAPER_DRUGS.find((d) => d.name === generic)?.name ?? null;
  if (!drug) notes.push(`the taper planner has no rules for ${m.name}`);
  const dosesPerDay = dosesPerDayFromFrequency(m.frequency);
  const unit = (m.doseUnit ?? '').trim().toLowerCase();
  let startDoseMg: number | null = null;
  if (m.dose === null) notes.push('no dose on the medication list');
  else if (unit !== 'mg') notes.push(`the dose unit is "${m.doseUnit ?? 'none'}", not mg`);
  else if (dosesPerDay === null)
    notes.push(`"${m.frequency ?? 'no frequency'}" is not a regular daily schedule`);
  else startDoseMg = Math.round(m.dose * dosesPerDay * 1000) / 1000;
  return { drug, startDoseMg, dosesPerDay, notes };
}
