export * from './open';
export * from './tx';
export * from './errors';
export * as schema from './schema';
