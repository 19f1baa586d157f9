import type { Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScoreExportRow, SessionExportRow } from '../../clinical/outcomes/export-rows';
import { getInstrument, instruments } from '../../clinical/instruments';
import { planImport } from './import';
import { loadStructureValidator } from './validation-test-support';
import { fhirNote } from './note-fixtures';
import {
  KETAMINE_RXCUI,
  LOINC,
  patientBundle,
  questionnaireResource,
  questionnaireUrl,
  RXNORM,
  type PatientRecordInput,
} from './patient-bundle';

let validateResource: (r: Resource) => unknown;

beforeAll(async () => {
  validateResource = await loadStructureValidator();
}, 60_000);

const PID = '01936f3e-0000-7000-8000-000000000001';
const score = (over: Partial<ScoreExportRow>): ScoreExportRow => ({
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
  flags: ['suicidality'],
  partialItemIds: null,
  items: { '1': 3, '2': 3, '3': 2, '4': 2, '5': 2, '6': 2, '7': 2, '8': 2, '9': 1, difficulty: 2 },
  ...over,
});
const session = (
  over: Partial<SessionExportRow & { scheduledStart: Date; scheduledEnd: Date }>,
): SessionExportRow & { scheduledStart: Date; scheduledEnd: Date } => ({
  sessionId: '01936f3e-0000-7000-8000-0000000000c1',
  courseId: '01936f3e-0000-7000-8000-0000000000b1',
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
  dosingStartedAt: new Date('2026-03-02T08:05:00Z'),
  dischargeAtMin: 95,
  vitalsReadings: 4,
  maxSbpMmHg: 150,
  maxDbpMmHg: 90,
  maxHeartRateBpm: 88,
  minSpo2Pct: 96,
  hypertensionAlerts: 0,
  adverseEvents: 0,
  seriousAdverseEvents: 0,
  pauseOrStopDecisions: 0,
  scheduledStart: new Date('2026-03-02T08:00:00Z'),
  scheduledEnd: new Date('2026-03-02T10:00:00Z'),
  ...over,
});

const input: PatientRecordInput = {
  generatedAt: new Date('2026-04-01T09:00:00Z'),
  fhirBase: 'https://clinic.example.org/fhir',
  patient: {
    id: PID,
    mrn: 'MRN-1',
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1980-05-17',
    sexAtBirth: 'female',
    phone: '+1 555 0100',
    email: null,
  },
  medications: [
    {
      id: '01936f3e-0000-7000-8000-0000000000d1',
      name: 'lorazepam',
      rxnormCode: '6470',
      dose: 1,
      doseUnit: 'mg',
      frequency: 'twice daily',
      startDate: '2025-01-01',
      stopDate: null,
    },
    { id: '01936f3e-0000-7000-8000-0000000000d2', name: 'sertraline', dose: null, stopDate: '2026-01-01' },
  ],
  scores: [
    score({}),
    score({
      responseId: '01936f3e-0000-7000-8000-0000000000a2',
      rootId: '01936f3e-0000-7000-8000-0000000000a2',
      instrument: 'gad7',
      totalScore: 10,
      severity: 'moderate',
      suicidality: false,
      flags: [],
      items: { '1': 2, '2': 2, '3': 2, '4': 1, '5': 1, '6': 1, '7': 1 },
    }),
    // A partial response (item 9 alone at +4 h): no total, the item is still exported.
    score({
      responseId: '01936f3e-0000-7000-8000-0000000000a3',
      context: 'post-4h',
      totalScore: null,
      severity: null,
      partialItemIds: ['9'],
      items: { '9': 0 },
    }),
    // MADRS: no verified LOINC in the reference; total as text-coded Observation.
    score({
      responseId: '01936f3e-0000-7000-8000-0000000000a4',
      instrument: 'madrs',
      totalScore: 22,
      items: {},
    }),
  ],
  courses: [
    {
      id: '01936f3e-0000-7000-8000-0000000000b1',
      templateKey: 'iv-induction-2x-weekly-3wk',
      modality: 'iv-ketamine',
      startDate: '2026-03-02',
      sessions: [
        session({}),
        session({
          sessionId: '01936f3e-0000-7000-8000-0000000000c2',
          sequence: 2,
          dosingStartedAt: null,
          dischargeAtMin: null,
          doseMg: null,
          scheduledStart: new Date('2026-03-05T08:00:00Z'),
          scheduledEnd: new Date('2026-03-05T10:00:00Z'),
        }),
      ],
    },
    {
      id: '01936f3e-0000-7000-8000-0000000000b2',
      templateKey: 'esketamine-induction',
      modality: 'esketamine',
      startDate: '2026-04-01',
      sessions: [
        session({
          sessionId: '01936f3e-0000-7000-8000-0000000000c3',
          courseId: '01936f3e-0000-7000-8000-0000000000b2',
          modality: 'esketamine',
          doseMg: 56,
          doseMgPerKg: null,
          devices: 2,
          dischargeAtMin: null,
          date: '2026-04-01',
          dosingStartedAt: new Date('2026-04-01T08:05:00Z'),
          scheduledStart: new Date('2026-04-01T08:00:00Z'),
          scheduledEnd: new Date('2026-04-01T10:00:00Z'),
        }),
      ],
    },
  ],
  tapers: [
    {
      id: '01936f3e-0000-7000-8000-0000000000e1',
      drug: 'lorazepam',
      status: 'paused',
      createdAt: new Date('2026-02-01T10:00:00Z'),
    },
  ],
  notes: [fhirNote()],
};

const bundle = patientBundle(input);
const resources = bundle.entry!.map((e) => e.resource!);
const ofType = <T extends Resource['resourceType']>(t: T) =>
  resources.filter((r): r is Extract<Resource, { resourceType: T }> => r.resourceType === t);

describe('patientBundle (FHIR R4)', () => {
  it('every exported resource and the Bundle pass the R4 structure definitions (medplum validateResource)', () => {
    expect(resources.length).toBeGreaterThan(15);
    for (const r of resources) {
      expect(() => validateResource(r), `${r.resourceType}/${r.id}`).not.toThrow();
    }
    expect(() => validateResource(bundle)).not.toThrow();
  });

  it('the validator is live: a broken resource is rejected', () => {
    const { code: _code, ...noCode } = ofType('Observation')[0]!;
    expect(() => validateResource(noCode as Observation)).toThrow(/code/);
    expect(() =>
      validateResource({ ...ofType('Patient')[0]!, colour: 'blue' } as unknown as Resource),
    ).toThrow();
    expect(() => validateResource({ ...ofType('Encounter')[0]!, period: { start: 'yesterday' } })).toThrow();
  });

  it('ids are unique and every reference resolves inside the bundle', () => {
    const ids = resources.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const fullUrls = new Set(bundle.entry!.map((e) => e.fullUrl));
    for (const e of bundle.entry!) {
      expect(e.fullUrl).toBe(`https://clinic.example.org/fhir/${e.resource!.resourceType}/${e.resource!.id}`);
    }
    const refs = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs)
      expect(fullUrls.has(`https://clinic.example.org/fhir/${r.slice(13, -1)}`), r).toBe(true);
    // Deterministic: the same input gives the same ids.
    expect(patientBundle(input).entry!.map((e) => e.resource!.id)).toEqual(ids);
  });

  it('DocumentReference per note and per addendum, the note in its session’s Encounter', () => {
    const docs = ofType('DocumentReference');
    expect(docs.map((d) => d.docStatus)).toEqual(['final', 'final']);
    expect(docs[0]!.context?.encounter).toEqual([{ reference: `Encounter/${fhirNote().sessionId}` }]);
    expect(docs[1]!.relatesTo?.[0]?.target).toEqual({ reference: `DocumentReference/${docs[0]!.id}` });
    // Notes do not come back in through the importer: their signatures are the writing clinic's.
    const skipped = planImport(JSON.parse(JSON.stringify(bundle))).skipped;
    expect(skipped.filter((s) => s.resourceType === 'DocumentReference')).toHaveLength(2);
    expect(skipped.find((s) => s.resourceType === 'DocumentReference')!.reason).toMatch(/not imported/);
  });

  it('Patient: identifiers, name, gender from sex at birth, birth date', () => {
    const [p] = ofType('Patient');
    expect(p).toMatchObject({
      id: PID,
      gender: 'female',
      birthDate: '1980-05-17',
      name: [{ family: 'Example', given: ['Ada'] }],
    });
    expect(p!.identifier!.map((i) => i.value)).toEqual([PID, 'MRN-1']);
  });

  it('Observations: PHQ-9 total 44261-6 with its items (item 9 = 44260-8) as members; GAD-7 with all seven item codes', () => {
    const obs = ofType('Observation');
    const phqTotal = obs.find((o) => o.code.coding?.[0]?.code === '44261-6' && o.valueInteger === 19)!;
    expect(phqTotal.code.coding).toMatchObject([{ system: LOINC, code: '44261-6' }]);
    expect(phqTotal.valueInteger).toBe(19);
    expect(phqTotal.category![0]!.coding![0]!.code).toBe('survey');
    expect(phqTotal.derivedFrom).toEqual([
      { reference: 'QuestionnaireResponse/01936f3e-0000-7000-8000-0000000000a1' },
    ]);
    expect(phqTotal.hasMember).toHaveLength(9); // difficulty is not scored
    const item9 = obs.find((o) => o.code.coding?.[0]?.code === '44260-8' && o.valueInteger === 1);
    expect(item9).toBeDefined();
    const gadTotal = obs.find((o) => o.code.coding?.[0]?.code === '70274-6')!;
    expect(gadTotal.valueInteger).toBe(10);
    // All seven GAD-7 item codes are verified (loinc.org panel 69729-2): seven item Observations.
    expect(gadTotal.hasMember).toHaveLength(7);
    const gadItemCodes = obs
      .filter((o) => gadTotal.hasMember!.some((m) => m.reference === `Observation/${o.id}`))
      .map((o) => o.code.coding?.[0]?.code);
    expect(gadItemCodes).toEqual([
      '69725-0',
      '68509-9',
      '69733-4',
      '69734-2',
      '69735-9',
      '69689-8',
      '69736-7',
    ]);
    const partial = obs.filter(
      (o) => o.effectiveDateTime === '2026-03-01T09:00:00.000Z' && o.code.coding?.[0]?.code === '44260-8',
    );
    expect(partial.map((o) => o.valueInteger).sort()).toEqual([0, 1]);
    const madrs = obs.find((o) => o.valueInteger === 22)!;
    expect(madrs.code.coding).toBeUndefined();
    expect(madrs.code.text).toMatch(/MADRS|Montgomery/);
  });

  it('a GAD-7 exported by Rein re-imports with all seven answers (item codes verified)', () => {
    const plan = planImport(JSON.parse(JSON.stringify(bundle)));
    const gad = plan.assessments.filter((a) => a.instrument === 'gad7');
    expect(gad).toHaveLength(1);
    const source = input.scores.find((s) => s.instrument === 'gad7')!;
    expect(gad[0]!.answers).toEqual(
      Object.fromEntries(Object.entries(source.items).filter(([id]) => /^[1-7]$/.test(id))),
    );
    expect(
      plan.issues.filter((i) => JSON.stringify(i).includes('gad') || JSON.stringify(i).includes('70274-6')),
    ).toEqual([]);
  });

  it('QuestionnaireResponse: items with LOINC answer codes (LA6568-5 …)', () => {
    const qr = ofType('QuestionnaireResponse').find((q) => q.id === '01936f3e-0000-7000-8000-0000000000a1')!;
    expect(qr.status).toBe('completed');
    expect(qr.item).toHaveLength(10);
    expect(qr.item![8]!.answer![0]!.valueCoding).toEqual({
      system: LOINC,
      code: 'LA6569-3',
      display: 'Several days',
    });
  });

  it('MedicationStatement: RxNorm when recorded, stopped when the stop date has passed', () => {
    const ms = ofType('MedicationStatement');
    expect(ms[0]).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '6470' }] },
      dosage: [{ text: '1 mg, twice daily' }],
    });
    expect(ms[1]).toMatchObject({ status: 'stopped', medicationCodeableConcept: { text: 'sertraline' } });
  });

  it('Encounter per session, MedicationAdministration per dose with RxNorm ketamine and route, CarePlans', () => {
    const enc = ofType('Encounter');
    expect(enc.map((e) => e.status)).toEqual(['finished', 'planned', 'in-progress']);
    expect(enc[0]!.period).toEqual({ start: '2026-03-02T08:05:00.000Z', end: '2026-03-02T09:40:00.000Z' });
    const ma = ofType('MedicationAdministration');
    expect(ma).toHaveLength(2); // the planned session has no dose
    expect(ma[0]).toMatchObject({
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: KETAMINE_RXCUI }] },
      context: { reference: `Encounter/${enc[0]!.id}` },
      dosage: { route: { coding: [{ code: '47625008' }] }, dose: { value: 35, unit: 'mg', code: 'mg' } },
    });
    expect(ma[1]).toMatchObject({
      status: 'in-progress',
      medicationCodeableConcept: { text: 'esketamine nasal spray' },
      dosage: { route: { text: 'intranasal' }, dose: { value: 56 } },
    });
    const plans = ofType('CarePlan');
    expect(plans.map((p) => p.status)).toEqual(['completed', 'active', 'on-hold']);
    expect(plans[0]!.activity).toHaveLength(2);
    expect(plans[2]!.title).toBe('Taper plan: lorazepam');
  });

  it('a Questionnaire for every shipped instrument passes validation; PHQ-9 carries its LOINC panel, items and scored answers', () => {
    const defs = Object.values(instruments);
    expect(defs.length).toBeGreaterThanOrEqual(9);
    for (const def of defs) {
      const q = questionnaireResource(def);
      expect(() => validateResource(q), def.id).not.toThrow();
      expect(q.item).toHaveLength(def.items.length);
      expect(q.url).toBe(questionnaireUrl(def.id));
    }
    const phq = questionnaireResource(getInstrument('phq9'));
    expect(phq.code).toEqual([{ system: LOINC, code: '44249-1', display: getInstrument('phq9').title }]);
    expect(phq.item![8]!.code![0]!.code).toBe('44260-8');
    expect(phq.item![0]!.answerOption![0]!.valueCoding).toMatchObject({
      code: 'LA6568-5',
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 0 }],
    });
    // Licensed wording is never shipped: MADRS items carry Rein's labels only.
    const madrs = questionnaireResource(getInstrument('madrs'));
    expect(madrs.item!.map((i) => i.text)).toEqual(getInstrument('madrs').items.map((i) => i.label));
  });

  it('the bundle holds one Questionnaire per instrument answered, matching the responses’ canonical', () => {
    const qs = ofType('Questionnaire');
    expect(qs.map((q) => q.url).sort()).toEqual(['gad7', 'madrs', 'phq9'].map(questionnaireUrl));
    for (const qr of ofType('QuestionnaireResponse')) {
      const [url, version] = qr.questionnaire!.split('|');
      expect(qs.some((q) => q.url === url && q.version === version)).toBe(true);
    }
  });
});
