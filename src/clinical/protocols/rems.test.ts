import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { addDays } from '../calendar';
import type { RemsSessionData } from './rems';
import { buildRemsMonitoringForm, overdueRemsForms, remsPatientMonitoringFormSchema } from './rems';

const session: RemsSessionData = {
  patient: {
    firstName: 'Ada',
    lastName: 'Example',
    dateOfBirth: '1980-05-01',
    sex: 'female',
    firstTreatment: false,
    enrolledInRems: true,
  },
  medications: [
    { name: 'lorazepam', doseMg: 0.5, frequency: 'at-bedtime', classTags: ['benzodiazepine'] },
    { name: 'methylphenidate', doseMg: 10, frequency: 'twice-daily', classTags: ['stimulant'] },
    { name: 'sertraline', doseMg: 100, frequency: 'once-daily', classTags: ['ssri'] },
  ],
  monitoringHcp: { name: 'N. Nurse', phone: '555-0100', email: 'nurse@example.org' },
  setting: { name: 'Demo Clinic', address: '1 Main St' },
  sessionDate: '2026-12-01',
  doseMg: 84,
  lotNumber: 'LOT123',
  monitoringEndMin: 125,
  readyToLeaveMinFromStart: 90,
  bpReadings: [
    { timeMin: -10, sbpMmHg: 124, dbpMmHg: 78 },
    { timeMin: 38, sbpMmHg: 146, dbpMmHg: 88 },
    { timeMin: 90, sbpMmHg: 132, dbpMmHg: 80 },
    { timeMin: 120, sbpMmHg: 126, dbpMmHg: 79 },
  ],
  vitalSignsAcceptableBeforeAdministration: true,
  vitalSignsAcceptableBeforeCompletion: true,
  sedation: { observed: true, details: 'MOAA/S 4 at 30 min, resolved by 75 min' },
  dissociation: { observed: true },
  respiratoryDepression: { observed: false },
  pulseOximetryMonitored: true,
  seriousAdverseEventReported: false,
};

describe('buildRemsMonitoringForm', () => {
  it('maps the session onto the form fields', () => {
    const r = buildRemsMonitoringForm(session);
    if (!r.ok) throw new Error('expected a form');
    expect(r.form.treatment).toEqual({
      date: '2026-12-01',
      dose: '84 mg',
      lotNumber: 'LOT123',
      totalDurationMin: 125,
    });
    expect(r.form.concomitantMedications).toEqual({
      benzodiazepines: true,
      nonBenzodiazepineSedativeHypnotics: false,
      psychostimulants: true,
      maois: false,
      opioids: false,
    });
    expect(r.form.bloodPressure).toEqual({
      beforeAdministration: { sbpMmHg: 124, dbpMmHg: 78 },
      at40MinPostAdministration: { sbpMmHg: 146, dbpMmHg: 88 },
      beforeTreatmentCompletion: { sbpMmHg: 126, dbpMmHg: 79 },
    });
    expect(r.warnings).toEqual([]);
    expect(remsPatientMonitoringFormSchema.safeParse(r.form).success).toBe(true);
  });

  it('a non-standard dose is recorded as "other" with its mg', () => {
    const r = buildRemsMonitoringForm({ ...session, doseMg: 28 });
    expect(r.ok && r.form.treatment).toMatchObject({ dose: 'other', otherDoseMg: 28 });
  });

  it('lists missing blood pressures instead of inventing them', () => {
    const r = buildRemsMonitoringForm({
      ...session,
      bpReadings: [{ timeMin: 20, sbpMmHg: 130, dbpMmHg: 80 }],
    });
    expect(r).toEqual({
      ok: false,
      missing: [
        'bloodPressure.beforeAdministration',
        'bloodPressure.at40MinPostAdministration',
        'bloodPressure.beforeTreatmentCompletion',
      ],
    });
  });

  it('warns when monitoring was shorter than 120 min (exactly 120 is fine)', () => {
    const at120 = buildRemsMonitoringForm({ ...session, monitoringEndMin: 120 });
    expect(at120.ok && at120.warnings).toEqual([]);
    const short = buildRemsMonitoringForm({ ...session, monitoringEndMin: 119 });
    expect(short.ok && short.warnings[0]).toMatch(/below the REMS minimum of 120 min/);
  });

  it('rejects bad input naming the field', () => {
    try {
      buildRemsMonitoringForm({ ...session, monitoringHcp: { ...session.monitoringHcp, email: 'nope' } });
    } catch (e) {
      expect(e).toBeInstanceOf(ClinicalInputError);
      expect((e as ClinicalInputError).field).toBe('monitoringHcp.email');
    }
    expect.assertions(2);
  });
});

describe('overdueRemsForms', () => {
  it('day 7 after the session is still in time; day 8 is 1 day overdue', () => {
    const forms = [{ sessionId: 's1', sessionDate: '2026-12-01' }];
    expect(overdueRemsForms(forms, '2026-12-08')).toEqual([]);
    expect(overdueRemsForms(forms, '2026-12-09')).toEqual([
      { sessionId: 's1', sessionDate: '2026-12-01', dueDate: '2026-12-08', daysOverdue: 1 },
    ]);
  });
  it('submitted forms are never listed; results are sorted most overdue first', () => {
    const r = overdueRemsForms(
      [
        { sessionId: 'a', sessionDate: '2026-11-20' },
        { sessionId: 'b', sessionDate: '2026-11-10' },
        { sessionId: 'c', sessionDate: '2026-11-01', submittedOn: '2026-11-05' },
      ],
      '2026-12-01',
    );
    expect(r.map((f) => f.sessionId)).toEqual(['b', 'a']);
  });
  it('rejects a bad date naming it', () => {
    try {
      overdueRemsForms([{ sessionId: 'x', sessionDate: '2026-02-31' }], '2026-03-10');
      expect.unreachable();
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('forms.0.sessionDate');
    }
    expect(() => overdueRemsForms([], 'today')).toThrow(ClinicalInputError);
  });
  it('property: an unsubmitted form is overdue iff more than 7 days have passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (d) => {
        const r = overdueRemsForms([{ sessionId: 's', sessionDate: '2026-01-15' }], addDays('2026-01-15', d));
        expect(r.length).toBe(d > 7 ? 1 : 0);
        if (d > 7) expect(r[0]!.daysOverdue).toBe(d - 7);
      }),
    );
  });
});
