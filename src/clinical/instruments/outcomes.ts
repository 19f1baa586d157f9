import { ClinicalInputError } from '../errors';
import { getInstrument } from './registry';
import type { InstrumentId, SourceStatus } from './types';

/**
 * Outcome rules over total scores: response, remission, reliable change and rapid response after a
 * session. All the instruments here score higher = worse, so improvement is a fall.
 */

/** Response = ≥50% fall from baseline on the primary scale (reference instruments.md §1.6 [V]; all trials). */
export const DEFAULT_RESPONSE_MIN_FALL_PERCENT = 50;

export interface RemissionThreshold {
  comparator: '<' | '<=';
  value: number;
  source: string;
  status: SourceStatus;
}

/**
 * Default remission thresholds; every clinic may override them (reference §1.6: thresholds
 * configurable per clinic).
 */
export const DEFAULT_REMISSION_THRESHOLDS: Partial<Record<InstrumentId, RemissionThreshold>> = {
  // PHQ-9 < 5: ORKA-1, SUSTAIN-3 (reference §1.1, §1.6 [V]).
  phq9: {
    comparator: '<',
    value: 5,
    source: 'ORKA-1; SUSTAIN-3 (reference instruments.md §1.1, §1.6)',
    status: 'V',
  },
  // QIDS-SR16 ≤ 5: STAR*D convention (reference §1.4, §1.6 [S]).
  'qids-sr16': {
    comparator: '<=',
    value: 5,
    source: 'STAR*D convention (reference instruments.md §1.4, §1.6)',
    status: 'S',
  },
  // MADRS ≤ 10: KetECT (reference §1.5 [V]).
  madrs: { comparator: '<=', value: 10, source: 'KetECT (reference instruments.md §1.5)', status: 'V' },
};

/** The MADRS remission thresholds the sources use; a clinic picks one (reference §1.5 [V]). */
export const MADRS_REMISSION_OPTIONS: Record<
  'ketect-le10' | 'esketamine-le12' | 'hawley-lt10',
  RemissionThreshold
> = {
  'ketect-le10': {
    comparator: '<=',
    value: 10,
    source: 'KetECT (reference instruments.md §1.5)',
    status: 'V',
  },
  'esketamine-le12': {
    comparator: '<=',
    value: 12,
    source: 'Esketamine programme, SUSTAIN-3 table (reference instruments.md §1.5)',
    status: 'V',
  },
  'hawley-lt10': {
    comparator: '<',
    value: 10,
    source:
      'Hawley 2002, J Affect Disord: "MADRS <10 … valid target for remission" (reference instruments.md §1.5)',
    status: 'V',
  },
};

function checkScore(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ClinicalInputError(field, `must be a finite score ≥ 0, got ${String(value)}`);
  }
}

function checkPercent(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0 || value > 100) {
    throw new ClinicalInputError(field, `must be an integer percentage 1–100, got ${String(value)}`);
  }
}

export interface ResponseResult {
  baselineScore: number;
  currentScore: number;
  fallPoints: number;
  /** Fall as a percentage of baseline (negative when the score rose). */
  fallPercent: number;
  minimumFallPercent: number;
  response: boolean;
}

/** Response: fall from baseline ≥ minimumFallPercent of baseline (default 50 %). */
export function assessResponse(
  baselineScore: number,
  currentScore: number,
  minimumFallPercent: number = DEFAULT_RESPONSE_MIN_FALL_PERCENT,
): ResponseResult {
  checkScore('baselineScore', baselineScore);
  checkScore('currentScore', currentScore);
  checkPercent('minimumFallPercent', minimumFallPercent);
  if (baselineScore === 0) {
    throw new ClinicalInputError(
      'baselineScore',
      'a baseline of 0 has no percentage fall; response is undefined',
    );
  }
  const fallPoints = baselineScore - currentScore;
  return {
    baselineScore,
    currentScore,
    fallPoints,
    fallPercent: (fallPoints / baselineScore) * 100,
    minimumFallPercent,
    // Compared in integers-times-100 so 50 % of an odd baseline is never rounded.
    response: fallPoints * 100 >= minimumFallPercent * baselineScore,
  };
}

export interface RemissionResult {
  score: number;
  threshold: RemissionThreshold;
  remission: boolean;
}

/** Remission against the clinic's threshold for the instrument, or the cited default. */
export function assessRemission(
  instrument: InstrumentId | string,
  score: number,
  thresholds: Partial<Record<InstrumentId, RemissionThreshold>> = {},
): RemissionResult {
  const def = getInstrument(instrument);
  checkScore('score', score);
  const threshold = thresholds[def.id] ?? DEFAULT_REMISSION_THRESHOLDS[def.id];
  if (!threshold) {
    throw new ClinicalInputError(
      'remissionThreshold',
      `no remission threshold for ${def.id} in the reference; the clinic must configure one`,
    );
  }
  if (!Number.isFinite(threshold.value)) {
    throw new ClinicalInputError('remissionThreshold', `threshold for ${def.id} must be a number`);
  }
  const remission = threshold.comparator === '<' ? score < threshold.value : score <= threshold.value;
  return { score, threshold, remission };
}

export interface ReliableChangeSettings {
  /** Reliability coefficient of the instrument in the clinic's reference population, 0 < r < 1. */
  reliability: number;
  /** Standard deviation of baseline scores in that population, > 0. */
  baselineSd: number;
  /** Critical |RCI|; default 1.96, the two-sided 5 % point of the standard normal. */
  criterionZ?: number;
  /** Where the clinic's reliability and SD come from (shown with the result). */
  source: string;
}

export interface ReliableChangeResult {
  rci: number;
  standardErrorOfMeasurement: number;
  standardErrorOfDifference: number;
  criterionZ: number;
  classification: 'reliable-improvement' | 'reliable-deterioration' | 'no-reliable-change';
  source: string;
}

/**
 * Jacobson–Truax reliable change index (Jacobson NS, Truax P. J Consult Clin Psychol 1991;59:12–19;
 * formula not in the reference file, status S): RCI = (current − baseline) / S_diff, with
 * SE = SD·√(1 − r) and S_diff = √(2·SE²). The reference file gives no test–retest reliability or
 * normative SD for these scales, so both are required settings with no default.
 */
export function reliableChange(
  baselineScore: number,
  currentScore: number,
  settings: ReliableChangeSettings,
): ReliableChangeResult {
  checkScore('baselineScore', baselineScore);
  checkScore('currentScore', currentScore);
  const { reliability, baselineSd } = settings;
  const criterionZ = settings.criterionZ ?? 1.96;
  if (!Number.isFinite(reliability) || reliability <= 0 || reliability >= 1) {
    throw new ClinicalInputError('reliability', `must be between 0 and 1 (exclusive), got ${reliability}`);
  }
  if (!Number.isFinite(baselineSd) || baselineSd <= 0) {
    throw new ClinicalInputError('baselineSd', `must be a positive number, got ${baselineSd}`);
  }
  if (!Number.isFinite(criterionZ) || criterionZ <= 0) {
    throw new ClinicalInputError('criterionZ', `must be a positive number, got ${criterionZ}`);
  }
  if (!settings.source || settings.source.trim() === '') {
    throw new ClinicalInputError('source', 'state where the reliability and SD come from');
  }
  const sem = baselineSd * Math.sqrt(1 - reliability);
  const sDiff = Math.sqrt(2 * sem * sem);
  const rci = (currentScore - baselineScore) / sDiff;
  return {
    rci,
    standardErrorOfMeasurement: sem,
    standardErrorOfDifference: sDiff,
    criterionZ,
    classification:
      rci <= -criterionZ
        ? 'reliable-improvement'
        : rci >= criterionZ
          ? 'reliable-deterioration'
          : 'no-reliable-change',
    source: settings.source,
  };
}

export interface TimedScore {
  at: Date;
  score: number;
}

export interface RapidWindow {
  /** Target time after the session anchor, minutes (240 for +4 h, 1440 for +24 h). */
  offsetMin: number;
  /** How far either side of the target an observation still counts, minutes (clinic setting). */
  toleranceMin: number;
}

/**
 * Default windows. The +4 h and +24 h targets are product defaults (ketamine acts within hours and
 * suicidal thoughts fall by about four hours). The tolerances are clinic settings with an
 * engineering default and no published source.
 */
export const DEFAULT_RAPID_WINDOWS: { post4h: RapidWindow; post24h: RapidWindow } = {
  post4h: { offsetMin: 240, toleranceMin: 60 },
  post24h: { offsetMin: 1440, toleranceMin: 240 },
};

export interface RapidPoint {
  targetAt: Date;
  windowStart: Date;
  windowEnd: Date;
  /** The observation nearest the target within the window (earlier wins a tie), or null. */
  observed: (TimedScore & { minutesAfterSession: number }) | null;
  /** Null when nothing was observed or the pre-session score is 0 (no percentage fall). */
  response: ResponseResult | null;
  remission: boolean | null;
}

const MS_PER_MIN = 60_000;

function checkTime(field: string, at: Date): number {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new ClinicalInputError(field, 'must be a valid date-time');
  return t;
}

function checkWindow(field: string, w: RapidWindow): void {
  if (!Number.isFinite(w.offsetMin) || w.offsetMin <= 0) {
    throw new ClinicalInputError(
      `${field}.offsetMin`,
      `must be a positive number of minutes, got ${w.offsetMin}`,
    );
  }
  if (!Number.isFinite(w.toleranceMin) || w.toleranceMin < 0 || w.toleranceMin >= w.offsetMin) {
    throw new ClinicalInputError(
      `${field}.toleranceMin`,
      `must be ≥ 0 and less than the offset, got ${w.toleranceMin}`,
    );
  }
}

/**
 * Rapid response after one session: the score nearest +4 h and +24 h after `sessionAt` compared with
 * the pre-session score (≥ minimumFallPercent fall), and optionally against a remission threshold.
 * `sessionAt` is the anchor the clinic chooses (end of infusion by default in the schedule rules).
 */
export function rapidResponse(input: {
  sessionAt: Date;
  preSessionScore: number;
  observations: readonly TimedScore[];
  windows?: { post4h: RapidWindow; post24h: RapidWindow };
  minimumFallPercent?: number;
  remissionThreshold?: RemissionThreshold;
}): { post4h: RapidPoint; post24h: RapidPoint } {
  const anchor = checkTime('sessionAt', input.sessionAt);
  checkScore('preSessionScore', input.preSessionScore);
  const windows = input.windows ?? DEFAULT_RAPID_WINDOWS;
  checkWindow('windows.post4h', windows.post4h);
  checkWindow('windows.post24h', windows.post24h);
  const observations = input.observations.map((o, i) => {
    const t = checkTime(`observations.${i}.at`, o.at);
    checkScore(`observations.${i}.score`, o.score);
    return { ...o, t };
  });

  const point = (w: RapidWindow): RapidPoint => {
    const target = anchor + w.offsetMin * MS_PER_MIN;
    const start = target - w.toleranceMin * MS_PER_MIN;
    const end = target + w.toleranceMin * MS_PER_MIN;
    let best: (typeof observations)[number] | undefined;
    for (const o of observations) {
      if (o.t < start || o.t > end) continue;
      const d = Math.abs(o.t - target);
      if (!best || d < Math.abs(best.t - target) || (d === Math.abs(best.t - target) && o.t < best.t))
        best = o;
    }
    const observed = best
      ? { at: best.at, score: best.score, minutesAfterSession: (best.t - anchor) / MS_PER_MIN }
      : null;
    const response =
      observed && input.preSessionScore > 0
        ? assessResponse(input.preSessionScore, observed.score, input.minimumFallPercent)
        : null;
    let remission: boolean | null = null;
    if (observed && input.remissionThreshold) {
      const th = input.remissionThreshold;
      remission = th.comparator === '<' ? observed.score < th.value : observed.score <= th.value;
    }
    return {
      targetAt: new Date(target),
      windowStart: new Date(start),
      windowEnd: new Date(end),
      observed,
      response,
      remission,
    };
  };

  return { post4h: point(windows.post4h), post24h: point(windows.post24h) };
}

/**
 * A clinic's own remission thresholds (session settings, `outcomes.remissionThresholds`), labelled
 * as the clinic's choice with the cited default they replace.
 */
export function clinicRemissionThresholds(
  overrides: Partial<Record<string, { comparator: '<' | '<='; value: number }>>,
): Partial<Record<InstrumentId, RemissionThreshold>> {
  const out: Partial<Record<InstrumentId, RemissionThreshold>> = {};
  for (const [instrument, t] of Object.entries(overrides)) {
    if (!t) continue;
    const fallback = DEFAULT_REMISSION_THRESHOLDS[instrument as InstrumentId];
    out[instrument as InstrumentId] = {
      ...t,
      source: fallback
        ? `clinic setting (default ${fallback.comparator} ${fallback.value}: ${fallback.source})`
        : 'clinic setting (the reference gives no default)',
      status: 'U',
    };
  }
  return out;
}
