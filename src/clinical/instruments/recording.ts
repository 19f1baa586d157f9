/**
 * The rules for recording one assessment response: which scoring applies (the whole instrument or
 * suicide items asked alone), who may record it, when, and whether it raises a suicidality alert.
 * Pure: the application layer loads, calls these, then persists what they decide.
 */
import { ClinicalInputError } from '../errors';
import { getInstrument } from './registry';
import { isSuicideItemPositive, scoreInstrument } from './score';
import { isSuicidalityPositive } from './suicidality';
import type { AnswersInput, CssrsRisk, InstrumentId, ScoreResult } from './types';

/**
 * Scores a response against the definition version the form showed. A mismatch is refused so
 * answers are never scored against items the patient did not see.
 */
export function scoreResponse(
  instrument: InstrumentId,
  version: string,
  answers: AnswersInput,
  itemIds: string[] | undefined,
): ScoreResult {
  const def = getInstrument(instrument);
  if (version !== def.version) {
    throw new ClinicalInputError(
      'version',
      `the form showed ${def.id} version ${version}, but this server scores version ${def.version}; reload the form`,
    );
  }
  if (itemIds === undefined) return scoreInstrument(instrument, answers);
  return scorePartial(instrument, answers, itemIds);
}

/**
 * A partial response: suicide items asked on their own (the schedule's "PHQ-9 item 9 at +4 h").
 * Only suicide items may be asked alone — a total or severity from a subset would be meaningless —
 * and each answer is range-checked by the core (isSuicideItemPositive names the item).
 */
export function scorePartial(
  instrument: InstrumentId,
  answers: AnswersInput,
  itemIds: string[],
): ScoreResult {
  const def = getInstrument(instrument);
  if (itemIds.length === 0 || new Set(itemIds).size !== itemIds.length) {
    throw new ClinicalInputError('itemIds', 'list each item asked once');
  }
  if (Array.isArray(answers)) {
    throw new ClinicalInputError(
      'answers',
      'send the answers keyed by item id when only some items were asked',
    );
  }
  const keyed = answers as Readonly<Record<string, number | null | undefined>>;
  for (const key of Object.keys(keyed)) {
    if (!itemIds.includes(key)) throw new ClinicalInputError(`item ${key}`, `item ${key} was not asked`);
  }
  const items = itemIds.map((itemId) => {
    const item = def.items.find((i) => i.id === itemId);
    if (!item) throw new ClinicalInputError('itemIds', `${def.id} has no item "${itemId}"`);
    if (!item.suicideItem) {
      throw new ClinicalInputError(
        'itemIds',
        `only suicide items may be asked alone; item ${itemId} is not one`,
      );
    }
    const value = keyed[itemId];
    if (value === undefined || value === null) throw new ClinicalInputError(`item ${itemId}`, 'is required');
    return { id: itemId, value, positive: isSuicideItemPositive(def.id, itemId, value) };
  });
  return {
    instrument: def.id,
    version: def.version,
    rater: def.rater,
    total: null,
    totalRange: def.totalRange,
    flags: items.some((i) => i.positive) ? ['suicidality'] : [],
    items: items.map(({ id, value }) => ({ id, value })),
    unverified: [...def.unverified],
  };
}

/** A response may be dated this far ahead of the server clock (devices drift); later is refused. */
export const ADMINISTERED_AT_MAX_AHEAD_MS = 5 * 60_000;

/**
 * Who may record a response and when: a clinician-rated instrument never comes through the
 * patient portal, and a response is never dated in the future.
 */
export function assertRecordable(input: {
  instrument: InstrumentId;
  viaPortal: boolean;
  administeredAt: Date;
  now: Date;
}): void {
  const def = getInstrument(input.instrument);
  if (input.viaPortal && def.rater === 'clinician') {
    throw new ClinicalInputError('instrument', `${def.title} is rated by a clinician, not self-reported`);
  }
  if (input.administeredAt.getTime() > input.now.getTime() + ADMINISTERED_AT_MAX_AHEAD_MS) {
    throw new ClinicalInputError('administeredAt', 'must not be in the future');
  }
}

/** The two kinds of suicidality alert: C-SSRS moderate/high risk, or a positive suicide item. */
export type SuicidalityAlertKind = 'suicidality' | 'cssrs-risk';

/** Why a scored response needs an alert, or null. C-SSRS moderate/high risk outranks a bare flag. */
export function alertFor(score: ScoreResult): { kind: SuicidalityAlertKind; reason: string } | null {
  if (!isSuicidalityPositive(score)) return null;
  const def = getInstrument(score.instrument);
  const positives = def.items
    .filter((i) => i.suicideItem)
    .map((i) => ({ item: i, value: score.items.find((a) => a.id === i.id)?.value ?? null }))
    .filter((a) => a.value !== null && a.value >= 1);
  const itemText = positives.map((p) => `item ${p.item.id} = ${p.value}`).join(', ');
  if (score.risk === 'moderate' || score.risk === 'high') {
    return {
      kind: 'cssrs-risk',
      reason: `${def.title}: ${score.risk} risk${itemText ? ` (${itemText})` : ''}`,
    };
  }
  return { kind: 'suicidality', reason: `${def.title}: ${itemText || 'suicidality item positive'}` };
}

/**
 * The alert a new version of a response raises. A correction of a response that already raised an
 * alert raises none (the clinician is already acting on it); any other positive response raises one.
 */
export function newAlertFor(
  score: ScoreResult,
  previous: { suicidality: boolean; cssrsRisk: CssrsRisk | string | null } | null,
): { kind: SuicidalityAlertKind; reason: string } | null {
  const needed = alertFor(score);
  const previousRaised = previous
    ? previous.suicidality || previous.cssrsRisk === 'moderate' || previous.cssrsRisk === 'high'
    : false;
  return needed && !previousRaised ? needed : null;
}

/** Who gave the answers: the patient (self-report, on the portal or on paper) or a clinician rater. */
export const RATERS = ['patient', 'clinician'] as const;

/** Every kind of suicidality alert, for schemas and checks. */
export const SUICIDALITY_ALERT_KINDS = [
  'suicidality',
  'cssrs-risk',
] as const satisfies readonly SuicidalityAlertKind[];
