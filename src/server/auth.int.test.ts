import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEvents, users } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { ensureFirstClinic } from '../app/bootstrap';
import { createTestApp, login, seedClinic, type TestClinic } from './test-support';

describeEachStore('auth', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let clock = new Date('2026-11-26T10:00:00Z');
  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock, loginRateLimitPerMinute: 1000 });
    clinic = await seedClinic(store(), 'Auth Clinic');
  });

  it('logs in with an HttpOnly SameSite=Lax cookie and returns the user and a CSRF token', async () => {
    const { email, password } = clinic.users.nurse;
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.email).toBe(email);
    expect(body.user.role).toBe('nurse');
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken.length).toBeGreaterThan(20);
    const cookie = res.cookies.find((c) => c.name === 'rein_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
  });

  it('matches the email case-insensitively', async () => {
    const { email, password } = clinic.users.staff;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: email.toUpperCase(), password },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a wrong password and an unknown email with the same message', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: clinic.users.prescriber.email, password: 'not-the-password' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@test.example.org', password: 'whatever-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('rejects a missing field naming it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.org' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('body.password');
  });

  it('issues a new session token at every login (no session fixation) and logout revokes it', async () => {
    const a = await login(app, clinic.users.prescriber);
    const b = await login(app, clinic.users.prescriber);
    expect(a.cookie).not.toBe(b.cookie);
    expect((await a.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    const out = await a.request({ method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect((await a.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await b.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });

  it('a forged cookie is unauthenticated', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'rein_session=forged' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('requires the CSRF token on state-changing requests', async () => {
    const s = await login(app, clinic.users.nurse);
    const payload = {
      mrn: 'CSRF-1',
      givenName: 'A',
      familyName: 'B',
      dateOfBirth: '1990-01-01',
      sexAtBirth: 'male',
    };
    const without = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { cookie: s.cookie },
      payload,
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(s.csrfToken.length) },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    const right = await s.request({ method: 'POST', url: '/api/patients', payload });
    expect(right.statusCode).toBe(201);
  });

  it('locks an account with backoff after repeated failures, and audits the attempts', async () => {
    const target = clinic.users.staff;
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: target.email, password: `wrong-${i}` },
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: target.email, password: target.password },
    });
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBe(30);
    clock = new Date(clock.getTime() + 31_000);
    const after = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: target.email, password: target.password },
    });
    expect(after.statusCode).toBe(200);
    const denied = await store().db.select().from(auditEvents).where(eq(auditEvents.userId, target.id));
    expect(
      denied.filter((e) => e.action === 'auth.login' && e.outcome === 'denied').length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('a disabled user cannot log in', async () => {
    const c2 = await seedClinic(store(), 'Disabled');
    await store().db.update(users).set({ disabled: true }).where(eq(users.id, c2.users.nurse.id));
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: c2.users.nurse });
    expect(r.statusCode).toBe(401);
  });

  it('changes a password: policy enforced, current password checked, other sessions ended', async () => {
    const c = await seedClinic(store(), 'Password');
    const user = c.users.prescriber;
    const s1 = await login(app, user);
    const s2 = await login(app, user);
    const weak = await s1.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: user.password, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0].path).toBe('body.newPassword');
    const badCurrent = await s1.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'wrong-current-pw', newPassword: 'a new long passphrase' },
    });
    expect(badCurrent.statusCode).toBe(403);
    const ok = await s1.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: user.password, newPassword: 'a new long passphrase' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await s1.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    expect((await s2.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    await login(app, { email: user.email, password: 'a new long passphrase' });
  });

  it('rate-limits login attempts per client', async () => {
    const limited = await createTestApp(store(), { loginRateLimitPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await limited.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'x@y.org', password: 'nope-nope' },
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
    await limited.close();
  });
});

describeEachStore('first run', ({ store }) => {
  it('creates a clinic and an admin with a generated password that must be changed', async () => {
    const result = await ensureFirstClinic(store().db, { clinicName: 'First' });
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(result.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    const again = await ensureFirstClinic(store().db, { clinicName: 'Second' });
    expect(again.created).toBe(false);

    const app = await createTestApp(store());
    const s = await login(app, { email: result.email, password: result.generatedPassword! });
    const blocked = await s.request({ method: 'GET', url: '/api/patients' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const me = await s.request({ method: 'GET', url: '/api/auth/me' });
    expect(me.json().user.mustChangePassword).toBe(true);
    const changed = await s.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: result.generatedPassword, newPassword: 'correct horse battery staple' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await s.request({ method: 'GET', url: '/api/patients' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('first run with credentials from the environment', () => {
  describeEachStore('env admin', ({ store }) => {
    it('uses REIN_ADMIN_EMAIL/REIN_ADMIN_PASSWORD and does not force a change', async () => {
      const result = await ensureFirstClinic(store().db, {
        clinicName: 'Env',
        clinicTimeZone: 'Europe/London',
        clinicLocale: 'en-GB',
        adminEmail: 'Boss@Clinic.example.org',
        adminPassword: 'a deployment passphrase',
      });
      expect(result).toMatchObject({
        created: true,
        email: 'boss@clinic.example.org',
        generatedPassword: null,
      });
      const app = await createTestApp(store());
      const s = await login(app, { email: 'boss@clinic.example.org', password: 'a deployment passphrase' });
      expect((await s.request({ method: 'GET', url: '/api/patients' })).statusCode).toBe(200);
      // REIN_CLINIC_LOCALE is set beside REIN_CLINIC_TIME_ZONE at first start.
      const me = (await s.request({ method: 'GET', url: '/api/auth/me' })).json();
      expect(me.clinic).toMatchObject({ timeZone: 'Europe/London', locale: 'en-GB' });
      await app.close();
    });
    it('refuses a weak REIN_ADMIN_PASSWORD and an email without a password', async () => {
      await expect(
        ensureFirstClinic(store().db, { clinicName: 'X', adminEmail: 'a@b.org', adminPassword: 'short' }),
      ).rejects.toThrow(/REIN_ADMIN_PASSWORD must be at least 12/);
      await expect(ensureFirstClinic(store().db, { clinicName: 'X', adminEmail: 'a@b.org' })).rejects.toThrow(
        /REIN_ADMIN_PASSWORD is not/,
      );
    });
  });
});
