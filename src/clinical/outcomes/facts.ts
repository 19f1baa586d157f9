import { ClinicalInputError } from '../errors';
import type { CourseOutcome } from './course';
import { kaplanMeierFromCounts, sessionRate, survivalAt, wilsonInterval, type SessionRate } from './stats';
import type { OutcomeSummary } from './summary';

/**
 * Course facts: what a course's outcome and sessions contribute to the clinic summary, reduced to
 * flags and counts that a database can add up (the dashboard reads pre-aggregated rows).
 * `courseFact` derives them from the core's `courseOutcome`; `countFacts` adds them up the
 * way the store's SQL does; `summariseCounts` turns the counts into proportions with Wilson intervals
 * and the Kaplan–Meier durability curve. The rules themselves stay in course.ts and stats.ts.
 */

/** What one dosed session contributes to the per-session safety rates. */
export interface SessionSafetyCounts {
  adverseEvents: number;
  seriousAdverseEvents: number;
  hypertensionAlerts: number;
}

export interface CourseFact {
  /** The course has a dosed induction session (its outcome counts). */
  hasInduction: boolean;
  evaluable: boolean;
  response: boolean | null;
  remission: boolean | null;
  rapidResponse4h: boolean | null;
  rapidResponse24h: boolean | null;
  suicidalityBaseline: number | null;
  suicidalityChange: number | null;
  suicidalityDecreased: boolean | null;
  suicidalityIncreased: boolean | null;
  durabilityDays: number | null;
  relapsed: boolean | null;
  dosedSessions: number;
  sessionsWithAdverseEvent: number;
  adverseEvents: number;
  sessionsWithSeriousAdverseEvent: number;
  seriousAdverseEvents: number;
  sessionsWithHypertensionAlert: number;
  hypertensionAlerts: number;
}

/** A course's facts: its outcome (null when it has no dosed induction session) and dosed sessions. */
export function courseFact(
  outcome: CourseOutcome | null,
  dosedSessions: readonly SessionSafetyCounts[],
): CourseFact {
  const count = (pick: (s: SessionSafetyCounts) => number) => {
    let sessions = 0;
    let events = 0;
    for (const s of dosedSessions) {
      const n = pick(s);
      if (n > 0) sessions++;
      events += n;
    }
    return { sessions, events };
  };
  const ae = count((s) => s.adverseEvents);
  const sae = count((s) => s.seriousAdverseEvents);
  const htn = count((s) => s.hypertensionAlerts);
  const evaluable = outcome !== null && outcome.response !== null && outcome.remission !== null;
  return {
    hasInduction: outcome !== null,
    evaluable,
    response: evaluable ? outcome.response!.response : null,
    remission: evaluable ? outcome.remission!.remission : null,
    rapidResponse4h: outcome?.rapid?.post4h.response?.response ?? null,
    rapidResponse24h: outcome?.rapid?.post24h.response?.response ?? null,
    suicidalityBaseline: outcome?.suicidality?.baseline ?? null,
    suicidalityChange: outcome?.suicidality?.change ?? null,
    suicidalityDecreased: outcome?.suicidality?.decreased ?? null,
    suicidalityIncreased: outcome?.suicidality?.increased ?? null,
    durabilityDays: outcome?.relapse?.days ?? null,
    relapsed: outcome?.relapse?.relapsed ?? null,
    dosedSessions: dosedSessions.length,
    sessionsWithAdverseEvent: ae.sessions,
    adverseEvents: ae.events,
    sessionsWithSeriousAdverseEvent: sae.sessions,
    seriousAdverseEvents: sae.events,
    sessionsWithHypertensionAlert: htn.sessions,
    hypertensionAlerts: htn.events,
  };
}

/**
 * Durability is charted in whole days after the last induction session, rounded up: day d counts
 * every relapse that happened by day d, and the curve has at most one step per day however many
 * courses a network holds. Ŝ at a whole day (28, 56) equals the exact-time estimate unless a course
 * is censored earlier in the same day as a relapse: rounded, that course is still at risk at the
 * relapse (the tie rule), so Ŝ is slightly higher than with exact times.
 */
export function durabilityDay(days: number): number {
  return Math.ceil(days);
}

/** Courses sharing a durability day and outcome (relapsed or censored). */
export interface DurabilityGroup {
  day: number;
  relapsed: boolean;
  courses: number;
}

/** The sums a clinic summary needs; the store computes the same sums in SQL. */
export interface FactCounts {
  courses: number;
  evaluable: number;
  responders: number;
  remitters: number;
  rapid4h: { n: number; responders: number };
  rapid24h: { n: number; responders: number };
  /** Courses with a positive suicide item at baseline, and those of them whose item fell. */
  suicidalityBaselinePositive: number;
  suicidalityDecreasedAmongPositive: number;
  /** Courses with both suicide-item values, those whose item rose, and the summed change. */
  suicidalityPaired: number;
  suicidalityIncreased: number;
  suicidalityChangeSum: number;
  dosedSessions: number;
  sessionsWithAdverseEvent: number;
  adverseEvents: number;
  sessionsWithSeriousAdverseEvent: number;
  seriousAdverseEvents: number;
  sessionsWithHypertensionAlert: number;
  hypertensionAlerts: number;
  durability: DurabilityGroup[];
}

export function countFacts(facts: readonly CourseFact[]): FactCounts {
  const c: FactCounts = {
    courses: 0,
    evaluable: 0,
    responders: 0,
    remitters: 0,
    rapid4h: { n: 0, responders: 0 },
    rapid24h: { n: 0, responders: 0 },
    suicidalityBaselinePositive: 0,
    suicidalityDecreasedAmongPositive: 0,
    suicidalityPaired: 0,
    suicidalityIncreased: 0,
    suicidalityChangeSum: 0,
    dosedSessions: 0,
    sessionsWithAdverseEvent: 0,
    adverseEvents: 0,
    sessionsWithSeriousAdverseEvent: 0,
    seriousAdverseEvents: 0,
    sessionsWithHypertensionAlert: 0,
    hypertensionAlerts: 0,
    durability: [],
  };
  const groups = new Map<string, DurabilityGroup>();
  for (const f of facts) {
    if (f.hasInduction) c.courses++;
    if (f.evaluable) c.evaluable++;
    if (f.evaluable && f.response) c.responders++;
    if (f.evaluable && f.remission) c.remitters++;
    if (f.rapidResponse4h !== null) {
      c.rapid4h.n++;
      if (f.rapidResponse4h) c.rapid4h.responders++;
    }
    if (f.rapidResponse24h !== null) {
      c.rapid24h.n++;
      if (f.rapidResponse24h) c.rapid24h.responders++;
    }
    if (f.suicidalityChange !== null) {
      c.suicidalityPaired++;
      c.suicidalityChangeSum += f.suicidalityChange;
      if (f.suicidalityIncreased) c.suicidalityIncreased++;
      if ((f.suicidalityBaseline ?? 0) >= 1) {
        c.suicidalityBaselinePositive++;
        if (f.suicidalityDecreased) c.suicidalityDecreasedAmongPositive++;
      }
    }
    c.dosedSessions += f.dosedSessions;
    c.sessionsWithAdverseEvent += f.sessionsWithAdverseEvent;
    c.adverseEvents += f.adverseEvents;
    c.sessionsWithSeriousAdverseEvent += f.sessionsWithSeriousAdverseEvent;
    c.seriousAdverseEvents += f.seriousAdverseEvents;
    c.sessionsWithHypertensionAlert += f.sessionsWithHypertensionAlert;
    c.hypertensionAlerts += f.hypertensionAlerts;
    if (f.durabilityDays !== null && f.relapsed !== null) {
      const day = durabilityDay(f.durabilityDays);
      const key = `${day}:${f.relapsed}`;
      const g = groups.get(key) ?? { day, relapsed: f.relapsed, courses: 0 };
      g.courses++;
      groups.set(key, g);
    }
  }
  c.durability = [...groups.values()].sort(
    (a, b) => a.day - b.day || Number(b.relapsed) - Number(a.relapsed),
  );
  return c;
}

export interface ClinicSummary extends OutcomeSummary {
  sessions: {
    dosed: number;
    adverseEvents: SessionRate;
    seriousAdverseEvents: SessionRate;
    hypertensionAlerts: SessionRate;
  };
}

function checkCounts(c: FactCounts): void {
  const nonNegativeInts: [string, number][] = [
    ['courses', c.courses],
    ['evaluable', c.evaluable],
    ['responders', c.responders],
    ['remitters', c.remitters],
    ['suicidalityPaired', c.suicidalityPaired],
    ['dosedSessions', c.dosedSessions],
  ];
  for (const [field, v] of nonNegativeInts) {
    if (!Number.isInteger(v) || v < 0) throw new ClinicalInputError(field, `must be a count ≥ 0, got ${v}`);
  }
  if (c.evaluable > c.courses) throw new ClinicalInputError('evaluable', 'cannot exceed the courses');
  c.durability.forEach((g, i) => {
    if (!Number.isInteger(g.courses) || g.courses < 1) {
      throw new ClinicalInputError(`durability.${i}.courses`, `must be a count ≥ 1, got ${g.courses}`);
    }
  });
}

/** The clinic summary (Wilson intervals, Kaplan–Meier in whole days) from summed course facts. */
export function summariseCounts(c: FactCounts): ClinicSummary {
  checkCounts(c);
  const durability = kaplanMeierFromCounts(
    c.durability.map((g) => ({
      time: g.day,
      events: g.relapsed ? g.courses : 0,
      censored: g.relapsed ? 0 : g.courses,
    })),
  );
  const rate = (sessionsWithEvent: number, events: number) =>
    sessionRate({ sessions: c.dosedSessions, sessionsWithEvent, events });
  return {
    courses: c.courses,
    evaluable: c.evaluable,
    response: wilsonInterval(c.responders, c.evaluable),
    remission: wilsonInterval(c.remitters, c.evaluable),
    rapidResponse4h: wilsonInterval(c.rapid4h.responders, c.rapid4h.n),
    rapidResponse24h: wilsonInterval(c.rapid24h.responders, c.rapid24h.n),
    suicidalityDecreased: wilsonInterval(c.suicidalityDecreasedAmongPositive, c.suicidalityBaselinePositive),
    suicidalityIncreased: wilsonInterval(c.suicidalityIncreased, c.suicidalityPaired),
    meanSuicidalityChange: c.suicidalityPaired === 0 ? null : c.suicidalityChangeSum / c.suicidalityPaired,
    durability,
    durabilityAt: { days28: survivalAt(durability, 28), days56: survivalAt(durability, 56) },
    sessions: {
      dosed: c.dosedSessions,
      adverseEvents: rate(c.sessionsWithAdverseEvent, c.adverseEvents),
      seriousAdverseEvents: rate(c.sessionsWithSeriousAdverseEvent, c.seriousAdverseEvents),
      hypertensionAlerts: rate(c.sessionsWithHypertensionAlert, c.hypertensionAlerts),
    },
  };
}
