/** Public API of the clinic outcomes module (pure). Sources: docs/clinical-sources/outcomes.md. */
export * from './stats';
export * from './baseline';
export * from './course';
export * from './summary';
export * from './facts';
export type * from './export-rows';
export * from './cohort';
