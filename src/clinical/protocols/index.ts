/** Public API of the protocols core (eligibility, interactions, courses, sessions, REMS, titration). */
export * from './evidence';
export * from './eligibility';
export * from './interactions';
export * from './templates';
export * from './scheduler';
export * from './vitals';
export * from './session';
export * from './infusion';
export * from './rems';
export * from './titration';
export * from './relapse-history';
