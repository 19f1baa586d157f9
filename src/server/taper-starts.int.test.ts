/**
 * Planning a taper starts from the medication list: each current medication with the planner's
 * drug and mg a day (dose × doses a day), or the reason a field is left for the prescriber.
 * Stopped medications and entries marked in error are not offered; the front desk may not read it.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('taper starting points from the medication list', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let patientId = '';

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-02-05T09:00:00Z') });
    clinic = await seedClinic(store(), 'Taper Start Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    patientId = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    const add = async (payload: Record<string, unknown>) => {
      const res = await prescriber.request({
        method: 'POST',
        url: `/api/patients/${patientId}/medications`,
        payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    await add({ name: 'Alprazolam', dose: 0.5, doseUnit: 'mg', frequency: 'tid' });
    await add({ name: 'Lamotrigine', dose: 100, doseUnit: 'mg', frequency: 'bid' });
    await add({ name: 'Sertraline', dose: 50, doseUnit: 'mg', frequency: 'daily', stopDate: '2026-01-10' });
    const wrong = await add({ name: 'Lorazepam', dose: 1, doseUnit: 'mg', frequency: 'bid' });
    const marked = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/medications/${wrong}/entered-in-error`,
      payload: { reason: 'wrong patient' },
    });
    expect(marked.statusCode, marked.body).toBe(200);
  });

  it("offers current medications with the planner's drug and the daily dose", async () => {
    const res = await prescriber.request({ method: 'GET', url: `/api/patients/${patientId}/taper-starts` });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { name: string; drug: string | null; startDoseMg: number | null }[];
    expect(items.map((i) => i.name).sort()).toEqual(['Alprazolam', 'Lamotrigine']);
    expect(items.find((i) => i.name === 'Alprazolam')).toMatchObject({
      drug: 'alprazolam',
      startDoseMg: 1.5,
      doseUnit: 'mg',
      dosesPerDay: 3,
      notes: [],
    });
    const lamotrigine = items.find((i) => i.name === 'Lamotrigine') as unknown as { notes: string[] };
    expect(lamotrigine).toMatchObject({ drug: null });
    expect(lamotrigine.notes.join(' ')).toMatch(/no rules for Lamotrigine/);
  });

  it('the front desk may not read it', async () => {
    const staff = await login(app, clinic.users.staff);
    const res = await staff.request({ method: 'GET', url: `/api/patients/${patientId}/taper-starts` });
    expect(res.statusCode).toBe(403);
  });
});
