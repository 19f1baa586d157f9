import { describe, expect, it } from 'vitest';
import type { ScoreExportRow } from '../../clinical/outcomes/export-rows';
import { planImport } from './import';
import { patientBundle } from './patient-bundle';

const PID = '01936f3e-0000-7000-8000-000000000001';
const phq: ScoreExportRow = {
  responseId: '01936f3e-0000-7000-8000-0000000000a1',
  rootId: '01936f3e-0000-7000-8000-0000000000a1',
  version: 1,
  patientId: PID,
  instrument: 'phq9',
  instrumentVersion: '1.0.0',
  context: 'baseline',
  sessionId: null,
  administeredAt: new Date('2026-03-01T09:00:00Z'),
  respondent: 'patient',
  totalScore: 19,
  severity: 'moderately-severe',
  cssrsRisk: null,
  suicidality: true,
  flags: [],
  partialItemIds: null,
  items: { '1': 3, '2': 3, '3': 2, '4': 2, '5': 2, '6': 2, '7': 2, '8': 2, '9': 1, difficulty: 2 },
};
const exported = patientBundle({
  patient: {
    id: PID,
    mrn: 'MRN-7',
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1980-05-17',
    sexAtBirth: 'female',
    phone: '+1 555 0100',
  },
  medications: [
    {
      id: '01936f3e-0000-7000-8000-0000000000d1',
      name: 'lorazepam',
      rxnormCode: '6470',
      startDate: '2025-01-01',
    },
  ],
  scores: [phq, { ...phq, responseId: '01936f3e-0000-7000-8000-0000000000a2', totalScore: 22, items: {} }],
  courses: [],
  tapers: [],
  generatedAt: new Date('2026-03-20T12:00:00Z'),
  fhirBase: 'https://a.example.org/fhir',
});

describe('planImport', () => {
  it('round-trips Rein’s own export: patient, medication, and the PHQ-9 with its items; a total alone is an error', () => {
    const plan = planImport(exported);
    expect(plan.patients).toHaveLength(1);
    expect(plan.patients[0]!.input).toMatchObject({
      mrn: 'MRN-7',
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '1980-05-17',
      sexAtBirth: 'female',
      phone: '+1 555 0100',
    });
    expect(plan.medications).toEqual([
      expect.objectContaining({
        patientEntry: plan.patients[0]!.entry,
        input: expect.objectContaining({ name: 'lorazepam', rxnormCode: '6470', startDate: '2025-01-01' }),
      }),
    ]);
    expect(plan.assessments).toHaveLength(1);
    expect(plan.assessments[0]).toMatchObject({
      instrument: 'phq9',
      administeredAt: '2026-03-01T09:00:00.000Z',
    });
    const { difficulty: _d, ...scored } = phq.items;
    expect(plan.assessments[0]!.answers).toEqual(scored);
    // The second PHQ-9 has a total and no items.
    expect(plan.issues).toHaveLength(1);
    expect(plan.issues[0]).toMatchObject({ resourceType: 'Observation', path: 'hasMember' });
    expect(plan.issues[0]!.message).toMatch(/total alone cannot be imported/);
    // Questionnaire and QuestionnaireResponse are skipped, item Observations are consumed.
    expect(plan.skipped.map((s) => s.resourceType).sort()).toEqual([
      'Questionnaire',
      'QuestionnaireResponse',
    ]);
  });

  it('reports per-resource errors: unresolved subject, mismatching total, missing date, not a bundle', () => {
    const entries = exported.entry!.filter((e) => {
      const r = e.resource!;
      return !(r.resourceType === 'Observation' && r.valueInteger === 22);
    });
    const tampered = structuredClone({ ...exported, entry: entries });
    const med = tampered.entry!.find((e) => e.resource!.resourceType === 'MedicationStatement')!.resource as {
      subject: { reference: string };
    };
    med.subject.reference = 'Patient/elsewhere';
    const total = tampered.entry!.find(
      (e) => e.resource!.resourceType === 'Observation' && 'hasMember' in e.resource!,
    )!.resource as { valueInteger: number; effectiveDateTime?: string };
    total.valueInteger = 18;
    const plan = planImport(tampered);
    expect(plan.issues.map((i) => [i.resourceType, i.path])).toEqual([
      ['MedicationStatement', 'subject'],
      ['Observation', 'valueInteger'],
    ]);
    expect(plan.assessments).toHaveLength(0);
    delete total.effectiveDateTime;
    total.valueInteger = 19;
    expect(planImport(tampered).issues.map((i) => i.path)).toContain('effectiveDateTime');
    expect(planImport({ resourceType: 'Patient' }).issues[0]).toMatchObject({
      entry: -1,
      path: 'resourceType',
    });
    expect(planImport({ resourceType: 'Bundle', entry: [{}] }).issues[0]).toMatchObject({
      entry: 0,
      path: 'resource',
    });
  });

  it('reads item answers from components, and rejects an out-of-range answer', () => {
    const codes = [
      '44250-9',
      '44255-8',
      '44259-0',
      '44254-1',
      '44251-7',
      '44258-2',
      '44252-5',
      '44253-3',
      '44260-8',
    ];
    const obs = (values: number[]) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] },
      subject: { reference: 'urn:uuid:p1' },
      effectiveDateTime: '2026-01-02T10:00:00Z',
      component: codes.map((code, i) => ({
        code: { coding: [{ system: 'http://loinc.org', code }] },
        valueInteger: values[i],
      })),
    });
    const bundle = (values: number[]) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:p1',
          resource: {
            resourceType: 'Patient',
            identifier: [{ value: 'X1' }],
            name: [{ family: 'B', given: ['C'] }],
            birthDate: '1990-01-01',
            gender: 'other',
          },
        },
        { resource: obs(values) },
      ],
    });
    const ok = planImport(bundle([1, 1, 1, 1, 1, 1, 1, 1, 0]));
    expect(ok.issues).toEqual([]);
    expect(ok.patients[0]!.input.sexAtBirth).toBe('unknown');
    expect(ok.assessments[0]!.answers['9']).toBe(0);
    const bad = planImport(bundle([1, 1, 1, 1, 1, 1, 1, 1, 7]));
    expect(bad.issues).toHaveLength(1);
    expect(bad.issues[0]).toMatchObject({ entry: 1, resourceType: 'Observation' });
  });
});
