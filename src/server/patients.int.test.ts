import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEvents, revisions } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

describeEachStore('patients API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let staff: Session;
  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-11-26T12:00:00Z') });
    clinic = await seedClinic(store(), 'Patients Clinic');
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
  });

  it('creates, reads and audits a patient', async () => {
    const created = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'P-1', givenName: '  Ada ' }),
    });
    expect(created.statusCode).toBe(201);
    const patient = created.json();
    expect(patient.givenName).toBe('Ada');
    expect(patient.version).toBe(1);
    expect(patient.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7
    const read = await nurse.request({ method: 'GET', url: `/api/patients/${patient.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().mrn).toBe('P-1');
    const events = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, patient.id)));
    const actions = events.map((e) => `${e.action}:${e.userId}`);
    expect(actions).toContain(`patient.create:${clinic.users.staff.id}`);
    expect(actions).toContain(`patient.read:${clinic.users.nurse.id}`);
    expect(events.every((e) => e.requestId && e.clinicId === clinic.id)).toBe(true);
  });

  it('rejects invalid input naming each field', async () => {
    const res = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: {
        mrn: 'bad mrn!',
        givenName: '',
        familyName: 'X',
        dateOfBirth: '1980-13-40',
        sexAtBirth: 'robot',
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.mrn', 'body.givenName', 'body.dateOfBirth', 'body.sexAtBirth']),
    );
    expect(res.json().error.message).toContain('MRN may contain only');
    expect(res.json().error.message).not.toContain('body.');
  });

  it('refuses a duplicate MRN in the same clinic with 409 naming mrn', async () => {
    await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient({ mrn: 'DUP-1' }) });
    const again = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'DUP-1' }),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].path).toBe('mrn');
  });

  it('updates with a kept revision and refuses stale versions', async () => {
    const p = (
      await staff.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ familyName: 'Before' }),
      })
    ).json();
    const upd = await staff.request({
      method: 'PATCH',
      url: `/api/patients/${p.id}`,
      payload: { familyName: 'After', version: 1, reason: 'spelling' },
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ familyName: 'After', version: 2 });
    const stale = await staff.request({
      method: 'PATCH',
      url: `/api/patients/${p.id}`,
      payload: { familyName: 'Again', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const kept = await store().db.select().from(revisions).where(eq(revisions.resourceId, p.id));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.version).toBe(1);
    expect((kept[0]!.data as { familyName: string }).familyName).toBe('Before');
    expect(kept[0]!.reason).toBe('spelling');
    expect(kept[0]!.changedBy).toBe(clinic.users.staff.id);
  });

  it('searches by name or MRN, paginated, without leaking the query into the audit log', async () => {
    const own = await seedClinic(store(), 'Search Clinic');
    const s = await login(app, own.users.staff);
    const names = [
      ['Zed', 'Quimby', 'Q-001'],
      ['Anna', 'Quist', 'Q-002'],
      ['Bo', 'Quorn', 'Q-003'],
      ['Cy', 'Smith', 'S-001'],
    ];
    for (const [givenName, familyName, mrn] of names) {
      await s.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ givenName, familyName, mrn }),
      });
    }
    const qu = (await s.request({ method: 'GET', url: '/api/patients?q=qu&limit=2' })).json();
    expect(qu.total).toBe(3);
    expect(qu.items.map((p: { familyName: string }) => p.familyName)).toEqual(['Quimby', 'Quist']);
    const page2 = (await s.request({ method: 'GET', url: '/api/patients?q=qu&limit=2&offset=2' })).json();
    expect(page2.items.map((p: { familyName: string }) => p.familyName)).toEqual(['Quorn']);
    expect((await s.request({ method: 'GET', url: '/api/patients?q=s-00' })).json().total).toBe(1);
    expect((await s.request({ method: 'GET', url: '/api/patients?q=anna%20qu' })).json().total).toBe(1);
    expect((await s.request({ method: 'GET', url: '/api/patients?q=%25' })).json().total).toBe(0);
    expect((await s.request({ method: 'GET', url: '/api/patients?limit=0' })).statusCode).toBe(400);
    const listEvents = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, own.id), eq(auditEvents.action, 'patient.list')));
    expect(listEvents.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(listEvents)).not.toContain('Quimby');
    expect(JSON.stringify(listEvents)).not.toMatch(/"qu"/);
  });

  it('records weights and heights with BMI from the latest height', async () => {
    const p = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    const url = `/api/patients/${p.id}/body-measurements`;
    const h = await nurse.request({
      method: 'POST',
      url,
      payload: { measuredAt: '2026-10-01T09:00:00Z', heightCm: 175, weightKg: 70 },
    });
    expect(h.statusCode).toBe(201);
    expect(h.json().bmi).toBeCloseTo(22.9, 5);
    const w = await nurse.request({
      method: 'POST',
      url,
      payload: { measuredAt: '2026-11-01T09:00:00Z', weightKg: 80 },
    });
    expect(w.json().bmi).toBeCloseTo(26.1, 5); // 80 / 1.75² = 26.12
    const list = (await nurse.request({ method: 'GET', url })).json();
    expect(list.items.map((m: { weightKg: number }) => m.weightKg)).toEqual([70, 80]);
    const none = await nurse.request({ method: 'POST', url, payload: {} });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].path).toBe('body.weightKg');
    const absurd = await nurse.request({ method: 'POST', url, payload: { weightKg: 9000 } });
    expect(absurd.statusCode).toBe(400);
    const byStaff = await staff.request({ method: 'POST', url, payload: { weightKg: 71 } });
    expect(byStaff.statusCode).toBe(403);
  });

  it('keeps a medication list with class tags and versioned changes', async () => {
    const p = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json();
    const url = `/api/patients/${p.id}/medications`;
    const med = await nurse.request({
      method: 'POST',
      url,
      payload: {
        name: 'Lorazepam',
        dose: 1,
        doseUnit: 'mg',
        frequency: 'twice daily',
        classTags: ['benzodiazepine'],
        startDate: '2026-01-01',
      },
    });
    expect(med.statusCode).toBe(201);
    expect(med.json().classTags).toEqual(['benzodiazepine']);
    const badTag = await nurse.request({ method: 'POST', url, payload: { name: 'X', classTags: ['candy'] } });
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json().error.fields[0].path).toBe('body.classTags.0');
    const backwards = await nurse.request({
      method: 'PATCH',
      url: `${url}/${med.json().id}`,
      payload: { stopDate: '2025-12-01' },
    });
    expect(backwards.statusCode).toBe(409);
    const stop = await nurse.request({
      method: 'PATCH',
      url: `${url}/${med.json().id}`,
      payload: { stopDate: '2026-11-20', reason: 'tapered off' },
    });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toMatchObject({ stopDate: '2026-11-20', version: 2 });
    const list = (await nurse.request({ method: 'GET', url })).json();
    expect(list.items).toHaveLength(1);
  });

  it('answers 404 for a patient that does not exist and 400 for a malformed id', async () => {
    expect(
      (await nurse.request({ method: 'GET', url: '/api/patients/01900000-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    const bad = await nurse.request({ method: 'GET', url: '/api/patients/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('params.patientId');
  });
});
