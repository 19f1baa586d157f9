/**
 * The clinical record over HTTP on both stores: allergies with an explicit "no known allergies"
 * statement, the problem list with the ICD-10-CM subset or flagged free text, prior treatment trials
 * with the treatment-resistance statement, a course's primary diagnosis, the dose-plan refusal for
 * an active ketamine/esketamine allergy, field errors, who may read and write, and the audit.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
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
});

describeEachStore('clinical record API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let now = NOW;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Record Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
  });

  async function newPatient(): Promise<string> {
    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    expect(p.statusCode, p.body).toBe(201);
    return p.json().id as string;
  }

  const actions = async (resourceId: string) =>
    (
      await store()
        .db.select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, resourceId)))
    ).map((r) => r.action);

  it('the allergy state is unknown until asked; "no known allergies" is a statement with who and when', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    const before = await nurse.request({ method: 'GET', url: `${base}/clinical-record` });
    expect(before.statusCode).toBe(200);
    expect(before.json().allergyState).toEqual({
      kind: 'unknown',
      recordedBy: null,
      recordedByName: null,
      recordedAt: null,
      activeCount: 0,
    });
    expect(before.json().allergies).toEqual([]);

    const nka = await nurse.request({ method: 'POST', url: `${base}/no-known-allergies`, payload: {} });
    expect(nka.statusCode, nka.body).toBe(201);
    const stated = (await nurse.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(stated.allergyState).toEqual({
      kind: 'no-known-allergies',
      recordedBy: clinic.users.nurse.id,
      recordedByName: 'nurse Record Clinic',
      recordedAt: NOW.toISOString(),
      activeCount: 0,
    });

    now = new Date(NOW.getTime() + 60_000);
    const pen = await nurse.request({
      method: 'POST',
      url: `${base}/allergies`,
      payload: { substance: 'Penicillin', reaction: 'hives', severity: 'moderate', source: 'patient' },
    });
    expect(pen.statusCode, pen.body).toBe(201);
    expect(pen.json()).toMatchObject({ substanceGeneric: null, substanceFreeText: true, status: 'active' });
    const zoloft = await nurse.request({
      method: 'POST',
      url: `${base}/allergies`,
      payload: { substance: 'Zoloft', severity: 'mild', source: 'previous-record', status: 'resolved' },
    });
    expect(zoloft.json()).toMatchObject({ substanceGeneric: 'sertraline', substanceFreeText: false });
    const listed = (await nurse.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(listed.allergyState.kind).toBe('list');
    expect(listed.allergyState.activeCount).toBe(1);

    const refused = await nurse.request({ method: 'POST', url: `${base}/no-known-allergies`, payload: {} });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].path).toBe('noKnownAllergies');
    expect(refused.json().error.fields[0].message).toMatch(/1 active allergy/);

    // Marking it entered in error needs a reason; the previous version is kept; a stale edit is refused.
    const noReason = await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${pen.json().id}`,
      payload: { status: 'entered-in-error' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].path).toBe('body.reason');
    const marked = await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${pen.json().id}`,
      payload: { status: 'entered-in-error', reason: 'wrong patient', version: 1 },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({
      status: 'entered-in-error',
      statusReason: 'wrong patient',
      version: 2,
    });
    const stale = await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${zoloft.json().id}`,
      payload: { severity: 'severe', version: 7 },
    });
    expect(stale.statusCode).toBe(409);
    const again = await nurse.request({ method: 'POST', url: `${base}/no-known-allergies`, payload: {} });
    expect(again.statusCode).toBe(201);

    expect(await actions(patientId)).toEqual(
      expect.arrayContaining(['clinical_record.read', 'allergy.no_known_allergies']),
    );
    expect(await actions(pen.json().id)).toEqual(['allergy.create', 'allergy.entered_in_error']);
    now = NOW;
  });

  it('refuses bad input naming the field', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    const noSeverity = await nurse.request({
      method: 'POST',
      url: `${base}/allergies`,
      payload: { substance: 'latex', source: 'patient' },
    });
    expect(noSeverity.statusCode).toBe(400);
    expect(noSeverity.json().error.fields.map((f: { path: string }) => f.path)).toContain('body.severity');
    const neither = await prescriber.request({ method: 'POST', url: `${base}/diagnoses`, payload: {} });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.fields[0].path).toBe('body.description');
    const notInList = await prescriber.request({
      method: 'POST',
      url: `${base}/diagnoses`,
      payload: { icd10cmCode: 'F99' },
    });
    expect(notInList.statusCode).toBe(400);
    expect(notInList.json().error.fields[0].path).toBe('body.icd10cmCode');
    const badTrial = await prescriber.request({
      method: 'POST',
      url: `${base}/treatment-trials`,
      payload: { ...failedTrial('sertraline'), durationWeeks: -2, adherence: 'sometimes' },
    });
    expect(badTrial.statusCode).toBe(400);
    expect(
      badTrial
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['body.adherence', 'body.durationWeeks']);
    const unknownPatient = await nurse.request({
      method: 'GET',
      url: '/api/patients/01890000-0000-7000-8000-000000000000/clinical-record',
    });
    expect(unknownPatient.statusCode).toBe(404);
  });

  it('front desk neither reads nor writes it; nurses record allergies; prescribers diagnoses and trials', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    const allergy = { substance: 'latex', severity: 'mild', source: 'patient' };
    const diagnosis = { icd10cmCode: 'F33.2' };
    expect((await staff.request({ method: 'GET', url: `${base}/clinical-record` })).statusCode).toBe(403);
    expect(
      (await staff.request({ method: 'POST', url: `${base}/allergies`, payload: allergy })).statusCode,
    ).toBe(403);
    expect(
      (await staff.request({ method: 'POST', url: `${base}/no-known-allergies`, payload: {} })).statusCode,
    ).toBe(403);
    expect(
      (await staff.request({ method: 'POST', url: `${base}/diagnoses`, payload: diagnosis })).statusCode,
    ).toBe(403);
    expect(
      (await nurse.request({ method: 'POST', url: `${base}/diagnoses`, payload: diagnosis })).statusCode,
    ).toBe(403);
    expect(
      (
        await nurse.request({
          method: 'POST',
          url: `${base}/treatment-trials`,
          payload: failedTrial('sertraline'),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await nurse.request({ method: 'POST', url: `${base}/allergies`, payload: allergy })).statusCode,
    ).toBe(201);
    expect(
      (await prescriber.request({ method: 'POST', url: `${base}/diagnoses`, payload: diagnosis })).statusCode,
    ).toBe(201);
    // Another clinic's clinician cannot reach this patient.
    const other = await seedClinic(store(), 'Other Clinic');
    const outsider = await login(app, other.users.prescriber);
    expect((await outsider.request({ method: 'GET', url: `${base}/clinical-record` })).statusCode).toBe(404);
  });

  it('keeps a problem list of coded and flagged free-text diagnoses and a course’s primary diagnosis', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    const coded = await prescriber.request({
      method: 'POST',
      url: `${base}/diagnoses`,
      payload: { icd10cmCode: 'F33.2', description: 'ignored beside a code', onsetDate: '2024-05-01' },
    });
    expect(coded.statusCode, coded.body).toBe(201);
    expect(coded.json()).toMatchObject({
      icd10cmCode: 'F33.2',
      description: 'Major depressive disorder, recurrent severe without psychotic features',
      freeText: false,
      status: 'active',
    });
    const free = await prescriber.request({
      method: 'POST',
      url: `${base}/diagnoses`,
      payload: { icd10cmCode: '', description: 'Chronic pain with depressive features' },
    });
    expect(free.json()).toMatchObject({ icd10cmCode: null, freeText: true });

    await screenEligible(prescriber, patientId);
    const course = await prescriber.request({
      method: 'POST',
      url: `${base}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode, course.body).toBe(201);
    const courseId = course.json().id as string;
    const unset = (await prescriber.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(unset.courses).toEqual([{ courseId, primaryDiagnosisId: null }]);

    const nurseSets = await nurse.request({
      method: 'PUT',
      url: `${base}/courses/${courseId}/primary-diagnosis`,
      payload: { diagnosisId: coded.json().id },
    });
    expect(nurseSets.statusCode).toBe(403);
    const set = await prescriber.request({
      method: 'PUT',
      url: `${base}/courses/${courseId}/primary-diagnosis`,
      payload: { diagnosisId: coded.json().id },
    });
    expect(set.statusCode, set.body).toBe(200);
    const read = (await prescriber.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(read.courses).toEqual([{ courseId, primaryDiagnosisId: coded.json().id }]);
    expect(await actions(courseId)).toContain('course.primary_diagnosis');

    const wrong = await prescriber.request({
      method: 'PATCH',
      url: `${base}/diagnoses/${free.json().id}`,
      payload: { status: 'entered-in-error', reason: 'duplicate' },
    });
    expect(wrong.json()).toMatchObject({ status: 'entered-in-error', version: 2 });
    const onWrong = await prescriber.request({
      method: 'PUT',
      url: `${base}/courses/${courseId}/primary-diagnosis`,
      payload: { diagnosisId: free.json().id },
    });
    expect(onWrong.statusCode).toBe(409);
    const changeWrong = await prescriber.request({
      method: 'PATCH',
      url: `${base}/diagnoses/${free.json().id}`,
      payload: { notes: 'x' },
    });
    expect(changeWrong.statusCode).toBe(409);
    const noCourse = await prescriber.request({
      method: 'PUT',
      url: `${base}/courses/01890000-0000-7000-8000-000000000000/primary-diagnosis`,
      payload: { diagnosisId: null },
    });
    expect(noCourse.statusCode).toBe(404);
    expect(await actions(coded.json().id)).toEqual(['diagnosis.create']);
  });

  it('states treatment resistance from the trials, naming which count and why the others do not', async () => {
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    const post = (payload: object) =>
      prescriber.request({ method: 'POST', url: `${base}/treatment-trials`, payload });
    const t1 = await post(failedTrial('sertraline'));
    expect(t1.statusCode, t1.body).toBe(201);
    const notMarked = await post({ ...failedTrial('bupropion'), adequateDose: null });
    const one = (await prescriber.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(one.treatmentResistance).toMatchObject({
      resistant: false,
      adequateFailedTreatments: 1,
      required: 2,
      statement:
        'Not treatment-resistant on the record: 1 of 2 adequate failed trials in the current episode (sertraline).',
    });
    expect(one.treatmentResistance.definition.source).toMatch(/Fava/);

    const t2 = await post({ ...failedTrial('venlafaxine'), response: 'partial', adherence: 'partial' });
    const two = (await prescriber.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(two.treatmentResistance.resistant).toBe(true);
    expect(two.treatmentResistance.countingTrialIds).toEqual([t1.json().id, t2.json().id]);
    expect(two.treatmentResistance.statement).toBe(
      'Treatment-resistant: 2 adequate trials failed in the current episode (sertraline, venlafaxine).',
    );
    const why = two.treatmentResistance.judgements.find(
      (j: { trialId: string }) => j.trialId === notMarked.json().id,
    );
    expect(why).toMatchObject({ counts: false, reasons: ['dose adequacy not marked'] });

    // Marking the dose adequate makes it count; marking a counted trial entered in error removes it.
    const marked = await prescriber.request({
      method: 'PATCH',
      url: `${base}/treatment-trials/${notMarked.json().id}`,
      payload: { adequateDose: true, version: 1 },
    });
    expect(marked.json()).toMatchObject({ adequateDose: true, version: 2 });
    await prescriber.request({
      method: 'PATCH',
      url: `${base}/treatment-trials/${t1.json().id}`,
      payload: { status: 'entered-in-error', reason: 'another patient’s history' },
    });
    const after = (await prescriber.request({ method: 'GET', url: `${base}/clinical-record` })).json();
    expect(after.treatmentResistance.countingTrialIds).toEqual([notMarked.json().id, t2.json().id]);
    expect(await actions(t1.json().id)).toEqual([
      'treatment_trial.create',
      'treatment_trial.entered_in_error',
    ]);
  });

  it('refuses a dose plan while the patient has an active ketamine allergy, with the reason', async () => {
    now = NOW;
    const patientId = await newPatient();
    const base = `/api/patients/${patientId}`;
    await screenEligible(prescriber, patientId);
    const c = await prescriber.request({
      method: 'POST',
      url: `${base}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    const session = `${base}/sessions/${c.json().sessions[0].id}`;
    const allergy = await nurse.request({
      method: 'POST',
      url: `${base}/allergies`,
      payload: {
        substance: 'Ketamine',
        reaction: 'laryngospasm',
        severity: 'severe',
        source: 'previous-record',
      },
    });
    expect(allergy.statusCode).toBe(201);
    await nurse.request({ method: 'POST', url: `${session}/check-in`, payload: {} });
    await recordPreSessionAssessments(nurse, patientId, new Date(NOW.getTime() - 30 * 60_000));
    const ck = await nurse.request({
      method: 'POST',
      url: `${session}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 80 },
    });
    expect(ck.statusCode, ck.body).toBe(200);
    await nurse.request({
      method: 'POST',
      url: `${session}/observations`,
      payload: { kind: 'moaas', score: 5 },
    });

    const refused = await nurse.request({
      method: 'POST',
      url: `${session}/dose-plan`,
      payload: { lotNumber: 'L1' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.fields[0]).toMatchObject({ path: 'allergies' });
    expect(refused.json().error.fields[0].message).toMatch(
      /^Allergies: active allergy to Ketamine \(laryngospasm\): ketamine is contraindicated \(Spravato US PI §4/,
    );

    const resolved = await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${allergy.json().id}`,
      payload: { status: 'inactive', reason: 'reaction was to a co-administered drug' },
    });
    expect(resolved.statusCode).toBe(200);
    const planned = await nurse.request({
      method: 'POST',
      url: `${session}/dose-plan`,
      payload: { lotNumber: 'L1' },
    });
    expect(planned.statusCode, planned.body).toBe(200);
  });
});
