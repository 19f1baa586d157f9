/** The treatment session as a pure domain: typed events, the fold, its state, decisions, projections. */
export * from './events';
export * from './fold';
export * from './rules';
export * from './dosing-day';
export * from './state';
export * from './decide';
export * from './project';
export * from './commands';
export * from './settings';
export * from './booking';
export * from './orders';
export * from './mar';
export * from './board';
