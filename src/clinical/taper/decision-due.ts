/**
 * When a taper needs the prescriber: each planned reduction goes ahead only after a decision
 * (continue, hold or step back) against the check-in suggestion — NICE NG222 1.4.17 "reduce only
 * when withdrawal symptoms have resolved or are tolerable" [V]. A reduction dated today or earlier
 * with no decision recorded since the dose change before it is a decision due. Pure: the caller
 * passes the plan in effect, the decisions recorded and the clinic's today.
 */
import { dayNumber } from '../calendar';
import type { TaperPlanStatus } from './lifecycle';
import { stepInEffect, type TaperPlan } from './plan';

export interface TaperDecisionDue {
  /** The reduction waiting for a decision. */
  readonly stepIndex: number;
  readonly stepDate: string;
  /** Dose before the reduction and the dose it plans (null when no form can deliver it). */
  readonly fromDoseMg: number | null;
  readonly toDoseMg: number | null;
  /** Days since the reduction's date (0: due today). */
  readonly daysOverdue: number;
}

/**
 * The reduction awaiting a decision on `today`, or null. Only an active plan asks (a paused plan
 * waits on purpose; a closed one takes no decisions); the plan's first step is its start, not a
 * reduction. A decision dated after the previous dose change and on or before today answers it.
 */
export function taperDecisionDue(input: {
  status: TaperPlanStatus;
  plan: TaperPlan;
  decisionDates: readonly string[];
  today: string;
}): TaperDecisionDue | null {
  const { plan, today } = input;
  if (input.status !== 'active') return null;
  const todayDay = dayNumber(today, 'today');
  if (plan.steps.length === 0 || dayNumber(plan.startDate, 'startDate') > todayDay) return null;
  const i = stepInEffect(plan, today);
  if (i === 0) return null;
  const step = plan.steps[i]!;
  const previous = plan.steps[i - 1]!;
  const since = dayNumber(previous.date, 'date');
  const answered = input.decisionDates.some((d) => {
    const day = dayNumber(d, 'date');
    return day > since && day <= todayDay;
  });
  if (answered) return null;
  return {
    stepIndex: i,
    stepDate: step.date,
    fromDoseMg: previous.doseMg,
    toDoseMg: step.doseMg,
    daysOverdue: todayDay - dayNumber(step.date, 'date'),
  };
}
