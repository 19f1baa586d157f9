import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { MEDICATION_CLASSES } from '../medication-classes';
import { effectiveClassTags, genericName } from '../medication-dictionary';
import { EQUIVALENCE_TABLES } from '../taper/benzodiazepines';
import type { Citation, EvidenceStatus, Modality } from './evidence';
import { modalitySchema, SOURCES } from './evidence';

/**
 * Interaction flags from a medication list. Shown at intake and at every
 * pre-session check. Pure: the medication list and settings in, flags out.
 */

/** The shared class-tag list (clinical/medication-classes.ts), so the record and the rules agree. */
export const medicationClassTagSchema = z.enum(MEDICATION_CLASSES);
export type MedicationClassTag = z.infer<typeof medicationClassTagSchema>;

export const medicationFrequencySchema = z.enum([
  'once-daily',
  'twice-daily',
  'three-times-daily',
  'four-times-daily',
  'at-bedtime',
  'as-needed',
  'weekly',
  'other',
]);
export type MedicationFrequency = z.infer<typeof medicationFrequencySchema>;

export const medicationSchema = z
  .object({
    name: z.string().trim().min(1),
    rxNormCui: z.string().regex(/^\d+$/, 'RxNorm CUI must be digits').optional(),
    /** Dose per administration, in mg. */
    doseMg: z.number().positive().optional(),
    frequency: medicationFrequencySchema,
    /** Required when frequency is 'other'. */
    dosesPerDay: z.number().positive().optional(),
    classTags: z.array(medicationClassTagSchema).min(1),
  })
  .refine((m) => m.frequency !== 'other' || m.dosesPerDay !== undefined, {
    message: "dosesPerDay is required when frequency is 'other'",
    path: ['dosesPerDay'],
  });
export type Medication = z.infer<typeof medicationSchema>;

/**
 * The medication with the class tags the rules use: those the dictionary derives from its name or
 * RxNorm code plus those a clinician added (a derived tag cannot be removed).
 */
export function withDerivedClassTags(m: Medication): Medication {
  return { ...m, classTags: effectiveClassTags(m.name, m.rxNormCui, m.classTags) };
}

// ---------------------------------------------------------------------------------------------
// Benzodiazepine equivalence: the two ASAM 2025 Table 7 columns, read from the one equivalence
// table of the taper planner (src/clinical/taper/benzodiazepines.ts, tapering.md §2.2) [V]:
// oral dose (mg) approximately equal to diazepam 10 mg. Ranges are kept as ranges.

/** Same ids as src/clinical/taper's EquivalenceTableId for the two ASAM Table 7 columns. */
export type EquivalenceTable = 'ashton' | 'va-dod';
type MgRange = readonly [number, number];

/** mg of each drug ≈ 10 mg diazepam, in both columns (drugs listed in both). */
export const BENZODIAZEPINE_EQUIVALENTS_TO_10MG_DIAZEPAM: Record<
  string,
  Record<EquivalenceTable, MgRange>
> = Object.fromEntries(
  Object.entries(EQUIVALENCE_TABLES.ashton.equivalentMg)
    .filter(([drug]) => EQUIVALENCE_TABLES['va-dod'].equivalentMg[drug] !== undefined)
    .map(([drug, ashton]) => [drug, { ashton, 'va-dod': EQUIVALENCE_TABLES['va-dod'].equivalentMg[drug]! }]),
);

const TABLE_LABEL: Record<EquivalenceTable, string> = {
  ashton: 'Ashton Manual 2002 column of ASAM 2025 Table 7',
  'va-dod': 'VA/DoD SUD CPG 2021 column of ASAM 2025 Table 7',
};

const DOSES_PER_DAY: Record<Exclude<MedicationFrequency, 'other' | 'as-needed' | 'weekly'>, number> = {
  'once-daily': 1,
  'twice-daily': 2,
  'three-times-daily': 3,
  'four-times-daily': 4,
  'at-bedtime': 1,
};

/** How clinicians write a frequency in the record (lower case), as the rules' vocabulary. */
const FREQUENCY_WORDS: Readonly<Record<string, MedicationFrequency>> = {
  'once-daily': 'once-daily',
  'once daily': 'once-daily',
  daily: 'once-daily',
  qd: 'once-daily',
  od: 'once-daily',
  'twice-daily': 'twice-daily',
  'twice daily': 'twice-daily',
  bid: 'twice-daily',
  'three-times-daily': 'three-times-daily',
  'three times daily': 'three-times-daily',
  tid: 'three-times-daily',
  'four-times-daily': 'four-times-daily',
  'four times daily': 'four-times-daily',
  qid: 'four-times-daily',
  'at-bedtime': 'at-bedtime',
  'at bedtime': 'at-bedtime',
  'at night': 'at-bedtime',
  nightly: 'at-bedtime',
  qhs: 'at-bedtime',
  'as-needed': 'as-needed',
  'as needed': 'as-needed',
  prn: 'as-needed',
  weekly: 'weekly',
};

/** The frequency a record's free text names; null when it is not one the rules know. */
export function medicationFrequencyFromText(text: string | null | undefined): MedicationFrequency | null {
  return FREQUENCY_WORDS[(text ?? '').trim().toLowerCase()] ?? null;
}

/** Doses a day of a regular daily schedule; null for as-needed, weekly and unknown schedules. */
export function dosesPerDayOf(frequency: MedicationFrequency | null): number | null {
  if (frequency === null || frequency === 'other' || frequency === 'as-needed' || frequency === 'weekly') {
    return null;
  }
  return DOSES_PER_DAY[frequency];
}

export interface BenzodiazepineLine {
  name: string;
  /** Daily diazepam equivalent as a range (equal ends when the table gives a single value). */
  diazepamEquivalentMgPerDay: { low: number; high: number } | null;
  /** Why the equivalent could not be computed, when it is null. */
  problem?: string;
}

export interface BenzodiazepineTotal {
  table: EquivalenceTable;
  tableLabel: string;
  lines: BenzodiazepineLine[];
  /** Sum over the lines that could be computed. */
  totalLowMgPerDay: number;
  totalHighMgPerDay: number;
  /** True when every benzodiazepine line could be converted. */
  complete: boolean;
}

function normaliseName(name: string): string {
  return name.trim().toLowerCase().split(/[\s(]/)[0] ?? '';
}

function mgPerDay(m: Medication): number | string {
  if (m.doseMg === undefined) return 'dose not entered';
  if (m.frequency === 'as-needed') return 'taken as needed: no regular daily dose';
  if (m.frequency === 'weekly') return 'weekly dosing: no daily equivalent computed';
  const perDay = m.frequency === 'other' ? m.dosesPerDay! : DOSES_PER_DAY[m.frequency];
  return m.doseMg * perDay;
}

/** Total daily diazepam equivalent of the benzodiazepines in a list, with per-drug lines. */
export function benzodiazepineDiazepamEquivalent(
  meds: readonly Medication[],
  table: EquivalenceTable = 'ashton',
): BenzodiazepineTotal {
  const lines: BenzodiazepineLine[] = [];
  let low = 0;
  let high = 0;
  let complete = true;
  for (const m of meds.map(withDerivedClassTags)) {
    if (!m.classTags.includes('benzodiazepine')) continue;
    const eq =
      BENZODIAZEPINE_EQUIVALENTS_TO_10MG_DIAZEPAM[genericName(m.name, m.rxNormCui) ?? normaliseName(m.name)];
    const daily = mgPerDay(m);
    if (!eq) {
      complete = false;
      lines.push({
        name: m.name,
        diazepamEquivalentMgPerDay: null,
        problem: `not in ${TABLE_LABEL[table]}; enter the diazepam equivalent by hand`,
      });
      continue;
    }
    if (typeof daily === 'string') {
      complete = false;
      lines.push({ name: m.name, diazepamEquivalentMgPerDay: null, problem: daily });
      continue;
    }
    const [mgHighPotency, mgLowPotency] = eq[table];
    // More mg per 10 mg diazepam = less potent = fewer diazepam mg per drug mg.
    const lineLow = (daily * 10) / mgLowPotency;
    const lineHigh = (daily * 10) / mgHighPotency;
    low += lineLow;
    high += lineHigh;
    lines.push({ name: m.name, diazepamEquivalentMgPerDay: { low: lineLow, high: lineHigh } });
  }
  return {
    table,
    tableLabel: TABLE_LABEL[table],
    lines,
    totalLowMgPerDay: low,
    totalHighMgPerDay: high,
    complete,
  };
}

// ---------------------------------------------------------------------------------------------

export type FlagSeverity = 'info' | 'caution' | 'warning';

export interface InteractionFlag {
  id: string;
  severity: FlagSeverity;
  message: string;
  /** Medications (names) that raised the flag. */
  medications: string[];
  status: EvidenceStatus;
  citations: Citation[];
}

export interface InteractionSettings {
  modality: Modality;
  /**
   * Flag benzodiazepines strictly above this total diazepam equivalent (mg/day).
   * Default 8 = the ROC cut-off of Andrashko 2020 (">8 mg", sens 80 %, spec 85 %, n = 47) [V].
   */
  benzodiazepineThresholdMgPerDay: number;
  equivalenceTable: EquivalenceTable;
  /**
   * A total diazepam equivalent computed elsewhere (e.g. by src/clinical/taper). When given it is
   * used instead of this module's table lookup, and the flag says so.
   */
  diazepamEquivalentMgPerDay?: number;
}

/** Andrashko 2020 ROC cut-off, ">8 mg diazepam-equivalent" [V]. */
export const ANDRASHKO_BZD_CUTOFF_MG_PER_DAY = 8;

export const interactionSettingsSchema = z.object({
  modality: modalitySchema,
  benzodiazepineThresholdMgPerDay: z.number().positive().default(ANDRASHKO_BZD_CUTOFF_MG_PER_DAY),
  equivalenceTable: z.enum(['ashton', 'va-dod']).default('ashton'),
  diazepamEquivalentMgPerDay: z.number().min(0).optional(),
});

const FLOAT_TOLERANCE_MG = 1e-9;
const fmt = (x: number): string => String(Math.round(x * 100) / 100);

const LABEL_EXTRAPOLATION_NOTE =
  'Spravato (esketamine) label; applied to IV racemic ketamine by extension, not from an IV ketamine label.';
const labelCitation = (section: string, modality: Modality): Citation => ({
  source: `${SOURCES.spravatoLabelInteractions} (${section})`,
  status: 'V',
  ...(modality === 'iv-ketamine' ? { note: LABEL_EXTRAPOLATION_NOTE } : {}),
});

export function interactionFlags(medsInput: unknown, settingsInput: unknown): InteractionFlag[] {
  const medsParsed = z.array(medicationSchema).safeParse(medsInput);
  if (!medsParsed.success) {
    const issue = medsParsed.error.issues[0]!;
    throw new ClinicalInputError(`medications.${issue.path.join('.')}`, issue.message);
  }
  const setParsed = interactionSettingsSchema.safeParse(settingsInput);
  if (!setParsed.success) {
    const issue = setParsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'settings', issue.message);
  }
  const meds = medsParsed.data.map(withDerivedClassTags);
  const settings = setParsed.data;
  const flags: InteractionFlag[] = [];
  const withTag = (tag: MedicationClassTag): string[] =>
    meds.filter((m) => m.classTags.includes(tag)).map((m) => m.name);

  // Benzodiazepines: attenuation of antidepressant response (dose-dependent) and additive sedation.
  const bzd = withTag('benzodiazepine');
  if (bzd.length > 0) {
    flags.push(...benzodiazepineFlags(meds, bzd, settings));
  }

  const lamotrigine = withTag('lamotrigine');
  if (lamotrigine.length > 0) {
    flags.push({
      id: 'INT-LAMOTRIGINE',
      severity: 'info',
      medications: lamotrigine,
      status: 'V',
      message:
        'Lamotrigine: in 16 healthy volunteers, 300 mg 2 h before ketamine reduced dissociative and ' +
        'perceptual effects and increased the immediate mood effect (Anand 2000). Its effect on the ' +
        'antidepressant response is unknown (Andrade 2017); a Mayo cohort (n = 13 on lamotrigine) found no ' +
        'significant difference in response or remission (Joseph 2023). The evidence does not support ' +
        'tapering lamotrigine for ketamine. Some clinics hold it on treatment days (clinic protocols, [S]); ' +
        'stopping it carries its own risks (seizures, mood relapse, re-titration for rash risk) [U].',
      citations: [
        { source: SOURCES.anand2000, status: 'V', note: 'Healthy volunteers, not patients.' },
        { source: SOURCES.andrade2017, status: 'V', note: 'Effect on antidepressant action "not known".' },
        { source: SOURCES.joseph2023, status: 'V' },
        { source: SOURCES.wilkowska2022, status: 'V', note: 'No clinical evidence it reduces dissociation.' },
        { source: 'Clinic consent forms / FAQs (isha.health; Ketamine Clinics of Los Angeles)', status: 'S' },
      ],
    });
  }

  const naltrexone = withTag('naltrexone');
  if (naltrexone.length > 0) {
    flags.push({
      id: 'INT-NALTREXONE',
      severity: 'warning',
      medications: naltrexone,
      status: 'V',
      message:
        'Naltrexone: 50 mg before ketamine 0.5 mg/kg blocked the antidepressant but not the dissociative ' +
        'effect in a small trial halted at interim (Williams 2018). An RCT in MDD with alcohol use disorder ' +
        '(n = 65) found no group differences with IM naltrexone (IJNP 2025). The role of opioid signalling ' +
        'remains contested; review with the prescriber.',
      citations: [
        { source: SOURCES.williams2018, status: 'V' },
        {
          source: SOURCES.ijnp2025Naltrexone,
          status: 'V',
          note: 'Contrasting result; MDD + AUD population.',
        },
      ],
    });
  }

  const stimulants = withTag('stimulant');
  if (stimulants.length > 0) {
    flags.push({
      id: 'INT-STIMULANT-BP',
      severity: 'warning',
      medications: stimulants,
      status: 'V',
      message: 'Psychostimulant: may increase blood pressure; monitor BP closely.',
      citations: [labelCitation('§7.2 psychostimulants', settings.modality)],
    });
  }

  const maoi = withTag('maoi');
  if (maoi.length > 0) {
    flags.push({
      id: 'INT-MAOI-BP',
      severity: 'warning',
      medications: maoi,
      status: 'V',
      message:
        'MAOI: may increase blood pressure; monitor BP closely. Some research protocols exclude MAOIs.',
      citations: [
        labelCitation('§7.3 MAOIs', settings.modality),
        { source: 'Trial exclusion list, PMC6884875', status: 'V' },
      ],
    });
  }

  const opioids = withTag('opioid');
  if (opioids.length > 0) {
    flags.push({
      id: 'INT-OPIOID-SEDATION',
      severity: 'warning',
      medications: opioids,
      status: 'V',
      message: 'Opioid: additive sedation and respiratory depression; monitor sedation and SpO2.',
      citations: [
        labelCitation('§7.1 CNS depressants', settings.modality),
        { source: `${SOURCES.spravatoRems} Patient Monitoring Form`, status: 'V' },
      ],
    });
  }

  const depressants = [...new Set([...withTag('cns-depressant'), ...withTag('sedative-hypnotic')])];
  if (depressants.length > 0) {
    flags.push({
      id: 'INT-CNS-DEPRESSANT-SEDATION',
      severity: 'caution',
      medications: depressants,
      status: 'V',
      message: 'CNS depressant: additive sedation; monitor sedation.',
      citations: [labelCitation('§7.1 CNS depressants', settings.modality)],
    });
  }

  const cyp = [...new Set([...withTag('cyp2b6-cyp3a4-inducer'), ...withTag('cyp2b6-cyp3a4-inhibitor')])];
  if (cyp.length > 0) {
    flags.push({
      id: 'INT-CYP2B6-CYP3A4',
      severity: 'info',
      medications: cyp,
      status: 'V',
      message:
        'CYP2B6/CYP3A4 inducer or inhibitor: ketamine is metabolised mainly by CYP2B6 and CYP3A4; inducers ' +
        'lower and inhibitors raise exposure.',
      citations: [{ source: SOURCES.andrade2017, status: 'V' }],
    });
  }
  return flags;
}

function benzodiazepineFlags(
  meds: readonly Medication[],
  names: string[],
  settings: z.infer<typeof interactionSettingsSchema>,
): InteractionFlag[] {
  const flags: InteractionFlag[] = [];
  const threshold = settings.benzodiazepineThresholdMgPerDay;
  const thresholdIsDefault = threshold === ANDRASHKO_BZD_CUTOFF_MG_PER_DAY;
  const evidence: Citation[] = [
    {
      source: SOURCES.andrashko2020,
      status: 'V',
      note: 'Single racemic infusion 0.54 mg/kg, n = 47; ROC cut-off >8 mg diazepam-equivalent (sens 80 %, spec 85 %).',
    },
    {
      source: SOURCES.feeney2023,
      status: 'V',
      note: 'BZD use yes/no did not moderate response; higher dose attenuated day-1 response only.',
    },
    {
      source: SOURCES.diekamp2021,
      status: 'V',
      note: 'Esketamine: BZDs did not diminish the acute effect (counter-evidence).',
    },
  ];
  const thresholdNote = thresholdIsDefault
    ? `threshold ${fmt(threshold)} mg/day (Andrashko 2020)`
    : `clinic threshold ${fmt(threshold)} mg/day (default would be 8 mg/day, Andrashko 2020)`;
  const esketamineNote =
    settings.modality === 'esketamine'
      ? ' For esketamine, pooled ASPIRE data found no attenuation (Diekamp 2021).'
      : '';

  let low: number;
  let high: number;
  let basis: string;
  let complete = true;
  const problems: string[] = [];
  if (settings.diazepamEquivalentMgPerDay !== undefined) {
    low = high = settings.diazepamEquivalentMgPerDay;
    basis = 'diazepam equivalent supplied by the caller';
  } else {
    const total = benzodiazepineDiazepamEquivalent(meds, settings.equivalenceTable);
    low = total.totalLowMgPerDay;
    high = total.totalHighMgPerDay;
    basis = total.tableLabel;
    complete = total.complete;
    for (const l of total.lines) if (l.problem) problems.push(`${l.name}: ${l.problem}`);
  }
  const amount = low === high ? `${fmt(low)} mg/day` : `${fmt(low)}–${fmt(high)} mg/day`;
  const tableCitation: Citation = { source: SOURCES.asam2025Table7, status: 'V', note: basis };

  // Compare with a 1e-9 mg tolerance so binary floating point (e.g. 0.1 × 3) cannot push an exact
  // boundary total across the strict ">" cut-off. Values themselves are never rounded.
  const above = (x: number): boolean => x - threshold > FLOAT_TOLERANCE_MG;
  if (above(low)) {
    flags.push({
      id: 'INT-BZD-ATTENUATION',
      severity: 'warning',
      medications: names,
      status: 'V',
      message:
        `Benzodiazepines total ${amount} diazepam-equivalent, above the ${thresholdNote}: higher doses were ` +
        `associated with a weaker antidepressant response to IV ketamine.${esketamineNote} Any hold or taper ` +
        'is a clinician decision; never stop abruptly in a dependent patient (ASAM 2025).',
      citations: [...evidence, tableCitation],
    });
  } else if (above(high)) {
    flags.push({
      id: 'INT-BZD-ATTENUATION-POSSIBLE',
      severity: 'caution',
      medications: names,
      status: 'V',
      message:
        `Benzodiazepines total ${amount} diazepam-equivalent; the table gives a range that straddles the ` +
        `${thresholdNote}. Review the equivalence.${esketamineNote}`,
      citations: [...evidence, tableCitation],
    });
  }
  if (!complete) {
    flags.push({
      id: 'INT-BZD-EQUIVALENT-INCOMPLETE',
      severity: 'caution',
      medications: names,
      status: 'clinic',
      message:
        `Diazepam equivalent incomplete (${problems.join('; ')}); the total ${amount} counts only the ` +
        'convertible lines. Review by hand against the threshold.',
      citations: [tableCitation],
    });
  }
  flags.push({
    id: 'INT-BZD-SEDATION',
    severity: 'caution',
    medications: names,
    status: 'V',
    message: 'Benzodiazepine: additive sedation with ketamine/esketamine; monitor sedation.',
    citations: [labelCitation('§7.1 CNS depressants', settings.modality)],
  });
  return flags;
}
