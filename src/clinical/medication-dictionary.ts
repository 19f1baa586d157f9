import type { MedicationClass } from './medication-classes';
import { BENZODIAZEPINE_LIKE_DRUGS } from './taper/benzodiazepines';

/**
 * The built-in drug dictionary: from a medication's name (generic or brand) or RxNorm code to its
 * class tags, and for some drugs the highest labelled adult daily dose. Class tags derived here are
 * always applied; a clinician may add tags but cannot remove these. Sources and status of every
 * entry: docs/clinical-sources/medications.md.
 *
 * Benzodiazepines and Z-drugs come from the taper planner's equivalence tables (one list of which
 * drugs are benzodiazepine-like), so a drug the diazepam-equivalent total can count is always
 * tagged.
 */

export type DictionaryStatus = 'V' | 'S' | 'U' | 'D';

export interface MaxDailyDose {
  readonly mgPerDay: number;
  readonly status: DictionaryStatus;
  readonly source: string;
  readonly note?: string;
}

export interface DrugEntry {
  /** Generic name, lower case. */
  readonly generic: string;
  /** Brand names it is often recorded under, lower case. */
  readonly brands: readonly string[];
  readonly classTags: readonly MedicationClass[];
  /** RxNorm concept ids verified for this drug (only those we could check; most match by name). */
  readonly rxNormCodes: readonly string[];
  readonly maxDailyDose?: MaxDailyDose;
}

/** Non-benzodiazepine hypnotics in the equivalence tables: a REMS form field of their own. */
const Z_DRUGS: ReadonlySet<string> = new Set(['zolpidem', 'zopiclone']);

const BRANDS: Readonly<Record<string, readonly string[]>> = {
  alprazolam: ['xanax'],
  clonazepam: ['klonopin'],
  lorazepam: ['ativan'],
  diazepam: ['valium'],
};

/** RxNorm ids checked against ndclist.com (RxNorm SCD pages); every other drug matches by name. */
const RXNORM: Readonly<Record<string, readonly string[]>> = {
  // "Alprazolam 0.1 mg/ML Oral Solution", SCD.
  alprazolam: ['308049'],
};

const LABEL = (drug: string, where: string) => `${drug} US prescribing information, ${where}`;

/**
 * Highest labelled adult daily dose across US indications and forms (mg/day). Above it a
 * medication needs the clinician's confirmation; a taper cannot start above it.
 */
const MAX_DAILY_DOSE: Readonly<Record<string, MaxDailyDose>> = {
  sertraline: {
    mgPerDay: 200,
    status: 'S',
    source: LABEL('Zoloft', '§2 dosage (all adult indications 50–200 mg/day)'),
  },
  escitalopram: { mgPerDay: 20, status: 'S', source: LABEL('Lexapro', '§2 dosage (maximum 20 mg/day)') },
  citalopram: {
    mgPerDay: 40,
    status: 'S',
    source: 'FDA Drug Safety Communication on Celexa (Aug 2011, revised Mar 2012): no longer above 40 mg/day',
    note: '20 mg/day above age 60, with hepatic impairment or CYP2C19 poor metabolism',
  },
  fluoxetine: { mgPerDay: 80, status: 'S', source: LABEL('Prozac', '§2 dosage (not to exceed 80 mg/day)') },
  paroxetine: {
    mgPerDay: 75,
    status: 'S',
    source: LABEL('Paxil / Paxil CR', '§2 dosage (IR: 60 mg/day for OCD and panic; CR: 75 mg/day for panic)'),
    note: 'IR maximum is 60 mg/day (50 mg/day for depression)',
  },
  venlafaxine: {
    mgPerDay: 375,
    status: 'S',
    source: LABEL('Effexor / Effexor XR', '§2 dosage (375 mg/day in severe depression)'),
    note: 'ER maximum for outpatients 225 mg/day',
  },
  desvenlafaxine: {
    mgPerDay: 400,
    status: 'S',
    source: LABEL('Pristiq', '§2 dosage (doses of 10 to 400 mg per day were studied; 50 mg recommended)'),
    note: 'no added benefit above 50 mg/day; hepatic impairment at most 100 mg/day',
  },
  vortioxetine: {
    mgPerDay: 20,
    status: 'S',
    source: LABEL('Trintellix', '§2 dosage (start 10 mg, increase to 20 mg/day as tolerated)'),
    note: 'CYP2D6 poor metabolisers: 10 mg/day',
  },
  duloxetine: {
    mgPerDay: 120,
    status: 'S',
    source: LABEL('Cymbalta', 'highlights dosage table (120 mg/day)'),
  },
  alprazolam: {
    mgPerDay: 10,
    status: 'S',
    source: LABEL('Xanax', 'dosage (panic disorder: 1–10 mg daily in the controlled trials)'),
    note: 'anxiety: 4 mg/day',
  },
  lorazepam: {
    mgPerDay: 10,
    status: 'S',
    source: LABEL('Ativan tablets', 'dosage (daily dosage may vary from 1 to 10 mg/day)'),
  },
  clonazepam: {
    mgPerDay: 20,
    status: 'S',
    source: LABEL('Klonopin', 'dosage (seizure disorders: maximum 20 mg/day)'),
    note: 'panic disorder: 4 mg/day',
  },
  diazepam: {
    mgPerDay: 40,
    status: 'D',
    source: LABEL('Valium', 'dosage (anxiety: 2–10 mg two to four times daily → 40 mg/day)'),
  },
};

const entry = (
  generic: string,
  classTags: readonly MedicationClass[],
  brands: readonly string[] = [],
): DrugEntry => ({
  generic,
  brands: [...brands, ...(BRANDS[generic] ?? [])],
  classTags,
  rxNormCodes: RXNORM[generic] ?? [],
  ...(MAX_DAILY_DOSE[generic] ? { maxDailyDose: MAX_DAILY_DOSE[generic] } : {}),
});

/** Every dictionary entry; classes follow the FDA established pharmacologic class of each drug. */
export const DRUG_DICTIONARY: readonly DrugEntry[] = [
  ...BENZODIAZEPINE_LIKE_DRUGS.map((d) =>
    entry(d, Z_DRUGS.has(d) ? ['sedative-hypnotic'] : ['benzodiazepine']),
  ),
  entry('eszopiclone', ['sedative-hypnotic']),
  entry('zaleplon', ['sedative-hypnotic']),
  entry('sertraline', ['ssri'], ['zoloft']),
  entry('escitalopram', ['ssri'], ['lexapro']),
  entry('citalopram', ['ssri'], ['celexa']),
  entry('fluoxetine', ['ssri'], ['prozac']),
  entry('paroxetine', ['ssri'], ['paxil']),
  entry('fluvoxamine', ['ssri']),
  entry('venlafaxine', ['snri'], ['effexor']),
  entry('desvenlafaxine', ['snri']),
  entry('duloxetine', ['snri'], ['cymbalta']),
  // A serotonin modulator in no class the interaction rules act on; listed for its labelled maximum.
  entry('vortioxetine', ['other'], ['trintellix']),
  entry('levomilnacipran', ['snri']),
  entry('amitriptyline', ['tca']),
  entry('nortriptyline', ['tca']),
  entry('imipramine', ['tca']),
  entry('clomipramine', ['tca']),
  entry('desipramine', ['tca']),
  entry('doxepin', ['tca']),
  entry('phenelzine', ['maoi']),
  entry('tranylcypromine', ['maoi']),
  entry('isocarboxazid', ['maoi']),
  entry('selegiline', ['maoi']),
  // Spravato PI §7.2 names amphetamines, methylphenidate, modafinil and armodafinil.
  entry('amphetamine', ['stimulant']),
  entry('dextroamphetamine', ['stimulant']),
  entry('lisdexamfetamine', ['stimulant']),
  entry('methylphenidate', ['stimulant']),
  entry('dexmethylphenidate', ['stimulant']),
  entry('modafinil', ['stimulant']),
  entry('armodafinil', ['stimulant']),
  entry('morphine', ['opioid']),
  entry('oxycodone', ['opioid']),
  entry('hydrocodone', ['opioid']),
  entry('hydromorphone', ['opioid']),
  entry('codeine', ['opioid']),
  entry('tramadol', ['opioid']),
  entry('tapentadol', ['opioid']),
  entry('fentanyl', ['opioid']),
  entry('methadone', ['opioid']),
  entry('buprenorphine', ['opioid']),
  entry('lamotrigine', ['lamotrigine', 'mood-stabilizer']),
  entry('lithium', ['mood-stabilizer']),
  entry('naltrexone', ['naltrexone']),
  entry('quetiapine', ['antipsychotic', 'cns-depressant']),
  entry('olanzapine', ['antipsychotic']),
  entry('aripiprazole', ['antipsychotic']),
  entry('risperidone', ['antipsychotic']),
  entry('lurasidone', ['antipsychotic']),
];

const BY_NAME: ReadonlyMap<string, DrugEntry> = new Map(
  DRUG_DICTIONARY.flatMap((e) => [e.generic, ...e.brands].map((n) => [n, e] as const)),
);
const BY_RXNORM: ReadonlyMap<string, DrugEntry> = new Map(
  DRUG_DICTIONARY.flatMap((e) => e.rxNormCodes.map((c) => [c, e] as const)),
);

/** Words of a recorded name: "Venlafaxine XR 75 mg" → venlafaxine, xr, 75, mg. */
function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The dictionary entries a medication matches, by RxNorm code and by any word of its name. */
export function lookupMedication(name: string, rxNormCode?: string | null): DrugEntry[] {
  const found = new Set<DrugEntry>();
  const byCode = rxNormCode ? BY_RXNORM.get(rxNormCode.trim()) : undefined;
  if (byCode) found.add(byCode);
  for (const w of words(name)) {
    const e = BY_NAME.get(w);
    if (e) found.add(e);
  }
  return [...found];
}

/** Class tags the dictionary derives for a medication (empty when it knows the drug not). */
export function derivedClassTags(name: string, rxNormCode?: string | null): MedicationClass[] {
  return [...new Set(lookupMedication(name, rxNormCode).flatMap((e) => e.classTags))];
}

/**
 * The tags the rules use: derived tags plus those the clinician added. "other" is dropped once a
 * real class is known, so it never hides a derived class.
 */
export function effectiveClassTags(
  name: string,
  rxNormCode: string | null | undefined,
  entered: readonly MedicationClass[],
): MedicationClass[] {
  const all = [...new Set([...derivedClassTags(name, rxNormCode), ...entered])];
  const real = all.filter((t) => t !== 'other');
  return real.length > 0 ? real : all;
}

/** The generic name a medication resolves to when it matches exactly one dictionary entry. */
export function genericName(name: string, rxNormCode?: string | null): string | null {
  const found = lookupMedication(name, rxNormCode);
  return found.length === 1 ? found[0]!.generic : null;
}
