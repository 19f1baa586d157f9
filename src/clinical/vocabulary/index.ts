/**
 * The clinical vocabulary: the small lists (and their zod enums) that every layer, the web
 * included, may import. Only data and zod here, so a browser bundle can take it whole.
 */
export * from './adverse-events';
export * from './evidence-statuses';
export * from './instruments';
export * from './medication-classes';
export * from './modalities';
export * from './pk';
export * from './plausible-ranges';
export * from './roles';
export * from './records';
export * from './session-events';
export * from './tapers';
export * from './clinical-record';
export * from './booking';
export * from './orders';
export * from './notes';
export * from './date-format';
export * from './eligibility';
export * from './suggestions';
