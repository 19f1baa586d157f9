/**
 * What the web shows as "today", an age or a calendar week comes from the server's clinic
 * calendar, so a clinic outside UTC sees its own dates: the signed-in user's clinic today, each
 * patient's age on that day, and the week (Monday to Sunday) around any date.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { clinics } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { createTestApp, login, samplePatient, seedClinic, type TestClinic } from './test-support';

describeEachStore('the clinic calendar the web reads (America/Chicago)', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  // 04:50 UTC on 9 March 2026 is still 8 March (23:50 CDT) in Chicago; 05:10 UTC is 00:10 on 9 March.
  // (Twenty minutes apart, so a login stays within its idle timeout.)
  let now = new Date('2026-03-09T04:50:00Z');

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Chicago Clinic');
    await inClinic(store().db, clinic.id, (tx) =>
      tx.update(clinics).set({ timeZone: 'America/Chicago' }).where(eq(clinics.id, clinic.id)),
    );
  });

  it("/api/auth/me names the clinic's today, not the UTC date", async () => {
    const nurse = await login(app, clinic.users.nurse);
    const me = (await nurse.request({ method: 'GET', url: '/api/auth/me' })).json();
    expect(me.clinic).toEqual({
      timeZone: 'America/Chicago',
      today: '2026-03-08',
      locale: 'en-US',
      emailEnabled: false,
    });
    now = new Date('2026-03-09T05:10:00Z'); // 00:10 CDT: the clinic's day has turned
    const later = (await nurse.request({ method: 'GET', url: '/api/auth/me' })).json();
    expect(later.clinic.today).toBe('2026-03-09');
  });

  it("gives each patient's age on the clinic's today (a birthday counts from its local day)", async () => {
    now = new Date('2026-03-09T04:50:00Z');
    const staff = await login(app, clinic.users.staff);
    const created = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'AGE-1', dateOfBirth: '1990-03-09' }),
    });
    expect(created.statusCode).toBe(201);
    // Still 8 March in Chicago: the 36th birthday has not come yet (UTC would say 36).
    expect(created.json().ageYears).toBe(35);
    now = new Date('2026-03-09T05:10:00Z');
    const read = await staff.request({ method: 'GET', url: `/api/patients/${created.json().id}` });
    expect(read.json().ageYears).toBe(36);
    const list = await staff.request({ method: 'GET', url: '/api/patients?q=AGE-1' });
    expect(list.json().items.map((p: { ageYears: number }) => p.ageYears)).toEqual([36]);
  });

  it('serves the Monday-to-Sunday week around a date, and this week by default', async () => {
    const nurse = await login(app, clinic.users.nurse);
    const week = (await nurse.request({ method: 'GET', url: '/api/calendar/week?date=2026-03-11' })).json();
    expect(week.days).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
    expect(week.previousWeek).toBe('2026-03-02');
    expect(week.nextWeek).toBe('2026-03-16');
    expect(week.timeZone).toBe('America/Chicago');
    // Sunday 8 March 23:50 CDT is still the week of 2 March in the clinic (UTC is already Monday 9).
    now = new Date('2026-03-09T04:50:00Z');
    const thisWeek = (await nurse.request({ method: 'GET', url: '/api/calendar/week' })).json();
    expect(thisWeek.days[0]).toBe('2026-03-02');
    const bad = await nurse.request({ method: 'GET', url: '/api/calendar/week?date=2026-13-40' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('querystring.date');
  });
});
