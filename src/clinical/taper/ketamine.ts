import { ClinicalInputError } from '../errors';
import type { EquivalenceTableId, MedicationDose } from './benzodiazepines';
import { bzdKetamineFlag } from './benzodiazepines';
import type { BzdKetamineLevel } from './benzodiazepines';
import { dateFromDayNumber, dayNumber } from '../calendar';

/**
 * Keeping taper dose changes away from ketamine infusions. Default: no dose change within 48 h
 * before an infusion — a product default and a clinic setting, not a published value
 * [D]. Granularity is the calendar day: with 48 h, a change may not fall on the infusion day or on
 * either of the two days before it (conservative: infusion times are not known).
 */
export interface InfusionSpacing {
  readonly noChangeHoursBeforeInfusion: number;
  readonly noChangeHoursAfterInfusion: number;
}

export const DEFAULT_INFUSION_SPACING: InfusionSpacing = {
  noChangeHoursBeforeInfusion: 48, // product default, clinic setting [D]
  noChangeHoursAfterInfusion: 0, // [D] no after-window unless the clinic sets one
};

export function validateSpacing(spacing: Partial<InfusionSpacing> = {}): InfusionSpacing {
  const s = { ...DEFAULT_INFUSION_SPACING, ...spacing };
  for (const [field, v] of Object.entries(s)) {
    if (!Number.isFinite(v) || v < 0 || v > 24 * 14) {
      throw new ClinicalInputError(field, `must be between 0 and ${24 * 14} hours, got ${v}`);
    }
  }
  return s;
}

/** The infusion day (days since epoch) that forbids a dose change on `changeDay`, if any. */
export function blockingInfusion(
  changeDay: number,
  infusionDays: readonly number[],
  spacing: InfusionSpacing,
): number | undefined {
  const beforeDays = Math.ceil(spacing.noChangeHoursBeforeInfusion / 24);
  const afterDays = Math.ceil(spacing.noChangeHoursAfterInfusion / 24);
  return infusionDays.find((inf) => {
    const until = inf - changeDay;
    if (spacing.noChangeHoursBeforeInfusion > 0 && until >= 0 && until <= beforeDays) return true;
    return spacing.noChangeHoursAfterInfusion > 0 && until < 0 && -until <= afterDays;
  });
}

/** First day ≥ `day` on which a dose change is allowed; dose changes are only ever postponed. */
export function firstAllowedChangeDay(
  day: number,
  infusionDays: readonly number[],
  spacing: InfusionSpacing,
): { day: number; blockedBy: number[] } {
  const blockedBy: number[] = [];
  let d = day;
  for (;;) {
    const inf = blockingInfusion(d, infusionDays, spacing);
    if (inf === undefined) return { day: d, blockedBy };
    if (!blockedBy.includes(inf)) blockedBy.push(inf);
    d += 1;
  }
}

export function parseInfusionDates(dates: readonly string[]): number[] {
  return [...new Set(dates.map((d, i) => dayNumber(d, `infusionDates[${i}]`)))].sort((a, b) => a - b);
}

export interface DoseOnDate {
  readonly date: string;
  readonly doseMg: number | null;
}

export interface InfusionBzdFlag {
  readonly date: string;
  readonly planDoseMg: number | null;
  readonly level: BzdKetamineLevel;
  readonly lowMgPerDayDe: number;
  readonly highMgPerDayDe: number;
  readonly thresholdMgPerDay: number;
  readonly table: EquivalenceTableId;
  readonly ruleId: 'ketamine-bzd-de-gt-8';
  readonly citation: string;
}

/**
 * Infusion days on which the benzodiazepine load (the taper drug's dose that day, if it is a
 * benzodiazepine, plus any other benzodiazepines) is above — or possibly above — 8 mg/day
 * diazepam-equivalent (Andrashko 2020 [V]). An undeliverable step counts at its target dose.
 * Flags only: holds around infusions are a clinician decision, never automatic (ASAM 2025 [V]).
 */
export function infusionBzdFlags(
  drug: string,
  schedule: readonly (DoseOnDate & { targetDoseMg: number })[],
  infusionDates: readonly string[],
  opts: {
    table?: EquivalenceTableId;
    thresholdMgPerDay?: number;
    otherMeds?: readonly MedicationDose[];
  } = {},
): InfusionBzdFlag[] {
  const days = parseInfusionDates(infusionDates);
  const stepDays = schedule.map((s) => dayNumber(s.date, 'date'));
  const flags: InfusionBzdFlag[] = [];
  for (const inf of days) {
    let idx = -1;
    stepDays.forEach((d, i) => {
      if (d <= inf) idx = i;
    });
    const step = idx >= 0 ? schedule[idx] : undefined;
    const doseMg = step ? (step.doseMg ?? step.targetDoseMg) : 0;
    const meds: MedicationDose[] = [
      ...(doseMg > 0 ? [{ drug, doseMgPerDay: doseMg }] : []),
      ...(opts.otherMeds ?? []),
    ];
    const f = bzdKetamineFlag(meds, opts);
    if (f.level !== 'not-above') {
      flags.push({
        date: dateFromDayNumber(inf),
        planDoseMg: step ? step.doseMg : null,
        level: f.level,
        lowMgPerDayDe: f.equivalent.lowMgPerDay,
        highMgPerDayDe: f.equivalent.highMgPerDay,
        thresholdMgPerDay: f.thresholdMgPerDay,
        table: f.equivalent.table,
        ruleId: f.ruleId,
        citation: f.citation,
      });
    }
  }
  return flags;
}
