/**
 * The problem list: a diagnosis is an ICD-10-CM code from the clinic's cited subset, or free text
 * flagged as uncoded. Sources: docs/clinical-sources/record.md.
 */
import { ClinicalInputError } from '../errors';
import { ICD10CM_SUBSET, type Icd10cmCode } from '../vocabulary/clinical-record';

const BY_CODE: ReadonlyMap<string, Icd10cmCode> = new Map(ICD10CM_SUBSET.map((c) => [c.code, c]));

export function icd10cmEntry(code: string): Icd10cmCode | null {
  return BY_CODE.get(code) ?? null;
}

export interface ResolvedDiagnosis {
  icd10cmCode: string | null;
  /** The code's title, or the clinician's words for an uncoded diagnosis. */
  description: string;
  /** True when no code of the subset was chosen: the entry is the clinician's words only. */
  freeText: boolean;
}

/**
 * A diagnosis as it is written to the list. A code takes its title from the subset (a description
 * typed beside it is ignored, so a code never carries a contradicting label); without a code the
 * description is required and the entry is flagged free text.
 */
export function resolveDiagnosis(input: {
  icd10cmCode?: string | null | undefined;
  description?: string | null | undefined;
}): ResolvedDiagnosis {
  if (input.icd10cmCode) {
    const entry = icd10cmEntry(input.icd10cmCode);
    if (!entry) {
      throw new ClinicalInputError(
        'icd10cmCode',
        'must be a code of the clinic’s ICD-10-CM list (or record the diagnosis as free text)',
      );
    }
    return { icd10cmCode: entry.code, description: entry.title, freeText: false };
  }
  const text = input.description?.trim() ?? '';
  if (text.length === 0) {
    throw new ClinicalInputError('description', 'choose a code or describe the diagnosis');
  }
  return { icd10cmCode: null, description: text, freeText: true };
}
