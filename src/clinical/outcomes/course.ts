import { ClinicalInputError } from '../errors';
import { baselineAssessment } from './baseline';
import {
  assessRemission,
  assessResponse,
  DEFAULT_RESPONSE_MIN_FALL_PERCENT,
  getInstrument,
  rapidResponse,
  type InstrumentId,
  type RapidPoint,
  type RapidWindow,
  type RemissionResult,
  type RemissionThreshold,
  type ResponseResult,
  type SourceStatus,
} from '../instruments';

/**
 * Per-course outcomes (pure): response and remission at the end of induction, rapid response after
 * the first session, change in the suicidality item, and time to relapse after the last induction
 * session. Every rule is cited in docs/clinical-sources/outcomes.md.
 */

const MS_PER_DAY = 86_400_000;

export interface ScoredAssessment {
  at: Date;
  /** Total score on the course's primary instrument. */
  score: number;
  /** Item answers keyed by item id (optional; needed for the suicidality change). */
  items?: Readonly<Record<string, number>>;
}

export interface InductionSession {
  /** Start of the session (infusion or dosing start). */
  startedAt: Date;
  /** Anchor for the rapid-response windows (end of infusion); defaults to startedAt. */
  anchorAt?: Date;
}

export interface RelapseDefinition {
  /**
   * 'loss-of-response': the fall from baseline is below the response threshold again (ORKA-1's
   * "still responding" durability measure). 'score-at-or-above': the total reaches `threshold`.
   */
  criterion: 'loss-of-response' | 'score-at-or-above';
  /** Required for 'score-at-or-above'. */
  threshold?: number;
  /** Consecutive qualifying assessments needed (≥ 1); the relapse date is the first of them. */
  consecutive: number;
  source: string;
  status: SourceStatus | 'clinic';
}

/** Default: loss of response on one assessment (ORKA-1 durability, clinical-protocols.md §2.8). */
export const DEFAULT_RELAPSE_DEFINITION: RelapseDefinition = {
  criterion: 'loss-of-response',
  consecutive: 1,
  source:
    'ORKA-1 (McInnes 2022): durability = "still responding" (≥50% below baseline) at 4 and 8 weeks; clinical-protocols.md §2.8, §4.2',
  status: 'S',
};

/**
 * How long after the start of the last induction session an assessment still counts as the end of
 * induction: a clinic setting; 7 days is an engineering default (ORKA-1 measured at 14–31 days from
 * the start of a 7–28-day induction, which pins no exact window).
 */
export const DEFAULT_END_OF_INDUCTION_WINDOW_DAYS = 7;

export interface CourseOutcomeSettings {
  minimumFallPercent?: number;
  remissionThresholds?: Partial<Record<InstrumentId, RemissionThreshold>>;
  endOfInductionWindowDays?: number;
  rapidWindows?: { post4h: RapidWindow; post24h: RapidWindow };
  relapse?: RelapseDefinition;
}

export interface CourseOutcomeInput {
  instrument: InstrumentId | string;
  /** The induction sessions of the course (order not required; at least one). */
  inductionSessions: readonly InductionSession[];
  /** Every assessment on the primary instrument for the patient (order not required). */
  assessments: readonly ScoredAssessment[];
  /**
   * When follow-up without maintenance ends (first maintenance or re-induction session, or the
   * analysis date); relapse observation is censored here. Null = no end other than the data.
   */
  followUpEndsAt?: Date | null;
  settings?: CourseOutcomeSettings;
}

export interface SuicidalityChange {
  itemId: string;
  baseline: number;
  endOfInduction: number;
  change: number;
  /** Baseline item ≥ 1 (ORKA-1 "baseline SI" = PHQ-9 item 9 ≥ 1). */
  baselinePositive: boolean;
  decreased: boolean;
  increased: boolean;
}

export interface RelapseOutcome {
  /** Days from the start of the last induction session to relapse or censoring. */
  days: number;
  relapsed: boolean;
  at: Date;
  definition: RelapseDefinition;
}

export interface CourseOutcome {
  instrument: InstrumentId;
  firstInductionAt: Date;
  lastInductionAt: Date;
  baseline: ScoredAssessment | null;
  endOfInduction: ScoredAssessment | null;
  /** Null when baseline or end-of-induction is missing, or baseline = 0 (not evaluable). */
  response: ResponseResult | null;
  remission: RemissionResult | null;
  /** Rapid response after the first induction session (+4 h, +24 h), null without a baseline. */
  rapid: { post4h: RapidPoint; post24h: RapidPoint } | null;
  suicidality: SuicidalityChange | null;
  /** Only for responders at the end of induction (durability is measured among responders). */
  relapse: RelapseOutcome | null;
}

function time(field: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new ClinicalInputError(field, 'must be a valid date-time');
  return t;
}

export function checkRelapseDefinition(def: RelapseDefinition): void {
  if (def.criterion !== 'loss-of-response' && def.criterion !== 'score-at-or-above') {
    throw new ClinicalInputError('relapse.criterion', `unknown criterion ${String(def.criterion)}`);
  }
  if (!Number.isInteger(def.consecutive) || def.consecutive < 1 || def.consecutive > 10) {
    throw new ClinicalInputError(
      'relapse.consecutive',
      `must be a whole number 1–10, got ${def.consecutive}`,
    );
  }
  if (def.criterion === 'score-at-or-above') {
    if (typeof def.threshold !== 'number' || !Number.isFinite(def.threshold) || def.threshold < 0) {
      throw new ClinicalInputError(
        'relapse.threshold',
        'a score threshold ≥ 0 is required for score-at-or-above',
      );
    }
  }
  if (!def.source || def.source.trim() === '') {
    throw new ClinicalInputError('relapse.source', 'state where the relapse definition comes from');
  }
}

/** Outcomes of one course. Throws ClinicalInputError on malformed input; missing data gives nulls. */
export function courseOutcome(input: CourseOutcomeInput): CourseOutcome {
  const def = getInstrument(input.instrument);
  const s = input.settings ?? {};
  const minimumFallPercent = s.minimumFallPercent ?? DEFAULT_RESPONSE_MIN_FALL_PERCENT;
  const windowDays = s.endOfInductionWindowDays ?? DEFAULT_END_OF_INDUCTION_WINDOW_DAYS;
  if (!Number.isFinite(windowDays) || windowDays <= 0 || windowDays > 90) {
    throw new ClinicalInputError('endOfInductionWindowDays', `must be > 0 and ≤ 90, got ${windowDays}`);
  }
  const relapseDef = s.relapse ?? DEFAULT_RELAPSE_DEFINITION;
  checkRelapseDefinition(relapseDef);
  if (input.inductionSessions.length === 0) {
    throw new ClinicalInputError('inductionSessions', 'a course needs at least one induction session');
  }
  const sessions = input.inductionSessions
    .map((x, i) => ({ ...x, t: time(`inductionSessions.${i}.startedAt`, x.startedAt) }))
    .sort((a, b) => a.t - b.t);
  const scores = input.assessments
    .map((a, i) => {
      const t = time(`assessments.${i}.at`, a.at);
      if (typeof a.score !== 'number' || !Number.isFinite(a.score) || a.score < 0) {
        throw new ClinicalInputError(
          `assessments.${i}.score`,
          `must be a finite score ≥ 0, got ${String(a.score)}`,
        );
      }
      return { a, t };
    })
    .sort((x, y) => x.t - y.t);
  const followEnd = input.followUpEndsAt ? time('followUpEndsAt', input.followUpEndsAt) : Infinity;

  const first = sessions[0]!;
  const last = sessions[sessions.length - 1]!;
  // End of induction: the latest assessment after the start of the last session, within the window.
  const windowEnd = last.t + windowDays * MS_PER_DAY;
  const endRow =
    [...scores].reverse().find((x) => x.t > last.t && x.t <= Math.min(windowEnd, followEnd)) ?? null;

  const baseline = baselineAssessment(input.assessments, first.startedAt);
  const endOfInduction = endRow?.a ?? null;
  const response =
    baseline && endOfInduction && baseline.score > 0
      ? assessResponse(baseline.score, endOfInduction.score, minimumFallPercent)
      : null;
  const remission = endOfInduction
    ? assessRemission(def.id, endOfInduction.score, s.remissionThresholds ?? {})
    : null;

  let rapid: CourseOutcome['rapid'] = null;
  if (baseline) {
    rapid = rapidResponse({
      sessionAt: first.anchorAt ?? first.startedAt,
      preSessionScore: baseline.score,
      observations: scores.filter((x) => x.t > first.t).map((x) => ({ at: x.a.at, score: x.a.score })),
      windows: s.rapidWindows,
      minimumFallPercent,
      remissionThreshold: remission?.threshold,
    });
  }

  let suicidality: SuicidalityChange | null = null;
  const siItem = def.items.find((it) => it.suicideItem && it.scored);
  if (siItem && baseline?.items && endOfInduction?.items) {
    const b = baseline.items[siItem.id];
    const e = endOfInduction.items[siItem.id];
    if (typeof b === 'number' && typeof e === 'number') {
      suicidality = {
        itemId: siItem.id,
        baseline: b,
        endOfInduction: e,
        change: e - b,
        baselinePositive: b >= 1,
        decreased: e < b,
        increased: e > b,
      };
    }
  }

  let relapse: RelapseOutcome | null = null;
  if (response?.response && endRow && baseline) {
    const meets = (score: number): boolean =>
      relapseDef.criterion === 'loss-of-response'
        ? !assessResponse(baseline.score, score, minimumFallPercent).response
        : score >= relapseDef.threshold!;
    const follow = scores.filter((x) => x.t > endRow.t && x.t <= followEnd);
    let run = 0;
    let relapseRow: (typeof follow)[number] | null = null;
    for (let i = 0; i < follow.length; i++) {
      run = meets(follow[i]!.a.score) ? run + 1 : 0;
      if (run >= relapseDef.consecutive) {
        relapseRow = follow[i - relapseDef.consecutive + 1]!;
        break;
      }
    }
    if (relapseRow) {
      relapse = {
        days: (relapseRow.t - last.t) / MS_PER_DAY,
        relapsed: true,
        at: relapseRow.a.at,
        definition: relapseDef,
      };
    } else {
      // Censored at the last assessment that showed the patient still well (or at the end of an
      // unfinished run, the last assessment before it).
      let lastWell = endRow;
      for (const x of follow) if (!meets(x.a.score)) lastWell = x;
      relapse = {
        days: (lastWell.t - last.t) / MS_PER_DAY,
        relapsed: false,
        at: lastWell.a.at,
        definition: relapseDef,
      };
    }
  }

  return {
    instrument: def.id,
    firstInductionAt: first.startedAt,
    lastInductionAt: last.startedAt,
    baseline,
    endOfInduction,
    response,
    remission,
    rapid,
    suicidality,
    relapse,
  };
}
