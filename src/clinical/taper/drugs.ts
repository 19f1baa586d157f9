import { BENZODIAZEPINE_LIKE_DRUGS } from './benzodiazepines';
import { occupancyModelsFor } from './occupancy';
import type { EvidenceStatus, TaperSourceId } from './sources';

/**
 * The drugs the planner knows, with the dose forms listed in tapering.md §5. Each form carries the
 * reference's source key and status: A = label [V], B = pielab-uci formulary [S], C = general
 * knowledge [U]. "Scored" is true only where the reference says so; otherwise tablets are not split.
 */
export type TaperClass = 'antidepressant' | 'benzodiazepine';
export type Market = 'US' | 'UK';
export type Release = 'IR' | 'CR' | 'ER' | 'DR' | 'ODT';

export interface SolidForm {
  readonly kind: 'tablet' | 'capsule';
  readonly id: string;
  /** Where the product was found beyond the source key (e.g. an FDA NDC), when the reference lacks it. */
  readonly evidence?: string;
  readonly strengthMg: number;
  readonly release: Release;
  /** Scored in the reference: may be split (halves/quarters) per the planner rule (tapering.md §5 [D]). */
  readonly scored: boolean;
  /** Markets the reference names; empty = not market-specific. */
  readonly markets: readonly Market[];
  readonly label: string;
  readonly status: EvidenceStatus;
  readonly source: TaperSourceId;
}

export interface LiquidForm {
  readonly kind: 'liquid';
  readonly id: string;
  /** Oral liquids are immediate release. */
  readonly release?: 'IR';
  readonly concentrationMgPerMl: number;
  readonly markets: readonly Market[];
  readonly label: string;
  /** How to take it, from the reference (e.g. sertraline concentrate must be diluted). */
  readonly administration?: string;
  readonly status: EvidenceStatus;
  readonly source: TaperSourceId;
}

export type DoseForm = SolidForm | LiquidForm;

export interface DrugNote {
  readonly text: string;
  readonly status: EvidenceStatus;
}

/** How many doses a day a release form is usually taken in, with its source. */
export interface DosingFrequency {
  readonly timesPerDay: number;
  readonly text: string;
  readonly status: EvidenceStatus;
  readonly citation: string;
}

/**
 * A change between release forms the planner may make, only where a source states the equivalence
 * (e.g. venlafaxine IR ↔ ER at the same total daily dose). Without one, forms are never mixed.
 */
export interface ReleaseSwitch {
  readonly from: Release;
  readonly to: Release;
  readonly equivalence: string;
  readonly citation: string;
  readonly status: EvidenceStatus;
}

export interface TaperDrug {
  readonly name: string;
  readonly taperClass: TaperClass;
  readonly forms: readonly DoseForm[];
  readonly notes: readonly DrugNote[];
  /** Usual doses a day per release form; the prescriber may set the patient's own. */
  readonly dosing?: Partial<Record<Release, DosingFrequency>>;
  readonly releaseSwitches?: readonly ReleaseSwitch[];
  /** Drug-specific words for a compounded step (what the pharmacy may and may not do). */
  readonly compoundingNote?: string;
}

/** The release form a dose form belongs to: oral liquids are immediate release. */
export function releaseOf(form: DoseForm): Release {
  return form.kind === 'liquid' ? 'IR' : form.release;
}

function tabs(
  drug: string,
  strengths: readonly number[],
  o: {
    scored?: readonly number[];
    release?: Release;
    kind?: 'tablet' | 'capsule';
    markets?: Market[];
    idSuffix?: string;
    evidence?: (strengthMg: number) => string;
  },
  status: EvidenceStatus,
  source: TaperSourceId,
): SolidForm[] {
  const release = o.release ?? 'IR';
  const kind = o.kind ?? 'tablet';
  return strengths.map((strengthMg) => ({
    kind,
    id: `${drug}-${release.toLowerCase()}-${kind}-${strengthMg}${o.idSuffix ?? ''}`,
    ...(o.evidence ? { evidence: o.evidence(strengthMg) } : {}),
    strengthMg,
    release,
    // Never split CR/ER/DR or ODT forms, nor capsules (tapering.md §5 planner rule [D]).
    scored: kind === 'tablet' && release === 'IR' && (o.scored ?? []).includes(strengthMg),
    markets: o.markets ?? [],
    label: `${drug} ${strengthMg} mg ${release === 'IR' ? '' : `${release} `}${kind}`,
    status,
    source,
  }));
}

function liquid(
  drug: string,
  concentrationMgPerMl: number,
  name: string,
  status: EvidenceStatus,
  source: TaperSourceId,
  o: { markets?: Market[]; administration?: string } = {},
): LiquidForm {
  return {
    kind: 'liquid',
    id: `${drug}-liquid-${concentrationMgPerMl}`,
    concentrationMgPerMl,
    markets: o.markets ?? [],
    label: `${drug} ${concentrationMgPerMl} mg/mL ${name}`,
    ...(o.administration === undefined ? {} : { administration: o.administration }),
    status,
    source,
  };
}

const SERTRALINE_DILUTION =
  'Dilute immediately before use in about 120 mL (4 oz) of water, ginger ale, lemon/lime soda, lemonade or orange juice only; undiluted it numbs mouth and tongue. Dropper contains latex. Contraindicated with disulfiram (contains alcohol).';

const NO_ALTERNATE_DAY: DrugNote = {
  text: 'Every-other-day dosing for antidepressants other than fluoxetine is likely to lead to withdrawal effects (Maudsley Deprescribing 2024, ch. 2); the planner never generates alternate-day schedules.',
  status: 'V',
};

const ANTIDEPRESSANTS: TaperDrug[] = [
  {
    name: 'sertraline',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('sertraline', [25, 50, 100], { scored: [25, 50, 100] }, 'S', 'formsPielab'), // B [S]
      ...tabs('sertraline', [150, 200], { kind: 'capsule' }, 'U', 'formsGeneral'), // C [U]
      liquid('sertraline', 20, 'oral concentrate', 'V', 'formsLabel', {
        administration: SERTRALINE_DILUTION,
      }), // A [V]
    ],
    notes: [NO_ALTERNATE_DAY],
  },
  {
    name: 'escitalopram',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('escitalopram', [5, 10, 20], { scored: [10, 20] }, 'S', 'formsPielab'), // B [S]; 10/20 scored
      liquid('escitalopram', 1, 'oral solution', 'V', 'formsLabel'), // A [V] 5 mg/5 mL
    ],
    notes: [NO_ALTERNATE_DAY],
  },
  {
    name: 'citalopram',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('citalopram', [10, 20, 40], { scored: [20, 40] }, 'S', 'formsPielab'), // B [S]; 20/40 scored
      liquid('citalopram', 2, 'oral solution', 'S', 'formsPielab'), // B [S] 10 mg/5 mL
    ],
    notes: [
      NO_ALTERNATE_DAY,
      { text: 'QTc limits: max 40 mg; 20 mg if over 60 years or a CYP2C19 poor metaboliser.', status: 'U' },
    ],
  },
  {
    name: 'paroxetine',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('paroxetine', [10, 20, 30, 40], {}, 'S', 'formsPielab'), // B [S]; scoring not stated
      ...tabs('paroxetine', [12.5, 25, 37.5], { release: 'CR' }, 'U', 'formsGeneral'), // C [U]; never split
      liquid('paroxetine', 2, 'oral suspension', 'S', 'formsPielab'), // B [S] 10 mg/5 mL
    ],
    notes: [
      NO_ALTERNATE_DAY,
      { text: 'Paroxetine needs particular care when stopping (NICE NG222).', status: 'V' },
    ],
  },
  {
    name: 'fluoxetine',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('fluoxetine', [10, 20, 40], { kind: 'capsule' }, 'S', 'formsPielab'), // B [S]
      ...tabs('fluoxetine', [10, 20, 60], {}, 'S', 'formsPielab'), // B [S]; scoring not stated
      liquid('fluoxetine', 4, 'oral solution', 'S', 'formsPielab'), // B [S] 20 mg/5 mL
    ],
    notes: [
      {
        text: 'Long half-life (fluoxetine 4–6 d, norfluoxetine 4–16 d); withdrawal can appear up to about 6 weeks later. NICE NG222 1.4.19: allow 1–2 weeks to evaluate each reduction.',
        status: 'S',
      },
      {
        text: 'NICE NG222 allows a period of alternate-day dosing at fluoxetine 20 mg; this planner still generates daily doses only.',
        status: 'V',
      },
    ],
  },
  {
    name: 'venlafaxine',
    taperClass: 'antidepressant',
    forms: [
      ...tabs('venlafaxine', [37.5, 75], { markets: ['UK'] }, 'V', 'formsNhs'), // NHS [V]; scoring not stated
      ...tabs('venlafaxine', [75, 150], { release: 'ER', markets: ['UK'] }, 'V', 'formsNhs'), // NHS [V]
      // UK ER capsules 75, 150 mg ("ER tabs/caps 75, 150", NHS [V]); the UK id suffix keeps them
      // apart from the US capsules of the same strength.
      ...tabs(
        'venlafaxine',
        [75, 150],
        { release: 'ER', kind: 'capsule', markets: ['UK'], idSuffix: '-uk' },
        'V',
        'formsNhs',
      ),
      // US IR tablets: Effexor label description (25/37.5/50/75/100 mg), generics listed on DailyMed [S];
      // scoring not stated, so never split.
      ...tabs(
        'venlafaxine',
        [25, 37.5, 50, 75, 100],
        {
          markets: ['US'],
          idSuffix: '-us',
          evidence: () =>
            'Effexor (venlafaxine tablets) label, Description: 25, 37.5, 50, 75, 100 mg; generic venlafaxine tablets USP on DailyMed (e.g. Teva NDC 0093-9147)',
        },
        'S',
        'effexorLabel',
      ),
      // US ER tablets found in the FDA NDC Directory (openFDA records) [S]; 150 mg not found, not listed.
      ...tabs(
        'venlafaxine',
        [37.5, 75, 225],
        {
          release: 'ER',
          markets: ['US'],
          idSuffix: '-us',
          evidence: (mg) =>
            `FDA NDC Directory: ${{ 37.5: 'NDC 67877-726 (Ascend)', 75: 'NDC 70710-1349 (Zydus)', 225: 'NDC 70771-1652 (Zydus), 47335-794 (Sun)' }[mg] ?? ''} "TABLET, EXTENDED RELEASE"`,
        },
        'S',
        'fdaNdc',
      ),
      ...tabs(
        'venlafaxine',
        [37.5, 75],
        {
          release: 'ER',
          kind: 'capsule',
          markets: ['US'],
          evidence: (mg) =>
            `FDA NDC Directory: ${mg === 37.5 ? 'NDC 62332-792 (Alembic)' : 'NDC 31722-003 (Camber)'} "CAPSULE, EXTENDED RELEASE"`,
        },
        'S',
        'fdaNdc',
      ),
      ...tabs('venlafaxine', [150], { release: 'ER', kind: 'capsule', markets: ['US'] }, 'U', 'formsGeneral'), // C [U]
      liquid('venlafaxine', 7.5, 'oral solution (37.5 mg/5 mL)', 'V', 'formsNhs', { markets: ['UK'] }), // Rosemont [V]
      liquid('venlafaxine', 15, 'oral solution (75 mg/5 mL)', 'V', 'formsNhs', { markets: ['UK'] }), // Rosemont [V]
    ],
    notes: [
      NO_ALTERNATE_DAY,
      { text: 'Venlafaxine needs particular care when stopping (NICE NG222).', status: 'V' },
      {
        text: 'ER capsule bead counting is off-label; the ~60 beads per 37.5 mg estimate is anecdotal and not used.',
        status: 'S',
      },
    ],
    dosing: {
      IR: {
        timesPerDay: 2,
        text: 'immediate-release venlafaxine is given in two or three divided doses a day',
        status: 'S',
        citation: 'Effexor (venlafaxine tablets) label, Dosage and Administration',
      },
      ER: {
        timesPerDay: 1,
        text: 'extended-release venlafaxine is taken once a day',
        status: 'S',
        citation: 'Efexor XR / Effexor XR label, Dosage and Administration',
      },
    },
    releaseSwitches: [
      {
        from: 'ER',
        to: 'IR',
        equivalence:
          'same total daily dose in mg (the label switches IR to ER "at the nearest equivalent daily dosage", e.g. IR 37.5 mg twice a day = ER 75 mg once a day); individual adjustment may be needed',
        citation: 'Efexor XR / Effexor XR label, Dosage and Administration (switching from IR tablets)',
        status: 'S',
      },
      {
        from: 'IR',
        to: 'ER',
        equivalence:
          'same total daily dose in mg ("nearest equivalent daily dosage", e.g. IR 37.5 mg twice a day = ER 75 mg once a day)',
        citation: 'Efexor XR / Effexor XR label, Dosage and Administration (switching from IR tablets)',
        status: 'S',
      },
    ],
    compoundingNote:
      'Below the smallest product a compounding pharmacy makes custom-dose capsules or a liquid; counting beads from opened ER capsules is off-label and not calculated here.',
  },
  {
    name: 'duloxetine',
    taperClass: 'antidepressant',
    forms: [
      ...tabs(
        'duloxetine',
        [20, 30, 60],
        { release: 'DR', kind: 'capsule', markets: ['US'] },
        'S',
        'formsPielab',
      ), // [S]
      ...tabs('duloxetine', [40], { release: 'DR', kind: 'capsule', markets: ['US'] }, 'U', 'formsGeneral'), // Drizalma 40 [C]
    ],
    notes: [
      NO_ALTERNATE_DAY,
      {
        text: 'No liquid; enteric-coated pellets must not be crushed or dissolved. Capsules may be opened onto applesauce. Below 20 mg only bead counting or compounding.',
        status: 'S',
      },
    ],
    compoundingNote:
      'No liquid exists and the enteric-coated pellets must not be crushed or dissolved: a compounding pharmacy fills custom-dose capsules with the pellets (the label allows opening a capsule onto applesauce only to swallow a whole dose).',
  },
  { name: 'desvenlafaxine', taperClass: 'antidepressant', forms: [], notes: [NO_ALTERNATE_DAY, NO_FORMS()] },
  { name: 'vortioxetine', taperClass: 'antidepressant', forms: [], notes: [NO_ALTERNATE_DAY, NO_FORMS()] },
];

function NO_FORMS(): DrugNote {
  return {
    text: 'The reference lists no dose forms: every step is reported as not deliverable.',
    status: 'D',
  };
}

const BZD_SHORT_HALF_LIFE: DrugNote = {
  text: 'Short half-life: inter-dose withdrawal; ASAM 2025 lets clinicians consider switching to a comparable dose of a longer-acting benzodiazepine over 1–2 weeks.',
  status: 'V',
};

const BENZODIAZEPINES_WITH_FORMS: TaperDrug[] = [
  {
    name: 'diazepam',
    taperClass: 'benzodiazepine',
    forms: [
      // 2 mg tablets are quarterable per the Ashton summary [S]; strengths themselves are C [U].
      ...tabs('diazepam', [2], { scored: [2] }, 'U', 'formsGeneral'),
      ...tabs('diazepam', [5, 10], {}, 'U', 'formsGeneral'),
      liquid('diazepam', 1, 'oral solution', 'V', 'formsLabel', { markets: ['US'] }), // A [V] 5 mg/5 mL
      liquid('diazepam', 5, 'oral concentrate (19 % alcohol)', 'V', 'formsLabel', { markets: ['US'] }), // A [V]
      liquid('diazepam', 0.4, 'oral solution (2 mg/5 mL)', 'U', 'formsGeneral', { markets: ['UK'] }), // C [U]
    ],
    notes: [{ text: 'Preferred tapering vehicle (Ashton): long half-life, small strengths.', status: 'S' }],
  },
  {
    name: 'clonazepam',
    taperClass: 'benzodiazepine',
    forms: [
      ...tabs('clonazepam', [0.5, 1, 2], {}, 'U', 'formsGeneral'),
      ...tabs('clonazepam', [0.125, 2], { release: 'ODT' }, 'U', 'formsGeneral'), // ODT 0.125–2 mg: ends of the range only
      liquid('clonazepam', 0.1, 'oral solution (0.5 mg/5 mL)', 'U', 'formsGeneral', { markets: ['UK'] }),
      liquid('clonazepam', 0.4, 'oral solution (2 mg/5 mL)', 'U', 'formsGeneral', { markets: ['UK'] }),
    ],
    notes: [],
  },
  {
    name: 'lorazepam',
    taperClass: 'benzodiazepine',
    forms: [
      ...tabs('lorazepam', [0.5, 1, 2], {}, 'U', 'formsGeneral'),
      liquid('lorazepam', 2, 'Intensol oral concentrate', 'U', 'formsGeneral'), // name [V], strength C [U]
    ],
    notes: [BZD_SHORT_HALF_LIFE],
  },
  {
    name: 'alprazolam',
    taperClass: 'benzodiazepine',
    forms: [
      ...tabs('alprazolam', [0.25, 0.5, 1, 2], {}, 'U', 'formsGeneral'),
      liquid('alprazolam', 1, 'Intensol oral concentrate', 'U', 'formsGeneral'), // name [V], strength C [U]
    ],
    notes: [BZD_SHORT_HALF_LIFE],
  },
];

const OTHER_BENZODIAZEPINES: TaperDrug[] = BENZODIAZEPINE_LIKE_DRUGS.filter(
  (name) => !BENZODIAZEPINES_WITH_FORMS.some((d) => d.name === name),
).map((name) => ({ name, taperClass: 'benzodiazepine' as const, forms: [], notes: [NO_FORMS()] }));

export const TAPER_DRUGS: readonly TaperDrug[] = [
  ...ANTIDEPRESSANTS,
  ...BENZODIAZEPINES_WITH_FORMS,
  ...OTHER_BENZODIAZEPINES,
];

export function findTaperDrug(name: string): TaperDrug | undefined {
  const key = name.trim().toLowerCase();
  return TAPER_DRUGS.find((d) => d.name === key);
}

export function hasOccupancyModel(drug: string): boolean {
  return occupancyModelsFor(drug).length > 0;
}
