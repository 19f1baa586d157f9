/**
 * Types shared by the instrument definitions, the scorer, outcome rules and schedules.
 * Definitions are plain data (JSON-serialisable) so the server can return them as they are.
 */

export { INSTRUMENT_IDS, type InstrumentId } from '../vocabulary/instruments';
import type { InstrumentId } from '../vocabulary/instruments';

/** Who fills the instrument in. */
export type Rater = 'patient' | 'clinician';

/**
 * Reference status tags (../shared/reference/README.md): V verified against the primary source,
 * S secondary source only, U unverified.
 */
export type SourceStatus = 'V' | 'S' | 'U';

export interface LoincCode {
  code: string;
  status: SourceStatus;
}

export interface AnswerOption {
  /** The number the manual scores for this answer. */
  value: number;
  /** Short label (for example "Several days" or "2"). */
  label: string;
  /** Full answer text, only where the instrument is free to reproduce (or from a licensed overlay). */
  text?: string;
  loinc?: LoincCode;
}

export interface ItemDefinition {
  /** Stable id within the instrument, e.g. "1" … "9", "q6-recent". Used as the answer key. */
  id: string;
  /** Short label in our own words; always present. */
  label: string;
  /** Item wording, only where the instrument is free to reproduce (or from a licensed overlay). */
  text?: string;
  options: AnswerOption[];
  loinc?: LoincCode;
  /** False for items that are recorded but never scored (PHQ-9 difficulty item). */
  scored: boolean;
  /** False for items a respondent may leave blank (unscored items). */
  required: boolean;
  /** True for the item(s) that track suicidal ideation or behaviour on their own. */
  suicideItem: boolean;
  /** Subjective / observer part, for CADSS. */
  part?: 'subjective' | 'observer';
  /**
   * Skip logic: the item is asked only when the named earlier item has this answer (C-SSRS Q3–Q5
   * only after Q2 yes). The scorer enforces it and the FHIR Questionnaire exports it as enableWhen.
   */
  askedWhen?: { itemId: string; value: number };
}

export type LicenceStatus = 'free-to-reproduce' | 'licence-required' | 'unknown';

export interface LicenceInfo {
  status: LicenceStatus;
  /** Whether Rein ships item wording for this instrument. */
  itemTextShipped: boolean;
  note: string;
  source: string;
  sourceStatus: SourceStatus;
}

export interface SeverityBand {
  label: string;
  /** Inclusive lower bound of the total. */
  min: number;
  /** Inclusive upper bound of the total. */
  max: number;
}

export interface InstrumentDefinition {
  id: InstrumentId;
  version: string;
  title: string;
  rater: Rater;
  recallPeriod: { days: number | null; description: string };
  /** Instruction shown above the items, only where free to reproduce. */
  stem?: string;
  items: ItemDefinition[];
  loinc: { panel?: LoincCode; total?: LoincCode; riskLevel?: LoincCode };
  licence: LicenceInfo;
  /** Range of the total score; null where the instrument has no total (C-SSRS screener). */
  totalRange: { min: number; max: number } | null;
  /** Default severity bands (configurable per clinic through ScoringOptions). */
  severityBands?: SeverityBand[];
  /** Where the scoring rule comes from. */
  scoringSource: string;
  /** Parameters of this definition that the reference marks unverified ([U]). */
  unverified: string[];
}

export type CssrsRisk = 'none' | 'low' | 'moderate' | 'high';

export type ScoreFlag = 'suicidality' | 'positive-screen';

export interface ItemScore {
  id: string;
  value: number | null;
}

export interface DomainScore {
  id: string;
  label: string;
  itemIds: string[];
  score: number;
}

export interface ScoreResult {
  instrument: InstrumentId;
  version: string;
  rater: Rater;
  /** Null for the C-SSRS screener, which is read by highest item endorsed, not summed. */
  total: number | null;
  totalRange: { min: number; max: number } | null;
  severity?: string;
  risk?: CssrsRisk;
  flags: ScoreFlag[];
  items: ItemScore[];
  /** QIDS-SR16 domain scores (each the highest of its items). */
  domains?: DomainScore[];
  /** Unverified ([U]) parameters this result depends on; shown to the user, never hidden. */
  unverified: string[];
}

/** Answers either in item order (null for a skipped item) or keyed by item id. */
export type AnswersInput = readonly (number | null)[] | Readonly<Record<string, number | null | undefined>>;

export interface ScoringOptions {
  /** Per-clinic severity bands replacing the defaults; must cover the total range without gaps. */
  severityBands?: Partial<Record<InstrumentId, SeverityBand[]>>;
  /**
   * Highest score of one CADSS item. The reference gives 0–4 per item as unverified [U], so it is a
   * setting; changing it changes the accepted range and the total range.
   */
  cadssItemMaxScore?: number;
  /** PHQ-2 positive-screen cut-off (default 3, reference §1.2). */
  phq2PositiveCutoff?: number;
}
