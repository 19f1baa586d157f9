import type { InstrumentDefinition, ItemDefinition } from '../types';
import { frequencyOptions, loinc } from './common';

/**
 * PHQ-9 and PHQ-2. Wording is reproduced because the copyright notice states "No permission
 * required to reproduce, translate, display or distribute" (reference instruments.md §1.1 [V],
 * https://www.phqscreeners.com/).
 */
const PHQ_SOURCE = 'Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16:606–613 (PHQ-9)';

// Item LOINC codes in item order: reference §1.1 [V].
const PHQ9_ITEMS: { label: string; text: string; loinc: string }[] = [
  { label: 'Interest or pleasure', text: 'Little interest or pleasure in doing things', loinc: '44250-9' },
  { label: 'Depressed mood', text: 'Feeling down, depressed, or hopeless', loinc: '44255-8' },
  {
    label: 'Sleep',
    text: 'Trouble falling or staying asleep, or sleeping too much',
    loinc: '44259-0',
  },
  { label: 'Energy', text: 'Feeling tired or having little energy', loinc: '44254-1' },
  { label: 'Appetite', text: 'Poor appetite or overeating', loinc: '44251-7' },
  {
    label: 'Self-worth',
    text: 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    loinc: '44258-2',
  },
  {
    label: 'Concentration',
    text: 'Trouble concentrating on things, such as reading the newspaper or watching television',
    loinc: '44252-5',
  },
  {
    label: 'Psychomotor',
    text:
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so ' +
      'fidgety or restless that you have been moving around a lot more than usual',
    loinc: '44253-3',
  },
  {
    label: 'Thoughts of death or self-harm',
    text: 'Thoughts that you would be better off dead, or of hurting yourself in some way',
    loinc: '44260-8',
  },
];

function phqItems(count: number): ItemDefinition[] {
  return PHQ9_ITEMS.slice(0, count).map((item, index) => ({
    id: String(index + 1),
    label: item.label,
    text: item.text,
    options: frequencyOptions(),
    loinc: loinc(item.loinc, 'V'),
    scored: true,
    required: true,
    // Item 9: "requires immediate clinical evaluation for any positive response" (reference §1.1 [V]).
    suicideItem: index === 8,
  }));
}

const STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

/** PHQ-9 difficulty item: recorded, never scored; LOINC 69722-7 (reference §1.1 [V]). */
const DIFFICULTY_ITEM: ItemDefinition = {
  id: 'difficulty',
  label: 'Functional difficulty (not scored)',
  text:
    'If you checked off any problems, how difficult have these problems made it for you to do your ' +
    'work, take care of things at home, or get along with other people?',
  options: [
    { value: 0, label: 'Not difficult at all', text: 'Not difficult at all' },
    { value: 1, label: 'Somewhat difficult', text: 'Somewhat difficult' },
    { value: 2, label: 'Very difficult', text: 'Very difficult' },
    { value: 3, label: 'Extremely difficult', text: 'Extremely difficult' },
  ],
  loinc: loinc('69722-7', 'V'),
  scored: false,
  required: false,
  suicideItem: false,
};

const PHQ_LICENCE = {
  status: 'free-to-reproduce' as const,
  itemTextShipped: true,
  note:
    'Copyright © Pfizer Inc. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and ' +
    'colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, ' +
    'translate, display or distribute.',
  source: 'https://www.phqscreeners.com/; HL7 US Core PHQ-9 Questionnaire copyright statement',
  sourceStatus: 'V' as const,
};

export const phq9: InstrumentDefinition = {
  id: 'phq9',
  version: '1.0.0',
  title: 'Patient Health Questionnaire-9 (PHQ-9)',
  rater: 'patient',
  // 2-week look-back (reference §1.1 [V]).
  recallPeriod: { days: 14, description: 'Over the last 2 weeks' },
  stem: STEM,
  items: [...phqItems(9), DIFFICULTY_ITEM],
  loinc: { panel: loinc('44249-1', 'V'), total: loinc('44261-6', 'V') },
  licence: PHQ_LICENCE,
  // Nine items 0–3, total 0–27 (reference §1.1 [V], Kroenke 2001).
  totalRange: { min: 0, max: 27 },
  // 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe
  // (reference §1.1 [V], MII PRO IG; Kroenke 2001).
  severityBands: [
    { label: 'minimal', min: 0, max: 4 },
    { label: 'mild', min: 5, max: 9 },
    { label: 'moderate', min: 10, max: 14 },
    { label: 'moderately-severe', min: 15, max: 19 },
    { label: 'severe', min: 20, max: 27 },
  ],
  scoringSource: `${PHQ_SOURCE}; severity bands MII PRO IG (reference §1.1 [V])`,
  unverified: [],
};

export const phq2: InstrumentDefinition = {
  id: 'phq2',
  version: '1.0.0',
  title: 'Patient Health Questionnaire-2 (PHQ-2)',
  rater: 'patient',
  recallPeriod: { days: 14, description: 'Over the last 2 weeks' },
  stem: STEM,
  // Items 1–2 of the PHQ-9 (reference §1.2).
  items: phqItems(2),
  loinc: { panel: loinc('55757-9', 'V'), total: loinc('55758-7', 'V') },
  licence: PHQ_LICENCE,
  // Total 0–6; cut-off ≥3 (reference §1.2).
  totalRange: { min: 0, max: 6 },
  scoringSource: `${PHQ_SOURCE}; PHQ-2 = items 1–2, cut-off ≥3 (reference §1.2)`,
  unverified: [],
};
