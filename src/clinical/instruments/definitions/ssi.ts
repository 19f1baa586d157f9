import type { InstrumentDefinition } from '../types';
import { numericOptions } from './common';

/**
 * Scale for Suicide Ideation (SSI; Beck, Kovacs, Weissman 1979), clinician-rated: 19 items, each 0–2
 * (item 13 has 4 answer choices weighted 0–2), total 0–38 (Millisecond SSI manual; reference
 * instruments.md §1.9 [V]). Licence of the SSI itself is not stated in the reference (the self-report
 * BSS is sold by Pearson [S]); Rein ships labels only. For item 13 the clinician records the manual's
 * weight (0–2) of the chosen answer.
 */
export const ssi: InstrumentDefinition = {
  id: 'ssi',
  version: '1.0.0',
  title: 'Scale for Suicide Ideation (SSI), clinician-rated',
  rater: 'clinician',
  recallPeriod: { days: null, description: 'As specified by the SSI manual' },
  items: Array.from({ length: 19 }, (_, i) => ({
    id: String(i + 1),
    label: i === 12 ? 'SSI item 13 (record the weight 0–2 of the chosen answer)' : `SSI item ${i + 1}`,
    options: numericOptions(0, 2),
    scored: true,
    required: true,
    // Every SSI item describes suicidal ideation; SSI > 0 raises the suicidality flag.
    suicideItem: true,
  })),
  loinc: {},
  licence: {
    status: 'unknown',
    itemTextShipped: false,
    note:
      'SSI licence not stated in the reference; the self-report Beck Scale for Suicide Ideation (BSS) is ' +
      'sold by Pearson (copyrighted, purchase required) [S]. Labels only.',
    source: 'reference §1.9',
    sourceStatus: 'U',
  },
  totalRange: { min: 0, max: 38 },
  scoringSource:
    'Beck AT, Kovacs M, Weissman A. J Consult Clin Psychol 1979;47:343–352; Millisecond SSI manual (reference §1.9 [V])',
  unverified: ['ssi.licence [U]', 'ssi.loinc [U]'],
};
