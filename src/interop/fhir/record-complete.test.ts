/**
 * The FHIR record is complete and self-consistent: C-SSRS risk level and safety Flag, LOINC yes/no
 * answers and enableWhen, session vital signs and adverse events, infusion periods, esketamine's
 * RxNorm code — every resource valid against the HL7 R4 JSON schema and the structure
 * definitions, and every reference resolving inside the bundle.
 */
import type {
  AdverseEvent,
  Bundle,
  Flag,
  MedicationAdministration,
  Observation,
  Questionnaire,
  QuestionnaireResponse,
  Resource,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScoreExportRow, SessionExportRow } from '../../clinical/outcomes/export-rows';
import {
  ESKETAMINE_NASAL_SPRAY_RXCUI,
  LOINC,
  patientBundle,
  RXNORM,
  type PatientRecordInput,
} from './patient-bundle';
import { loadFhirValidators, unresolvedReferences, type FhirValidators } from './validation-test-support';

let validators: FhirValidators;
beforeAll(async () => {
  validators = await loadFhirValidators();
}, 120_000);

const PID = '01936f3e-0000-7000-8000-000000000101';
const IV = '01936f3e-0000-7000-8000-0000000001c1';
const ESK = '01936f3e-0000-7000-8000-0000000001c2';
const cssrs = (
  id: string,
  at: string,
  risk: string,
  items: Record<string, number | null>,
): ScoreExportRow => ({
  responseId: id,
  rootId: id,
  version: 1,
  patientId: PID,
  instrument: 'cssrs-screener',
  instrumentVersion: '1.0.0',
  context: 'pre-session',
  sessionId: null,
  administeredAt: new Date(at),
  respondent: 'clinician',
  totalScore: null,
  severity: null,
  cssrsRisk: risk,
  suicidality: true,
  flags: ['suicidality'],
  partialItemIds: null,
  items,
});
const session = (over: Partial<SessionExportRow>): SessionExportRow => ({
  sessionId: IV,
  courseId: '01936f3e-0000-7000-8000-0000000001b1',
  patientId: PID,
  modality: 'iv-ketamine',
  sequence: 1,
  phaseId: 'induction',
  phaseLabel: 'Induction',
  date: '2026-03-02',
  startMin: 480,
  endMin: 600,
  doseMg: 35,
  doseMgPerKg: 0.5,
  weightKg: 70,
  devices: null,
  lotNumber: 'L1',
  dosingStartedAt: new Date('2026-03-02T08:00:00Z'),
  dischargeAtMin: 100,
  vitalsReadings: 2,
  maxSbpMmHg: 150,
  maxDbpMmHg: 90,
  maxHeartRateBpm: 88,
  minSpo2Pct: 91,
  hypertensionAlerts: 0,
  adverseEvents: 1,
  seriousAdverseEvents: 1,
  pauseOrStopDecisions: 0,
  ...over,
});

const input: PatientRecordInput = {
  generatedAt: new Date('2026-04-01T09:00:00Z'),
  fhirBase: 'https://clinic.example.org/fhir',
  patient: {
    id: PID,
    mrn: 'MRN-101',
    givenName: 'Sam',
    familyName: 'Example',
    dateOfBirth: '1980-05-17',
    sexAtBirth: 'intersex',
  },
  medications: [],
  scores: [
    // Moderate (Q3 yes after Q2 yes), then high (Q4 yes) a week later; Q6 no skips its follow-up.
    cssrs('01936f3e-0000-7000-8000-0000000001a1', '2026-02-23T09:00:00Z', 'moderate', {
      q1: 1,
      q2: 1,
      q3: 1,
      q4: 0,
      q5: 0,
      q6: 0,
      'q6-recent': null,
    }),
    cssrs('01936f3e-0000-7000-8000-0000000001a2', '2026-03-02T07:30:00Z', 'high', {
      q1: 1,
      q2: 1,
      q3: 1,
      q4: 1,
      q5: 0,
      q6: 0,
      'q6-recent': null,
    }),
    cssrs('01936f3e-0000-7000-8000-0000000001a3', '2026-02-01T09:00:00Z', 'low', {
      q1: 1,
      q2: 0,
      q3: null,
      q4: null,
      q5: null,
      q6: 0,
      'q6-recent': null,
    }),
  ],
  courses: [
    {
      id: '01936f3e-0000-7000-8000-0000000001b1',
      templateKey: 'iv-induction-2x-weekly-3wk',
      modality: 'iv-ketamine',
      startDate: '2026-03-02',
      sessions: [
        {
          ...session({}),
          scheduledStart: new Date('2026-03-02T08:00:00Z'),
          scheduledEnd: new Date('2026-03-02T10:00:00Z'),
          dosingEndMin: 40,
          vitalSigns: [
            {
              eventId: '01936f3e-0000-7000-8000-0000000001d1',
              timeMin: -5,
              recordedAt: new Date('2026-03-02T07:55:00Z'),
              sbpMmHg: 128,
              dbpMmHg: 80,
              heartRateBpm: 72,
              spo2Pct: 98,
            },
            {
              eventId: '01936f3e-0000-7000-8000-0000000001d2',
              timeMin: 20,
              recordedAt: new Date('2026-03-02T08:21:00Z'),
              sbpMmHg: 92,
              dbpMmHg: 55,
              heartRateBpm: 48,
              spo2Pct: 91,
              respiratoryRatePerMin: 10,
            },
          ],
          adverseEventDetails: [
            {
              eventId: '01936f3e-0000-7000-8000-0000000001e1',
              recordedAt: new Date('2026-03-02T08:25:00Z'),
              timeMin: 25,
              onsetMin: 20,
              category: 'hypotension',
              categories: ['hypotension', 'dizziness'],
              severity: 'severe',
              serious: true,
              escalated: true,
              description: 'BP 92/55, light-headed',
              actionTaken: 'stopped',
            },
          ],
        },
      ],
    },
    {
      id: '01936f3e-0000-7000-8000-0000000001b2',
      templateKey: 'esketamine-trd-label',
      modality: 'esketamine',
      startDate: '2026-03-30',
      sessions: [
        {
          ...session({
            sessionId: ESK,
            courseId: '01936f3e-0000-7000-8000-0000000001b2',
            modality: 'esketamine',
            doseMg: 56,
            doseMgPerKg: null,
            devices: 2,
            dischargeAtMin: null,
            date: '2026-03-30',
            dosingStartedAt: new Date('2026-03-30T08:00:00Z'),
          }),
          scheduledStart: new Date('2026-03-30T08:00:00Z'),
          scheduledEnd: new Date('2026-03-30T10:30:00Z'),
          dosingEndMin: 5,
          // An event recorded before the seriousness field existed: no seriousness is claimed.
          adverseEventDetails: [
            {
              eventId: '01936f3e-0000-7000-8000-0000000001e2',
              recordedAt: new Date('2026-03-30T08:30:00Z'),
              timeMin: 30,
              category: 'nausea',
              severity: 'mild',
            },
          ],
        },
      ],
    },
  ],
  tapers: [],
};

const bundle = patientBundle(input);
const resources = bundle.entry!.map((e) => e.resource!);
const ofType = <T extends Resource['resourceType']>(t: T) =>
  resources.filter((r): r is Extract<Resource, { resourceType: T }> => r.resourceType === t);
const coded = (o: Observation, code: string) => o.code.coding?.some((c) => c.code === code) ?? false;

describe('FHIR record: complete and self-consistent', () => {
  it(
    'every resource passes the HL7 R4 JSON schema and the R4 structure definitions',
    { timeout: 180_000 },
    () => {
      expect(new Set(resources.map((r) => r.resourceType))).toEqual(
        new Set([
          'Patient',
          'Questionnaire',
          'QuestionnaireResponse',
          'Observation',
          'Flag',
          'CarePlan',
          'Encounter',
          'MedicationAdministration',
          'AdverseEvent',
        ]),
      );
      // The schema check bites: a wrong status and an unknown property are refused.
      const bad = {
        resourceType: 'Observation',
        status: 'bogus',
        code: { text: 'x' },
        valueKg: 1,
      } as unknown as Resource;
      expect(validators.schemaErrors(bad).length).toBeGreaterThanOrEqual(2);
      for (const r of [...resources, bundle]) {
        expect(validators.schemaErrors(r), `${r.resourceType}/${r.id}`).toEqual([]);
        expect(() => validators.validateStructure(r), `${r.resourceType}/${r.id}`).not.toThrow();
      }
    },
  );

  it('every reference resolves inside the bundle', () => {
    expect(unresolvedReferences(bundle)).toEqual([]);
    const broken: Bundle = {
      ...bundle,
      entry: bundle.entry!.filter((e) => e.resource!.resourceType !== 'Encounter'),
    };
    expect(unresolvedReferences(broken).length).toBeGreaterThan(0);
  });

  it('exports the C-SSRS risk level (LOINC 93374-7) and a safety Flag for moderate/high, active for the latest only', () => {
    const risk = ofType('Observation').filter((o) => coded(o, '93374-7'));
    expect(risk.map((o) => o.valueCodeableConcept?.text).sort()).toEqual(['high', 'low', 'moderate']);
    const low = risk.find((o) => o.valueCodeableConcept?.text === 'low')!;
    expect(low.valueCodeableConcept!.coding).toEqual([{ system: LOINC, code: 'LA9194-7', display: 'Low' }]);
    expect(risk.every((o) => o.derivedFrom?.[0]?.reference?.startsWith('QuestionnaireResponse/'))).toBe(true);
    const flags = ofType('Flag') as Flag[];
    expect(flags.map((f) => [f.status, f.code.text])).toEqual([
      ['inactive', 'Suicide risk moderate (C-SSRS screener, 2026-02-23)'],
      ['active', 'Suicide risk high (C-SSRS screener, 2026-03-02)'],
    ]);
    expect(flags[1]!.category![0]!.coding![0]).toMatchObject({ code: 'safety' });
  });

  it('codes yes/no answers with LOINC LA33-6 / LA32-8, and the C-SSRS Questionnaire carries its skip logic', () => {
    const q = ofType('Questionnaire').find(
      (x) => x.url === 'urn:rein:questionnaire:cssrs-screener',
    ) as Questionnaire;
    const item = (id: string) => q.item!.find((i) => i.linkId === id)!;
    expect(item('q1').answerOption!.map((o) => o.valueCoding?.code)).toEqual(['LA32-8', 'LA33-6']);
    for (const id of ['q3', 'q4', 'q5']) {
      expect(item(id).enableWhen).toEqual([
        { question: 'q2', operator: '=', answerCoding: { system: LOINC, code: 'LA33-6', display: 'Yes' } },
      ]);
    }
    expect(item('q6-recent').enableWhen).toEqual([
      { question: 'q6', operator: '=', answerCoding: { system: LOINC, code: 'LA33-6', display: 'Yes' } },
    ]);
    for (const id of ['q1', 'q2', 'q6']) expect(item(id).enableWhen).toBeUndefined();
    // Every enableWhen points at an item that comes earlier in the form.
    const order = q.item!.map((i) => i.linkId);
    for (const i of q.item!) {
      for (const w of i.enableWhen ?? [])
        expect(order.indexOf(w.question)).toBeLessThan(order.indexOf(i.linkId));
    }
    const low = ofType('QuestionnaireResponse').find(
      (r) => r.id === '01936f3e-0000-7000-8000-0000000001a3',
    ) as QuestionnaireResponse;
    // Q2 no: Q3–Q5 skipped (absent), as the enableWhen says.
    expect(low.item!.map((i) => [i.linkId, i.answer![0]!.valueCoding?.code])).toEqual([
      ['q1', 'LA33-6'],
      ['q2', 'LA32-8'],
      ['q6', 'LA32-8'],
    ]);
  });

  it('exports session vital signs with LOINC vital-sign codes and UCUM units', () => {
    const vitals = ofType('Observation').filter((o) =>
      o.category?.some((c) => c.coding?.some((x) => x.code === 'vital-signs')),
    );
    const post = vitals.filter((o) => o.effectiveDateTime === '2026-03-02T08:20:00.000Z');
    const bp = post.find((o) => coded(o, '85354-9'))!;
    expect(bp.component).toEqual([
      {
        code: {
          coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }],
          text: 'Systolic blood pressure',
        },
        valueQuantity: { value: 92, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
      {
        code: {
          coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }],
          text: 'Diastolic blood pressure',
        },
        valueQuantity: { value: 55, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
    ]);
    expect(post.find((o) => coded(o, '8867-4'))!.valueQuantity).toMatchObject({ value: 48, code: '/min' });
    const spo2 = post.find((o) => coded(o, '2708-6'))!;
    expect(coded(spo2, '59408-5')).toBe(true);
    expect(spo2.valueQuantity).toMatchObject({ value: 91, code: '%' });
    expect(post.find((o) => coded(o, '9279-1'))!.valueQuantity).toMatchObject({ value: 10, code: '/min' });
    // The pre-dose reading has no respiratory rate: none is invented.
    const pre = vitals.filter((o) => o.effectiveDateTime === '2026-03-02T07:55:00.000Z');
    expect(pre.map((o) => o.code.coding![0]!.code).sort()).toEqual(['2708-6', '85354-9', '8867-4']);
    expect(vitals.every((o) => o.encounter?.reference === `Encounter/${IV}`)).toBe(true);
  });

  it('exports adverse events with seriousness, severity, onset, the session and the suspect administration', () => {
    const [serious, mild] = ofType('AdverseEvent') as AdverseEvent[];
    const ivMa = (ofType('MedicationAdministration') as MedicationAdministration[]).find(
      (m) => m.context?.reference === `Encounter/${IV}`,
    )!;
    expect(serious).toMatchObject({
      actuality: 'actual',
      subject: { reference: `Patient/${PID}` },
      encounter: { reference: `Encounter/${IV}` },
      date: '2026-03-02T08:20:00.000Z',
      seriousness: { coding: [{ code: 'Serious' }] },
      severity: { coding: [{ code: 'severe' }] },
      suspectEntity: [{ instance: { reference: `MedicationAdministration/${ivMa.id}` } }],
    });
    expect(serious!.event!.text).toBe(
      'hypotension, dizziness — BP 92/55, light-headed; action: stopped; escalated',
    );
    expect(mild!.seriousness).toBeUndefined();
    expect(mild).toMatchObject({
      date: '2026-03-30T08:30:00.000Z',
      severity: { coding: [{ code: 'mild' }] },
    });
  });

  it('gives infusions an effective period and codes esketamine with its RxNorm code', () => {
    const ma = ofType('MedicationAdministration') as MedicationAdministration[];
    expect(ma[0]!.effectivePeriod).toEqual({
      start: '2026-03-02T08:00:00.000Z',
      end: '2026-03-02T08:40:00.000Z',
    });
    expect(ma[0]!.effectiveDateTime).toBeUndefined();
    expect(ma[1]!.medicationCodeableConcept!.coding).toEqual([
      { system: RXNORM, code: ESKETAMINE_NASAL_SPRAY_RXCUI, display: 'esketamine Nasal Spray' },
    ]);
    expect(ESKETAMINE_NASAL_SPRAY_RXCUI).toBe('2201623');
    expect(ma[1]!.effectivePeriod).toEqual({
      start: '2026-03-30T08:00:00.000Z',
      end: '2026-03-30T08:05:00.000Z',
    });
  });
});
