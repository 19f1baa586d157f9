/**
 * "Today" is the clinic's local date, across both daylight-saving changes: a clinic in
 * America/Chicago refuses a date of birth that is still tomorrow on its own clock, even when it is
 * already today in UTC, and accepts it from local midnight (CDT in March, CST in November).
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { clinics } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { createTestApp, login, samplePatient, seedClinic, type TestClinic } from './test-support';

describeEachStore("the clinic's today across DST (America/Chicago)", ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = new Date('2026-03-01T18:00:00Z');

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Chicago Clinic');
    await inClinic(store().db, clinic.id, (tx) =>
      tx.update(clinics).set({ timeZone: 'America/Chicago' }).where(eq(clinics.id, clinic.id)),
    );
  });

  /** Status of creating a patient born on `dateOfBirth` at instant `at`. */
  async function createBornOn(dateOfBirth: string, at: string): Promise<number> {
    now = new Date(at);
    const staff = await login(app, clinic.users.staff);
    const res = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ dateOfBirth }),
    });
    if (res.statusCode === 400) expect(res.json().error.fields[0].path).toBe('body.dateOfBirth');
    return res.statusCode;
  }

  it('spring forward (8 Mar 2026): today turns at local midnight CDT, not at UTC midnight', async () => {
    // 04:30 UTC on 9 Mar is 23:30 CDT on 8 Mar: 9 Mar is still tomorrow.
    expect(await createBornOn('2026-03-09', '2026-03-09T04:30:00Z')).toBe(400);
    expect(await createBornOn('2026-03-08', '2026-03-09T04:30:00Z')).toBe(201);
    // 05:30 UTC is 00:30 CDT on 9 Mar (a fixed CST offset would still say 23:30 on 8 Mar).
    expect(await createBornOn('2026-03-09', '2026-03-09T05:30:00Z')).toBe(201);
  });

  it('fall back (1 Nov 2026): today turns at local midnight CST', async () => {
    // 05:30 UTC on 2 Nov is 23:30 CST on 1 Nov (UTC and a fixed CDT offset would both say 2 Nov).
    expect(await createBornOn('2026-11-02', '2026-11-02T05:30:00Z')).toBe(400);
    expect(await createBornOn('2026-11-01', '2026-11-02T05:30:00Z')).toBe(201);
    expect(await createBornOn('2026-11-02', '2026-11-02T06:30:00Z')).toBe(201);
  });

  it("a taper's today is the clinic's too: no suggestion before the plan starts on the local calendar", async () => {
    now = new Date('2026-10-30T15:00:00Z');
    const prescriber = await login(app, clinic.users.prescriber);
    const patient = (
      await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    const created = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patient.id}/tapers`,
      payload: {
        drug: 'sertraline',
        startDoseMg: 100,
        mode: 'occupancy',
        stepPp: 10,
        intervalDays: 28,
        startDate: '2026-11-02',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const monitoringAt = async (at: string) => {
      now = new Date(at);
      const nurse = await login(app, clinic.users.nurse);
      const res = await nurse.request({
        method: 'GET',
        url: `/api/patients/${patient.id}/tapers/${created.json().id}/monitoring`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    // 23:30 CST on 1 Nov (already 2 Nov in UTC): the plan has not started.
    expect((await monitoringAt('2026-11-02T05:30:00Z')).suggestion).toBeNull();
    // 00:30 CST on 2 Nov: its first day.
    expect((await monitoringAt('2026-11-02T06:30:00Z')).suggestion).not.toBeNull();
  });
});
