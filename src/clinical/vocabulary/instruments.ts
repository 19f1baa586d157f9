/** The rating instruments Rein scores (definitions in src/clinical/instruments/definitions). */
export const INSTRUMENT_IDS = [
  'phq9',
  'phq2',
  'gad7',
  'qids-sr16',
  'madrs',
  'cssrs-screener',
  'cadss',
  'cadss6',
  'ssi',
] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];
