/** The lists a taper's record uses: its lifecycle states and the prescriber's check-in decisions. */
export const TAPER_PLAN_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type TaperPlanStatus = (typeof TAPER_PLAN_STATUSES)[number];

export const TAPER_DECISIONS = ['continue', 'hold', 'step-back'] as const;
export type TaperDecision = (typeof TAPER_DECISIONS)[number];

/** A check-in decision as the prescriber chooses it and the record shows it. */
export const TAPER_DECISION_LABELS: Readonly<Record<TaperDecision, string>> = {
  continue: 'Continue as planned',
  hold: 'Hold at the current dose',
  'step-back': 'Step back to the previous dose',
};
