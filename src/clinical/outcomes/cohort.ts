import type { CourseOutcomeInput, ScoredAssessment } from './course';

/**
 * Builds a course's outcome input from its dosed sessions and the patient's scores (pure).
 * Induction sessions are those of the template's induction phase (`induction`; `mdsi` for the
 * esketamine MDSI schedule, which has no separate induction). Follow-up without maintenance ends
 * at the patient's next dosed session that is not part of this course's induction (maintenance,
 * booster or a new course): ORKA-1's durability is "without maintenance" (clinical-protocols.md §2.8).
 */
export const INDUCTION_PHASE_IDS: readonly string[] = ['induction', 'mdsi'];

export interface DosedSession {
  courseId: string;
  phaseId: string;
  at: Date;
}

export function courseInputFromSessions(args: {
  courseId: string;
  instrument: string;
  /** Every dosed session of the patient, any course. */
  patientSessions: readonly DosedSession[];
  assessments: readonly ScoredAssessment[];
  settings?: CourseOutcomeInput['settings'];
  /** Analysis date: follow-up is censored here at the latest. */
  now: Date;
}): CourseOutcomeInput | null {
  const induction = args.patientSessions
    .filter((s) => s.courseId === args.courseId && INDUCTION_PHASE_IDS.includes(s.phaseId))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (induction.length === 0) return null;
  const last = induction[induction.length - 1]!.at.getTime();
  const inInduction = new Set(induction);
  const next = args.patientSessions
    .filter((s) => !inInduction.has(s) && s.at.getTime() > last)
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  const end = next && next.at.getTime() < args.now.getTime() ? next.at : args.now;
  return {
    instrument: args.instrument,
    inductionSessions: induction.map((s) => ({ startedAt: s.at })),
    assessments: args.assessments,
    followUpEndsAt: end,
    settings: args.settings,
  };
}
