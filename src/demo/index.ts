/**
 * The synthetic demo clinic generator: invented patients, courses, sessions and assessments made
 * with the clinical core's rules, persisted through the app's use cases (src/app/demo.ts).
 * Deterministic: the same seed gives the same clinic. The shells enter through ./load.ts.
 */
export { DEFAULT_DEMO_SEED, demoStaff, generatePatient, generatePatients } from './generate';
export { DemoBookings, demoClinicSettings, demoHistoryDays } from './bookings';
export type { DemoClinicSpec, DemoRows, DemoStaffMember } from './generate';
export {
  DEMO_BATCH_PATIENTS,
  DEMO_PATIENT_COUNT,
  MAX_DEMO_CLINICS,
  MAX_DEMO_PATIENTS,
  addToSummary,
  emptySummary,
  loadDemoClinic,
  loadDemoData,
  type DemoSummary,
  type LoadDemoInput,
  type LoadDemoOptions,
} from './clinic';
export {
  generateDemoNetwork,
  networkSizes,
  type DemoClinicResult,
  type DemoNetworkOptions,
  type DemoNetworkResult,
} from './network';
