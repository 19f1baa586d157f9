import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { STAFF_ROLES, type StaffRole } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { isAllowed } from './access';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

/** Replaces every `:param` with a syntactically valid id that matches nothing. */
const fillParams = (url: string) => url.replace(/:[A-Za-z]+/g, () => uuidv7());

describeEachStore('route access rules', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  const sessions = {} as Record<StaffRole, Session>;
  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Access Clinic');
    for (const role of STAFF_ROLES) sessions[role] = await login(app, clinic.users[role]);
    // A patient on record: the walk's POST /api/clinic/demo then passes the access check and is
    // refused by the use case (an empty clinic is required), instead of loading sixty demo patients.
    const patient = await sessions.prescriber.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient(),
    });
    expect(patient.statusCode, patient.body).toBe(201);
  });

  const apiRoutes = () =>
    app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));

  it('has routes to check (the walk is not vacuous)', () => {
    expect(apiRoutes().length).toBeGreaterThanOrEqual(15);
  });

  it('every API route declares its access rule', () => {
    const missing = apiRoutes().filter((r) => !r.access);
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('only health, login, the OpenAPI document and the token-authenticated portal are public', () => {
    const publicRoutes = apiRoutes()
      .filter((r) => r.access?.kind === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicRoutes).toEqual([
      'GET /api/health',
      'GET /api/openapi.json',
      // Self-report portal: no account, the magic-link token in the path is the credential;
      // the routes check it themselves (src/server/routes/portal.ts, portal.int.test.ts).
      'GET /api/portal/:token',
      'POST /api/auth/login',
      // The code step of a sign-in: the half-done sign-in's HttpOnly cookie is the credential,
      // checked by the use case (app/two-factor.ts, two-factor.int.test.ts).
      'POST /api/auth/login/second-factor',
      'POST /api/portal/:token/responses',
    ]);
  });

  it('answers 401 to an unauthenticated call of every non-public route', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      if (route.access?.kind === 'public') continue;
      const res = await app.inject({
        method: route.method as 'GET',
        url: fillParams(route.url),
        payload: route.method === 'GET' ? undefined : {},
      });
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('enforces the declared roles for every route and role', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    const demo: { status: number; expected: number }[] = [];
    for (const route of apiRoutes()) {
      if (route.access?.kind === 'public' || route.url === '/api/auth/logout') continue;
      for (const role of STAFF_ROLES) {
        const res = await sessions[role].request({
          method: route.method,
          url: fillParams(route.url),
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        const allowed = isAllowed(route.access!, role, clinic.users[role].clinicalLead);
        const denied = res.statusCode === 403 || res.statusCode === 401;
        if (allowed === denied) failures.push(`${route.method} ${route.url} as ${role} → ${res.statusCode}`);
        if (route.method === 'POST' && route.url === '/api/clinic/demo') {
          demo.push({ status: res.statusCode, expected: allowed ? 409 : 403 });
        }
      }
    }
    expect(failures).toEqual([]);
    // The roles allowed the demo load got past the access check to the use case's refusal.
    expect(demo.length).toBe(STAFF_ROLES.length);
    expect(demo.map((d) => d.status)).toEqual(demo.map((d) => d.expected));
  });

  it('user management is admin-only', async () => {
    expect((await sessions.prescriber.request({ method: 'GET', url: '/api/users' })).statusCode).toBe(403);
    const list = await sessions.admin.request({ method: 'GET', url: '/api/users' });
    expect(list.statusCode).toBe(200);
    // The seeded staff (and any the role walk above created).
    const ids = (list.json().items as { id: string }[]).map((u) => u.id);
    for (const role of STAFF_ROLES) expect(ids).toContain(clinic.users[role].id);
  });

  it('an admin creates a user who must change the generated password, and cannot remove the last admin', async () => {
    const created = await sessions.admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'new.nurse@test.example.org', name: 'New Nurse', role: 'nurse' },
    });
    expect(created.statusCode).toBe(201);
    const { user, temporaryPassword } = created.json();
    expect(user.mustChangePassword).toBe(true);
    const s = await login(app, { email: 'new.nurse@test.example.org', password: temporaryPassword });
    expect((await s.request({ method: 'GET', url: '/api/patients' })).json().error.code).toBe(
      'password_change_required',
    );
    const demote = await sessions.admin.request({
      method: 'PATCH',
      url: `/api/users/${clinic.users.admin.id}`,
      payload: { role: 'nurse' },
    });
    expect(demote.statusCode).toBe(409);
    const disable = await sessions.admin.request({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(200);
    expect((await s.request({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });
});
