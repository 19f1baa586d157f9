import { describe, expect, it } from 'vitest';
import { CLINICIAN_PAGES, capabilityChecker, mayOpen, navLinks, type Capability } from './capabilities';

const FRONT_DESK: Capability[] = ['patients.read', 'patients.write'];
const NURSE: Capability[] = [
  ...FRONT_DESK,
  'clinical.read',
  'clinical.record',
  'alerts.read',
  'sessions.read',
  'sessions.record',
  'sessions.dose',
  'pk.use',
  'mechanism.use',
  'rems.read',
  'outcomes.read',
];

describe('capabilities', () => {
  it('allows nothing before the server has answered', () => {
    const can = capabilityChecker(undefined);
    expect(can('patients.read')).toBe(false);
    expect(navLinks(can).map((l) => l.to)).toEqual(['/']);
  });

  it('allows exactly what the server sent', () => {
    const can = capabilityChecker(NURSE);
    expect(can('sessions.record')).toBe(true);
    expect(can('courses.prescribe')).toBe(false);
    expect(can('users.manage')).toBe(false);
  });

  it('shows the front desk only the chart pages', () => {
    const can = capabilityChecker(FRONT_DESK);
    expect(navLinks(can).map((l) => l.label)).toEqual(['Start', 'Patients', 'Calendar', 'Due list']);
    expect(mayOpen(can, '/patients/:patientId/sessions/:sessionId')).toBe(false);
    expect(mayOpen(can, '/')).toBe(true);
  });

  it('keeps course and taper pages (they state doses) from the front desk', () => {
    const desk = capabilityChecker(FRONT_DESK);
    const nurse = capabilityChecker(NURSE);
    for (const to of [
      '/patients/:patientId/courses/:courseId',
      '/patients/:patientId/tapers/:taperId?',
    ] as const) {
      expect(mayOpen(desk, to)).toBe(false);
      expect(mayOpen(nurse, to)).toBe(true);
    }
  });

  it('keeps settings and users behind their capabilities', () => {
    const nurse = capabilityChecker(NURSE);
    expect(mayOpen(nurse, '/session-settings')).toBe(false);
    expect(mayOpen(nurse, '/users')).toBe(false);
    expect(mayOpen(nurse, '/clinic')).toBe(false);
    expect(mayOpen(nurse, '/infusion-planner')).toBe(true);
    const admin = capabilityChecker([...NURSE, 'settings.edit', 'users.manage', 'clinic.edit']);
    expect(navLinks(admin).map((l) => l.to)).toContain('/users');
    expect(navLinks(admin).map((l) => l.to)).toContain('/clinic');
    expect(navLinks(admin).map((l) => l.to)).toContain('/session-settings');
  });

  it('never lists a page that is not in the navigation', () => {
    const all = capabilityChecker(CLINICIAN_PAGES.flatMap((p) => ('requires' in p ? [p.requires] : [])));
    const navigable = CLINICIAN_PAGES.filter((p) => p.nav).map((p) => p.to);
    expect(navLinks(all).map((l) => l.to)).toEqual(navigable);
  });
});
