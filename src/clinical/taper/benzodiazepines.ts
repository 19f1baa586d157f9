import { ClinicalInputError } from '../errors';
import type { EvidenceStatus, TaperSourceId } from './sources';

/**
 * Benzodiazepine (and Z-drug) equivalence tables: approximate oral doses equal to a stated dose of
 * diazepam (tapering.md §2.2). Tables genuinely disagree (e.g. alprazolam 0.5 mg ≈ diazepam 5 mg in
 * WHO 2009 but ≈ diazepam 10 mg in Ashton), so every result names the table it used.
 */
export type EquivalenceTableId = 'ashton' | 'va-dod' | 'nhs-scotland' | 'who-2009';

export interface EquivalenceTable {
  readonly id: EquivalenceTableId;
  readonly name: string;
  /** The diazepam dose (mg) the table's column is equivalent to. */
  readonly diazepamMg: number;
  /** drug → [low, high] mg equivalent to `diazepamMg` of diazepam (low = high when a single value). */
  readonly equivalentMg: Readonly<Record<string, readonly [number, number]>>;
  readonly status: EvidenceStatus;
  readonly source: TaperSourceId;
  readonly citation: string;
}

const one = (mg: number): readonly [number, number] => [mg, mg];

/** Default table: the Ashton column of ASAM 2025 Table 7 [V] (ASAM's footnote: matches benzo.org.uk rev. 2007). */
export const DEFAULT_EQUIVALENCE_TABLE: EquivalenceTableId = 'ashton';

export const EQUIVALENCE_TABLES: Readonly<Record<EquivalenceTableId, EquivalenceTable>> = {
  ashton: {
    id: 'ashton',
    name: 'Ashton Manual 2002 (ASAM 2025 Table 7), per diazepam 10 mg',
    diazepamMg: 10,
    equivalentMg: {
      alprazolam: one(0.5),
      chlordiazepoxide: one(25),
      clonazepam: one(0.5),
      clorazepate: one(15),
      diazepam: one(10),
      estazolam: [1, 2],
      flurazepam: [15, 30],
      lorazepam: one(1),
      oxazepam: one(20),
      quazepam: one(20),
      temazepam: one(20),
      triazolam: one(0.5),
    },
    status: 'V',
    source: 'asam2025Table7',
    citation: 'ASAM 2025 Joint Guideline Table 7, Ashton Manual 2002 column [V]',
  },
  'va-dod': {
    id: 'va-dod',
    name: 'VA/DoD SUD CPG 2021 (ASAM 2025 Table 7), per diazepam 10 mg',
    diazepamMg: 10,
    equivalentMg: {
      alprazolam: one(1),
      chlordiazepoxide: one(25),
      clonazepam: one(1),
      clorazepate: one(15),
      diazepam: one(10),
      estazolam: one(1),
      flurazepam: one(15),
      lorazepam: one(2),
      oxazepam: one(30),
      quazepam: one(10),
      temazepam: one(15),
      triazolam: one(0.25),
    },
    status: 'V',
    source: 'asam2025Table7',
    citation: 'ASAM 2025 Joint Guideline Table 7, VA/DoD SUD CPG 2021 column [V]',
  },
  'nhs-scotland': {
    id: 'nhs-scotland',
    name: 'NHS Scotland (rightdecisions.scot.nhs.uk), per diazepam 5 mg',
    diazepamMg: 5,
    equivalentMg: {
      chlordiazepoxide: one(12.5),
      clobazam: one(10),
      clonazepam: one(0.25),
      diazepam: one(5),
      loprazolam: [0.5, 1],
      lorazepam: one(0.5),
      lormetazepam: [0.5, 1],
      oxazepam: one(10),
      nitrazepam: one(5),
      temazepam: one(10),
      zolpidem: one(10),
      zopiclone: one(7.5),
    },
    status: 'V',
    source: 'nhsScotland',
    citation: 'NHS Scotland benzodiazepine equivalence, rightdecisions.scot.nhs.uk [V]',
  },
  'who-2009': {
    id: 'who-2009',
    name: 'WHO 2009 closed-settings guideline (NBK310652 Table 8), per diazepam 5 mg',
    diazepamMg: 5,
    equivalentMg: {
      alprazolam: one(0.5),
      bromazepam: one(3),
      clobazam: one(10),
      diazepam: one(5),
      flunitrazepam: one(1),
      lorazepam: one(0.5),
      lormetazepam: one(0.75),
      nitrazepam: one(5),
      oxazepam: one(15),
      midazolam: one(2.5),
      temazepam: one(10),
      triazolam: one(0.25),
    },
    status: 'V',
    source: 'who2009',
    citation:
      'WHO 2009 Clinical guidelines for withdrawal management in closed settings, NBK310652 Table 8 [V]',
  },
};

/** Every drug named in any equivalence table (lower case). */
export const BENZODIAZEPINE_LIKE_DRUGS: readonly string[] = [
  ...new Set(Object.values(EQUIVALENCE_TABLES).flatMap((t) => Object.keys(t.equivalentMg))),
].sort();

export function isBenzodiazepineLike(drug: string): boolean {
  return BENZODIAZEPINE_LIKE_DRUGS.includes(drug.trim().toLowerCase());
}

export interface MedicationDose {
  /** Generic name, any case (e.g. "Lorazepam"). */
  readonly drug: string;
  /** Total daily dose in mg. */
  readonly doseMgPerDay: number;
}

export interface DiazepamEquivalentItem {
  readonly drug: string;
  readonly doseMgPerDay: number;
  readonly lowMgPerDay: number;
  readonly highMgPerDay: number;
}

export interface DiazepamEquivalentResult {
  readonly table: EquivalenceTableId;
  readonly tableName: string;
  readonly tableStatus: EvidenceStatus;
  readonly citation: string;
  /** Lower and upper totals; they differ only where the table gives a range (e.g. Ashton estazolam 1–2 mg). */
  readonly lowMgPerDay: number;
  readonly highMgPerDay: number;
  readonly items: readonly DiazepamEquivalentItem[];
  /** Benzodiazepine-like drugs on the list that this table does not cover: the totals exclude them. */
  readonly notInTable: readonly string[];
  /** Medicines that are not benzodiazepine-like (ignored). */
  readonly ignored: readonly string[];
}

/**
 * Total diazepam-equivalent mg/day for a medication list (any medicines; non-benzodiazepines are
 * listed in `ignored`). DE = dose × diazepamMg / equivalentMg, per the chosen table.
 * Used for the ketamine interaction flag (> 8 mg/day DE, Andrashko 2020) and ASAM dose bands.
 */
export function diazepamEquivalentMgPerDay(
  meds: readonly MedicationDose[],
  opts: { table?: EquivalenceTableId } = {},
): DiazepamEquivalentResult {
  const tableId = opts.table ?? DEFAULT_EQUIVALENCE_TABLE;
  const table = EQUIVALENCE_TABLES[tableId];
  if (!table) {
    throw new ClinicalInputError('table', `unknown equivalence table "${String(tableId)}"`);
  }
  const items: DiazepamEquivalentItem[] = [];
  const notInTable: string[] = [];
  const ignored: string[] = [];
  meds.forEach((med, i) => {
    const drug = med.drug.trim().toLowerCase();
    if (!Number.isFinite(med.doseMgPerDay) || med.doseMgPerDay < 0) {
      throw new ClinicalInputError(
        `meds[${i}].doseMgPerDay`,
        `dose must be a finite number ≥ 0, got ${med.doseMgPerDay}`,
      );
    }
    const eq = table.equivalentMg[drug];
    if (eq) {
      // A larger equivalent dose means a weaker drug: the high equivalent gives the low DE.
      items.push({
        drug,
        doseMgPerDay: med.doseMgPerDay,
        lowMgPerDay: (med.doseMgPerDay * table.diazepamMg) / eq[1],
        highMgPerDay: (med.doseMgPerDay * table.diazepamMg) / eq[0],
      });
    } else if (isBenzodiazepineLike(drug)) {
      notInTable.push(drug);
    } else {
      ignored.push(drug);
    }
  });
  return {
    table: table.id,
    tableName: table.name,
    tableStatus: table.status,
    citation: table.citation,
    lowMgPerDay: items.reduce((s, x) => s + x.lowMgPerDay, 0),
    highMgPerDay: items.reduce((s, x) => s + x.highMgPerDay, 0),
    items,
    notInTable,
    ignored,
  };
}

/** Andrashko 2020 ROC cut-off: > 8 mg/day diazepam-equivalent separated ketamine non-responders [V]. */
export const KETAMINE_BZD_THRESHOLD_MG_DE = 8;

export type BzdKetamineLevel = 'above' | 'possibly-above' | 'not-above';

export interface BzdKetamineFlag {
  readonly level: BzdKetamineLevel;
  readonly thresholdMgPerDay: number;
  readonly equivalent: DiazepamEquivalentResult;
  readonly ruleId: 'ketamine-bzd-de-gt-8';
  readonly citation: string;
}

/**
 * Flags a benzodiazepine load above the Andrashko 2020 cut-off. `above` when even the low total
 * exceeds the threshold; `possibly-above` when only the high total does or a benzodiazepine is
 * missing from the table; else `not-above`.
 */
export function bzdKetamineFlag(
  meds: readonly MedicationDose[],
  opts: { table?: EquivalenceTableId; thresholdMgPerDay?: number } = {},
): BzdKetamineFlag {
  const thresholdMgPerDay = opts.thresholdMgPerDay ?? KETAMINE_BZD_THRESHOLD_MG_DE;
  if (!Number.isFinite(thresholdMgPerDay) || thresholdMgPerDay < 0) {
    throw new ClinicalInputError(
      'thresholdMgPerDay',
      `threshold must be ≥ 0 mg/day, got ${thresholdMgPerDay}`,
    );
  }
  const equivalent = diazepamEquivalentMgPerDay(meds, opts);
  const level: BzdKetamineLevel =
    equivalent.lowMgPerDay > thresholdMgPerDay
      ? 'above'
      : equivalent.highMgPerDay > thresholdMgPerDay || equivalent.notInTable.length > 0
        ? 'possibly-above'
        : 'not-above';
  return {
    level,
    thresholdMgPerDay,
    equivalent,
    ruleId: 'ketamine-bzd-de-gt-8',
    citation:
      'Andrashko 2020, Front Psychiatry 11:844, doi:10.3389/fpsyt.2020.00844 (>8 mg DE: sensitivity 80 %, specificity 85 %) [V]',
  };
}
