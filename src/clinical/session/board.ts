/**
 * A session as the clinic's day board shows it: how far it has come, whether the patient is in
 * recovery (dosing over, not yet discharged), whether vitals are overdue, and how many alarms await
 * a decision. Read from the session's state, so the board and the session screen cannot disagree.
 */
import type { SessionPhase } from './fold';
import type { SessionState } from './state';

export interface SessionBoardStatus {
  phase: SessionPhase;
  /** Dosing finished or stopped and the patient not yet discharged: the recovery chair. */
  inRecovery: boolean;
  /** Minutes the next vitals reading is late by (null: none due yet, or no monitoring running). */
  vitalsOverdueByMin: number | null;
  /** Entries (readings, sedation scores, adverse events) whose alarms await a decision. */
  openAlerts: number;
  /** Minutes since dosing started (null before dosing). */
  minutesSinceDosingStart: number | null;
  /** Earliest discharge by the time rules, in minutes after dosing start (null when not dosing). */
  earliestDischargeMin: number | null;
}

/** The board's view of one session's state at the state's instant. */
export function sessionBoardStatus(state: SessionState): SessionBoardStatus {
  const dosingOver = state.dosing?.state === 'complete' || state.dosing?.state === 'stopped';
  const overdue = state.nextVitals?.overdueByMin ?? 0;
  return {
    phase: state.phase,
    inRecovery: state.phase === 'dosing' && dosingOver,
    vitalsOverdueByMin: state.nextVitals && overdue > 0 ? overdue : null,
    openAlerts: state.openAlerts.length,
    minutesSinceDosingStart: state.nowMin,
    earliestDischargeMin: state.earliestDischargeMin,
  };
}
