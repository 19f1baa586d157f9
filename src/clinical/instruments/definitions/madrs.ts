import type { InstrumentDefinition } from '../types';
import { numericOptions } from './common';

/**
 * MADRS, clinician-rated. Licence for electronic use is unverified [U] (German GPDS lists it as
 * "license required" [V]), so Rein ships labels only; a clinic may load its licensed wording
 * (docs/instruments-licensed-text.md). Items and 0–6 rating: reference instruments.md §1.5 [V].
 */
const LABELS = [
  'Apparent sadness',
  'Reported sadness',
  'Inner tension',
  'Reduced sleep',
  'Reduced appetite',
  'Concentration difficulties',
  'Lassitude',
  'Inability to feel',
  'Pessimistic thoughts',
  'Suicidal thoughts',
];

export const madrs: InstrumentDefinition = {
  id: 'madrs',
  version: '1.0.0',
  title: 'Montgomery–Åsberg Depression Rating Scale (MADRS)',
  rater: 'clinician',
  // Look-back about 1 week (reference §1.5 [V]); a 24-h-recall variant exists (MADRS-24h [V]).
  recallPeriod: { days: 7, description: 'About the past week (standard MADRS)' },
  items: LABELS.map((label, index) => ({
    id: String(index + 1),
    label,
    // 0–6: defined steps 0/2/4/6 with in-between 1/3/5 (reference §1.5 [V]).
    options: numericOptions(0, 6),
    scored: true,
    required: true,
    // Item 10, suicidal thoughts; flagged at ≥1.
    suicideItem: index === 9,
  })),
  // LOINC not confirmed [U] (reference §1.5): none shipped.
  loinc: {},
  licence: {
    status: 'unknown',
    itemTextShipped: false,
    note:
      'Licensing unclear: the German Psychiatric Data Set IG lists MADRS as "license required" [V]; ' +
      'US/English status for electronic use unverified [U]; treated as copyrighted until cleared. ' +
      'SIGMA (Williams & Kobak 2008) is a separate work.',
    source: 'simplifier.net GPDS licenses page (reference §1.5)',
    sourceStatus: 'U',
  },
  // Total 0–60 (reference §1.5 [V]).
  totalRange: { min: 0, max: 60 },
  // Snaith bands: 0–6 absent ("normal"), 7–19 mild, 20–34 moderate, 35–60 severe (reference §1.5 [V]).
  severityBands: [
    { label: 'normal', min: 0, max: 6 },
    { label: 'mild', min: 7, max: 19 },
    { label: 'moderate', min: 20, max: 34 },
    { label: 'severe', min: 35, max: 60 },
  ],
  scoringSource:
    'Montgomery & Åsberg 1979; Snaith bands (reference §1.5 [V]: strokengine, MDCalc, Cambio CDS)',
  unverified: ['madrs.licence [U]', 'madrs.loinc [U]'],
};
