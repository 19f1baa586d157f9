import type { InstrumentDefinition } from '../types';
import { numericOptions } from './common';

/**
 * CADSS, the 23-item version standard in the ketamine literature (19 subjective + 4 observer items;
 * Bremner 2024 JAD; Rodrigues 2021 — reference instruments.md §1.8 [V]). The per-item range 0–4 and
 * total 0–92 are unverified [U]: the item maximum is a setting (ScoringOptions.cadssItemMaxScore),
 * default 4, and every CADSS result lists it under `unverified`. Licence unknown [U]: labels only.
 */
export const CADSS_DEFAULT_ITEM_MAX = 4; // [U] reference §1.8: "0 … to 4 … widely reported, but not yet verified"

/** CADSS-6 short form: items 1, 2, 6, 7, 15, 22 of the 23-item CADSS (Rodrigues NB et al. J Affect Disord 2021;282:160–164 [V]). */
export const CADSS6_ITEMS = ['1', '2', '6', '7', '15', '22'];

const CADSS_LICENCE = {
  status: 'unknown' as const,
  itemTextShipped: false,
  note: 'Author-held; permission status unknown [U]. Clinics load licensed wording through a text overlay.',
  source: 'reference §1.8',
  sourceStatus: 'U' as const,
};

function items(ids: string[], itemMax: number) {
  return ids.map((id) => ({
    id,
    label: `CADSS item ${id}`,
    options: numericOptions(0, itemMax),
    scored: true,
    required: true,
    suicideItem: false,
  }));
}

export function cadssDefinition(itemMax: number = CADSS_DEFAULT_ITEM_MAX): InstrumentDefinition {
  const ids = Array.from({ length: 23 }, (_, i) => String(i + 1));
  return {
    id: 'cadss',
    version: '1.0.0',
    title: 'Clinician-Administered Dissociative States Scale, 23 items (CADSS)',
    rater: 'clinician',
    recallPeriod: { days: null, description: 'Current state (during or shortly after dosing)' },
    items: items(ids, itemMax),
    loinc: {},
    licence: CADSS_LICENCE,
    totalRange: { min: 0, max: 23 * itemMax },
    scoringSource:
      'Bremner JD et al. J Trauma Stress 1998; 23-item version per Bremner 2024 / Rodrigues 2021 (reference §1.8)',
    unverified: [
      `cadss.itemRange 0–${itemMax} (total 0–${23 * itemMax}) [U]`,
      'cadss.licence [U]',
      'cadss.loinc [U]',
    ],
  };
}

export function cadss6Definition(itemMax: number = CADSS_DEFAULT_ITEM_MAX): InstrumentDefinition {
  return {
    id: 'cadss6',
    version: '1.0.0',
    title: 'CADSS-6 short form (items 1, 2, 6, 7, 15, 22 of the CADSS)',
    rater: 'clinician',
    recallPeriod: { days: null, description: 'Current state (during or shortly after dosing)' },
    items: items(CADSS6_ITEMS, itemMax),
    loinc: {},
    licence: CADSS_LICENCE,
    totalRange: { min: 0, max: 6 * itemMax },
    scoringSource:
      'Rodrigues NB et al. J Affect Disord 2021;282:160–164 (rs = 0.91–0.95 with the full scale; not yet validated) (reference §1.8 [V])',
    unverified: [
      `cadss.itemRange 0–${itemMax} (total 0–${6 * itemMax}) [U]`,
      'cadss6.notYetValidated (reference §1.8)',
      'cadss.licence [U]',
    ],
  };
}
