/**
 * Allergies: what substance an entry names, the chart's allergy state, and the check a dose plan
 * (and later an order) runs against ketamine and esketamine. Sources and status:
 * docs/clinical-sources/record.md.
 */
import { ClinicalInputError } from '../errors';
import { lookupMedication } from '../medication-dictionary';
import type { AllergyStatus } from '../vocabulary/clinical-record';
import type { Modality } from '../vocabulary/modalities';

/** The drugs Rein doses: racemic ketamine (IV) and esketamine (intranasal). */
export const TREATMENT_DRUGS = ['ketamine', 'esketamine'] as const;
export type TreatmentDrug = (typeof TREATMENT_DRUGS)[number];

export const TREATMENT_DRUG_OF_MODALITY: Readonly<Record<Modality, TreatmentDrug>> = {
  'iv-ketamine': 'ketamine',
  esketamine: 'esketamine',
};

/** The treatment drugs are not in the medication dictionary (nobody takes them at home). */
const TREATMENT_DRUG_NAMES: ReadonlyMap<string, TreatmentDrug> = new Map([
  ['ketamine', 'ketamine'],
  ['ketalar', 'ketamine'],
  ['esketamine', 'esketamine'],
  ['spravato', 'esketamine'],
]);

/**
 * The substance an allergy names: a generic name when the name matches exactly one drug (the
 * dictionary or the treatment drugs), otherwise free text, flagged so that the record shows it was
 * not matched and no check can rely on it silently.
 */
export function resolveAllergySubstance(name: string): { generic: string | null; freeText: boolean } {
  const found = new Set<string>(lookupMedication(name).map((e) => e.generic));
  for (const w of name.toLowerCase().split(/[^a-z0-9]+/)) {
    const drug = TREATMENT_DRUG_NAMES.get(w);
    if (drug) found.add(drug);
  }
  if (found.size === 1) return { generic: [...found][0]!, freeText: false };
  return { generic: null, freeText: true };
}

/**
 * Allergies that rule out each treatment drug. Esketamine: the Spravato label's contraindication
 * names hypersensitivity to esketamine or ketamine. Racemic ketamine is half esketamine, so the
 * same pair rules it out (the clinic applies the Spravato contraindication to IV ketamine, as the
 * eligibility screening does). No other cross-reactivity class is claimed: no source states one.
 */
const RULED_OUT_BY: Readonly<Record<TreatmentDrug, readonly TreatmentDrug[]>> = {
  esketamine: ['esketamine', 'ketamine'],
  ketamine: ['ketamine', 'esketamine'],
};

export const ALLERGY_CONFLICT_SOURCE =
  'Spravato US PI §4 (contraindicated with hypersensitivity to esketamine, ketamine or any excipient) [V]; applied to IV racemic ketamine as clinic policy';

export interface AllergyForCheck {
  id: string;
  substance: string;
  status: AllergyStatus;
  reaction?: string | null;
}

export interface AllergyConflict {
  allergyId: string;
  substance: string;
  drug: TreatmentDrug;
  reason: string;
  source: string;
}

/**
 * The active allergies that forbid giving `drug`, each with the reason. Inactive, resolved and
 * entered-in-error entries never conflict. Free-text substances are matched by their words too,
 * so "ketamine (agitation)" conflicts though it is not a coded entry.
 */
export function allergyConflicts(
  allergies: readonly AllergyForCheck[],
  drug: TreatmentDrug,
): AllergyConflict[] {
  const forbidden = RULED_OUT_BY[drug];
  return allergies.flatMap((a) => {
    if (a.status !== 'active') return [];
    const names = a.substance.toLowerCase().split(/[^a-z0-9]+/);
    const hit = forbidden.find((f) => names.some((w) => TREATMENT_DRUG_NAMES.get(w) === f));
    if (!hit) return [];
    const reaction = a.reaction ? ` (${a.reaction})` : '';
    return [
      {
        allergyId: a.id,
        substance: a.substance,
        drug,
        reason: `active allergy to ${a.substance}${reaction}: ${drug} is contraindicated`,
        source: ALLERGY_CONFLICT_SOURCE,
      },
    ];
  });
}

/**
 * Why a dose of `drug` must be refused, naming each conflicting allergy and the rule; null when
 * nothing on the list rules it out.
 */
export function allergyRefusal(allergies: readonly AllergyForCheck[], drug: TreatmentDrug): string | null {
  const conflicts = allergyConflicts(allergies, drug);
  if (conflicts.length === 0) return null;
  return `${conflicts.map((c) => c.reason).join('; ')} (${ALLERGY_CONFLICT_SOURCE})`;
}

export interface NoKnownAllergiesStatement {
  recordedBy: string;
  recordedAt: Date;
}

export interface AllergyForState {
  status: AllergyStatus;
  recordedAt: Date;
}

export type AllergyState =
  | { kind: 'unknown' }
  | { kind: 'no-known-allergies'; recordedBy: string; recordedAt: Date }
  | { kind: 'list'; activeCount: number };

/**
 * The chart's allergy state. Never asked is `unknown`, not an empty list; "no known allergies" is
 * a statement someone recorded and holds until an allergy is recorded after it; any active allergy
 * makes it a `list`. Entries marked entered in error count for nothing.
 */
export function allergyState(
  allergies: readonly AllergyForState[],
  statement: NoKnownAllergiesStatement | null,
): AllergyState {
  const counted = allergies.filter((a) => a.status !== 'entered-in-error');
  const activeCount = counted.filter((a) => a.status === 'active').length;
  if (activeCount > 0) return { kind: 'list', activeCount };
  if (statement && counted.every((a) => a.recordedAt.getTime() <= statement.recordedAt.getTime())) {
    return { kind: 'no-known-allergies', recordedBy: statement.recordedBy, recordedAt: statement.recordedAt };
  }
  return counted.length > 0 ? { kind: 'list', activeCount: 0 } : { kind: 'unknown' };
}

/** "No known allergies" cannot be stated over an active allergy: it must be closed first. */
export function decideNoKnownAllergies(allergies: readonly AllergyForState[]): void {
  const active = allergies.filter((a) => a.status === 'active').length;
  if (active > 0) {
    throw new ClinicalInputError(
      'noKnownAllergies',
      `the patient has ${active} active ${active === 1 ? 'allergy' : 'allergies'} on record; mark ${active === 1 ? 'it' : 'them'} inactive, resolved or entered in error first`,
    );
  }
}
