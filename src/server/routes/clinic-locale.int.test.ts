import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import { createTestApp, login, seedClinic, type Session, type TestClinic } from '../test-support';

describeEachStore('clinic locale setting', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let admin: Session;
  let nurse: Session;
  let otherNurse: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-12-04T15:00:00Z') });
    clinic = await seedClinic(store(), 'Locale Clinic');
    other = await seedClinic(store(), 'Other Locale Clinic');
    admin = await login(app, clinic.users.admin);
    nurse = await login(app, clinic.users.nurse);
    otherNurse = await login(app, other.users.nurse);
  });

  const identity = { name: 'Locale Clinic', timeZone: 'Europe/London' };
  const localeOf = async (s: Session) => {
    const me = (await s.request({ method: 'GET', url: '/api/auth/me' })).json();
    const id = (await s.request({ method: 'GET', url: '/api/clinic/identity' })).json();
    const overview = (await s.request({ method: 'GET', url: '/api/clinic' })).json();
    // The three places a screen learns the clinic's locale agree.
    expect(id.locale).toBe(me.clinic.locale);
    expect(overview.clinic.locale).toBe(me.clinic.locale);
    return me.clinic.locale as string;
  };
  const localeAudits = async () =>
    (
      await store()
        .db.select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'clinic.update')))
    ).filter((a) => (a.details as { changedFields: string[] }).changedFields.includes('locale'));

  it('starts as en-US; only an admin changes it, audited, in its own clinic alone', async () => {
    expect(await localeOf(nurse)).toBe('en-US');

    const refused = await nurse.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { ...identity, locale: 'en-GB' },
    });
    expect(refused.statusCode).toBe(403);
    expect(await localeOf(nurse)).toBe('en-US');

    const saved = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { ...identity, locale: 'en-GB' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ locale: 'en-GB', timeZone: 'Europe/London' });
    expect(await localeOf(nurse)).toBe('en-GB');
    expect(await localeOf(otherNurse)).toBe('en-US');

    const audits = await localeAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ userId: clinic.users.admin.id, resourceType: 'clinic' });
    expect(audits[0]!.details).toMatchObject({ localeFrom: 'en-US', localeTo: 'en-GB' });
  });

  it('keeps the locale when a request leaves it out', async () => {
    const res = await admin.request({ method: 'PUT', url: '/api/clinic/identity', payload: identity });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('en-GB');
    expect(await localeAudits()).toHaveLength(1);
  });

  it('refuses an unsupported locale naming the field `locale`, and writes nothing', async () => {
    for (const locale of ['en_GB', 'english', 'ja-JP', 42]) {
      const bad = await admin.request({
        method: 'PUT',
        url: '/api/clinic/identity',
        payload: { ...identity, name: 'Renamed by a bad request', locale },
      });
      expect(bad.statusCode, String(locale)).toBe(400);
      const fields = bad.json().error.fields as { path: string; message: string }[];
      expect(fields).toEqual([
        expect.objectContaining({
          path: 'body.locale',
          message: expect.stringContaining('supported locales: en-US, en-GB'),
        }),
      ]);
    }
    const after = (await nurse.request({ method: 'GET', url: '/api/clinic/identity' })).json();
    expect(after).toMatchObject({ name: 'Locale Clinic', locale: 'en-GB' });
    expect(await localeAudits()).toHaveLength(1);
  });
});
