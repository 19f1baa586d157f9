/** Public surface of the PK engine (pure; no I/O). */
export * from './api';
export * from './models';
export * from './planning';
export * from './regimen';
export * from './simulate';
export * from './tci';
export {
  makePropagator,
  solveLinear,
  statesAt,
  type InputEvent,
  type LinearSystem,
  type PropagatorMethod,
} from './solver';
