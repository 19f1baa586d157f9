/**
 * The clinical record through FHIR on both stores: the patient export carries allergies
 * (AllergyIntolerance, "no known allergies" as SNOMED CT 716186003), the problem list (Condition,
 * ICD-10-CM) and prior trials (MedicationStatement), with the course's CarePlan addressing its
 * primary diagnosis; entries entered in error stay home. The import reads them back through the
 * record's use cases (round trip), refuses a malformed resource naming the field, and keeps the
 * problem list and trials for prescribers.
 */
import type {
  AllergyIntolerance,
  Bundle,
  CarePlan,
  Condition,
  MedicationStatement,
  Resource,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

const NOW = new Date('2026-03-02T08:00:00Z');

const failedTrial = (drug: string) => ({
  drug,
  doseMgPerDay: 150,
  durationWeeks: 8,
  adherence: 'full',
  response: 'none',
  reasonStopped: 'no improvement',
  currentEpisode: true,
  adequateDose: true,
  adequateDuration: true,
  startDate: '2025-01-06',
});

const ofType = <T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] =>
  (bundle.entry ?? []).map((e) => e.resource!).filter((r): r is T => r.resourceType === type);

describeEachStore('clinical record in FHIR', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let nurse: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => NOW });
    clinic = await seedClinic(store(), 'FHIR Clinical Record Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
  });

  async function post(session: Session, url: string, payload: object) {
    const r = await session.request({ method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string };
  }

  async function newPatient(): Promise<string> {
    return (await post(prescriber, '/api/patients', samplePatient())).id;
  }

  const exportOf = async (patientId: string) => {
    const r = await prescriber.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Bundle;
  };

  it('exports allergies, the problem list with a course’s primary diagnosis, and trials', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    await post(nurse, `${base}/allergies`, {
      substance: 'Zoloft',
      reaction: 'hives',
      severity: 'moderate',
      source: 'patient',
    });
    const wrong = await post(nurse, `${base}/allergies`, {
      substance: 'latex',
      severity: 'unknown',
      source: 'patient',
    });
    const marked = await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${wrong.id}`,
      payload: { status: 'entered-in-error', reason: 'other patient' },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    const mdd = await post(prescriber, `${base}/diagnoses`, {
      icd10cmCode: 'F33.2',
      onsetDate: '2019-05-01',
    });
    await post(prescriber, `${base}/diagnoses`, { description: 'insomnia since the new job' });
    await post(prescriber, `${base}/treatment-trials`, failedTrial('sertraline'));
    await post(prescriber, `${base}/treatment-trials`, failedTrial('venlafaxine'));
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await post(prescriber, `${base}/courses`, {
      templateId: 'iv-induction-2x-weekly-3wk',
      startDate: '2026-03-02',
    });
    const chosen = await prescriber.request({
      method: 'PUT',
      url: `${base}/courses/${course.id}/primary-diagnosis`,
      payload: { diagnosisId: mdd.id },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);

    const bundle = await exportOf(patientId);
    const allergies = ofType<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(allergies.map((a) => a.code?.text)).toEqual(['Zoloft']);
    expect(allergies[0]!.reaction?.[0]).toEqual({ manifestation: [{ text: 'hives' }], severity: 'moderate' });
    const conditions = ofType<Condition>(bundle, 'Condition');
    expect(conditions.map((c) => c.code?.coding?.[0]?.code ?? c.code?.text)).toEqual([
      'F33.2',
      'insomnia since the new job',
    ]);
    expect(conditions[0]!.code?.coding?.[0]?.system).toBe('http://hl7.org/fhir/sid/icd-10-cm');
    const plan = ofType<CarePlan>(bundle, 'CarePlan').find((c) => c.id === course.id)!;
    expect(plan.addresses).toEqual([{ reference: `Condition/${mdd.id}` }]);
    const trials = ofType<MedicationStatement>(bundle, 'MedicationStatement').filter((m) =>
      m.category?.coding?.some((c) => c.code === 'prior-treatment-trial'),
    );
    expect(trials.map((t) => [t.medicationCodeableConcept?.text, t.status])).toEqual([
      ['sertraline', 'stopped'],
      ['venlafaxine', 'stopped'],
    ]);
  });

  it('"no known allergies" goes out as 716186003 while it holds, and not after an allergy', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    expect(ofType<AllergyIntolerance>(await exportOf(patientId), 'AllergyIntolerance')).toEqual([]);
    const nka = await nurse.request({ method: 'POST', url: `${base}/no-known-allergies`, payload: {} });
    expect(nka.statusCode, nka.body).toBe(201);
    const stated = ofType<AllergyIntolerance>(await exportOf(patientId), 'AllergyIntolerance');
    expect(stated.map((a) => a.code?.coding?.[0]?.code)).toEqual(['716186003']);
    await post(nurse, `${base}/allergies`, {
      substance: 'penicillin',
      severity: 'severe',
      source: 'patient',
    });
    const listed = ofType<AllergyIntolerance>(await exportOf(patientId), 'AllergyIntolerance');
    expect(listed.map((a) => a.code?.coding?.[0]?.code ?? a.code?.text)).toEqual(['penicillin']);
  });

  /** The exported bundle as another clinic's file: the patient under a new MRN. */
  const asNewPatient = (bundle: Bundle, mrn: string): Bundle => {
    const copy = structuredClone(bundle);
    const patient = copy.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as {
      identifier: { system?: string; value?: string }[];
    };
    patient.identifier = patient.identifier
      .filter((i) => i.system === 'urn:rein:mrn')
      .map((i) => ({ ...i, value: mrn }));
    return copy;
  };

  const importAs = (session: Session, bundle: unknown) =>
    session.request({ method: 'POST', url: '/api/fhir/import', payload: bundle as object });

  const recordOf = async (patientId: string) => {
    const r = await prescriber.request({ method: 'GET', url: `/api/patients/${patientId}/clinical-record` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      allergyState: { kind: string };
      allergies: Record<string, unknown>[];
      diagnoses: Record<string, unknown>[];
      trials: Record<string, unknown>[];
      treatmentResistance: { resistant: boolean };
    };
  };

  const SAME = {
    allergy: [
      'substance',
      'substanceGeneric',
      'substanceFreeText',
      'reaction',
      'severity',
      'source',
      'status',
      'notes',
    ],
    diagnosis: ['icd10cmCode', 'description', 'freeText', 'status', 'onsetDate', 'notes'],
    trial: [
      'drug',
      'doseMgPerDay',
      'durationWeeks',
      'adherence',
      'response',
      'reasonStopped',
      'currentEpisode',
      'adequateDose',
      'adequateDuration',
      'startDate',
      'notes',
    ],
  };
  const pick = (rows: Record<string, unknown>[], keys: string[]) =>
    rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

  it('an exported record imports back through the record use cases, field for field', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    await post(nurse, `${base}/allergies`, {
      substance: 'Zoloft',
      reaction: 'hives',
      severity: 'moderate',
      source: 'clinician-observed',
      notes: 'after the first dose',
    });
    await post(nurse, `${base}/allergies`, {
      substance: 'latex',
      severity: 'severe',
      source: 'patient',
      status: 'resolved',
    });
    await post(prescriber, `${base}/diagnoses`, { icd10cmCode: 'F33.2', onsetDate: '2019-05-01' });
    const gad = await post(prescriber, `${base}/diagnoses`, { icd10cmCode: 'F41.1' });
    const resolved = await prescriber.request({
      method: 'PATCH',
      url: `${base}/diagnoses/${gad.id}`,
      payload: { status: 'resolved', reason: 'no longer met' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await post(prescriber, `${base}/diagnoses`, { description: 'insomnia since the new job' });
    await post(prescriber, `${base}/treatment-trials`, failedTrial('sertraline'));
    await post(prescriber, `${base}/treatment-trials`, {
      ...failedTrial('venlafaxine'),
      response: 'not-tolerated',
      adequateDose: null,
      durationWeeks: 3,
      notes: 'nausea',
    });
    await post(prescriber, `${base}/treatment-trials`, {
      ...failedTrial('bupropion'),
      startDate: null,
      doseMgPerDay: null,
    });

    const imported = await importAs(prescriber, asNewPatient(await exportOf(patientId), 'RT-1'));
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ allergies: 2, noKnownAllergies: 0, diagnoses: 3, trials: 3 });
    const copyId = (imported.json() as { patients: { id: string }[] }).patients[0]!.id;
    const [before, after] = [await recordOf(patientId), await recordOf(copyId)];
    expect(pick(after.allergies, SAME.allergy)).toEqual(pick(before.allergies, SAME.allergy));
    expect(pick(after.diagnoses, SAME.diagnosis)).toEqual(pick(before.diagnoses, SAME.diagnosis));
    expect(pick(after.trials, SAME.trial)).toEqual(pick(before.trials, SAME.trial));
    expect(after.treatmentResistance.resistant).toBe(true);
  });

  it('"no known allergies" imports back as the statement', async () => {
    const patientId = await newPatient();
    await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/no-known-allergies`,
      payload: {},
    });
    const imported = await importAs(nurse, asNewPatient(await exportOf(patientId), 'RT-NKA'));
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ noKnownAllergies: 1, allergies: 0 });
    const copyId = (imported.json() as { patients: { id: string }[] }).patients[0]!.id;
    expect((await recordOf(copyId)).allergyState.kind).toBe('no-known-allergies');
  });

  it('refuses a malformed resource naming the field, and writes nothing', async () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      identifier: [{ system: 'urn:rein:mrn', value: 'BAD-1' }],
      name: [{ family: 'Doe', given: ['Jo'] }],
      birthDate: '1980-02-03',
      gender: 'female',
    };
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: patient },
        {
          resource: {
            resourceType: 'AllergyIntolerance',
            clinicalStatus: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
                  code: 'active',
                },
              ],
            },
            code: { text: 'penicillin' },
            reaction: [{ manifestation: [{ text: 'rash' }], severity: 'catastrophic' }],
            patient: { reference: 'Patient/p1' },
          },
        },
        {
          resource: {
            resourceType: 'Condition',
            clinicalStatus: {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
              ],
            },
            subject: { reference: 'Patient/p1' },
          },
        },
        {
          resource: {
            resourceType: 'AllergyIntolerance',
            code: { text: 'latex' },
            patient: { reference: 'Patient/p1' },
          },
        },
      ],
    };
    const r = await importAs(prescriber, bundle);
    expect(r.statusCode, r.body).toBe(422);
    const issues = (r.json() as { issues: { entry: number; resourceType: string; path: string }[] }).issues;
    expect(issues.map((i) => [i.entry, i.resourceType, i.path])).toEqual([
      [1, 'AllergyIntolerance', 'reaction.severity'],
      [2, 'Condition', 'code'],
      [3, 'AllergyIntolerance', 'clinicalStatus'],
    ]);
    const search = await prescriber.request({ method: 'GET', url: '/api/patients?q=BAD-1' });
    expect(search.json()).toMatchObject({ items: [], total: 0 });
  });

  it('a nurse imports allergies but not the problem list or trials', async () => {
    const patientId = await newPatient();
    await post(nurse, `/api/patients/${patientId}/allergies`, {
      substance: 'latex',
      severity: 'mild',
      source: 'patient',
    });
    await post(prescriber, `/api/patients/${patientId}/diagnoses`, { icd10cmCode: 'F33.1' });
    const refused = await importAs(nurse, asNewPatient(await exportOf(patientId), 'RT-NURSE'));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().issues).toEqual([
      {
        entry: expect.any(Number),
        resourceType: 'Condition',
        path: 'resourceType',
        message: 'only a prescriber may record diagnoses',
      },
    ]);
  });
});
