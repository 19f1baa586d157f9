import { ClinicalInputError } from '../errors';
import { cadss6Definition, cadssDefinition } from './definitions/cadss';
import { cssrsScreener } from './definitions/cssrs';
import { gad7 } from './definitions/gad7';
import { madrs } from './definitions/madrs';
import { phq2, phq9 } from './definitions/phq';
import { qidsSr16 } from './definitions/qids';
import { ssi } from './definitions/ssi';
import { INSTRUMENT_IDS, type InstrumentDefinition, type InstrumentId, type ScoringOptions } from './types';

/** All instruments with their default settings, in a stable order. */
export const instruments: readonly InstrumentDefinition[] = [
  phq9,
  phq2,
  gad7,
  qidsSr16,
  madrs,
  cssrsScreener,
  cadssDefinition(),
  cadss6Definition(),
  ssi,
];

export function isInstrumentId(value: string): value is InstrumentId {
  return (INSTRUMENT_IDS as readonly string[]).includes(value);
}

/**
 * The definition of one instrument. Settings that change a definition (the unverified CADSS item
 * maximum) are applied here; severity-band overrides are applied by the scorer.
 */
export function getInstrument(id: string, options: ScoringOptions = {}): InstrumentDefinition {
  if (!isInstrumentId(id)) {
    throw new ClinicalInputError(
      'instrument',
      `unknown instrument "${id}"; expected one of ${INSTRUMENT_IDS.join(', ')}`,
    );
  }
  if (id === 'cadss' || id === 'cadss6') {
    const itemMax = options.cadssItemMaxScore;
    if (itemMax !== undefined) {
      if (!Number.isInteger(itemMax) || itemMax < 1) {
        throw new ClinicalInputError('cadssItemMaxScore', `must be a positive integer, got ${itemMax}`);
      }
      return id === 'cadss' ? cadssDefinition(itemMax) : cadss6Definition(itemMax);
    }
  }
  const found = instruments.find((d) => d.id === id);
  if (!found) throw new ClinicalInputError('instrument', `unknown instrument "${id}"`);
  return found;
}
