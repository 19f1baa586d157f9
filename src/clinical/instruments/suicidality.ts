/**
 * Suicidality: which responses need help at once, and in what order the clinic's alerts are read.
 *
 * - A response is positive when any suicide item is endorsed (PHQ-9 item 9 > 0; any C-SSRS
 *   screener item yes) or the C-SSRS screener reads moderate or high risk (reference
 *   instruments.md §1.1 and §1.7 [V]; the screener "triggers immediate referral … and patient
 *   safety precautions" at moderate/high [V]).
 * - Alerts are read highest risk first, then newest: a C-SSRS high-risk response before a moderate
 *   one, both before a bare positive item. A new alert is never queued behind older ones.
 * - A patient who answers positively on the portal sees the clinic's crisis resources at once.
 */
import type { CssrsRisk, ScoreResult } from './types';

/** The alert tiers, highest risk first. */
export const SUICIDALITY_TIERS = ['high', 'moderate', 'positive-item'] as const;
export type SuicidalityTier = (typeof SUICIDALITY_TIERS)[number];

/** True when the response needs a clinician's attention and the patient needs crisis resources now. */
export function isSuicidalityPositive(score: Pick<ScoreResult, 'flags' | 'risk'>): boolean {
  return score.flags.includes('suicidality') || score.risk === 'moderate' || score.risk === 'high';
}

/** The tier of an alert raised by a response with this C-SSRS risk (null for other instruments). */
export function suicidalityTier(cssrsRisk: CssrsRisk | null | undefined): SuicidalityTier {
  if (cssrsRisk === 'high') return 'high';
  if (cssrsRisk === 'moderate') return 'moderate';
  return 'positive-item';
}

/** 0 = read first. */
export function suicidalityTierRank(tier: SuicidalityTier): number {
  return SUICIDALITY_TIERS.indexOf(tier);
}

/**
 * Crisis resources shown to a patient who answers positively, as a clinic setting. The defaults
 * are those of the United States; a clinic elsewhere replaces them. The clinic's own phone has no
 * default: until the clinic enters it, the patient sees the crisis line and emergency number only.
 */
export interface CrisisResources {
  /** The clinic's phone for patients ('' = not set). */
  clinicPhone: string;
  crisisLineName: string;
  /** What to dial. */
  crisisLinePhone: string;
  /** Where to send a text message ('' = none). */
  crisisLineText: string;
  /** Chat or information web address ('' = none). */
  crisisLineUrl: string;
  emergencyNumber: string;
}

/**
 * US defaults: the 988 Suicide & Crisis Lifeline (call or text 988, chat at 988lifeline.org; FCC
 * designation, live since 16 July 2022) and 911 for immediate danger. Sources and status in
 * docs/clinical-sources/instruments.md ("Crisis resources").
 */
export const DEFAULT_CRISIS_RESOURCES: CrisisResources = {
  clinicPhone: '',
  crisisLineName: '988 Suicide & Crisis Lifeline',
  crisisLinePhone: '988',
  crisisLineText: '988',
  crisisLineUrl: 'https://988lifeline.org',
  emergencyNumber: '911',
};
