/** Public API of the instruments module (definitions, scoring, overlays, schemas). */
export * from './types';
export { instruments, getInstrument, isInstrumentId } from './registry';
export {
  scoreInstrument,
  cssrsRisk,
  cadss6FromCadss,
  isSuicideItemPositive,
  validateSeverityBands,
  PHQ2_DEFAULT_POSITIVE_CUTOFF,
} from './score';
export { applyTextOverlay, renderDefinition, textOverlaySchema, type TextOverlay } from './overlay';
export * from './schemas';
export { QIDS_DOMAINS } from './definitions/qids';
export { CADSS6_ITEMS, CADSS_DEFAULT_ITEM_MAX } from './definitions/cadss';
export * from './outcomes';
export * from './schedule';
export * from './suicidality';
