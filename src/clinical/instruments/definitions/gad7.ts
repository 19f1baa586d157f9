import type { InstrumentDefinition } from '../types';
import { frequencyOptions, loinc } from './common';

/**
 * GAD-7. Same Pfizer free-use terms as the PHQ (reference instruments.md §1.3 [V]), so wording ships.
 * Item LOINC codes: items 1–3 [V] (reference §1.3 / §2.1); items 4–7 (69734-2, 69735-9, 69689-8,
 * 69736-7) verified against the LOINC panel listing of the PHQ-SADS, https://loinc.org/69729-2
 * (LOINC 2.77), which lists all seven GAD-7 item codes with their names.
 */
const GAD7_ITEMS: { label: string; text: string; loinc: string; status: 'V' | 'U' }[] = [
  { label: 'Nervousness', text: 'Feeling nervous, anxious, or on edge', loinc: '69725-0', status: 'V' },
  {
    label: 'Uncontrolled worry',
    text: 'Not being able to stop or control worrying',
    loinc: '68509-9',
    status: 'V',
  },
  {
    label: 'Excessive worry',
    text: 'Worrying too much about different things',
    loinc: '69733-4',
    status: 'V',
  },
  { label: 'Trouble relaxing', text: 'Trouble relaxing', loinc: '69734-2', status: 'V' },
  {
    label: 'Restlessness',
    text: "Being so restless that it's hard to sit still",
    loinc: '69735-9',
    status: 'V',
  },
  { label: 'Irritability', text: 'Becoming easily annoyed or irritable', loinc: '69689-8', status: 'V' },
  {
    label: 'Fear of something awful',
    text: 'Feeling afraid, as if something awful might happen',
    loinc: '69736-7',
    status: 'V',
  },
];

export const gad7: InstrumentDefinition = {
  id: 'gad7',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder-7 (GAD-7)',
  rater: 'patient',
  // 2-week look-back (reference §1.3 [V]).
  recallPeriod: { days: 14, description: 'Over the last 2 weeks' },
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: GAD7_ITEMS.map((item, index) => ({
    id: String(index + 1),
    label: item.label,
    text: item.text,
    options: frequencyOptions(),
    loinc: loinc(item.loinc, item.status),
    scored: true,
    required: true,
    suicideItem: false,
  })),
  loinc: { panel: loinc('69737-5', 'V'), total: loinc('70274-6', 'V') },
  licence: {
    status: 'free-to-reproduce',
    itemTextShipped: true,
    note: 'Same Pfizer terms as the PHQ: no permission required to reproduce, translate, display or distribute.',
    source: 'https://www.phqscreeners.com/',
    sourceStatus: 'V',
  },
  // Seven items 0–3, total 0–21 (Spitzer RL et al. Arch Intern Med 2006;166:1092–1097; reference §1.3 [V]).
  totalRange: { min: 0, max: 21 },
  // Cut points 5/10/15 = mild/moderate/severe; 0–4 minimal (reference §1.3 [V]; §2.1 0–4/5–9/10–14/15–21).
  severityBands: [
    { label: 'minimal', min: 0, max: 4 },
    { label: 'mild', min: 5, max: 9 },
    { label: 'moderate', min: 10, max: 14 },
    { label: 'severe', min: 15, max: 21 },
  ],
  scoringSource: 'Spitzer RL et al. Arch Intern Med 2006;166:1092–1097 (reference §1.3 [V])',
  unverified: [],
};
