/**
 * Assessment rows exactly as src/store/assessments.ts writes them: scored by the clinical core
 * (scoreInstrument, or scorePartial for an item asked alone), item rows for the items the score
 * returned, suicide items with `positive`, version 1 with root_id = id, and the alert that
 * recordAssessment would raise in the same transaction.
 */
import {
  getInstrument,
  isSuicideItemPositive,
  scoreInstrument,
  type InstrumentId,
  type ScoreResult,
} from '../clinical/instruments';
import { alertFor, scorePartial } from '../clinical/instruments/recording';
import type { AssessmentContext as AssessmentContextValue } from '../clinical/instruments';
import type { AlertInsert, ItemAnswerInsert, ResponseInsert } from '../app/demo';
import { type Rand, clampInt, seededUuidv7 } from './random';

export type { AlertInsert, ItemAnswerInsert, ResponseInsert };

export interface AssessmentSink {
  assessmentResponses: ResponseInsert[];
  assessmentItemAnswers: ItemAnswerInsert[];
  alerts: AlertInsert[];
}

/** Relative weight with which each PHQ-9 item (1–8) carries the total; item 9 is set on its own. */
const PHQ9_ITEM_WEIGHTS = [1.3, 1.4, 1.3, 1.4, 1.0, 1.0, 1.1, 0.6];

/**
 * Integer answers 0–3 for `count` items summing to `total` (clamped to what the items can hold),
 * the points placed one at a time on items chosen by weight.
 */
export function distribute(rand: Rand, total: number, count: number, weights?: readonly number[]): number[] {
  const values = new Array<number>(count).fill(0);
  let left = Math.max(0, Math.min(total, 3 * count));
  while (left > 0) {
    let sum = 0;
    for (let i = 0; i < count; i++) if (values[i]! < 3) sum += weights?.[i] ?? 1;
    let r = rand() * sum;
    let chosen = -1;
    for (let i = 0; i < count; i++) {
      if (values[i]! >= 3) continue;
      chosen = i;
      r -= weights?.[i] ?? 1;
      if (r < 0) break;
    }
    values[chosen] = values[chosen]! + 1;
    left--;
  }
  return values;
}

/** PHQ-9 answers for a latent total and item-9 value (item 9 ≤ total; items 1–8 carry the rest). */
export function phq9Answers(rand: Rand, total: number, item9: number): Record<string, number> {
  const t = clampInt(total, 0, 27);
  const i9 = Math.max(Math.min(item9, 3, t), t - 24, 0);
  const rest = distribute(rand, t - i9, 8, PHQ9_ITEM_WEIGHTS);
  const answers: Record<string, number> = {};
  rest.forEach((v, i) => (answers[String(i + 1)] = v));
  answers['9'] = i9;
  // The unscored difficulty item follows the burden of symptoms, with some spread.
  answers.difficulty = clampInt(t / 7 + (rand() - 0.5) * 1.2, 0, 3);
  return answers;
}

export function gad7Answers(rand: Rand, total: number): Record<string, number> {
  const answers: Record<string, number> = {};
  distribute(rand, clampInt(total, 0, 21), 7).forEach((v, i) => (answers[String(i + 1)] = v));
  return answers;
}

export interface AssessmentMeta {
  clinicId: string;
  patientId: string;
  instrument: InstrumentId;
  context: AssessmentContextValue;
  sessionId: string | null;
  administeredAt: Date;
  /** When it was entered (≥ administeredAt). */
  createdAt: Date;
  enteredBy: string;
  /** Only these items were asked (suicide items alone). */
  itemIds?: string[];
}

export interface AlertAcknowledgement {
  at: Date;
  by: string;
  note: string;
  action: NonNullable<AlertInsert['actionTaken']>;
}

/** Scores the answers with the clinical core and appends the rows the store would write. */
export function addAssessment(
  sink: AssessmentSink,
  ids: Rand,
  meta: AssessmentMeta,
  answers: Record<string, number>,
  acknowledge: (createdAt: Date) => AlertAcknowledgement | null,
): ScoreResult {
  const def = getInstrument(meta.instrument);
  const score = meta.itemIds
    ? scorePartial(meta.instrument, answers, meta.itemIds)
    : scoreInstrument(meta.instrument, answers);
  const id = seededUuidv7(ids, meta.createdAt);
  const response: ResponseInsert = {
    clinicId: meta.clinicId,
    id,
    patientId: meta.patientId,
    instrument: def.id,
    instrumentVersion: def.version,
    context: meta.context,
    sessionId: meta.sessionId,
    administeredAt: meta.administeredAt,
    respondent: def.rater === 'clinician' ? 'clinician' : 'patient',
    enteredBy: meta.enteredBy,
    portalLinkId: null,
    totalScore: score.total,
    severity: score.severity ?? null,
    cssrsRisk: score.risk ?? null,
    flags: score.flags,
    partialItemIds: meta.itemIds ?? null,
    suicidality: score.flags.includes('suicidality'),
    version: 1,
    rootId: id,
    supersedesId: null,
    correctionReason: null,
    createdAt: meta.createdAt,
  };
  sink.assessmentResponses.push(response);
  for (const item of def.items) {
    const scored = score.items.find((s) => s.id === item.id);
    if (!scored) continue;
    const value = scored.value ?? null;
    sink.assessmentItemAnswers.push({
      clinicId: meta.clinicId,
      id: seededUuidv7(ids, meta.createdAt),
      responseId: id,
      patientId: meta.patientId,
      itemId: item.id,
      value,
      suicideItem: item.suicideItem,
      positive: item.suicideItem && value !== null ? isSuicideItemPositive(def.id, item.id, value) : null,
    });
  }
  const needed = alertFor(score);
  if (needed) {
    const ack = acknowledge(meta.createdAt);
    sink.alerts.push({
      clinicId: meta.clinicId,
      id: seededUuidv7(ids, meta.createdAt),
      patientId: meta.patientId,
      responseId: id,
      kind: needed.kind,
      reason: needed.reason,
      createdAt: meta.createdAt,
      acknowledgedAt: ack?.at ?? null,
      acknowledgedBy: ack?.by ?? null,
      acknowledgementNote: ack?.note ?? null,
      actionTaken: ack?.action ?? null,
    });
  }
  return score;
}
