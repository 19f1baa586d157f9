/**
 * The clinical record through FHIR on both stores: the patient export carries allergies
 * (AllergyIntolerance, "no known allergies" as SNOMED CT 716186003), the problem list (Condition,
 * ICD-10-CM) and prior trials (MedicationStatement), with the course's CarePlan addressing its
 * primary diagnosis; entries entered in error stay home.
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
});
