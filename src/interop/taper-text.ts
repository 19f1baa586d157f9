/**
 * Plain-language wording of a taper schedule for patients, shared by the PDF and the calendar file.
 * Mapping only: every number comes from the plan the pure core computed.
 */
import { weekday } from '../clinical/calendar';
import type { TaperPlan, TaperStep } from '../clinical/taper';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon 5 Jan 2026" for an ISO date (calendar date, no time zone). */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${WEEKDAYS[weekday(iso)]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/**
 * What the patient takes from this step's date on, in plain words. `replanned`: the plan is a new
 * version after a hold or step-back, so its first step may be a change (a restarted dose), not
 * "your current dose".
 */
export function whatToTake(plan: TaperPlan, step: TaperStep, replanned = false): string {
  if (step.kind === 'stop') return `Stop taking ${plan.drug}.`;
  if (!step.deliverable || step.realisation === null) {
    const mg = Number(step.targetDoseMg.toFixed(3));
    return step.kind === 'start'
      ? `${replanned ? 'Take' : 'Keep taking your current dose of'} ${plan.drug} (${mg} mg a day).`
      : `Ask the clinic what to take: ${mg} mg a day of ${plan.drug} cannot be made with the usual products.`;
  }
  const how = step.realisation.how;
  return step.kind === 'start' && !replanned ? `Keep taking your current dose: ${how}.` : `Take ${how}.`;
}

/** Infusion dates that fall while this step is in effect (from its date to the day before the next). */
export function infusionsDuring(plan: TaperPlan, index: number): string[] {
  const from = plan.steps[index]!.date;
  const next = plan.steps[index + 1]?.date;
  return plan.infusionDates.filter((d) => d >= from && (next === undefined || d < next));
}

/** Whether a step uses a dose form whose strength is unverified in the reference [U]. */
export function usesUnverifiedForm(step: TaperStep): boolean {
  return step.realisation?.formStatuses.includes('U') ?? false;
}

/**
 * Dose changes: every step after the first (the current dose), including the stop; for a replanned
 * version the first step too (it starts the new plan, e.g. a restarted dose after a step-back).
 */
export function doseChanges(plan: TaperPlan, replanned = false): TaperStep[] {
  return plan.steps.filter((s) => replanned || s.kind !== 'start');
}
