import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { STAFF_ROLES, type StaffRole } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { CAPABILITIES, CAPABILITY_ROUTES, type Capability } from './access';
import { createTestApp, login, seedClinic, type Session, type TestClinic } from './test-support';

/** Replaces every `:param` with a syntactically valid id that matches nothing. */
const fillParams = (url: string) => url.replace(/:[A-Za-z]+/g, () => uuidv7());

describeEachStore('capabilities in /api/auth/me', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  const sessions = {} as Record<StaffRole, Session>;
  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Capability Clinic');
    for (const role of STAFF_ROLES) sessions[role] = await login(app, clinic.users[role]);
  });

  it('names only routes that exist and declare an access rule', () => {
    const declared = new Set(app.routeTable.filter((r) => r.access).map((r) => `${r.method} ${r.url}`));
    const missing = CAPABILITIES.filter((c) => !declared.has(CAPABILITY_ROUTES[c]));
    expect(missing).toEqual([]);
  });

  it('login, me and the route table agree for every role', async () => {
    for (const role of STAFF_ROLES) {
      const me = await sessions[role].request({ method: 'GET', url: '/api/auth/me' });
      expect(me.statusCode).toBe(200);
      const caps = (me.json() as { capabilities: Capability[] }).capabilities;
      const loggedIn = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: clinic.users[role].email, password: clinic.users[role].password },
      });
      expect((loggedIn.json() as { capabilities: Capability[] }).capabilities).toEqual(caps);

      // Each capability is held exactly when its route admits the role (denied = 401/403).
      const failures: string[] = [];
      for (const capability of CAPABILITIES) {
        const [method, url] = CAPABILITY_ROUTES[capability].split(' ') as [string, string];
        const res = await sessions[role].request({
          method,
          url: fillParams(url),
          ...(method === 'GET' ? {} : { payload: {} }),
        });
        const denied = res.statusCode === 403 || res.statusCode === 401;
        if (caps.includes(capability) === denied)
          failures.push(`${capability} as ${role} → ${res.statusCode}`);
      }
      expect(failures).toEqual([]);
    }
  });

  it('gives the roles their expected reach', async () => {
    const capsOf = async (role: StaffRole) =>
      (
        (await sessions[role].request({ method: 'GET', url: '/api/auth/me' })).json() as {
          capabilities: Capability[];
        }
      ).capabilities;
    const admin = await capsOf('admin');
    expect(admin).toEqual(CAPABILITIES);
    const nurse = await capsOf('nurse');
    expect(nurse).toContain('sessions.record');
    // Nurses take the allergy history; the problem list and prior trials are the prescriber's.
    expect(nurse).toContain('record.allergies');
    expect(nurse).not.toContain('record.diagnose');
    expect(nurse).not.toContain('courses.prescribe');
    expect(nurse).not.toContain('users.manage');
    const staff = await capsOf('staff');
    // The front desk books, so it moves, cancels and marks missed sessions; nothing clinical.
    expect(staff).toEqual(['patients.read', 'patients.write', 'bookings.change']);
    expect(nurse).toContain('bookings.change');
    expect(nurse).not.toContain('courses.cancel');
    const prescriber = await capsOf('prescriber');
    expect(prescriber).toContain('courses.prescribe');
    expect(prescriber).toEqual(expect.arrayContaining(['record.allergies', 'record.diagnose']));
    expect(prescriber).not.toContain('settings.edit');
  });
});
