/**
 * The patient banner's two judgements that are not already someone else's rule: which course is
 * the active one (and which of its sessions is "session n of N"), and which way the PHQ-9 moved.
 * Allergy state, the trajectory's baseline, response and remission, and alert tiers stay with
 * their own rules; the banner only reads them. Pure: the clinic's today is an input.
 */
import type { LocalDate } from './calendar';

export interface BannerCourseSession {
  id: string;
  sequence: number;
  /** Scheduled clinic-local date. */
  date: LocalDate;
  dosed: boolean;
  discharged: boolean;
}

export interface BannerCourse<S extends BannerCourseSession = BannerCourseSession> {
  id: string;
  startDate: LocalDate;
  sessions: readonly S[];
}

export interface ActiveCourse<C extends BannerCourse> {
  course: C;
  /** Sessions in the course. */
  total: number;
  /** Sessions dosed so far. */
  dosed: number;
  /** The session the banner names: dosed and not yet discharged, else today's, else the next one. */
  current: { id: string; sequence: number; date: LocalDate } | null;
}

/** A session still to come or still in the chair (a missed past session does not keep a course open). */
const open = (s: BannerCourseSession, today: LocalDate) =>
  (s.dosed && !s.discharged) || (!s.dosed && s.date >= today);

/**
 * The active course on `today`: one with a session in the chair or scheduled today or later; of
 * several, the one that started last (ties: listed later). Null when no course is under way, so
 * the banner says so rather than naming a finished course.
 */
export function activeCourse<C extends BannerCourse>(
  courses: readonly C[],
  today: LocalDate,
): ActiveCourse<C> | null {
  const candidates = courses
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.sessions.some((s) => open(s, today)))
    .sort((a, b) => a.c.startDate.localeCompare(b.c.startDate) || a.i - b.i);
  const chosen = candidates.at(-1)?.c;
  if (!chosen) return null;
  const byOrder = [...chosen.sessions].sort((a, b) => a.sequence - b.sequence);
  const current =
    byOrder.find((s) => s.dosed && !s.discharged) ??
    byOrder.find((s) => !s.dosed && s.date === today) ??
    byOrder.find((s) => !s.dosed && s.date >= today) ??
    null;
  return {
    course: chosen,
    total: byOrder.length,
    dosed: byOrder.filter((s) => s.dosed).length,
    current: current ? { id: current.id, sequence: current.sequence, date: current.date } : null,
  };
}

export interface ScorePoint {
  at: string;
  total: number;
}

export interface ScoreTrend {
  latest: ScorePoint;
  previous: ScorePoint | null;
  /** latest − previous (null without a previous score). */
  change: number | null;
  /**
   * Which way the score went since the previous one. No clinically meaningful change for a single
   * PHQ-9 step is cited in docs/clinical-sources, so this is the plain direction, never "better"
   * or "worse"; response and remission come from the trajectory's own cited rules.
   */
  direction: 'up' | 'down' | 'same' | null;
}

/** The latest score and its direction since the one before (points oldest first). */
export function scoreTrend(points: readonly ScorePoint[]): ScoreTrend | null {
  const latest = points.at(-1);
  if (!latest) return null;
  const previous = points.at(-2) ?? null;
  const change = previous ? latest.total - previous.total : null;
  const direction = change === null ? null : change > 0 ? 'up' : change < 0 ? 'down' : 'same';
  return { latest, previous, change, direction };
}
