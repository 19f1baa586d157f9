/**
 * The clinical record's FHIR mapping: AllergyIntolerance, the "no known allergies" statement,
 * Condition and the prior-trial MedicationStatement are valid R4 (JSON schema and structure
 * definitions), carry the codes Rein knows, and read back into the fields they came from.
 */
import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  MedicationStatement,
  Resource,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { patientBundle } from './patient-bundle';
import {
  allergyResource,
  conditionResource,
  ICD10CM,
  isNoKnownAllergies,
  isTrialStatement,
  noKnownAllergiesResource,
  readAllergy,
  readCondition,
  readTrial,
  trialResource,
  type FhirAllergyInput,
  type FhirDiagnosisInput,
  type FhirTrialInput,
} from './record-resources';
import { loadFhirValidators, unresolvedReferences, type FhirValidators } from './validation-test-support';

let validators: FhirValidators;
beforeAll(async () => {
  validators = await loadFhirValidators();
}, 120_000);

const PID = '01936f3e-0000-7000-8000-000000000201';
const at = new Date('2026-02-01T10:00:00Z');
const json = (r: Resource) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>;

const expectValid = (r: Resource) => {
  expect(validators.schemaErrors(r)).toEqual([]);
  expect(() => validators.validateStructure(r)).not.toThrow();
};

const allergy = (over: Partial<FhirAllergyInput> = {}): FhirAllergyInput => ({
  id: '01936f3e-0000-7000-8000-0000000002a1',
  substance: 'Zoloft',
  substanceGeneric: 'sertraline',
  reaction: 'hives',
  severity: 'moderate',
  status: 'active',
  source: 'patient',
  notes: 'since 2019',
  recordedAt: at,
  ...over,
});

const diagnosis = (over: Partial<FhirDiagnosisInput> = {}): FhirDiagnosisInput => ({
  id: '01936f3e-0000-7000-8000-0000000002d1',
  icd10cmCode: 'F33.2',
  description: 'Major depressive disorder, recurrent severe without psychotic features',
  status: 'active',
  onsetDate: '2019-05-01',
  notes: null,
  recordedAt: at,
  ...over,
});

const trial = (over: Partial<FhirTrialInput> = {}): FhirTrialInput => ({
  id: '01936f3e-0000-7000-8000-0000000002e1',
  drug: 'sertraline',
  doseMgPerDay: 150,
  durationWeeks: 8,
  adherence: 'full',
  response: 'none',
  reasonStopped: 'no benefit',
  currentEpisode: true,
  adequateDose: true,
  adequateDuration: true,
  startDate: '2025-01-06',
  notes: 'titrated from 50 mg',
  status: 'active',
  recordedAt: at,
  ...over,
});

describe('AllergyIntolerance', () => {
  it('maps an allergy with status, verification, reaction and severity, valid R4', () => {
    const r = allergyResource(allergy(), PID);
    expectValid(r);
    expect(r.clinicalStatus?.coding?.[0]).toMatchObject({ code: 'active' });
    // Reported by the patient: unconfirmed, asserted by the patient.
    expect(r.verificationStatus?.coding?.[0]?.code).toBe('unconfirmed');
    expect(r.asserter).toEqual({ reference: `Patient/${PID}` });
    expect(r.category).toEqual(['medication']);
    expect(r.code?.text).toBe('Zoloft');
    expect(r.reaction).toEqual([{ manifestation: [{ text: 'hives' }], severity: 'moderate' }]);
    expect(r.patient).toEqual({ reference: `Patient/${PID}` });
    expect(r.recordedDate).toBe(at.toISOString());
  });

  it('an observed allergy is confirmed; a free-text substance has no drug category', () => {
    const r = allergyResource(
      allergy({ substance: 'latex', substanceGeneric: null, source: 'clinician-observed' }),
      PID,
    );
    expectValid(r);
    expect(r.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
    expect(r.category).toBeUndefined();
    expect(r.code).toEqual({ text: 'latex' });
  });

  it('entered in error carries no clinical status (R4 ait-2) and is not read back', () => {
    const r = allergyResource(allergy({ status: 'entered-in-error' }), PID);
    expectValid(r);
    expect(r.clinicalStatus).toBeUndefined();
    expect(r.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(readAllergy(json(r))).toEqual({ skip: 'verificationStatus entered-in-error: not imported' });
  });

  it('"no known allergies" is SNOMED CT 716186003', () => {
    const r = noKnownAllergiesResource({ id: '01936f3e-0000-7000-8000-0000000002b1', recordedAt: at }, PID);
    expectValid(r);
    expect(r.code?.coding).toEqual([
      { system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' },
    ]);
    expect(isNoKnownAllergies(json(r))).toBe(true);
    expect(isNoKnownAllergies(json(allergyResource(allergy(), PID)))).toBe(false);
  });

  it('reads back every field it wrote', () => {
    for (const a of [
      allergy(),
      allergy({
        reaction: null,
        severity: 'severe',
        source: 'family-or-carer',
        status: 'resolved',
        notes: null,
      }),
      allergy({ reaction: null, severity: 'unknown', source: 'previous-record', status: 'inactive' }),
    ]) {
      expect(readAllergy(json(allergyResource(a, PID)))).toEqual({
        input: {
          substance: a.substance,
          reaction: a.reaction,
          severity: a.severity,
          source: a.source,
          status: a.status,
          notes: a.notes,
        },
      });
    }
  });

  it("another system's allergy without Rein's extension is a previous record", () => {
    const foreign: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }] },
      patient: { reference: 'Patient/x' },
    };
    expect(readAllergy(json(foreign))).toEqual({
      input: {
        substance: 'Penicillin',
        reaction: null,
        severity: 'unknown',
        source: 'previous-record',
        status: 'active',
        notes: null,
      },
    });
  });
});

describe('Condition', () => {
  it('is a problem-list item coded in ICD-10-CM, valid R4', () => {
    const r = conditionResource(diagnosis(), PID);
    expectValid(r);
    expect(r.code?.coding).toEqual([{ system: ICD10CM, code: 'F33.2', display: diagnosis().description }]);
    expect(r.category?.[0]?.coding?.[0]?.code).toBe('problem-list-item');
    expect(r.clinicalStatus?.coding?.[0]?.code).toBe('active');
    expect(r.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
    expect(r.onsetDateTime).toBe('2019-05-01');
    expect(r.subject).toEqual({ reference: `Patient/${PID}` });
  });

  it('a free-text diagnosis goes out as text only; entered in error has no clinical status', () => {
    const free = conditionResource(diagnosis({ icd10cmCode: null, description: 'burnout' }), PID);
    expectValid(free);
    expect(free.code).toEqual({ text: 'burnout' });
    const wrong = conditionResource(diagnosis({ status: 'entered-in-error' }), PID);
    expectValid(wrong);
    expect(wrong.clinicalStatus).toBeUndefined();
    expect(readCondition(json(wrong))).toEqual({ skip: 'verificationStatus entered-in-error: not imported' });
  });

  it('reads back code, onset, notes and status; a code outside the list becomes free text', () => {
    expect(
      readCondition(json(conditionResource(diagnosis({ status: 'resolved', notes: 'n' }), PID))),
    ).toEqual({
      input: {
        create: { icd10cmCode: 'F33.2', description: null, onsetDate: '2019-05-01', notes: 'n' },
        status: 'resolved',
      },
    });
    const other: Condition = {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'remission' }],
      },
      code: { coding: [{ system: ICD10CM, code: 'F40.10', display: 'Social phobia, unspecified' }] },
      subject: { reference: 'Patient/x' },
    };
    expect(readCondition(json(other))).toEqual({
      input: {
        create: {
          icd10cmCode: null,
          description: 'Social phobia, unspecified (ICD-10-CM F40.10)',
          onsetDate: null,
          notes: null,
        },
        status: 'resolved',
      },
    });
  });
});

describe('prior treatment trial as MedicationStatement', () => {
  it('is a stopped statement with period, daily dose, reason stopped and outcome, valid R4', () => {
    const r = trialResource(trial(), PID);
    expectValid(r);
    expect(r.status).toBe('stopped');
    expect(r.statusReason).toEqual([{ text: 'no benefit' }]);
    expect(r.effectivePeriod).toEqual({ start: '2025-01-06', end: '2025-03-03' });
    expect(r.dosage?.[0]?.text).toBe('150 mg/day');
    expect(r.dosage?.[0]?.doseAndRate?.[0]?.rateRatio?.numerator).toMatchObject({ value: 150, code: 'mg' });
    expect(r.note?.[0]?.text).toBe('Outcome: no response');
    expect(isTrialStatement(json(r))).toBe(true);
  });

  it('a trial that simply ran its course is completed; entered in error is not read back', () => {
    const done = trialResource(trial({ reasonStopped: null, response: 'partial' }), PID);
    expectValid(done);
    expect(done.status).toBe('completed');
    const wrong = trialResource(trial({ status: 'entered-in-error' }), PID);
    expect(wrong.status).toBe('entered-in-error');
    expect(readTrial(json(wrong))).toEqual({ skip: 'status entered-in-error: not imported' });
  });

  it('reads back every field it wrote', () => {
    for (const t of [
      trial(),
      trial({
        doseMgPerDay: null,
        durationWeeks: null,
        startDate: null,
        adequateDose: null,
        adequateDuration: false,
        currentEpisode: false,
        adherence: 'poor',
        response: 'not-tolerated',
        notes: null,
      }),
    ]) {
      const { id: _id, status: _s, recordedAt: _r, ...fields } = t;
      expect(readTrial(json(trialResource(t, PID)))).toEqual({ input: fields });
    }
  });

  it('a current medication is not a trial', () => {
    const med: MedicationStatement = {
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: { text: 'sertraline' },
      subject: { reference: 'Patient/x' },
    };
    expect(isTrialStatement(json(med))).toBe(false);
  });
});

describe('in the patient bundle', () => {
  it('carries the record, and the course CarePlan addresses its primary diagnosis', () => {
    const d = diagnosis();
    const bundle = patientBundle({
      patient: {
        id: PID,
        mrn: 'M-1',
        givenName: 'Ana',
        familyName: 'Lee',
        dateOfBirth: '1980-01-01',
        sexAtBirth: 'female',
      },
      record: {
        allergies: [allergy()],
        noKnownAllergies: null,
        diagnoses: [d],
        trials: [trial(), trial({ id: '01936f3e-0000-7000-8000-0000000002e2', drug: 'venlafaxine' })],
      },
      medications: [],
      scores: [],
      courses: [
        {
          id: '01936f3e-0000-7000-8000-0000000002c1',
          templateKey: 'iv',
          modality: 'iv-ketamine',
          startDate: '2026-02-02',
          primaryDiagnosisId: d.id,
          sessions: [],
        },
        {
          id: '01936f3e-0000-7000-8000-0000000002c2',
          templateKey: 'iv',
          modality: 'iv-ketamine',
          startDate: '2026-03-02',
          // A diagnosis the bundle does not carry (entered in error since) is not referenced.
          primaryDiagnosisId: '01936f3e-0000-7000-8000-0000000002d9',
          sessions: [],
        },
      ],
      tapers: [],
      generatedAt: at,
      fhirBase: 'https://clinic.example.org/fhir',
    });
    const resources = bundle.entry!.map((e) => e.resource!);
    for (const r of resources) expectValid(r);
    expect(unresolvedReferences(bundle)).toEqual([]);
    const types = resources.map((r) => r.resourceType);
    expect(types.filter((t) => t === 'AllergyIntolerance')).toHaveLength(1);
    expect(types.filter((t) => t === 'Condition')).toHaveLength(1);
    expect(types.filter((t) => t === 'MedicationStatement')).toHaveLength(2);
    const plans = resources.filter((r): r is CarePlan => r.resourceType === 'CarePlan');
    expect(plans[0]!.addresses).toEqual([{ reference: `Condition/${d.id}` }]);
    expect(plans[1]!.addresses).toBeUndefined();
  });
});
