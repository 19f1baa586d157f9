import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import { loadStructureValidator } from '../../interop/fhir/validation-test-support';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

let validateResource: (r: Resource) => unknown;

describeEachStore('FHIR R4 patient export', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let staff: Session;
  let otherNurse: Session;
  let patientId: string;

  beforeAll(async () => {
    validateResource = await loadStructureValidator();

    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'FHIR Clinic');
    const other = await seedClinic(store(), 'Other FHIR Clinic');
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    otherNurse = await login(app, other.users.nurse);
    const prescriber = await login(app, clinic.users.prescriber);
    patientId = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/medications`,
      payload: {
        name: 'lorazepam',
        dose: 1,
        doseUnit: 'mg',
        frequency: 'twice daily',
        classTags: ['benzodiazepine'],
      },
    });
    const a = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: {
        instrument: 'phq9',
        version: '1.0.0',
        context: 'baseline',
        administeredAt: '2026-03-01T09:00:00Z',
        answers: [3, 3, 2, 2, 2, 2, 2, 2, 1, 2],
      },
    });
    expect(a.statusCode).toBe(201);
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    const s1 = course.json().sessions[0].id as string;
    await inClinic(store().db, clinic.id, async (tx) => {
      const u = clinic.users.nurse.id;
      await appendSessionEvent(
        tx,
        clinic.id,
        s1,
        {
          kind: 'dose-plan',
          payload: { modality: 'iv-ketamine', doseMg: 35, doseMgPerKg: 0.5, weightKg: 70 },
        },
        u,
        new Date('2026-03-02T08:00:00Z'),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1,
        { kind: 'dosing-start', timeMin: 0, payload: {} },
        u,
        new Date('2026-03-02T08:05:00Z'),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1,
        { kind: 'discharge', timeMin: 100, payload: { dischargeAtMin: 100 } },
        u,
        new Date('2026-03-02T09:45:00Z'),
      );
    });
  }, 60_000);

  it('returns a Bundle whose every resource passes the FHIR R4 structure definitions', async () => {
    const res = await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = res.json() as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = bundle.entry!.map((e) => e.resource!.resourceType);
    for (const t of [
      'Patient',
      'MedicationStatement',
      'QuestionnaireResponse',
      'Observation',
      'CarePlan',
      'Encounter',
      'MedicationAdministration',
    ]) {
      expect(types, t).toContain(t);
    }
    expect(types.filter((t) => t === 'Encounter').length).toBeGreaterThan(1);
    for (const e of bundle.entry!) {
      expect(
        () => validateResource(e.resource!),
        `${e.resource!.resourceType}/${e.resource!.id}`,
      ).not.toThrow();
    }
    expect(() => validateResource(bundle)).not.toThrow();
    const ma = bundle.entry!.find((e) => e.resource!.resourceType === 'MedicationAdministration')!.resource!;
    expect(ma).toMatchObject({
      status: 'completed',
      effectiveDateTime: '2026-03-02T08:05:00.000Z',
      dosage: { dose: { value: 35 } },
    });
    const enc = bundle.entry!.find((e) => e.resource!.resourceType === 'Encounter')!.resource!;
    expect(enc).toMatchObject({
      status: 'finished',
      period: { start: '2026-03-02T08:05:00.000Z', end: '2026-03-02T09:45:00.000Z' },
    });
  });

  it('clinical roles only, other clinics get 404, and the export is audited', async () => {
    expect((await staff.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` })).statusCode).toBe(
      403,
    );
    expect(
      (await otherNurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` })).statusCode,
    ).toBe(404);
    const events = await inClinic(store().db, clinic.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'patient.fhir_export'))),
    );
    expect(events.map((e) => e.resourceId)).toContain(patientId);
  });

  it('imports a Bundle into another clinic all or nothing, with per-resource errors', async () => {
    const exported = (
      await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` })
    ).json() as Bundle;
    const countPatients = async () =>
      (
        (await otherNurse.request({ method: 'GET', url: '/api/patients?pageSize=100' })).json() as {
          total?: number;
          items: unknown[];
        }
      ).items.length;
    const before = await countPatients();
    expect(
      (await staff.request({ method: 'POST', url: '/api/fhir/import', payload: exported })).statusCode,
    ).toBe(403);

    const res = await otherNurse.request({ method: 'POST', url: '/api/fhir/import', payload: exported });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ imported: true, medications: 1, assessments: 1 });
    expect(out.skipped.map((x: { resourceType: string }) => x.resourceType)).toContain('Encounter');
    const newId = out.patients[0].id as string;
    const list = (
      await otherNurse.request({ method: 'GET', url: `/api/patients/${newId}/assessments` })
    ).json();
    expect(JSON.stringify(list)).toContain('"totalScore":19');
    const meds = (
      await otherNurse.request({ method: 'GET', url: `/api/patients/${newId}/medications` })
    ).json();
    expect(JSON.stringify(meds)).toContain('lorazepam');
    expect(await countPatients()).toBe(before + 1);

    // The same MRN again: the patient conflicts, nothing of the bundle is written.
    const again = await otherNurse.request({ method: 'POST', url: '/api/fhir/import', payload: exported });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({
      imported: false,
      issues: [{ resourceType: 'Patient', path: 'identifier' }],
    });
    expect(await countPatients()).toBe(before + 1);

    // A new MRN with a broken medication: a per-resource error, and the patient is not created either.
    const broken = structuredClone(exported);
    const p = broken.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as {
      identifier: { value: string }[];
    };
    for (const i of p.identifier) i.value = 'IMPORT-2';
    const medIndex = broken.entry!.findIndex((e) => e.resource!.resourceType === 'MedicationStatement');
    (broken.entry![medIndex]!.resource as { medicationCodeableConcept: unknown }).medicationCodeableConcept =
      {};
    const bad = await otherNurse.request({ method: 'POST', url: '/api/fhir/import', payload: broken });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues[0]).toMatchObject({ entry: medIndex, resourceType: 'MedicationStatement' });
    expect(await countPatients()).toBe(before + 1);
  });
});
