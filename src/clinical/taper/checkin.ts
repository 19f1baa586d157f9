import { ClinicalInputError } from '../errors';
import { dateFromDayNumber, dayNumber } from '../calendar';

/**
 * A free, short weekly withdrawal check-in. It is NOT the DESS: the DESS item list is proprietary
 * to the trial sponsors and its licence is unverified (tapering.md §3.1), and the DAWSS item list
 * is not in the reference. The items below are plain-language symptom groups taken from ASAM 2025
 * Table 3 (withdrawal signs by domain) [V] and from the DAWSS examples the reference names
 * (electric-shock sensations, dizziness, akathisia/restlessness, vertigo, vomiting) [V]. It is a
 * structure for monitoring, not a validated scale, and has no cut-off score.
 */
export type Severity = 0 | 1 | 2 | 3; // none, mild, moderate, severe

export interface CheckInItem {
  readonly id: string;
  readonly text: string;
  readonly domain: string;
  /** Any report of this item needs a clinician now (ASAM 2025 Table 3: seizures, delirium, psychosis, suicidality). */
  readonly redFlag: boolean;
  readonly source: string;
}

const ASAM_T3 = 'ASAM 2025 Joint Guideline Table 3 [V]';
const DAWSS = 'DAWSS example items, Moncrieff, Read & Horowitz 2024, J Affect Disord Rep 16:100765 [V]';

const item = (id: string, text: string, domain: string, source: string, redFlag = false): CheckInItem => ({
  id,
  text,
  domain,
  redFlag,
  source,
});

export const CHECK_IN_ITEMS: readonly CheckInItem[] = [
  item('anxiety', 'Anxiety, panic or feeling on edge', 'affective', ASAM_T3),
  item('mood', 'Low mood or irritability', 'affective', ASAM_T3),
  item('sleep', 'Trouble sleeping, sleeping too much, or nightmares', 'sleep', ASAM_T3),
  item('dizziness', 'Dizziness or a spinning feeling (vertigo)', 'neurological', DAWSS),
  item('shocks', 'Electric-shock sensations ("brain zaps")', 'neurological', DAWSS),
  item(
    'restlessness',
    'Inner restlessness, unable to sit still (akathisia)',
    'neuropsychiatric',
    `${DAWSS}; ${ASAM_T3}`,
  ),
  item('senses', 'Tingling, ringing in the ears, or senses feeling too sharp', 'neurological', ASAM_T3),
  item('gut', 'Nausea, vomiting, cramps or diarrhoea', 'gastrointestinal', `${ASAM_T3}; ${DAWSS}`),
  item(
    'body',
    'Sweating, headache, fast or pounding heartbeat, chest pain',
    'general/cardiovascular',
    ASAM_T3,
  ),
  item('muscles', 'Tremor, twitches or muscle pain', 'neuromuscular', ASAM_T3),
  item('unreal', 'Feeling unreal or detached from yourself or surroundings', 'neuropsychiatric', ASAM_T3),
  item('thinking', 'Trouble concentrating or thinking clearly', 'neurological', ASAM_T3),
  item('confusion', 'Confusion or not knowing where you are', 'neurological', ASAM_T3, true),
  item('seizure', 'A fit or seizure', 'neurological', ASAM_T3, true),
  item('perception', 'Seeing or hearing things others do not', 'neuropsychiatric', ASAM_T3, true),
  item('suicidal', 'Thoughts of ending your life or harming yourself', 'neuropsychiatric', ASAM_T3, true),
];

export interface WithdrawalCheckIn {
  /** ISO date of the check-in. */
  readonly date: string;
  /** Item id → severity 0–3; items left out count as 0. */
  readonly answers: Readonly<Record<string, Severity>>;
  /** The patient's own answer: "Are your symptoms tolerable enough to carry on?" (NICE NG222 1.4.17 wording: "resolved or are tolerable"). */
  readonly tolerable: boolean;
  readonly note?: string;
}

export function validateCheckIn(c: WithdrawalCheckIn, field = 'checkIn'): void {
  dayNumber(c.date, `${field}.date`);
  for (const [id, sev] of Object.entries(c.answers)) {
    if (!CHECK_IN_ITEMS.some((i) => i.id === id)) {
      throw new ClinicalInputError(`${field}.answers.${id}`, `unknown check-in item "${id}"`);
    }
    if (![0, 1, 2, 3].includes(sev)) {
      throw new ClinicalInputError(
        `${field}.answers.${id}`,
        `severity must be 0, 1, 2 or 3, got ${String(sev)}`,
      );
    }
  }
  if (typeof c.tolerable !== 'boolean') {
    throw new ClinicalInputError(`${field}.tolerable`, 'must be true or false');
  }
}

/** Sum of severities: used only to compare a patient with their own previous check-in. */
export function checkInBurden(c: WithdrawalCheckIn): number {
  return Object.values(c.answers).reduce<number>((s, v) => s + v, 0);
}

/** What a prescriber may decide at a check-in: go on, hold the dose, or go back a step. */
import { TAPER_DECISIONS, type TaperDecision } from '../vocabulary/tapers';
export { TAPER_DECISIONS, type TaperDecision };

export interface DecisionSuggestion {
  readonly decision: TaperDecision;
  readonly ruleId: string;
  readonly citation: string;
  readonly reasons: readonly string[];
  /** A clinician should review now (red-flag symptom). */
  readonly urgentReview: boolean;
  /** Check-in the suggestion is based on (ISO date), if any. */
  readonly basedOn: string | null;
}

export interface DecisionState {
  /** ISO date the suggestion is for (no clock: the caller passes it). */
  readonly today: string;
  /** ISO date of the most recent dose change (reduction, restart or step-back). */
  readonly lastChangeDate: string;
  /** Longest gap (days) between the latest check-in and `today` for a reduction to go ahead. Default 7 (weekly check-in, product default [D]). */
  readonly maxCheckInAgeDays?: number;
}

export const DECISION_RULES = {
  redFlag: {
    id: 'red-flag-urgent-review',
    citation:
      'ASAM 2025 Table 3 (delirium, seizures, psychosis, suicidality) and monitoring at each reduction [V]; NICE NG222 1.4.22 [V]',
  },
  severe: {
    id: 'nice-1.4.22-restart-previous-dose',
    citation:
      'NICE NG222 1.4.22: more severe symptoms — restart at the previous dose, then taper more slowly with smaller decrements once symptoms resolve [V]; ASAM 2025: rarely return temporarily to the prior dose [V]',
  },
  moderate: {
    id: 'asam-slow-or-pause',
    citation:
      'ASAM 2025: if significant signs or symptoms emerge, slow or pause the taper [V]; NICE NG222 1.4.17 [V]',
  },
  worsening: {
    id: 'nice-1.4.21-not-improving',
    citation:
      'NICE NG222 1.4.21: mild symptoms — monitor; contact the prescriber if not improving or getting worse [V]',
  },
  noCheckIn: {
    id: 'nice-1.4.17-check-before-reducing',
    citation:
      'NICE NG222 1.4.17: reduce only when withdrawal symptoms have resolved or are tolerable [V]; weekly check-in cadence is a product default [D]',
  },
  continue: {
    id: 'nice-1.4.17-tolerable-continue',
    citation:
      'NICE NG222 1.4.17 and 1.4.21: symptoms resolved, or mild and not worsening — monitor and continue [V]',
  },
} as const;

/**
 * Suggests whether the next planned reduction should go ahead. Pure: history + plan state in,
 * suggestion with rule id and citation out. The prescriber decides; see `recordTaperDecision`.
 * Rules, first match wins: red flag → hold + urgent review; any severe item or "not tolerable" →
 * step back to the previous dose; any moderate item → hold; mild symptoms worse than the previous
 * check-in → hold; no check-in within the last week → hold; otherwise continue.
 */
export function suggestTaperDecision(
  history: readonly WithdrawalCheckIn[],
  state: DecisionState,
): DecisionSuggestion {
  const today = dayNumber(state.today, 'today');
  const lastChange = dayNumber(state.lastChangeDate, 'lastChangeDate');
  if (lastChange > today) throw new ClinicalInputError('lastChangeDate', 'is after today');
  const maxAge = state.maxCheckInAgeDays ?? 7; // weekly check-in [D]
  if (!Number.isInteger(maxAge) || maxAge < 1 || maxAge > 28) {
    throw new ClinicalInputError(
      'maxCheckInAgeDays',
      `must be a whole number of days from 1 to 28, got ${maxAge}`,
    );
  }
  history.forEach((c, i) => validateCheckIn(c, `history[${i}]`));
  const sorted = [...history]
    .map((c) => ({ c, day: dayNumber(c.date, 'date') }))
    .filter((x) => x.day <= today)
    .sort((a, b) => a.day - b.day);
  const latest = sorted.at(-1);
  const previous = sorted.at(-2);
  const make = (
    decision: TaperDecision,
    rule: { id: string; citation: string },
    reasons: string[],
    urgentReview = false,
  ): DecisionSuggestion => ({
    decision,
    ruleId: rule.id,
    citation: rule.citation,
    reasons,
    urgentReview,
    basedOn: latest ? dateFromDayNumber(latest.day) : null,
  });

  if (!latest || today - latest.day > maxAge || latest.day < lastChange) {
    return make('hold', DECISION_RULES.noCheckIn, [
      latest
        ? `latest check-in ${dateFromDayNumber(latest.day)} is older than ${maxAge} days or before the last dose change`
        : 'no check-in recorded',
    ]);
  }
  const answers = latest.c.answers;
  const named = (pred: (sev: number) => boolean) =>
    CHECK_IN_ITEMS.filter((i) => pred(answers[i.id] ?? 0)).map((i) => i.id);
  const red = CHECK_IN_ITEMS.filter((i) => i.redFlag && (answers[i.id] ?? 0) > 0).map((i) => i.id);
  if (red.length > 0) {
    return make(
      'hold',
      DECISION_RULES.redFlag,
      [`red-flag symptom(s): ${red.join(', ')} — clinician review now; no further reduction`],
      true,
    );
  }
  const severe = named((s) => s === 3);
  if (severe.length > 0 || !latest.c.tolerable) {
    return make('step-back', DECISION_RULES.severe, [
      severe.length > 0 ? `severe: ${severe.join(', ')}` : 'patient reports symptoms are not tolerable',
      'after restarting, symptoms may take a few days to go (NICE NG222 1.4.20)',
    ]);
  }
  const moderate = named((s) => s === 2);
  if (moderate.length > 0) {
    return make('hold', DECISION_RULES.moderate, [`moderate: ${moderate.join(', ')}`]);
  }
  if (previous && checkInBurden(latest.c) > checkInBurden(previous.c) && checkInBurden(latest.c) > 0) {
    return make('hold', DECISION_RULES.worsening, [
      `mild symptoms worse than on ${dateFromDayNumber(previous.day)} (${checkInBurden(previous.c)} → ${checkInBurden(latest.c)})`,
    ]);
  }
  const mild = named((s) => s === 1);
  return make('continue', DECISION_RULES.continue, [
    mild.length > 0 ? `mild and not worsening: ${mild.join(', ')}` : 'no withdrawal symptoms reported',
  ]);
}

export interface TaperDecisionRecord {
  readonly date: string;
  readonly suggested: DecisionSuggestion;
  readonly decision: TaperDecision;
  /** User id (or name) of the prescriber who decided. */
  readonly decidedBy: string;
  readonly reason: string;
  readonly overridesSuggestion: boolean;
}

/** Validates a prescriber's decision: who and why are required; overriding a suggestion needs a reason. */
export function recordTaperDecision(input: {
  date: string;
  suggested: DecisionSuggestion;
  decision: TaperDecision;
  decidedBy: string;
  reason: string;
}): TaperDecisionRecord {
  dayNumber(input.date, 'date');
  if (!['continue', 'hold', 'step-back'].includes(input.decision)) {
    throw new ClinicalInputError(
      'decision',
      `must be continue, hold or step-back, got "${String(input.decision)}"`,
    );
  }
  if (input.decidedBy.trim() === '') throw new ClinicalInputError('decidedBy', 'who decided is required');
  if (input.reason.trim() === '')
    throw new ClinicalInputError('reason', 'the reason for the decision is required');
  return {
    date: input.date,
    suggested: input.suggested,
    decision: input.decision,
    decidedBy: input.decidedBy.trim(),
    reason: input.reason.trim(),
    overridesSuggestion: input.decision !== input.suggested.decision,
  };
}
