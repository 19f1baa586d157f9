import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resetTwoFactorFromCommandLine } from '../app/two-factor';
import { auditEvents, users } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, seedClinic, sessionCookieFrom, type TestClinic, type TestUser } from './test-support';

describeEachStore('two-factor sign-in', ({ store }) => {
  // Codes are generated for the test clock; each test moves it on so steps never collide by accident.
  let clock = new Date('2026-12-01T10:00:00Z');
  let app: FastifyInstance;
  let relaxed: FastifyInstance;
  let clinic: TestClinic;
  const address = '203.0.113.50';

  beforeAll(async () => {
    app = await createTestApp(store(), {
      now: () => clock,
      loginRateLimitPerMinute: 10_000,
      twoFactorRequired: true,
    });
    relaxed = await createTestApp(store(), { now: () => clock, loginRateLimitPerMinute: 10_000 });
    clinic = await seedClinic(store(), 'Two Factor Clinic');
  });
  afterAll(async () => {
    await app.close();
    await relaxed.close();
  });

  const later = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
  const codeFor = (secret: string, at = clock) =>
    generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

  const passwordStep = (user: TestUser, on = app, remoteAddress = address) =>
    on.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
      remoteAddress,
    });
  const challengeOf = (res: LightMyRequestResponse) => {
    const cookie = res.cookies.find((c) => c.name === 'rein_sign_in');
    if (!cookie) throw new Error(`no challenge cookie (${res.statusCode}: ${res.body})`);
    return cookie.value;
  };
  const codeStep = (challenge: string, payload: object, on = app, remoteAddress = address) =>
    on.inject({
      method: 'POST',
      url: '/api/auth/login/second-factor',
      payload,
      cookies: { rein_sign_in: challenge },
      remoteAddress,
    });
  const as = (res: LightMyRequestResponse, on = app) => {
    const cookie = sessionCookieFrom(res);
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return (method: string, url: string, payload?: object) =>
      on.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': csrf },
        ...(payload ? { payload } : {}),
      });
  };
  const auditActions = async (userId: string) =>
    (await store().db.select().from(auditEvents).where(eq(auditEvents.resourceId, userId))).map(
      (e) => `${e.action}:${e.outcome}`,
    );

  /** Signs in with the password (enrolment pending), enrols, and returns the secret and codes. */
  async function enrol(user: TestUser) {
    const first = await passwordStep(user);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().twoFactorEnrolmentPending).toBe(true);
    const call = as(first);
    const started = await call('POST', '/api/auth/two-factor/enrolment');
    expect(started.statusCode, started.body).toBe(200);
    const { secret, qrDataUrl, otpauthUri } = started.json();
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    const confirmed = await call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: await codeFor(secret),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const recoveryCodes: string[] = confirmed.json().recoveryCodes;
    later(30);
    return { secret: secret as string, recoveryCodes, call };
  }

  it('sends a required role to enrolment, where nothing else is open, and enrols it', async () => {
    const admin = clinic.users.admin;
    const first = await passwordStep(admin);
    expect(first.statusCode).toBe(200);
    expect(first.json().twoFactorEnrolmentPending).toBe(true);
    const call = as(first);
    const blocked = await call('GET', '/api/patients');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('two_factor_enrolment_required');
    expect((await call('GET', '/api/auth/me')).json().twoFactorEnrolmentPending).toBe(true);

    const { secret } = (await call('POST', '/api/auth/two-factor/enrolment')).json();
    const wrong = await call('POST', '/api/auth/two-factor/enrolment/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toMatch(/code/i);
    const confirmed = await call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: await codeFor(secret),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes: string[] = confirmed.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(confirmed.json().me.twoFactorEnrolmentPending).toBe(false);
    expect(confirmed.json().me.user.twoFactorEnabled).toBe(true);
    expect((await call('GET', '/api/patients')).statusCode).toBe(200);

    // The secret is never shown again and recovery codes are stored only hashed.
    const again = await call('POST', '/api/auth/two-factor/enrolment');
    expect(again.statusCode).toBe(409);
    const listed = await call('GET', '/api/users');
    expect(listed.body).not.toContain(secret);
    const [row] = await store().db.select().from(users).where(eq(users.id, admin.id));
    for (const code of codes)
      expect(JSON.stringify(row!.twoFactorRecoveryCodes)).not.toContain(code.replace('-', ''));
    expect(await auditActions(admin.id)).toEqual(
      expect.arrayContaining([
        'auth.two_factor_enrol:success',
        'auth.two_factor_confirm:denied',
        'auth.two_factor_confirm:success',
      ]),
    );
    later(30);
  });

  it('signs an enrolled user in only after the code, and refuses the same code twice', async () => {
    const prescriber = clinic.users.prescriber;
    const { secret } = await enrol(prescriber);
    const pending = await passwordStep(prescriber);
    expect(pending.statusCode).toBe(200);
    expect(pending.json()).toEqual({ secondFactor: 'code' });
    expect(pending.cookies.find((c) => c.name === 'rein_session')).toBeUndefined();
    const code = await codeFor(secret);
    const done = await codeStep(challengeOf(pending), { code });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user.id).toBe(prescriber.id);
    expect((await as(done)('GET', '/api/patients')).statusCode).toBe(200);

    // The same challenge cannot be used twice, and the same code not within its window.
    expect((await codeStep(challengeOf(pending), { code })).json().error.code).toBe('sign_in_expired');
    later(5);
    const replay = await codeStep(challengeOf(await passwordStep(prescriber)), { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/used already/);
    later(30);
    const next = await codeStep(challengeOf(await passwordStep(prescriber)), { code: await codeFor(secret) });
    expect(next.statusCode, next.body).toBe(200);
    expect(await auditActions(prescriber.id)).toContain('auth.two_factor_code:denied');
    later(30);
  });

  it('counts wrong codes against the login lock-out', async () => {
    const prescriber = clinic.users.prescriber;
    const where = '198.51.100.23';
    const challenge = challengeOf(await passwordStep(prescriber, app, where));
    for (let i = 0; i < 4; i++) {
      const r = await codeStep(challenge, { code: '000000' }, app, where);
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('invalid_code');
    }
    // The fifth wrong code locks the email at this address, password step included.
    expect((await codeStep(challenge, { code: '000000' }, app, where)).statusCode).toBe(401);
    expect((await passwordStep(prescriber, app, where)).statusCode).toBe(423);
    later(120);
  });

  it('takes each recovery code once instead of a code', async () => {
    const nurse = clinic.users.nurse;
    // Not required for nurses, but a nurse may enrol of her own accord (and is then asked).
    const first = await passwordStep(nurse);
    expect(first.json().twoFactorEnrolmentPending).toBe(false);
    const call = as(first);
    const { secret } = (await call('POST', '/api/auth/two-factor/enrolment')).json();
    const confirmed = await call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: await codeFor(secret),
    });
    const [recovery] = confirmed.json().recoveryCodes as string[];
    later(30);
    const used = await codeStep(challengeOf(await passwordStep(nurse)), {
      recoveryCode: recovery!.toUpperCase(),
    });
    expect(used.statusCode, used.body).toBe(200);
    const reused = await codeStep(challengeOf(await passwordStep(nurse)), { recoveryCode: recovery });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.message).toMatch(/recovery code/);
    const both = await codeStep(challengeOf(await passwordStep(nurse)), {});
    expect(both.statusCode).toBe(400);
    expect(await auditActions(nurse.id)).toContain('auth.two_factor_recovery_code_used:success');
    later(30);
  });

  it('lets an admin reset a user, who must enrol again; nobody else may', async () => {
    const staff = clinic.users.staff;
    const signedIn = as(await passwordStep(staff));
    expect((await signedIn('POST', `/api/users/${staff.id}/reset-two-factor`)).statusCode).toBe(403);

    const prescriber = clinic.users.prescriber;
    const admin = await enrolledAdmin();
    const before = await passwordStep(prescriber);
    expect(before.json()).toEqual({ secondFactor: 'code' });
    const reset = await admin('POST', `/api/users/${prescriber.id}/reset-two-factor`);
    expect(reset.statusCode, reset.body).toBe(204);
    // The half-done sign-in ends with the reset; the next sign-in sets an authenticator up again.
    expect((await codeStep(challengeOf(before), { code: '123456' })).json().error.code).toBe(
      'sign_in_expired',
    );
    const after = await passwordStep(prescriber);
    expect(after.json().twoFactorEnrolmentPending).toBe(true);
    const [audit] = (await auditActions(prescriber.id)).filter((a) => a.startsWith('user.reset_two_factor'));
    expect(audit).toBe('user.reset_two_factor:success');
    later(30);
  });

  it("follows the clinic's required roles, which only an admin changes (audited)", async () => {
    const admin = await enrolledAdmin();
    const nurseSignIn = as(await passwordStep(clinic.users.staff));
    expect((await nurseSignIn('GET', '/api/clinic/security')).statusCode).toBe(403);
    expect((await admin('GET', '/api/clinic/security')).json().twoFactorRequiredRoles.sort()).toEqual([
      'admin',
      'prescriber',
    ]);
    const bad = await admin('PUT', '/api/clinic/security', { twoFactorRequiredRoles: ['patient'] });
    expect(bad.statusCode).toBe(400);
    const changed = await admin('PUT', '/api/clinic/security', { twoFactorRequiredRoles: ['staff'] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await passwordStep(clinic.users.staff)).json().twoFactorEnrolmentPending).toBe(true);
    const [event] = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'clinic.security_update')));
    expect(event?.details).toMatchObject({ to: ['staff'] });
    await admin('PUT', '/api/clinic/security', { twoFactorRequiredRoles: ['admin', 'prescriber'] });
    later(30);
  });

  it('with the requirement switched off, nobody must enrol but an enrolled user is still asked', async () => {
    const fresh = await seedClinic(store(), 'Relaxed Clinic');
    const plain = await passwordStep(fresh.users.admin, relaxed);
    expect(plain.statusCode).toBe(200);
    expect(plain.json().twoFactorEnrolmentPending).toBe(false);
    expect((await as(plain, relaxed)('GET', '/api/patients')).statusCode).toBe(200);
    expect((await passwordStep(clinic.users.admin, relaxed)).json()).toEqual({ secondFactor: 'code' });
  });

  it('the command line resets an account by email, audited as the command line', async () => {
    const nurse = clinic.users.nurse;
    expect((await passwordStep(nurse)).json()).toEqual({ secondFactor: 'code' });
    const result = await resetTwoFactorFromCommandLine(store().db, nurse.email.toUpperCase(), clock);
    expect(result).toMatchObject({ clinicId: clinic.id, email: nurse.email, wasEnrolled: true });
    const after = await passwordStep(nurse);
    expect(after.statusCode).toBe(200);
    expect(after.json().user.twoFactorEnabled).toBe(false);
    const [event] = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, nurse.id), eq(auditEvents.action, 'user.reset_two_factor')));
    expect(event).toMatchObject({ actorRole: 'cli', userId: null });
    expect(await resetTwoFactorFromCommandLine(store().db, 'nobody@example.org', clock)).toBeNull();
  });

  let adminSecret: string | null = null;
  /** The seeded admin, enrolled by the first test, signed in with a fresh code. */
  async function enrolledAdmin() {
    if (adminSecret === null) {
      const [row] = await store().db.select().from(users).where(eq(users.id, clinic.users.admin.id));
      adminSecret = row!.twoFactorSecret!;
    }
    later(30);
    const res = await codeStep(challengeOf(await passwordStep(clinic.users.admin)), {
      code: await codeFor(adminSecret),
    });
    expect(res.statusCode, res.body).toBe(200);
    return as(res);
  }
});
