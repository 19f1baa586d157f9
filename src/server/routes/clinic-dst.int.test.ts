import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../../store/test-harness';
import { createTestApp, login, seedClinic, type TestClinic } from '../test-support';

/**
 * A clinic in America/Chicago across both 2026 daylight-saving changes (8 March, 02:00 CST → 03:00
 * CDT; 1 November, 02:00 CDT → 01:00 CST): its "today" turns at its own midnight, whatever the
 * offset that day, never at UTC's or at a fixed -6 h.
 */
describeEachStore('a Chicago clinic\'s "today" across DST', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = new Date('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Chicago Clinic');
    const admin = await login(app, clinic.users.admin);
    const set = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { name: 'Chicago Clinic', timeZone: 'America/Chicago' },
    });
    expect(set.statusCode).toBe(200);
  });

  // A login lasts hours, not months: the nurse signs in at each instant the clock is set to.
  const todayAt = async (instant: string) => {
    now = new Date(instant);
    const nurse = await login(app, clinic.users.nurse);
    return (await nurse.request({ method: 'GET', url: '/api/clinic/identity' })).json().today as string;
  };
  const weekAt = async (instant: string) => {
    now = new Date(instant);
    const nurse = await login(app, clinic.users.nurse);
    return (await nurse.request({ method: 'GET', url: '/api/calendar/week' })).json().days as string[];
  };

  it('turns the day at local midnight on both sides of the spring-forward change', async () => {
    expect(await todayAt('2026-03-08T05:59:59Z')).toBe('2026-03-07'); // 23:59:59 CST
    expect(await todayAt('2026-03-08T06:00:00Z')).toBe('2026-03-08'); // 00:00 CST
    expect(await todayAt('2026-03-08T08:30:00Z')).toBe('2026-03-08'); // 03:30 CDT, after the gap
    expect(await todayAt('2026-03-09T04:59:59Z')).toBe('2026-03-08'); // 23:59:59 CDT
    // Midnight is now at 05:00 UTC: a fixed -6 h would still say the 8th.
    expect(await todayAt('2026-03-09T05:00:00Z')).toBe('2026-03-09');
  });

  it('turns the day at local midnight on both sides of the fall-back change', async () => {
    expect(await todayAt('2026-11-01T04:59:59Z')).toBe('2026-10-31'); // 23:59:59 CDT
    expect(await todayAt('2026-11-01T05:00:00Z')).toBe('2026-11-01'); // 00:00 CDT
    expect(await todayAt('2026-11-01T06:30:00Z')).toBe('2026-11-01'); // 01:30 CDT, first time
    expect(await todayAt('2026-11-01T07:30:00Z')).toBe('2026-11-01'); // 01:30 CST, second time
    // The 25-hour day ends at 06:00 UTC: a fixed -5 h would already say the 2nd.
    expect(await todayAt('2026-11-02T05:30:00Z')).toBe('2026-11-01');
    expect(await todayAt('2026-11-02T06:00:00Z')).toBe('2026-11-02');
  });

  it('shows the week holding the local today, Monday to Sunday, across the change', async () => {
    // Sunday 8 March 23:30 CDT is Monday 9 March in UTC; the week is still the one that began on the 2nd.
    expect(await weekAt('2026-03-09T04:30:00Z')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect((await weekAt('2026-03-09T05:00:00Z'))[0]).toBe('2026-03-09');
  });
});
