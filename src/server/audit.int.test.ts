import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('audit verify and export', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let admin: Session;
  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Audit Clinic');
    admin = await login(app, clinic.users.admin);
    const nurse = await login(app, clinic.users.nurse);
    const p = await nurse.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ familyName: '=cmd|calc' }),
    });
    await nurse.request({ method: 'GET', url: `/api/patients/${p.json().id}` });
  });

  it('records each read of a patient, in the request’s own transaction, and no read of one who is not there', async () => {
    const nurse = await login(app, clinic.users.nurse);
    const created = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = created.json().id as string;
    const readsOf = async (id: string) => {
      const result = await store().db.execute(
        sql`select request_id from audit_events where resource_id = ${id} and action = 'patient.read'`,
      );
      return (result as unknown as { rows: Array<{ request_id: string }> }).rows.map((r) => r.request_id);
    };
    const first = await nurse.request({ method: 'GET', url: `/api/patients/${patientId}` });
    const second = await nurse.request({ method: 'GET', url: `/api/patients/${patientId}` });
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect((await readsOf(patientId)).sort()).toEqual(
      [first.headers['x-request-id'], second.headers['x-request-id']].sort(),
    );
    const missing = '01900000-0000-7000-8000-000000000000';
    const miss = await nurse.request({ method: 'GET', url: `/api/patients/${missing}` });
    expect(miss.statusCode).toBe(404);
    expect(await readsOf(missing)).toEqual([]);
  });

  it('verifies the chain of the caller’s clinic (admin only)', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/audit/verify' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, clinicId: clinic.id, problem: null });
    expect(res.json().checked).toBeGreaterThanOrEqual(4); // logins, create, read
    const nurse = await login(app, clinic.users.nurse);
    expect((await nurse.request({ method: 'GET', url: '/api/audit/verify' })).statusCode).toBe(403);
  });

  it('exports the audit log as CSV with every event in chain order, itself included', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/audit/export.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="rein-audit-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,at_utc,user_id,user_email,actor_role,action,resource_type,resource_id,request_id,outcome,details_json,hash',
    );
    const seqs = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(res.body).toContain('patient.create');
    expect(res.body).toContain(clinic.users.nurse.email);
    expect(lines.at(-1)).toContain('audit.export');
    // Only this clinic's events.
    const result = await store().db.execute(
      sql`select count(*)::int as n from audit_events where clinic_id = ${clinic.id}`,
    );
    const n = (result as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    expect(lines.length - 1).toBe(Number(n));
  });

  it('filters by date and refuses a malformed date naming it', async () => {
    const none = await admin.request({ method: 'GET', url: '/api/audit/export.csv?to=2000-01-01' });
    expect(none.body.trimEnd().split('\r\n')).toHaveLength(1);
    const bad = await admin.request({ method: 'GET', url: '/api/audit/export.csv?from=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('querystring.from');
  });
});
