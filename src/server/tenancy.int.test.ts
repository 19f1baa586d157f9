/**
 * Tenant isolation, generated. Clinic B gets one record of every kind the API can reach — patient,
 * medication, weight, assessment (with its alert), portal link, taper, eligibility screening,
 * course and sessions, allergy, diagnosis and prior treatment trial. Then every role of clinic A
 * calls every route that takes an id, with B's real ids, GET as well as writes (with the very
 * bodies B used successfully where B used that route). A must get 403 or 404 — never 2xx — and
 * never see any of B's data.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { STAFF_ROLES } from '../store/schema';
import * as measurement from '../store/schema-measurement';
import * as notes from '../store/schema-notes';
import * as record from '../store/schema-record';
import * as sessions from '../store/schema-sessions';
import * as taper from '../store/schema-taper';
import { bodyMeasurements, patients, medications, users } from '../store/schema';
import {
  createTestApp,
  eligibleAnswers,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';
import type { PgTable } from 'drizzle-orm/pg-core';

/** Which table each path parameter names a row of. */
const PARAM_TABLES: Record<string, PgTable & { clinicId: never; id: never }> = {
  patientId: patients as never,
  medicationId: medications as never,
  measurementId: bodyMeasurements as never,
  userId: users as never,
  responseId: measurement.assessmentResponses as never,
  alertId: measurement.alerts as never,
  linkId: measurement.portalLinks as never,
  taperId: taper.taperPlans as never,
  screeningId: sessions.eligibilityScreenings as never,
  courseId: sessions.courses as never,
  sessionId: sessions.treatmentSessions as never,
  allergyId: record.allergies as never,
  diagnosisId: record.diagnoses as never,
  trialId: record.treatmentTrials as never,
  noteId: notes.clinicalNotes as never,
};

const SECRETS = ['Bsecretname', 'B-SECRET-MRN', 'Secretzolam'];

describeEachStore('tenant isolation on every route', ({ store }) => {
  let app: FastifyInstance;
  let a: TestClinic;
  let b: TestClinic;
  let bAdmin: Session;
  const bIds: Record<string, string> = {};
  /** `METHOD /pattern` → a body clinic B sent successfully to that route. */
  const bBodies = new Map<string, unknown>();

  const patternOf = (method: string, url: string) =>
    app.routeTable.find(
      (r) =>
        r.method === method &&
        new RegExp(`^${r.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(url.split('?')[0]!),
    )?.url;

  async function asB(method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const res = await bAdmin.request({ method, url, ...(payload === undefined ? {} : { payload }) });
    if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url} → ${res.statusCode}: ${res.body}`);
    const pattern = patternOf(method, url);
    if (pattern && payload !== undefined) bBodies.set(`${method} ${pattern}`, payload);
    return res;
  }

  beforeAll(async () => {
    app = await createTestApp(store(), { portalRateLimitPerMinute: 100_000 });
    a = await seedClinic(store(), 'Clinic A');
    b = await seedClinic(store(), 'Clinic B');
    bAdmin = await login(app, b.users.admin);
    const p = (
      await asB('POST', '/api/patients', samplePatient({ mrn: 'B-SECRET-MRN', familyName: 'Bsecretname' }))
    ).json();
    const pid = p.id as string;
    await asB('PATCH', `/api/patients/${pid}`, { pronouns: 'they/them' });
    const med = (
      await asB('POST', `/api/patients/${pid}/medications`, {
        name: 'Secretzolam',
        classTags: ['benzodiazepine'],
      })
    ).json();
    await asB('PATCH', `/api/patients/${pid}/medications/${med.id}`, { frequency: 'nightly' });
    await asB('POST', `/api/patients/${pid}/body-measurements`, { weightKg: 77, heightCm: 170 });
    const phq9 = (
      await asB('POST', `/api/patients/${pid}/assessments`, {
        instrument: 'phq9',
        version: '1.0.0',
        context: 'baseline',
        administeredAt: '2026-11-20T10:00:00Z',
        answers: [1, 2, 1, 2, 1, 1, 1, 1, 2],
      })
    ).json();
    void phq9;
    const link = (await asB('POST', `/api/patients/${pid}/portal-links`, {})).json();
    bIds.token = String(link.url).split('/portal/')[1]!;
    await asB('POST', `/api/patients/${pid}/tapers`, {
      drug: 'sertraline',
      startDoseMg: 100,
      mode: 'occupancy',
      stepPp: 10,
      intervalDays: 28,
      startDate: '2026-01-05',
    });
    await asB('POST', `/api/patients/${pid}/eligibility`, { answers: eligibleAnswers('iv-ketamine') });
    await asB('POST', `/api/patients/${pid}/courses`, {
      templateId: 'iv-induction-2x-weekly-3wk',
      startDate: '2026-03-02',
    });
    await asB('POST', `/api/patients/${pid}/allergies`, {
      substance: 'Penicillin',
      reaction: 'hives',
      severity: 'moderate',
      source: 'patient',
    });
    await asB('POST', `/api/patients/${pid}/diagnoses`, { icd10cmCode: 'F33.2' });
    await asB('POST', `/api/patients/${pid}/notes`, { kind: 'prescriber-progress' });
    await asB('POST', `/api/patients/${pid}/treatment-trials`, {
      drug: 'sertraline',
      doseMgPerDay: 150,
      durationWeeks: 8,
      adherence: 'full',
      response: 'none',
      reasonStopped: 'no improvement',
      currentEpisode: true,
      adequateDose: true,
      adequateDuration: true,
    });
    for (const [param, table] of Object.entries(PARAM_TABLES)) {
      const t = table as unknown as { clinicId: never; id: never };
      const [row] = await store()
        .db.select({ id: t.id })
        .from(table)
        .where(and(eq(t.clinicId, b.id)))
        .limit(1);
      if (row) bIds[param] = (row as { id: string }).id;
    }
  });

  it('has a real clinic-B id for every path parameter the API uses', () => {
    const params = new Set(
      app.routeTable.flatMap((r) => [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)),
    );
    expect([...params].filter((p) => !bIds[p])).toEqual([]);
  });

  it("no role of clinic A reaches clinic B's records through any route", { timeout: 300_000 }, async () => {
    const routes = app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && /:[A-Za-z]+/.test(r.url) && !r.url.startsWith('/api/portal/'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const failures: string[] = [];
    for (const role of STAFF_ROLES) {
      const s = await login(app, a.users[role]);
      for (const route of routes) {
        const url = route.url.replace(/:([A-Za-z]+)/g, (_, name: string) => bIds[name]!);
        const bodies =
          route.method === 'GET'
            ? [undefined]
            : [bBodies.get(`${route.method} ${route.url}`), {}].filter((x, i) => i === 1 || x !== undefined);
        for (const payload of bodies) {
          const res = await s.request({
            method: route.method,
            url,
            ...(payload === undefined ? {} : { payload }),
          });
          const usedBBody = payload !== undefined && payload === bBodies.get(`${route.method} ${route.url}`);
          const allowed = usedBBody || route.method === 'GET' ? [403, 404] : [400, 403, 404];
          if (!allowed.includes(res.statusCode))
            failures.push(`${role} ${route.method} ${route.url} → ${res.statusCode}`);
          for (const secret of SECRETS)
            if (res.body.includes(secret))
              failures.push(`${role} ${route.method} ${route.url} leaked ${secret}`);
        }
      }
      const list = await s.request({ method: 'GET', url: '/api/patients?q=B-SECRET&limit=100' });
      if (list.statusCode === 200 && list.json().total !== 0)
        failures.push(`${role} found B's patient by search`);
      for (const url of [
        '/api/patients?limit=100',
        '/api/alerts',
        '/api/due',
        '/api/rems/overdue',
        '/api/users',
      ]) {
        const res = await s.request({ method: 'GET', url });
        for (const secret of SECRETS)
          if (res.body.includes(secret)) failures.push(`${role} GET ${url} leaked ${secret}`);
        if (res.body.includes(bIds.patientId!)) failures.push(`${role} GET ${url} listed B's patient id`);
      }
    }
    expect(failures).toEqual([]);
    // Clinic B's records are as B left them.
    const after = await bAdmin.request({ method: 'GET', url: `/api/patients/${bIds.patientId}` });
    expect(after.json()).toMatchObject({ familyName: 'Bsecretname', version: 2 });
  });

  it("a portal link reaches only its own patient's items", async () => {
    const res = await app.inject({ method: 'GET', url: `/api/portal/${bIds.token}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Bsecretname');
    const other = await app.inject({ method: 'GET', url: `/api/portal/${bIds.token}x` });
    expect(other.statusCode).toBe(404);
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
