/**
 * What the signed-in user may do, as the server computed it from its own access rules
 * (`capabilities` in /api/auth/me). The web never reasons about role names: it shows a page or a
 * control exactly when the server would accept the request behind it.
 */
import type { paths } from './api/schema';

export type MeResponse = paths['/api/auth/me']['get']['responses'][200]['content']['application/json'];
export type Capability = MeResponse['capabilities'][number];
export type Can = (capability: Capability) => boolean;

/** A checker over the capabilities the server sent; nothing is allowed before they arrive. */
export function capabilityChecker(capabilities: readonly Capability[] | undefined): Can {
  const held = new Set(capabilities ?? []);
  return (capability) => held.has(capability);
}

export interface ClinicianPage {
  to: string;
  label: string;
  /** Shown in the navigation (pages reached from a patient's chart are not). */
  nav: boolean;
  requires?: Capability;
}

/** The clinician app's top-level pages and what each needs; the router and the navigation share it. */
export const CLINICIAN_PAGES = [
  { to: '/', label: 'Start', nav: true },
  { to: '/patients', label: 'Patients', nav: true, requires: 'patients.read' },
  { to: '/calendar', label: 'Calendar', nav: true, requires: 'patients.read' },
  { to: '/due', label: 'Due list', nav: true, requires: 'patients.read' },
  { to: '/alerts', label: 'Alerts', nav: true, requires: 'alerts.read' },
  { to: '/infusion-planner', label: 'Infusion planner', nav: true, requires: 'pk.use' },
  { to: '/mechanism', label: 'Mechanism', nav: true, requires: 'mechanism.use' },
  { to: '/rems', label: 'REMS forms', nav: true, requires: 'rems.read' },
  { to: '/outcomes', label: 'Outcomes', nav: true, requires: 'outcomes.read' },
  { to: '/course-templates', label: 'Course templates', nav: true, requires: 'sessions.read' },
  { to: '/session-settings', label: 'Session settings', nav: true, requires: 'settings.edit' },
  { to: '/clinic', label: 'Clinic', nav: true, requires: 'clinic.edit' },
  { to: '/users', label: 'Users', nav: true, requires: 'users.manage' },
  { to: '/patients/:patientId/sessions/:sessionId', label: 'Session', nav: false, requires: 'sessions.read' },
  // A course lists each session's dose and a taper each step's dose: clinical reads.
  { to: '/patients/:patientId/courses/:courseId', label: 'Course', nav: false, requires: 'clinical.read' },
  { to: '/patients/:patientId/tapers/:taperId?', label: 'Taper', nav: false, requires: 'clinical.read' },
] as const satisfies readonly ClinicianPage[];

export type ClinicianPath = (typeof CLINICIAN_PAGES)[number]['to'];

/** May the user open the page at `to`? Pages without a requirement are open to all staff. */
export function mayOpen(can: Can, to: ClinicianPath): boolean {
  const page: ClinicianPage | undefined = CLINICIAN_PAGES.find((p) => p.to === to);
  return page?.requires === undefined || can(page.requires);
}

/** The navigation links the user may follow, in order. */
export function navLinks(can: Can): { to: string; label: string }[] {
  return CLINICIAN_PAGES.filter(
    (p: ClinicianPage) => p.nav && (p.requires === undefined || can(p.requires)),
  ).map(({ to, label }) => ({ to, label }));
}
