import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEvents, revisions } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('plausibility, entered in error and derived interaction flags', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let staff: Session;
  let mrn = 0;
  const newPatient = async (): Promise<string> =>
    (
      await staff.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ mrn: `PL-${++mrn}` }),
      })
    ).json().id;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-11-26T12:00:00Z') });
    clinic = await seedClinic(store(), 'Plausibility Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);
  });

  describe('weights', () => {
    it('refuses 900 kg and 0.5 kg with the allowed range in the field error, storing nothing', async () => {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/body-measurements`;
      for (const weightKg of [900, 0.5]) {
        const res = await nurse.request({ method: 'POST', url, payload: { weightKg } });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.fields).toMatchObject([
          { path: 'body.weightKg', message: 'Weight must be between 10 and 500 kg.' },
        ]);
      }
      const height = await nurse.request({ method: 'POST', url, payload: { heightCm: 1.8 } });
      expect(height.json().error.fields[0]).toEqual({
        path: 'body.heightCm',
        code: 'too_small',
        message: 'Height must be between 50 and 272 cm.',
      });
      expect((await nurse.request({ method: 'GET', url })).json().items).toEqual([]);
    });

    it('a weight marked entered in error stays in the history but is no longer the latest or the dosing weight', async () => {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/body-measurements`;
      await nurse.request({
        method: 'POST',
        url,
        payload: { measuredAt: '2026-11-20T09:00:00Z', weightKg: 72, heightCm: 175 },
      });
      const wrong = (
        await nurse.request({
          method: 'POST',
          url,
          payload: { measuredAt: '2026-11-25T09:00:00Z', weightKg: 27 },
        })
      ).json();
      const eieUrl = `${url}/${wrong.id}/entered-in-error`;
      const noReason = await nurse.request({ method: 'POST', url: eieUrl, payload: {} });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.fields[0].path).toBe('body.reason');
      const marked = await nurse.request({
        method: 'POST',
        url: eieUrl,
        payload: { reason: 'digits swapped; scale read 72 kg' },
      });
      expect(marked.statusCode).toBe(200);
      expect(marked.json()).toMatchObject({ status: 'entered-in-error', version: 2, weightKg: 27 });
      expect(
        (await nurse.request({ method: 'POST', url: eieUrl, payload: { reason: 'again' } })).statusCode,
      ).toBe(409);

      const list = (await nurse.request({ method: 'GET', url })).json().items;
      expect(list.map((m: { weightKg: number; status: string }) => [m.weightKg, m.status])).toEqual([
        [72, 'active'],
        [27, 'entered-in-error'],
      ]);
      expect(list[1].statusReason).toBe('digits swapped; scale read 72 kg');
      expect(list[1].bmi).toBeNull();

      // The dosing weight taken from the record is the last weight not entered in error.
      const sim = await nurse.request({
        method: 'POST',
        url: '/api/mechanism/simulate',
        payload: { model: 'domino-1984', doses: ['0.5 mg/kg over 40 min'], untilMin: 120, patientId },
      });
      expect(sim.statusCode).toBe(200);
      expect(sim.json().pk.dosingWeightKg).toBe(72);

      const kept = await store()
        .db.select()
        .from(revisions)
        .where(and(eq(revisions.clinicId, clinic.id), eq(revisions.resourceId, wrong.id)));
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ resourceType: 'body_measurement', version: 1 });
    });
  });

  describe('medications', () => {
    it('a dose above the labelled maximum needs confirmation, which is recorded and audited', async () => {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/medications`;
      const med = { name: 'Sertraline', dose: 300, doseUnit: 'mg', frequency: 'once daily' };
      const unconfirmed = await nurse.request({ method: 'POST', url, payload: med });
      expect(unconfirmed.statusCode).toBe(422);
      expect(unconfirmed.json().error.code).toBe('confirmation_required');
      expect(unconfirmed.json().error.fields[0].path).toBe('dose');
      expect(unconfirmed.json().error.fields[0].message).toMatch(/above the labelled maximum of 200 mg\/day/);
      expect((await nurse.request({ method: 'GET', url })).json().items).toEqual([]);

      const confirmed = await nurse.request({
        method: 'POST',
        url,
        payload: { ...med, confirmAboveMaximum: true },
      });
      expect(confirmed.statusCode).toBe(201);
      expect(confirmed.json().doseAboveMaximum).toMatchObject({
        comparedMg: 300,
        maxMgPerDay: 200,
        confirmedBy: clinic.users.nurse.id,
      });
      const events = await store()
        .db.select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, confirmed.json().id)));
      expect(events.find((e) => e.action === 'medication.create')?.details).toMatchObject({
        doseAboveMaximumConfirmed: true,
      });

      // Raising a dose later is checked the same way.
      const within = (
        await nurse.request({ method: 'POST', url, payload: { ...med, name: 'Lorazepam', dose: 1 } })
      ).json();
      const raise = await nurse.request({
        method: 'PATCH',
        url: `${url}/${within.id}`,
        payload: { dose: 5, frequency: 'three times daily' },
      });
      expect(raise.statusCode).toBe(422);
      expect(raise.json().error.fields[0].message).toMatch(
        /15 mg a day is above the labelled maximum of 10 mg\/day/,
      );
    });

    it('stopping a medication requires a reason', async () => {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/medications`;
      const med = (
        await nurse.request({
          method: 'POST',
          url,
          payload: { name: 'Escitalopram', dose: 10, doseUnit: 'mg' },
        })
      ).json();
      const silent = await nurse.request({
        method: 'PATCH',
        url: `${url}/${med.id}`,
        payload: { stopDate: '2026-11-26', version: med.version },
      });
      expect(silent.statusCode).toBe(400);
      expect(silent.json().error.fields[0].path).toBe('reason');
      expect((await nurse.request({ method: 'GET', url })).json().items[0].stopDate).toBeNull();
      const stopped = await nurse.request({
        method: 'PATCH',
        url: `${url}/${med.id}`,
        payload: { stopDate: '2026-11-26', version: med.version, reason: 'switched to sertraline' },
      });
      expect(stopped.statusCode).toBe(200);
      expect(stopped.json()).toMatchObject({ stopDate: '2026-11-26', version: 2 });
    });

    it('alprazolam entered without a class tag is tagged, flagged and counted; entered in error it no longer counts', async () => {
      const patientId = await newPatient();
      const url = `/api/patients/${patientId}/medications`;
      const alprazolam = await nurse.request({
        method: 'POST',
        url,
        payload: { name: 'Alprazolam', dose: 1, doseUnit: 'mg', frequency: 'twice daily', classTags: [] },
      });
      expect(alprazolam.statusCode).toBe(201);
      expect(alprazolam.json()).toMatchObject({
        classTags: [],
        derivedClassTags: ['benzodiazepine'],
        effectiveClassTags: ['benzodiazepine'],
      });
      const flagsUrl = `/api/patients/${patientId}/interactions?modality=iv-ketamine`;
      const flags = (await nurse.request({ method: 'GET', url: flagsUrl })).json().flags;
      const attenuation = flags.find((f: { id: string }) => f.id === 'INT-BZD-ATTENUATION');
      // 2 mg/day alprazolam = 40 mg/day diazepam by the Ashton column (0.5 mg ≈ 10 mg).
      expect(attenuation.message).toMatch(/total 40 mg\/day diazepam-equivalent/);

      const eie = await nurse.request({
        method: 'POST',
        url: `${url}/${alprazolam.json().id}/entered-in-error`,
        payload: { reason: 'wrong patient', version: 1 },
      });
      expect(eie.statusCode).toBe(200);
      expect(eie.json()).toMatchObject({
        status: 'entered-in-error',
        statusReason: 'wrong patient',
        version: 2,
      });
      expect((await nurse.request({ method: 'GET', url: flagsUrl })).json().flags).toEqual([]);
      const list = (await nurse.request({ method: 'GET', url })).json().items;
      expect(list.map((m: { status: string }) => m.status)).toEqual(['entered-in-error']);
      const edit = await nurse.request({
        method: 'PATCH',
        url: `${url}/${alprazolam.json().id}`,
        payload: { dose: 2 },
      });
      expect(edit.statusCode).toBe(409);
    });
  });

  it('a sertraline taper from 5,000 mg/day is refused naming startDoseMg; nothing is stored', async () => {
    const patientId = await newPatient();
    const url = `/api/patients/${patientId}/tapers`;
    const res = await prescriber.request({
      method: 'POST',
      url,
      payload: {
        drug: 'sertraline',
        startDoseMg: 5000,
        mode: 'proportional',
        stepPct: 10,
        intervalDays: 28,
        startDate: '2026-12-01',
        infusionDates: [],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('body.startDoseMg');
    expect(res.json().error.fields[0].message).toMatch(/at most 200 mg a day/);
    expect((await prescriber.request({ method: 'GET', url })).json().items).toEqual([]);
  });

  it('the mechanism simulator refuses a 50 mg/kg dose naming it', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: '/api/mechanism/simulate',
      payload: { model: 'domino-1984', weightKg: 70, doses: ['50 mg/kg over 40 min'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('doses.0');
  });
});
