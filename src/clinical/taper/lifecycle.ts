/**
 * A taper plan's lifecycle: active and paused plans can still change; completed and cancelled
 * plans are closed, and a new course of tapering starts a new plan.
 */
import { TAPER_PLAN_STATUSES, type TaperPlanStatus } from '../vocabulary/tapers';
export { TAPER_PLAN_STATUSES, type TaperPlanStatus };

/** A closed plan takes no more check-ins, decisions or versions. */
export function isTaperPlanClosed(status: TaperPlanStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

/** Allowed status changes: a plan pauses and resumes; completed and cancelled are final. */
const TRANSITIONS: Record<TaperPlanStatus, readonly TaperPlanStatus[]> = {
  active: ['paused', 'completed', 'cancelled'],
  paused: ['active', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canChangeTaperStatus(from: TaperPlanStatus, to: TaperPlanStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
