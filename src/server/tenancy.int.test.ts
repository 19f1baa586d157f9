import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-harness';
import { STAFF_ROLES } from '../store/schema';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('tenant isolation', ({ store }) => {
  let app: FastifyInstance;
  let a: TestClinic;
  let b: TestClinic;
  let bAdmin: Session;
  const bIds: Record<string, string> = {};
  const bSecrets = ['Bsecretname', 'B-SECRET-MRN', 'Secretzolam'];

  beforeAll(async () => {
    app = await createTestApp(store());
    a = await seedClinic(store(), 'Clinic A');
    b = await seedClinic(store(), 'Clinic B');
    bAdmin = await login(app, b.users.admin);
    const p = await bAdmin.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'B-SECRET-MRN', familyName: 'Bsecretname' }),
    });
    bIds.patientId = p.json().id;
    const m = await bAdmin.request({
      method: 'POST',
      url: `/api/patients/${bIds.patientId}/medications`,
      payload: { name: 'Secretzolam', classTags: ['benzodiazepine'] },
    });
    bIds.medicationId = m.json().id;
    await bAdmin.request({
      method: 'POST',
      url: `/api/patients/${bIds.patientId}/body-measurements`,
      payload: { weightKg: 77 },
    });
    bIds.userId = b.users.nurse.id;
  });

  it("no route lets any role of clinic A read, change or guess clinic B's records", async () => {
    const routes = app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && /:(patientId|medicationId|userId)/.test(r.url),
    );
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    for (const role of STAFF_ROLES) {
      const s = await login(app, a.users[role]);
      for (const route of routes) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => bIds[name]!);
        const payload =
          route.method === 'GET'
            ? undefined
            : route.url.includes('body-measurements')
              ? { weightKg: 60 }
              : route.url.includes('/api/users')
                ? { name: 'Taken over' }
                : route.url.includes('medications') && route.method === 'POST'
                  ? { name: 'Injected' }
                  : { familyName: 'Overwritten', name: 'Overwritten' };
        const res = await s.request({ method: route.method, url, ...(payload ? { payload } : {}) });
        if (![403, 404, 400].includes(res.statusCode))
          failures.push(`${role} ${route.method} ${url} → ${res.statusCode}`);
        for (const secret of bSecrets) {
          if (res.body.includes(secret)) failures.push(`${role} ${route.method} ${url} leaked ${secret}`);
        }
      }
      const list = await s.request({ method: 'GET', url: '/api/patients?q=B-SECRET' });
      if (list.statusCode === 200 && list.json().total !== 0)
        failures.push(`${role} found B's patient by search`);
      const all = await s.request({ method: 'GET', url: '/api/patients?limit=100' });
      for (const secret of bSecrets)
        if (all.body.includes(secret)) failures.push(`${role} list leaked ${secret}`);
    }
    expect(failures).toEqual([]);
    // Clinic B's records are untouched.
    const after = await bAdmin.request({ method: 'GET', url: `/api/patients/${bIds.patientId}` });
    expect(after.json()).toMatchObject({ familyName: 'Bsecretname', version: 1 });
    const meds = await bAdmin.request({ method: 'GET', url: `/api/patients/${bIds.patientId}/medications` });
    expect(meds.json().items.map((m: { name: string }) => m.name)).toEqual(['Secretzolam']);
    const weights = await bAdmin.request({
      method: 'GET',
      url: `/api/patients/${bIds.patientId}/body-measurements`,
    });
    expect(weights.json().items).toHaveLength(1);
  });

  it('the same MRN may exist in two clinics', async () => {
    const s = await login(app, a.users.staff);
    const res = await s.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'B-SECRET-MRN' }),
    });
    expect(res.statusCode).toBe(201);
  });
});
