/**
 * The FHIR export of a patient with C-SSRS screeners, an IV infusion with vitals and a serious
 * adverse event, and an esketamine session: every resource valid (HL7 R4 JSON schema and
 * structure definitions), every reference resolving, and the session's record complete.
 */
import type {
  AdverseEvent,
  Bundle,
  Flag,
  MedicationAdministration,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import {
  loadFhirValidators,
  unresolvedReferences,
  type FhirValidators,
} from '../../interop/fhir/validation-test-support';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

let validators: FhirValidators;

describeEachStore('FHIR record complete and self-consistent', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let patientId: string;
  let ivSession: string;
  let eskSession: string;

  beforeAll(async () => {
    validators ??= await loadFhirValidators();
    app = await createTestApp(store(), { now: () => new Date('2026-03-20T12:00:00Z') });
    clinic = await seedClinic(store(), 'FHIR Record Clinic');
    nurse = await login(app, clinic.users.nurse);
    const prescriber = await login(app, clinic.users.prescriber);
    patientId = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    for (const [at, answers] of [
      ['2026-03-01T09:00:00Z', [1, 1, 1, 0, 0, 0, null]], // moderate
      ['2026-03-02T07:30:00Z', [1, 1, 0, 1, 0, 0, null]], // high
    ] as const) {
      const r = await nurse.request({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        payload: {
          instrument: 'cssrs-screener',
          version: '1.0.0',
          context: 'ad-hoc',
          administeredAt: at,
          answers,
        },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
    const iv = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(iv.statusCode, iv.body).toBe(201);
    ivSession = iv.json().sessions[0].id;
    const esk = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'esketamine-trd-label', startDate: '2026-03-16' },
    });
    expect(esk.statusCode, esk.body).toBe(201);
    eskSession = esk.json().sessions[0].id;

    await inClinic(store().db, clinic.id, async (tx) => {
      const u = clinic.users.nurse.id;
      const add = (
        sessionId: string,
        kind: Parameters<typeof appendSessionEvent>[3]['kind'],
        timeMin: number | null,
        payload: unknown,
        at: string,
      ) => appendSessionEvent(tx, clinic.id, sessionId, { kind, timeMin, payload }, u, new Date(at));
      // The payloads the session routes write.
      await add(
        ivSession,
        'dose-plan',
        null,
        { modality: 'iv-ketamine', doseMg: 35, doseMgPerKg: 0.5, weightKg: 70, dosingEndMin: 40 },
        '2026-03-02T07:50:00Z',
      );
      await add(
        ivSession,
        'vitals',
        -5,
        { sbpMmHg: 126, dbpMmHg: 78, heartRateBpm: 70, spo2Pct: 98 },
        '2026-03-02T07:55:00Z',
      );
      await add(ivSession, 'dosing-start', 0, {}, '2026-03-02T08:00:00Z');
      await add(
        ivSession,
        'vitals',
        15,
        { sbpMmHg: 150, dbpMmHg: 92, heartRateBpm: 88, spo2Pct: 93, respiratoryRatePerMin: 12 },
        '2026-03-02T08:15:00Z',
      );
      await add(
        ivSession,
        'adverse-event',
        18,
        {
          category: 'other',
          description: 'vomited',
          severity: 'severe',
          actionTaken: 'escalated-emergency',
          timeMin: 18,
          serious: true,
        },
        '2026-03-02T08:19:00Z',
      );
      await add(ivSession, 'discharge', 100, { atMin: 100 }, '2026-03-02T09:40:00Z');
      await add(
        eskSession,
        'dose-plan',
        null,
        { modality: 'esketamine', doseMg: 56, devices: 2, dosingEndMin: 5 },
        '2026-03-16T07:55:00Z',
      );
      await add(eskSession, 'dosing-start', 0, {}, '2026-03-16T08:00:00Z');
      await add(eskSession, 'vitals', 40, { sbpMmHg: 138, dbpMmHg: 84 }, '2026-03-16T08:40:00Z');
    });
  }, 180_000);

  it(
    'every exported resource passes the HL7 R4 JSON schema and the structure definitions; every reference resolves',
    { timeout: 180_000 },
    async () => {
      const res = await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` });
      expect(res.statusCode).toBe(200);
      const bundle = res.json() as Bundle;
      const resources = bundle.entry!.map((e) => e.resource!) as Resource[];
      for (const r of [...resources, bundle]) {
        expect(validators.schemaErrors(r), `${r.resourceType}/${r.id}`).toEqual([]);
        expect(() => validators.validateStructure(r), `${r.resourceType}/${r.id}`).not.toThrow();
      }
      expect(unresolvedReferences(bundle)).toEqual([]);

      const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
      const code = (o: Observation) => o.code.coding?.map((c) => c.code) ?? [];
      // C-SSRS: risk level observations and one active Flag (the latest, high).
      expect(obs.filter((o) => code(o).includes('93374-7')).map((o) => o.valueCodeableConcept?.text)).toEqual(
        ['moderate', 'high'],
      );
      const flags = resources.filter((r): r is Flag => r.resourceType === 'Flag');
      expect(flags.map((f) => f.status)).toEqual(['inactive', 'active']);
      // Vitals: 2 + 3 + 1 readings' measurements, with the respiratory rate where recorded.
      const vitals = obs.filter((o) => o.category?.[0]?.coding?.[0]?.code === 'vital-signs');
      expect(vitals.map((o) => code(o)[0]).sort()).toEqual(
        ['85354-9', '85354-9', '85354-9', '8867-4', '8867-4', '2708-6', '2708-6', '9279-1'].sort(),
      );
      expect(vitals.find((o) => code(o).includes('9279-1'))).toMatchObject({
        effectiveDateTime: '2026-03-02T08:15:00.000Z',
        encounter: { reference: `Encounter/${ivSession}` },
        valueQuantity: { value: 12, code: '/min' },
      });
      // The adverse event, serious, in its session.
      const aes = resources.filter((r): r is AdverseEvent => r.resourceType === 'AdverseEvent');
      expect(aes).toHaveLength(1);
      expect(aes[0]).toMatchObject({
        encounter: { reference: `Encounter/${ivSession}` },
        date: '2026-03-02T08:18:00.000Z',
        seriousness: { coding: [{ code: 'Serious' }] },
        severity: { coding: [{ code: 'severe' }] },
      });
      // The infusion's period; esketamine with its RxNorm code.
      const mas = resources.filter(
        (r): r is MedicationAdministration => r.resourceType === 'MedicationAdministration',
      );
      const ivMa = mas.find((m) => m.context?.reference === `Encounter/${ivSession}`)!;
      expect(ivMa.effectivePeriod).toEqual({
        start: '2026-03-02T08:00:00.000Z',
        end: '2026-03-02T08:40:00.000Z',
      });
      const eskMa = mas.find((m) => m.context?.reference === `Encounter/${eskSession}`)!;
      expect(eskMa.medicationCodeableConcept?.coding?.[0]).toMatchObject({ code: '2201623' });
      expect(eskMa.effectivePeriod).toEqual({
        start: '2026-03-16T08:00:00.000Z',
        end: '2026-03-16T08:05:00.000Z',
      });
    },
  );
});
