/**
 * Treatment resistance from the prior treatment trials on record: which trials count, which do not
 * and why, and the statement the chart shows. Definition and its status:
 * docs/clinical-sources/record.md.
 */
import { genericName } from '../medication-dictionary';
import { TRD_MIN_FAILED_TRIALS } from '../protocols/eligibility';
import type { TrialAdherence, TrialResponse, TrialStatus } from '../vocabulary/clinical-record';

export const TRD_DEFINITION = {
  text: `failure of at least ${TRD_MIN_FAILED_TRIALS} adequate treatments (adequate dose and duration) in the current episode`,
  source: 'Fava M et al., Mol Psychiatry 2018 (PMC6447473), TRD inclusion criterion',
  status: 'V',
  adequacy:
    'Adequate dose and adequate duration are marked by the prescriber for each trial: the references give no minimum dose per drug or minimum duration, so Rein does not compute them.',
} as const;

export interface TrialForRule {
  id: string;
  drug: string;
  currentEpisode: boolean;
  adequateDose: boolean | null;
  adequateDuration: boolean | null;
  adherence: TrialAdherence;
  response: TrialResponse;
  status: TrialStatus;
}

export interface TrialJudgement {
  trialId: string;
  drug: string;
  counts: boolean;
  /** Why it counts, or every reason it does not. */
  reasons: string[];
}

export interface TreatmentResistance {
  resistant: boolean;
  /** Adequate failed treatments in the current episode (distinct drugs). */
  adequateFailedTreatments: number;
  required: number;
  countingTrialIds: string[];
  judgements: TrialJudgement[];
  statement: string;
  definition: typeof TRD_DEFINITION;
}

const FAILED: readonly TrialResponse[] = ['none', 'partial'];

const RESPONSE_REASON: Partial<Record<TrialResponse, string>> = {
  response: 'the patient responded',
  remission: 'the patient remitted',
  'not-tolerated': 'stopped because it was not tolerated, not a failure to respond',
  unknown: 'the response is not known',
};

/** The reasons a trial is not an adequate failed trial in the current episode (empty: it is one). */
function shortfalls(t: TrialForRule): string[] {
  const r: string[] = [];
  if (!t.currentEpisode) r.push('not in the current episode');
  if (t.adequateDose === null) r.push('dose adequacy not marked');
  else if (!t.adequateDose) r.push('dose marked inadequate');
  if (t.adequateDuration === null) r.push('duration adequacy not marked');
  else if (!t.adequateDuration) r.push('duration marked inadequate');
  if (t.adherence === 'poor') r.push('poor adherence');
  if (!FAILED.includes(t.response)) r.push(RESPONSE_REASON[t.response] ?? `response ${t.response}`);
  return r;
}

/** One drug tried twice is one treatment: the definition counts treatments, not attempts. */
const drugKey = (drug: string) => genericName(drug) ?? drug.trim().toLowerCase();

/**
 * Judges every trial on record (entries marked entered in error are left out) and states whether
 * the patient meets the definition, naming the trials that count and why the others do not.
 */
export function treatmentResistance(trials: readonly TrialForRule[]): TreatmentResistance {
  const seen = new Set<string>();
  const judgements: TrialJudgement[] = trials
    .filter((t) => t.status !== 'entered-in-error')
    .map((t) => {
      const reasons = shortfalls(t);
      if (reasons.length > 0) return { trialId: t.id, drug: t.drug, counts: false, reasons };
      const key = drugKey(t.drug);
      if (seen.has(key)) {
        return {
          trialId: t.id,
          drug: t.drug,
          counts: false,
          reasons: ['the same drug as a trial already counted (one treatment)'],
        };
      }
      seen.add(key);
      return {
        trialId: t.id,
        drug: t.drug,
        counts: true,
        reasons: ['failed at a dose and duration marked adequate, in the current episode'],
      };
    });
  const counting = judgements.filter((j) => j.counts);
  const n = counting.length;
  const resistant = n >= TRD_MIN_FAILED_TRIALS;
  const names = counting.map((j) => j.drug).join(', ');
  const statement = resistant
    ? `Treatment-resistant: ${n} adequate trials failed in the current episode (${names}).`
    : `Not treatment-resistant on the record: ${n} of ${TRD_MIN_FAILED_TRIALS} adequate failed trials in the current episode${n > 0 ? ` (${names})` : ''}.`;
  return {
    resistant,
    adequateFailedTreatments: n,
    required: TRD_MIN_FAILED_TRIALS,
    countingTrialIds: counting.map((j) => j.trialId),
    judgements,
    statement,
    definition: TRD_DEFINITION,
  };
}
