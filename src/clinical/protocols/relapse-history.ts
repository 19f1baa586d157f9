import type { InstrumentId } from '../instruments';
import { courseOutcome, type RelapseDefinition, type ScoredAssessment } from '../outcomes';

/**
 * This patient's own measured time to relapse, from their earlier courses: for each
 * earlier induction that produced a response, the days from its last session to relapse under the
 * clinic's relapse definition (clinical/outcomes/course.ts; default loss of response, ORKA-1). The most
 * recent measured relapse wins — the patient's latest course is the best guide to the next. Follow-up
 * of a course ends where the next course starts (a re-induction is not a relapse observation).
 */
export interface PastCourse {
  startedAt: Date;
  /** Start times of its completed induction sessions. */
  sessionStarts: readonly Date[];
}

export interface MeasuredRelapse {
  days: number;
  courseStartedAt: Date;
}

export function measuredTimeToRelapse(input: {
  instrument: InstrumentId;
  pastCourses: readonly PastCourse[];
  assessments: readonly ScoredAssessment[];
  relapse?: RelapseDefinition;
}): MeasuredRelapse | null {
  const courses = [...input.pastCourses]
    .filter((c) => c.sessionStarts.length > 0)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  let found: MeasuredRelapse | null = null;
  courses.forEach((course, i) => {
    const next = courses[i + 1];
    const outcome = courseOutcome({
      instrument: input.instrument,
      inductionSessions: course.sessionStarts.map((startedAt) => ({ startedAt })),
      assessments: input.assessments,
      followUpEndsAt: next ? next.startedAt : null,
      ...(input.relapse ? { settings: { relapse: input.relapse } } : {}),
    });
    if (outcome.relapse?.relapsed) {
      found = { days: Math.max(1, Math.round(outcome.relapse.days)), courseStartedAt: course.startedAt };
    }
  });
  return found;
}
