import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, seedClinic, type TestClinic } from './test-support';

describeEachStore('login lock-out', ({ store }) => {
  let clock = new Date('2026-12-01T10:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock, loginRateLimitPerMinute: 10_000 });
    clinic = await seedClinic(store(), 'Lockout Clinic');
  });

  const attempt = (email: string, password: string, remoteAddress = '203.0.113.7') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });

  it('answers a known and an unknown email alike, locked or not', async () => {
    const known = clinic.users.staff.email;
    const unknown = 'nobody.here@test.example.org';
    for (let i = 0; i < 5; i++) {
      const a = await attempt(known, `wrong-${i}`);
      const b = await attempt(unknown, `wrong-${i}`);
      expect([a.statusCode, b.statusCode]).toEqual([401, 401]);
      expect(a.json().error).toEqual(b.json().error);
    }
    const lockedKnown = await attempt(known, clinic.users.staff.password);
    const lockedUnknown = await attempt(unknown, 'whatever-password');
    expect([lockedKnown.statusCode, lockedUnknown.statusCode]).toEqual([423, 423]);
    expect(lockedKnown.json().error).toEqual(lockedUnknown.json().error);
    expect(lockedKnown.headers['retry-after']).toBe(lockedUnknown.headers['retry-after']);
    clock = new Date(clock.getTime() + 31_000);
    expect((await attempt(known, clinic.users.staff.password)).statusCode).toBe(200);
  });

  it('a stranger failing at another address cannot lock a clinician out', async () => {
    const nurse = clinic.users.nurse;
    for (let i = 0; i < 12; i++) {
      const r = await attempt(nurse.email, `guess-${i}`, '198.51.100.66');
      expect(r.statusCode).toBe(i < 5 ? 401 : 423);
    }
    expect((await attempt(nurse.email, nurse.password, '203.0.113.20')).statusCode).toBe(200);
  });

  it('an admin lifts the lock at once; nobody else may', async () => {
    const prescriber = clinic.users.prescriber;
    for (let i = 0; i < 6; i++) await attempt(prescriber.email, `nope-${i}`, '203.0.113.30');
    expect((await attempt(prescriber.email, prescriber.password, '203.0.113.30')).statusCode).toBe(423);
    const nurse = await login(app, clinic.users.nurse);
    const refused = await nurse.request({ method: 'POST', url: `/api/users/${prescriber.id}/unlock` });
    expect(refused.statusCode).toBe(403);
    const admin = await login(app, clinic.users.admin);
    const lifted = await admin.request({ method: 'POST', url: `/api/users/${prescriber.id}/unlock` });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json().locksLifted).toBe(1);
    expect((await attempt(prescriber.email, prescriber.password, '203.0.113.30')).statusCode).toBe(200);
  });
});
