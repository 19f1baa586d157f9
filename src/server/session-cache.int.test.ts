/**
 * Session cookies are resolved from a cache, and every change that ends or narrows a session takes
 * effect on the very next request: logout, password change and reset, role change, disabling —
 * made through the API, and made by another process straight in the database. The clinic's time
 * zone and locale, which cached sessions carry, likewise.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { clinics, loginSessions, users } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { createTestApp, login, seedClinic, type Session, type TestClinic } from './test-support';

describeEachStore('session cache', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let admin: Session;
  beforeAll(async () => {
    app = await createTestApp(store(), { loginRateLimitPerMinute: 1000 });
    clinic = await seedClinic(store(), 'Cache Clinic');
    admin = await login(app, clinic.users.admin);
  });
  const me = (s: Session) => s.request({ method: 'GET', url: '/api/auth/me' });
  /** A session that has been used, so it is in the cache. */
  const cachedSession = async (user: { email: string; password: string }) => {
    const s = await login(app, user);
    expect((await me(s)).statusCode).toBe(200);
    expect(app.loginCache.caching).toBe(true);
    return s;
  };

  it('logout ends the session at once', async () => {
    const s = await cachedSession(clinic.users.staff);
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await me(s)).statusCode).toBe(401);
  });

  it('a password change ends the other sessions at once and keeps the current one', async () => {
    const user = clinic.users.prescriber;
    const other = await cachedSession(user);
    const current = await cachedSession(user);
    const newPassword = `${user.password}-changed`;
    const res = await current.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: user.password, newPassword },
    });
    expect(res.statusCode).toBe(200);
    user.password = newPassword;
    expect((await me(other)).statusCode).toBe(401);
    expect((await me(current)).statusCode).toBe(200);
  });

  it('a password reset by an admin ends the user’s sessions at once', async () => {
    const s = await cachedSession(clinic.users.staff);
    const res = await admin.request({
      method: 'POST',
      url: `/api/users/${clinic.users.staff.id}/reset-password`,
    });
    expect(res.statusCode).toBe(200);
    clinic.users.staff.password = res.json().temporaryPassword;
    expect((await me(s)).statusCode).toBe(401);
  });

  it('a role change applies to the next request of a cached session', async () => {
    const s = await cachedSession(clinic.users.nurse);
    const usersList = () => s.request({ method: 'GET', url: '/api/users' });
    expect((await usersList()).statusCode).toBe(403);
    const promote = await admin.request({
      method: 'PATCH',
      url: `/api/users/${clinic.users.nurse.id}`,
      payload: { role: 'admin' },
    });
    expect(promote.statusCode).toBe(200);
    expect((await usersList()).statusCode).toBe(200);
    const demote = await admin.request({
      method: 'PATCH',
      url: `/api/users/${clinic.users.nurse.id}`,
      payload: { role: 'nurse' },
    });
    expect(demote.statusCode).toBe(200);
    expect((await usersList()).statusCode).toBe(403);
    expect((await me(s)).json().user.role).toBe('nurse');
  });

  it('disabling a user ends their sessions at once', async () => {
    const s = await cachedSession(clinic.users.nurse);
    const res = await admin.request({
      method: 'PATCH',
      url: `/api/users/${clinic.users.nurse.id}`,
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(s)).statusCode).toBe(401);
    await admin.request({
      method: 'PATCH',
      url: `/api/users/${clinic.users.nurse.id}`,
      payload: { disabled: false },
    });
  });

  it('a change made by another process (the CLI, another server) reaches the cache when it commits', async () => {
    const roleChanged = await cachedSession(clinic.users.nurse);
    const seen = app.loginCache.nextInvalidation(clinic.users.nurse.id);
    await inClinic(store().db, clinic.id, (tx) =>
      tx
        .update(users)
        .set({ role: 'staff' })
        .where(and(eq(users.clinicId, clinic.id), eq(users.id, clinic.users.nurse.id))),
    );
    await seen;
    expect((await me(roleChanged)).json().user.role).toBe('staff');

    const disabled = await cachedSession(clinic.users.nurse);
    const seenDisable = app.loginCache.nextInvalidation(clinic.users.nurse.id);
    await inClinic(store().db, clinic.id, (tx) =>
      tx
        .update(users)
        .set({ disabled: true })
        .where(and(eq(users.clinicId, clinic.id), eq(users.id, clinic.users.nurse.id))),
    );
    await seenDisable;
    expect((await me(disabled)).statusCode).toBe(401);
    await inClinic(store().db, clinic.id, (tx) =>
      tx
        .update(users)
        .set({ disabled: false, role: 'nurse' })
        .where(and(eq(users.clinicId, clinic.id), eq(users.id, clinic.users.nurse.id))),
    );

    const revoked = await cachedSession(clinic.users.nurse);
    const seenRevoke = app.loginCache.nextInvalidation(clinic.users.nurse.id);
    await inClinic(store().db, clinic.id, (tx) =>
      tx
        .update(loginSessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(loginSessions.clinicId, clinic.id), eq(loginSessions.userId, clinic.users.nurse.id))),
    );
    await seenRevoke;
    expect((await me(revoked)).statusCode).toBe(401);
  });

  it('a sliding timestamp write or a failed login does not empty the cache for nothing', async () => {
    // Only changes that matter to a session are announced: a failed login is not one.
    const s = await cachedSession(clinic.users.admin);
    let dropped = false;
    void app.loginCache.nextInvalidation(clinic.users.admin.id).then(() => (dropped = true));
    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: clinic.users.admin.email, password: 'not the password at all' },
    });
    expect(failed.statusCode).toBe(401);
    // A change that is announced, to another user, flushes the notification queue behind it.
    const flushed = app.loginCache.nextInvalidation(clinic.users.staff.id);
    await inClinic(store().db, clinic.id, (tx) =>
      tx
        .update(users)
        .set({ name: 'staff renamed' })
        .where(and(eq(users.clinicId, clinic.id), eq(users.id, clinic.users.staff.id))),
    );
    await flushed;
    expect(dropped).toBe(false);
    expect((await me(s)).statusCode).toBe(200);
  });

  // 25 hours apart: at every instant the two zones are on different dates.
  const EAST = 'Pacific/Kiritimati';
  const WEST = 'Pacific/Pago_Pago';
  const clinicToday = async (s: Session) => {
    const res = await s.request({ method: 'GET', url: '/api/clinic/identity' });
    expect(res.statusCode).toBe(200);
    return res.json() as { timeZone: string; today: string };
  };
  const localDate = (zone: string) =>
    new Date().toLocaleDateString('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });

  it("a time zone change applies to the clinic's today on the next request of a cached session", async () => {
    const s = await cachedSession(clinic.users.admin);
    const identity = (await clinicToday(s)) as { timeZone: string; today: string; name: string };
    for (const zone of [EAST, WEST]) {
      const res = await s.request({
        method: 'PUT',
        url: '/api/clinic/identity',
        payload: { name: identity.name, timeZone: zone },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().today).toBe(localDate(zone));
      const next = await clinicToday(s);
      expect(next).toMatchObject({ timeZone: zone, today: localDate(zone) });
    }
  });

  it("a time zone changed by another process reaches the cached sessions' today when it commits", async () => {
    const s = await cachedSession(clinic.users.admin);
    for (const zone of [EAST, WEST]) {
      const seen = app.loginCache.nextInvalidation(`clinic:${clinic.id}`);
      await inClinic(store().db, clinic.id, (tx) =>
        tx.update(clinics).set({ timeZone: zone }).where(eq(clinics.id, clinic.id)),
      );
      await seen;
      expect(await clinicToday(s)).toMatchObject({ timeZone: zone, today: localDate(zone) });
    }
  });
});
