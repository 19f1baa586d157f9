/**
 * The clinical calculators on their own, for values a person types at the command line (`rein pk`,
 * `rein mechanism`, `rein score`, `rein taper`): no clinic, no patient, nothing read, stored or
 * audited, so there is nothing to load and no transaction. The same engines with a patient's record
 * and the clinic's settings are the use cases in pk.ts, mechanism.ts, assessments.ts and tapers.ts.
 * This module stays free of the store so the calculators start without a database driver.
 */

/** Pharmacokinetics: the published models, simulation, pump planning and TCI from regimen text. */
export { listModels, planInfusion, planTci, simulate, toSnakeCaseJson } from '../clinical/pk';

/** The educational mechanism model for a regimen. */
export { mechanismFromRegimen } from '../clinical/mechanism/fromRegimen';

/** The instruments Rein scores, and scoring one set of answers. */
export { getInstrument, instruments, scoreInstrument } from '../clinical/instruments';

/** The taper planner, the benzodiazepine flag before ketamine, and their reference tables. */
export {
  bzdKetamineFlag,
  CHECK_IN_ITEMS,
  EQUIVALENCE_TABLES,
  OCCUPANCY_MODELS,
  planTaper,
  TAPER_DRUGS,
} from '../clinical/taper';
