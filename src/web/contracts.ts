/**
 * The request schemas the server validates with, re-exported for the web's forms: a form refuses
 * what the server would refuse, with the same messages. The one place the web imports them from,
 * so moving a schema changes one import here. They are pure zod (src/server/schemas), so the
 * browser bundle carries no server or database code.
 */
export {
  adverseEventSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  observationSchema,
  vitalsEntrySchema,
} from '../server/schemas/sessions';
export {
  bodyMeasurementCreateSchema,
  medicationCreateSchema,
  medicationUpdateSchema,
  patientCreateSchema,
  patientUpdateSchema,
} from '../server/schemas/patients';
export {
  allergyCreateSchema,
  diagnosisCreateSchema,
  trialCreateSchema,
} from '../server/schemas/clinical-record';
export { clinicIdentitySchema } from '../server/schemas/clinic';
export { userCredentialsSchema } from '../server/schemas/users';
export { bookingChangeCreateSchema, courseCancelSchema } from '../server/schemas/courses';
export { noteAddendumSchema, noteDraftSchema } from '../server/schemas/notes';
