import { CLINICAL_LEAD_ROLES } from '../clinical/vocabulary/roles';
import { CLINICAL_ROLES, PRESCRIBING_ROLES } from '../app/access';
import type { Role } from '../store/schema';

/**
 * Every route states who may call it. `public` routes need no login; `authenticated`
 * routes admit any logged-in staff member; otherwise the list of roles, and with `clinicalLead`
 * only those of them who hold the clinical-lead sign-off. One hook enforces it.
 */
export type Access =
  | { kind: 'public' }
  /**
   * `allowSignInPending`: also reachable before sign-in is complete — while a forced password change
   * or a required two-factor set-up is pending (me, logout, those two steps).
   */
  | { kind: 'authenticated'; allowSignInPending?: boolean }
  | { kind: 'roles'; roles: readonly Role[]; clinicalLead?: true };

export const PUBLIC: Access = { kind: 'public' };
export const ANY_STAFF: Access = { kind: 'authenticated' };
export const roles = (...allowed: Role[]): Access => ({ kind: 'roles', roles: allowed });

/**
 * Minimum necessary: the front desk (`staff`) works with who the patient is and when they come —
 * search, demographics and contact, the clinic calendar and a course's session dates, the due list
 * (what is due, never a score) and portal links. Everything that says how the patient is doing or
 * what they take — assessment answers and scores, alerts, allergies, diagnoses and treatment
 * history, medications, weights, course doses, tapers, session records, PK, FHIR and clinical
 * exports — is for clinicians only.
 */
export const FRONT_DESK_READ = roles('admin', 'prescriber', 'nurse', 'staff');
export const FRONT_DESK_WRITE = roles('admin', 'prescriber', 'nurse', 'staff');
/** Demographics, contact and scheduling: the front desk's part of a patient record. */
export const PATIENT_READ = FRONT_DESK_READ;
export const PATIENT_WRITE = FRONT_DESK_WRITE;
/** Clinical observations and everything derived from them: clinicians only, to read and to write. */
export const CLINICAL_READ = roles(...CLINICAL_ROLES);
export const CLINICAL_WRITE = roles(...CLINICAL_ROLES);
/** Prescribing (courses, tapers, their decisions); the same roles change a session's dose (src/app/access.ts). */
export const PRESCRIBE = roles(...PRESCRIBING_ROLES);
export const ADMIN_ONLY = roles('admin');
/**
 * The clinic's clinical policy (session settings): the clinical lead's sign-off, which an admin
 * does not hold by being admin (docs/clinical-sources/regulatory.md §4).
 */
export const CLINICAL_LEAD: Access = { kind: 'roles', roles: CLINICAL_LEAD_ROLES, clinicalLead: true };

export function isAllowed(access: Access, role: Role | null, clinicalLead = false): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'authenticated':
      return role !== null && role !== 'patient';
    case 'roles':
      return role !== null && access.roles.includes(role) && (access.clinicalLead !== true || clinicalLead);
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * What the web may offer a caller. Each capability is the access rule of the one route it stands
 * for, read from the route table at request time: a button is shown exactly when the server would
 * accept its request, and renaming or re-guarding a route changes the capability with it.
 */
export const CAPABILITY_ROUTES = {
  'patients.read': 'GET /api/patients',
  'patients.write': 'POST /api/patients',
  /** Clinical observations on the chart: assessments, measurements, medications. */
  'clinical.record': 'POST /api/patients/:patientId/assessments',
  /** Reading the chart's clinical parts: scores, weights, medications, courses' doses, tapers. */
  'clinical.read': 'GET /api/patients/:patientId/assessments',
  'alerts.read': 'GET /api/alerts',
  'eligibility.screen': 'POST /api/patients/:patientId/eligibility',
  'eligibility.signOff': 'POST /api/patients/:patientId/eligibility/:screeningId/sign-off',
  /** Prescribing a course; also who may change a course's dose at the chair (CHANGE_SESSION_DOSE). */
  'courses.prescribe': 'POST /api/patients/:patientId/courses',
  'courses.suggestions': 'GET /api/patients/:patientId/courses/:courseId/suggestions',
  'courseTemplates.edit': 'POST /api/course-templates',
  /** Reschedule, cancel or mark a no-show one session (the front desk books, so it may). */
  'bookings.change': 'POST /api/patients/:patientId/sessions/:sessionId/booking-changes',
  /** Cancel the rest of a course: a prescribing decision. */
  'courses.cancel': 'POST /api/patients/:patientId/courses/:courseId/cancel',
  /** The clinic's closures (holidays) the scheduler skips. */
  'clinic.closures': 'PUT /api/clinic/closures',
  /** Allergies and "no known allergies": clinicians, nurses included (they take the history). */
  'record.allergies': 'POST /api/patients/:patientId/allergies',
  /** The problem list, prior treatment trials and a course's primary diagnosis: prescribers. */
  'record.diagnose': 'POST /api/patients/:patientId/diagnoses',
  'sessions.read': 'GET /api/patients/:patientId/sessions/:sessionId',
  'sessions.record': 'POST /api/patients/:patientId/sessions/:sessionId/vitals',
  'sessions.dose': 'POST /api/patients/:patientId/sessions/:sessionId/dose-plan',
  /** Signing a session's order: prescribers. */
  'orders.sign': 'POST /api/patients/:patientId/sessions/:sessionId/orders',
  /** Verifying a drawn-up dose as the second person, and recording rescue medications given. */
  'orders.verify': 'POST /api/patients/:patientId/sessions/:sessionId/dose-verification',
  'orders.administer': 'POST /api/patients/:patientId/sessions/:sessionId/rescues',
  'rems.read': 'GET /api/rems/overdue',
  /** Writing and signing clinical notes (which kinds and who signs: src/clinical/notes/rules.ts). */
  'notes.write': 'POST /api/patients/:patientId/notes',
  /** Co-signing a note that needs it: prescribers and admins. */
  'notes.cosign': 'POST /api/patients/:patientId/notes/:noteId/cosign',
  'tapers.prescribe': 'POST /api/patients/:patientId/tapers',
  'tapers.monitor': 'GET /api/patients/:patientId/tapers/:taperId/monitoring',
  'outcomes.read': 'GET /api/outcomes/summary',
  'pk.use': 'POST /api/pk/plan',
  'mechanism.use': 'POST /api/mechanism/simulate',
  /** Clinic session settings: the clinical lead's sign-off (CLINICAL_LEAD). */
  'settings.edit': 'PUT /api/session-settings',
  /** The clinic's name, address, phone and time zone. */
  'clinic.edit': 'PUT /api/clinic/identity',
  'users.manage': 'GET /api/users',
} as const satisfies Record<string, `${string} /api/${string}`>;

export type Capability = keyof typeof CAPABILITY_ROUTES;
export const CAPABILITIES = Object.keys(CAPABILITY_ROUTES) as [Capability, ...Capability[]];

/** A route as the route table records it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access | undefined;
}

/**
 * The capabilities `role` holds under the routes' own access rules. Throws when a capability's
 * route is missing or undeclared, so a renamed route fails loudly instead of hiding a control.
 */
export function capabilitiesOf(
  routes: readonly RouteAccess[],
  role: Role | null,
  clinicalLead = false,
): Capability[] {
  return CAPABILITIES.filter((capability) => {
    const key = CAPABILITY_ROUTES[capability];
    const route = routes.find((r) => `${r.method} ${r.url}` === key);
    if (route?.access === undefined)
      throw new Error(`capability ${capability}: no route ${key} with an access rule`);
    return isAllowed(route.access, role, clinicalLead);
  });
}
