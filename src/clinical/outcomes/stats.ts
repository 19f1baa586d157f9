import { ClinicalInputError } from '../errors';

/**
 * Interval statistics for clinic outcome reporting (pure). Sources: docs/clinical-sources/outcomes.md.
 */

/** Two-sided 95 % standard normal quantile (Φ⁻¹(0.975) = 1.959964). */
export const Z_95 = 1.959963984540054;

export interface ProportionEstimate {
  successes: number;
  total: number;
  /** successes / total; null when total is 0. */
  proportion: number | null;
  /** Wilson score interval (Wilson 1927; Newcombe 1998 method 3); null when total is 0. */
  lower: number | null;
  upper: number | null;
  confidenceLevel: number;
}

function checkCount(field: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new ClinicalInputError(field, `must be a whole number ≥ 0, got ${String(v)}`);
  }
}

/**
 * Wilson score interval for a binomial proportion (Wilson EB. J Am Stat Assoc 1927;22:209–212;
 * recommended over the Wald interval by Newcombe RG. Stat Med 1998;17:857–872, method 3, and by
 * Brown, Cai & DasGupta, Stat Sci 2001;16:101–133). No continuity correction.
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
 */
export function wilsonInterval(successes: number, total: number, z: number = Z_95): ProportionEstimate {
  checkCount('successes', successes);
  checkCount('total', total);
  if (successes > total) {
    throw new ClinicalInputError('successes', `cannot exceed total (${successes} > ${total})`);
  }
  if (!Number.isFinite(z) || z <= 0) throw new ClinicalInputError('z', `must be > 0, got ${z}`);
  const confidenceLevel = confidenceFromZ(z);
  if (total === 0) {
    return { successes, total, proportion: null, lower: null, upper: null, confidenceLevel };
  }
  const n = total;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Exact ends at 0 and n (the formula gives them up to rounding).
  const lower = successes === 0 ? 0 : Math.max(0, centre - half);
  const upper = successes === n ? 1 : Math.min(1, centre + half);
  return { successes, total, proportion: p, lower, upper, confidenceLevel };
}

/** Two-sided confidence level for a normal quantile, via the error function (A&S 7.1.26 is too coarse; series). */
function confidenceFromZ(z: number): number {
  if (Math.abs(z - Z_95) < 1e-9) return 0.95;
  return erf(z / Math.SQRT2);
}

function erf(x: number): number {
  // Maclaurin series; |x| < 4 covers every z a report uses. Converges to double precision.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 200; n++) {
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
    term *= (-x * x) / (n + 1);
  }
  return Math.min(1, (2 / Math.sqrt(Math.PI)) * sum);
}

export interface SurvivalObservation {
  /** Time from the origin (days after the last induction session), ≥ 0. */
  time: number;
  /** True = the event (relapse) was observed at `time`; false = censored at `time`. */
  event: boolean;
}

export interface KaplanMeierStep {
  time: number;
  /** Number at risk just before `time`. */
  atRisk: number;
  events: number;
  censored: number;
  /** Ŝ(t) just after `time`. */
  survival: number;
  /** Greenwood standard error of Ŝ(t); null when Ŝ = 0 or no event has occurred yet. */
  standardError: number | null;
  /** Log–log (complementary log–log) interval; null where undefined (Ŝ = 1 before any event). */
  lower: number | null;
  upper: number | null;
}

export interface KaplanMeierResult {
  n: number;
  events: number;
  censored: number;
  /** One step per distinct time with an event or a censoring, ascending. */
  steps: KaplanMeierStep[];
  /** Smallest event time with Ŝ ≤ 0.5, or null if the curve never reaches 0.5. */
  medianTime: number | null;
  confidenceLevel: number;
}

/**
 * Kaplan–Meier product-limit estimator (Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481).
 * Ties: events at a time are counted before censorings at the same time (the usual convention:
 * a patient censored at t was at risk at t). Variance: Greenwood's formula,
 * Var(Ŝ) = Ŝ² Σ dᵢ/(nᵢ(nᵢ−dᵢ)) (Greenwood M. Rep Public Health Med Subj 1926;33). Interval: log–log
 * transform, Ŝ^exp(±z·σ/ln Ŝ) with σ² = Σ dᵢ/(nᵢ(nᵢ−dᵢ)) (Kalbfleisch JD, Prentice RL. The
 * Statistical Analysis of Failure Time Data, 1980; Stata `sts` default; R survival conf.type =
 * "log-log"); it stays inside [0, 1] unlike the plain interval.
 */
export function kaplanMeier(
  observations: readonly SurvivalObservation[],
  z: number = Z_95,
): KaplanMeierResult {
  observations.forEach((o, i) => {
    if (typeof o.time !== 'number' || !Number.isFinite(o.time) || o.time < 0) {
      throw new ClinicalInputError(
        `observations.${i}.time`,
        `must be a finite time ≥ 0, got ${String(o.time)}`,
      );
    }
    if (typeof o.event !== 'boolean') {
      throw new ClinicalInputError(`observations.${i}.event`, 'must be true (event) or false (censored)');
    }
  });
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    const c = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) c.events++;
    else c.censored++;
    byTime.set(o.time, c);
  }
  return kaplanMeierFromCounts(
    [...byTime.entries()].map(([time, c]) => ({ time, ...c })),
    z,
  );
}

/** Courses with an event and courses censored at one time (the estimator's input, tallied). */
export interface SurvivalCount {
  time: number;
  events: number;
  censored: number;
}

/**
 * `kaplanMeier` from tallies instead of one observation per course (the dashboard adds up
 * pre-aggregated course facts in SQL); the same estimator, variance and intervals.
 */
export function kaplanMeierFromCounts(counts: readonly SurvivalCount[], z: number = Z_95): KaplanMeierResult {
  if (!Number.isFinite(z) || z <= 0) throw new ClinicalInputError('z', `must be > 0, got ${z}`);
  const byTime = new Map<number, { events: number; censored: number }>();
  counts.forEach((c, i) => {
    if (typeof c.time !== 'number' || !Number.isFinite(c.time) || c.time < 0) {
      throw new ClinicalInputError(`counts.${i}.time`, `must be a finite time ≥ 0, got ${String(c.time)}`);
    }
    for (const k of ['events', 'censored'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 0) {
        throw new ClinicalInputError(`counts.${i}.${k}`, `must be a count ≥ 0, got ${String(c[k])}`);
      }
    }
    const t = byTime.get(c.time) ?? { events: 0, censored: 0 };
    t.events += c.events;
    t.censored += c.censored;
    byTime.set(c.time, t);
  });
  let n = 0;
  for (const t of byTime.values()) n += t.events + t.censored;
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = n;
  let survival = 1;
  let greenwoodSum = 0;
  let medianTime: number | null = null;
  const steps: KaplanMeierStep[] = [];
  for (const time of times) {
    const { events, censored } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      if (atRisk > events) greenwoodSum += events / (atRisk * (atRisk - events));
      if (medianTime === null && survival <= 0.5) medianTime = time;
    }
    const anyEvent = survival < 1;
    let standardError: number | null = null;
    let lower: number | null = null;
    let upper: number | null = null;
    if (survival === 0) {
      lower = 0;
      upper = 0;
    } else if (anyEvent) {
      standardError = survival * Math.sqrt(greenwoodSum);
      const logS = Math.log(survival);
      const sigma = Math.sqrt(greenwoodSum) / Math.abs(logS);
      lower = Math.pow(survival, Math.exp(z * sigma));
      upper = Math.pow(survival, Math.exp(-z * sigma));
    }
    steps.push({ time, atRisk, events, censored, survival, standardError, lower, upper });
    atRisk -= events + censored;
  }
  let events = 0;
  for (const t of byTime.values()) events += t.events;
  return {
    n,
    events,
    censored: n - events,
    steps,
    medianTime,
    confidenceLevel: confidenceFromZ(z),
  };
}

/** Ŝ(t) with its interval read off a Kaplan–Meier curve (right-continuous step function). */
export function survivalAt(
  km: KaplanMeierResult,
  time: number,
): { survival: number; lower: number | null; upper: number | null; atRisk: number } {
  if (!Number.isFinite(time) || time < 0) {
    throw new ClinicalInputError('time', `must be a finite time ≥ 0, got ${String(time)}`);
  }
  let out: { survival: number; lower: number | null; upper: number | null } = {
    survival: 1,
    lower: null,
    upper: null,
  };
  let atRisk = km.n;
  for (const s of km.steps) {
    if (s.time > time) {
      atRisk = s.atRisk;
      break;
    }
    out = { survival: s.survival, lower: s.lower, upper: s.upper };
    atRisk = s.atRisk - s.events - s.censored;
  }
  return { ...out, atRisk };
}

export interface SessionRateInput {
  /** Sessions in the denominator (completed treatment sessions). */
  sessions: number;
  /** Sessions with at least one such event. */
  sessionsWithEvent: number;
  /** Total events (a session may have several). */
  events: number;
}

export interface SessionRate extends ProportionEstimate {
  events: number;
  /** Events per 100 sessions; null with no sessions. */
  eventsPer100Sessions: number | null;
}

/**
 * Per-session rate: the proportion of sessions with ≥ 1 event with its Wilson interval (the Yale
 * review reports severe hypertension as 0.98 % of infusions; clinical-protocols.md §2.7), plus the
 * crude events per 100 sessions.
 */
export function sessionRate(input: SessionRateInput, z: number = Z_95): SessionRate {
  checkCount('events', input.events);
  const p = wilsonInterval(input.sessionsWithEvent, input.sessions, z);
  if (input.events < input.sessionsWithEvent) {
    throw new ClinicalInputError('events', 'cannot be fewer than the sessions with an event');
  }
  return {
    ...p,
    events: input.events,
    eventsPer100Sessions: input.sessions === 0 ? null : (100 * input.events) / input.sessions,
  };
}
