import { ClinicalInputError } from '../errors';
import { QIDS_DOMAINS } from './definitions/qids';
import { getInstrument } from './registry';
import type {
  AnswersInput,
  CssrsRisk,
  DomainScore,
  InstrumentDefinition,
  InstrumentId,
  ScoreFlag,
  ScoreResult,
  ScoringOptions,
  SeverityBand,
} from './types';

/** PHQ-2 positive screen at total ≥3 (reference instruments.md §1.2). */
export const PHQ2_DEFAULT_POSITIVE_CUTOFF = 3;

type Values = Map<string, number | null>;

function itemName(def: InstrumentDefinition, itemId: string): string {
  const item = def.items.find((i) => i.id === itemId);
  return item ? `${def.id} item ${itemId} (${item.label})` : `${def.id} item ${itemId}`;
}

/** Puts positional or keyed answers into one map keyed by item id; rejects unknown keys and extra values. */
function normalise(def: InstrumentDefinition, answers: AnswersInput): Values {
  const values: Values = new Map();
  if (Array.isArray(answers)) {
    const list = answers as readonly (number | null)[];
    const required = def.items.filter((i) => i.required).length;
    if (list.length < required || list.length > def.items.length) {
      const expected = required === def.items.length ? `${required}` : `${required}–${def.items.length}`;
      throw new ClinicalInputError(
        'answers',
        `${def.id} expects ${expected} answers in item order, got ${list.length}`,
      );
    }
    def.items.forEach((item, index) =>
      values.set(item.id, index < list.length ? (list[index] ?? null) : null),
    );
    return values;
  }
  const record = answers as Readonly<Record<string, number | null | undefined>>;
  for (const key of Object.keys(record)) {
    if (!def.items.some((i) => i.id === key)) {
      throw new ClinicalInputError(`item ${key}`, `${def.id} has no item "${key}"`);
    }
  }
  for (const item of def.items) values.set(item.id, record[item.id] ?? null);
  return values;
}

/**
 * Items the skip logic leaves out given the other answers: an item with `askedWhen` is skipped once
 * its controlling item is answered with anything else (C-SSRS: Q2 no → Q3–Q5; Q6 no → recency).
 */
function skippedItems(def: InstrumentDefinition, values: Values): Set<string> {
  const skipped = new Set<string>();
  for (const item of def.items) {
    if (!item.askedWhen) continue;
    const answer = values.get(item.askedWhen.itemId) ?? null;
    if (answer !== null && answer !== item.askedWhen.value) skipped.add(item.id);
  }
  return skipped;
}

/**
 * Items that may be left blank because a paired item is answered: the paper QIDS-SR16 asks for
 * either item 6 or 7 (appetite) and either 8 or 9 (weight); the domain takes the highest answered.
 */
function pairedOptional(def: InstrumentDefinition, values: Values): Set<string> {
  const optional = new Set<string>();
  if (def.id === 'qids-sr16') {
    for (const [a, b] of [
      ['6', '7'],
      ['8', '9'],
    ] as const) {
      if ((values.get(b) ?? null) !== null) optional.add(a);
      if ((values.get(a) ?? null) !== null) optional.add(b);
    }
  }
  return optional;
}

function validate(def: InstrumentDefinition, values: Values): void {
  const optional = pairedOptional(def, values);
  // Items that decide the skip logic (C-SSRS Q2, Q6) are checked before the items that depend on them.
  const order = [...def.items.filter((i) => !i.askedWhen), ...def.items.filter((i) => i.askedWhen)].map(
    (i) => i.id,
  );
  // Which items the skip logic leaves out depends on the answers alone; the first item checked is
  // checked before it applies.
  const skippedByAnswers = skippedItems(def, values);
  let skipped = new Set<string>();
  for (const id of order) {
    const item = def.items.find((i) => i.id === id);
    if (!item) continue;
    const value = values.get(id) ?? null;
    if (value === null) {
      if (item.required && !skipped.has(id) && !optional.has(id)) {
        throw new ClinicalInputError(`item ${id}`, `${itemName(def, id)}: answer missing`);
      }
    } else {
      if (skipped.has(id)) {
        throw new ClinicalInputError(
          `item ${id}`,
          `${itemName(def, id)}: must be skipped ("-") by the skip logic, got ${value}`,
        );
      }
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        !item.options.some((o) => o.value === value)
      ) {
        const allowed = item.options.map((o) => o.value).join(', ');
        throw new ClinicalInputError(
          `item ${id}`,
          `${itemName(def, id)}: answer ${String(value)} is not one of ${allowed}`,
        );
      }
    }
    skipped = skippedByAnswers;
  }
}

/**
 * Checks per-clinic bands: the default labels in order, integer, contiguous, covering exactly the
 * instrument's total range.
 */
export function validateSeverityBands(def: InstrumentDefinition, bands: readonly SeverityBand[]): void {
  const field = `severityBands.${def.id}`;
  const range = def.totalRange;
  if (!range) throw new ClinicalInputError(field, `${def.id} has no total score to band`);
  if (bands.length === 0) throw new ClinicalInputError(field, 'at least one band is required');
  // Labels are fixed; a clinic moves the cut points only.
  const labels = def.severityBands?.map((b) => b.label);
  if (labels && bands.map((b) => b.label).join('|') !== labels.join('|')) {
    throw new ClinicalInputError(
      field,
      `bands must keep the labels ${labels.join(', ')} in that order; only cut points change`,
    );
  }
  let expectedMin = range.min;
  for (const band of bands) {
    if (!Number.isInteger(band.min) || !Number.isInteger(band.max) || band.max < band.min) {
      throw new ClinicalInputError(field, `band "${band.label}" must have integer min ≤ max`);
    }
    if (band.min !== expectedMin) {
      throw new ClinicalInputError(
        field,
        `band "${band.label}" starts at ${band.min}, expected ${expectedMin} (no gaps or overlaps)`,
      );
    }
    expectedMin = band.max + 1;
  }
  if (expectedMin - 1 !== range.max) {
    throw new ClinicalInputError(field, `bands end at ${expectedMin - 1}, expected ${range.max}`);
  }
}

function severityFor(def: InstrumentDefinition, total: number, options: ScoringOptions): string | undefined {
  const custom = options.severityBands?.[def.id];
  if (custom) validateSeverityBands(def, custom);
  const bands = custom ?? def.severityBands;
  if (!bands) return undefined;
  return bands.find((b) => total >= b.min && total <= b.max)?.label;
}

/**
 * C-SSRS screener risk from the highest item endorsed and the recency of behaviour
 * (Clinical Triage Guidelines Using the C-SSRS; reference §1.7):
 *   Q4 or Q5 yes → high [V]; Q6 yes within the past 3 months → high [V];
 *   Q3 yes → moderate [S]; Q6 yes more than 3 months ago → moderate [S];
 *   Q1 or Q2 yes → low [S]; nothing endorsed → none.
 */
export function cssrsRisk(values: ReadonlyMap<string, number | null>): CssrsRisk {
  const yes = (id: string) => values.get(id) === 1;
  if (yes('q4') || yes('q5') || (yes('q6') && yes('q6-recent'))) return 'high';
  if (yes('q3') || yes('q6')) return 'moderate';
  if (yes('q1') || yes('q2')) return 'low';
  return 'none';
}

function qidsDomains(values: Values): DomainScore[] {
  // Each domain takes the highest item score within it (Rush 2003; reference §1.4 [V]).
  return QIDS_DOMAINS.map((d) => ({
    ...d,
    score: Math.max(...d.itemIds.map((id) => values.get(id) ?? 0)),
  }));
}

function sumScored(def: InstrumentDefinition, values: Values): number {
  return def.items.filter((i) => i.scored).reduce((acc, i) => acc + (values.get(i.id) ?? 0), 0);
}

/**
 * Scores one completed instrument exactly as its manual says. Throws ClinicalInputError naming the
 * item when an answer is missing, out of range, not an integer, or contradicts the skip logic.
 */
export function scoreInstrument(
  id: InstrumentId | string,
  answers: AnswersInput,
  options: ScoringOptions = {},
): ScoreResult {
  const def = getInstrument(id, options);
  const values = normalise(def, answers);
  validate(def, values);

  const flags: ScoreFlag[] = [];
  let total: number | null;
  let severity: string | undefined;
  let risk: CssrsRisk | undefined;
  let domains: DomainScore[] | undefined;

  switch (def.id) {
    case 'cssrs-screener': {
      total = null;
      risk = cssrsRisk(values);
      // Any C-SSRS item endorsed is a positive suicidality item.
      if (['q1', 'q2', 'q3', 'q4', 'q5', 'q6'].some((q) => values.get(q) === 1)) flags.push('suicidality');
      break;
    }
    case 'qids-sr16': {
      domains = qidsDomains(values);
      total = domains.reduce((acc, d) => acc + d.score, 0);
      severity = severityFor(def, total, options);
      break;
    }
    default: {
      total = sumScored(def, values);
      severity = severityFor(def, total, options);
    }
  }

  // Suicidality: PHQ-9 item 9 ≥ 1, QIDS item 12 ≥ 1, MADRS item 10 ≥ 1, SSI > 0
  // (PHQ-9 item 9 "any positive response" reference §1.1 [V]).
  if (def.id !== 'cssrs-screener' && def.items.some((i) => i.suicideItem && (values.get(i.id) ?? 0) >= 1)) {
    flags.push('suicidality');
  }
  if (def.id === 'phq2') {
    const cutoff = options.phq2PositiveCutoff ?? PHQ2_DEFAULT_POSITIVE_CUTOFF;
    if (!Number.isInteger(cutoff) || cutoff < 0 || cutoff > 6) {
      throw new ClinicalInputError('phq2PositiveCutoff', `must be an integer 0–6, got ${cutoff}`);
    }
    if (total !== null && total >= cutoff) flags.push('positive-screen');
  }

  // Key order follows the CLI contract: instrument, total, severity/risk, flags, items.
  const result: ScoreResult = {
    instrument: def.id,
    version: def.version,
    rater: def.rater,
    total,
    totalRange: def.totalRange,
    ...(severity !== undefined ? { severity } : {}),
    ...(risk !== undefined ? { risk } : {}),
    flags,
    items: def.items.map((i) => ({ id: i.id, value: values.get(i.id) ?? null })),
    ...(domains !== undefined ? { domains } : {}),
    unverified: [...def.unverified],
  };
  return result;
}

/**
 * Whether a single suicide item (for example PHQ-9 item 9 asked alone at +4 h) is positive.
 * Throws when the item is not a suicide item or the value is out of range.
 */
export function isSuicideItemPositive(id: InstrumentId | string, itemId: string, value: number): boolean {
  const def = getInstrument(id);
  const item = def.items.find((i) => i.id === itemId);
  if (!item) throw new ClinicalInputError(`item ${itemId}`, `${def.id} has no item "${itemId}"`);
  if (!item.suicideItem)
    throw new ClinicalInputError(`item ${itemId}`, `${itemName(def, itemId)} is not a suicide item`);
  if (!Number.isInteger(value) || !item.options.some((o) => o.value === value)) {
    throw new ClinicalInputError(
      `item ${itemId}`,
      `${itemName(def, itemId)}: answer ${value} is out of range`,
    );
  }
  return value >= 1;
}

/**
 * CADSS-6 from a full 23-item CADSS result: the short form is items 1, 2, 6, 7, 15, 22 of the
 * 23-item scale (Rodrigues NB et al. J Affect Disord 2021;282:160–164; reference §1.8 [V]).
 */
export function cadss6FromCadss(full: ScoreResult, options: ScoringOptions = {}): ScoreResult {
  if (full.instrument !== 'cadss') {
    throw new ClinicalInputError('instrument', `expected a cadss result, got ${full.instrument}`);
  }
  const byId = new Map(full.items.map((i) => [i.id, i.value]));
  const short = getInstrument('cadss6', options);
  return scoreInstrument(
    'cadss6',
    short.items.map((i) => byId.get(i.id) ?? null),
    options,
  );
}
