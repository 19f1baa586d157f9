import { describe, expect, it } from 'vitest';
import type { RemsSessionData } from './rems';
import { buildRemsMonitoringForm, REMS_FORM_SEX, remsSexFor } from './rems';

const session = (sex: RemsSessionData['patient']['sex']): RemsSessionData => ({
  patient: {
    firstName: 'Sam',
    lastName: 'Example',
    dateOfBirth: '1980-05-01',
    sex,
    firstTreatment: false,
    enrolledInRems: true,
  },
  medications: [],
  monitoringHcp: { name: 'N. Nurse', phone: '555-0100', email: 'nurse@example.org' },
  setting: { name: 'Demo Clinic', address: '1 Main St' },
  sessionDate: '2026-12-01',
  doseMg: 56,
  lotNumber: 'LOT1',
  monitoringEndMin: 125,
  readyToLeaveMinFromStart: 90,
  bpReadings: [
    { timeMin: -10, sbpMmHg: 124, dbpMmHg: 78 },
    { timeMin: 40, sbpMmHg: 140, dbpMmHg: 86 },
    { timeMin: 120, sbpMmHg: 126, dbpMmHg: 79 },
  ],
  vitalSignsAcceptableBeforeAdministration: true,
  vitalSignsAcceptableBeforeCompletion: true,
  sedation: { observed: false },
  dissociation: { observed: false },
  respiratoryDepression: { observed: false },
  pulseOximetryMonitored: true,
  seriousAdverseEventReported: false,
});

describe('REMS Patient Monitoring Form: patient sex', () => {
  it('offers what the current form offers: Male, Female, Other', () => {
    expect([...REMS_FORM_SEX].sort()).toEqual(['female', 'male', 'other']);
  });

  it('maps intersex to "other", keeps female and male, and never guesses an unknown sex', () => {
    expect(remsSexFor('female')).toBe('female');
    expect(remsSexFor('male')).toBe('male');
    expect(remsSexFor('intersex')).toBe('other');
    expect(remsSexFor('unknown')).toBeNull();
  });

  it('builds a form for a patient whose sex is "other"', () => {
    const r = buildRemsMonitoringForm(session('other'));
    if (!r.ok) throw new Error(`expected a form, missing ${r.missing.join(', ')}`);
    expect(r.form.patient.sex).toBe('other');
  });
});
