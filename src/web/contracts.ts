/**
 * The request schemas the server validates with, re-exported for the web's forms: a form refuses
 * what the server would refuse, with the same messages. The one place the web imports them from,
 * so moving a schema changes one import here.
 *
 * The schemas still live beside the store; once they sit in src/server/schemas (pure zod), these
 * imports point there and the lint exception below goes.
 */
// eslint-disable-next-line no-restricted-imports -- shared request contracts (pure zod), not the store
export {
  adverseEventSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  observationSchema,
  vitalsEntrySchema,
} from '../store/inputs-sessions';
export {
  bodyMeasurementCreateSchema,
  medicationCreateSchema,
  medicationUpdateSchema,
  patientCreateSchema,
  patientUpdateSchema,
} from '../server/schemas/patients';
