/**
 * Public API of the mechanism model (NMDA-receptor block → lateral-habenula bursting → spines).
 * Feed `simulateMechanism` with a plasma concentration series from the PK engine.
 */
export { integrate, integrateAt } from './ode';
export type { OdeMethod, OdeOptions, OdeResult, OdeRhs, OdeStats } from './ode';
export type { ParameterStatus, SourcedParameter } from './parameters';
export {
  equilibriumOccupancy,
  freeBrainParentUm,
  ngPerMlToUm,
  receptorParameters,
  simulateReceptorBlock,
  validateConcentrationSeries,
} from './receptor';
export type {
  ConcentrationSeries,
  MechanismDrug,
  ReceptorParameterOverrides,
  ReceptorParameters,
  ReceptorTimeCourse,
} from './receptor';
export {
  CONTROL_KIR41_LEVEL,
  DEFAULT_LHB_PARAMETERS,
  DEPRESSED_KIR41_LEVEL,
  LHB_PARAMETER_SOURCES,
  computeBurstSuppressionCurve,
  detectBursts,
  simulateLhbNeuron,
  simulateLhbPopulation,
} from './lhb';
export type {
  BurstSuppressionCurve,
  LhbActivity,
  LhbConditions,
  LhbParameters,
  LhbPopulationActivity,
  LhbPopulationOptions,
  LhbSimulationOptions,
} from './lhb';
export { BURST_SUPPRESSION_TABLE, BURST_TABLE, burstSuppressionFromBlock } from './burstTable';
export { simulateSpines, spineParameters } from './spines';
export type { SpineParameterOverrides, SpineParameters, SpineTimeCourse } from './spines';
export { MECHANISM_BANNER, simulateMechanism } from './pipeline';
export type { MechanismOptions, MechanismTimeCourse } from './pipeline';
export { mechanismRequestSchema, mechanismResponseSchema, runMechanism } from './api';
export type { MechanismRequest } from './api';
