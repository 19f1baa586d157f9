/**
 * Racing writes: many identical requests at the same instant, as a double-clicking user, a
 * retrying phone or two admins in two offices send them. Each rule that must hold under load is
 * asserted on what is stored, not only on the status codes:
 *   - one check-in and one dosing start per session;
 *   - a portal instrument is stored once while due, and raises one suicidality alert;
 *   - the clinic keeps at least one active admin;
 *   - a stale version is a 409, never a 500;
 *   - a patient has at most the hourly cap of portal links;
 *   - a submission repeated with its Idempotency-Key is stored once and answered alike.
 * On PostgreSQL the requests run on several connections at once; on PGlite they queue on its one
 * connection, so the same assertions hold by construction there.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../store/open';
import { PORTAL_LINKS_PER_PATIENT_PER_HOUR } from '../store/portal-links';
import { users } from '../store/schema';
import { alerts, assessmentResponses, portalLinks } from '../store/schema-measurement';
import { sessionEvents } from '../store/schema-sessions';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { createUser } from '../store/users';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  signOrderForPlan,
  type TestClinic,
} from './test-support';

const N = 50;
const N_PORTAL = 25;
const START = new Date('2026-03-02T08:00:00Z'); // a Monday; the clinic's time zone is UTC

async function count(db: Db, table: PgTable, where: ReturnType<typeof and>): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(where);
  return Number(row!.n);
}

const statuses = (rs: LightMyRequestResponse[]) =>
  rs.reduce<Record<number, number>>(
    (acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }),
    {},
  );

const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describeEachStore('racing writes', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let frontDesk: Session;
  const now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now, portalRateLimitPerMinute: 1000 });
    clinic = await seedClinic(store(), 'Racing Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    frontDesk = await login(app, clinic.users.staff);
  });

  const newPatient = async () =>
    (await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })).json()
      .id as string;

  it(`${N} simultaneous check-ins make one check-in; ${N} simultaneous starts make one dosing start`, async () => {
    const patientId = await newPatient();
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const sessionId = c.json().sessions[0].id as string;
    const base = `/api/patients/${patientId}/sessions/${sessionId}`;

    const checkIns = await times(N, () =>
      nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} }),
    );
    expect(statuses(checkIns)).toEqual({ 200: 1, 409: N - 1 });
    const refused = checkIns.find((r) => r.statusCode === 409)!.json();
    expect(refused.error.message).toMatch(/already checked in/);
    const ofKind = (kind: 'check-in' | 'dosing-start') =>
      count(
        store().db,
        sessionEvents,
        and(
          eq(sessionEvents.clinicId, clinic.id),
          eq(sessionEvents.sessionId, sessionId),
          eq(sessionEvents.kind, kind),
        ),
      );
    expect(await ofKind('check-in')).toBe(1);

    await recordPreSessionAssessments(nurse, patientId, new Date(START.getTime() - 30 * 60_000));
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 80 },
    });
    expect(ck.json().checklist.overall).toBe('ready');
    await nurse.request({
      method: 'POST',
      url: `${base}/observations`,
      payload: { kind: 'moaas', score: 5 },
    });
    const dose = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { lotNumber: 'L1' },
    });
    expect(dose.statusCode, dose.body).toBe(200);
    await signOrderForPlan(prescriber, base);

    const starts = await times(N, () => nurse.request({ method: 'POST', url: `${base}/start`, payload: {} }));
    expect(statuses(starts)).toEqual({ 200: 1, 409: N - 1 });
    expect(starts.find((r) => r.statusCode === 409)!.json().error.message).toMatch(/already started/);
    expect(await ofKind('dosing-start')).toBe(1);
  }, 120_000); // 100 session requests, each loading the whole session: slow on a busy PGlite

  const phq9Count = (patientId: string) =>
    count(
      store().db,
      assessmentResponses,
      and(
        eq(assessmentResponses.clinicId, clinic.id),
        eq(assessmentResponses.patientId, patientId),
        eq(assessmentResponses.instrument, 'phq9'),
      ),
    );
  const alertCount = (patientId: string) =>
    count(store().db, alerts, and(eq(alerts.clinicId, clinic.id), eq(alerts.patientId, patientId)));
  const portalToken = async (patientId: string) => {
    const res = await frontDesk.request({
      method: 'POST',
      url: `/api/patients/${patientId}/portal-links`,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json().url as string).split('/portal/')[1]!;
  };
  // Item 9 = 1: thoughts of self-harm on several days, which raises a suicidality alert.
  const portalPhq9 = { instrument: 'phq9', version: '1.0.0', answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] };

  it(`${N_PORTAL} simultaneous portal submissions of a due PHQ-9 store one and raise one alert`, async () => {
    const patientId = await newPatient();
    const token = await portalToken(patientId);
    const sent = await times(N_PORTAL, () =>
      app.inject({ method: 'POST', url: `/api/portal/${token}/responses`, payload: portalPhq9 }),
    );
    expect(statuses(sent)).toEqual({ 201: 1, 409: N_PORTAL - 1 });
    expect(await phq9Count(patientId)).toBe(1);
    expect(await alertCount(patientId)).toBe(1);
  });

  it(`${N_PORTAL} simultaneous portal submissions with one Idempotency-Key all get the first answer`, async () => {
    const patientId = await newPatient();
    const token = await portalToken(patientId);
    const key = randomUUID();
    const sent = await times(N_PORTAL, () =>
      app.inject({
        method: 'POST',
        url: `/api/portal/${token}/responses`,
        headers: { 'idempotency-key': key },
        payload: portalPhq9,
      }),
    );
    expect(statuses(sent)).toEqual({ 201: N_PORTAL });
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(sent[0]!.json()).toMatchObject({ received: true, remaining: 0 });
    expect(await phq9Count(patientId)).toBe(1);
    expect(await alertCount(patientId)).toBe(1);

    // The same key with other answers is a client error, not a second submission.
    const other = await app.inject({
      method: 'POST',
      url: `/api/portal/${token}/responses`,
      headers: { 'idempotency-key': key },
      payload: { ...portalPhq9, answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.message).toMatch(/Idempotency-Key/);
  });

  it(`${N} identical staff PHQ-9 submissions with one Idempotency-Key store one`, async () => {
    const patientId = await newPatient();
    const key = randomUUID();
    const body = {
      instrument: 'phq9',
      version: '1.0.0',
      context: 'baseline',
      administeredAt: new Date(START.getTime() - 60_000).toISOString(),
      answers: [2, 2, 2, 2, 2, 2, 2, 2, 1],
    };
    const sent = await times(N, () =>
      app.inject({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        headers: { cookie: nurse.cookie, 'x-csrf-token': nurse.csrfToken, 'idempotency-key': key },
        payload: body,
      }),
    );
    expect(statuses(sent)).toEqual({ 201: N });
    expect(new Set(sent.map((r) => r.json().assessment.id)).size).toBe(1);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(await phq9Count(patientId)).toBe(1);
    expect(await alertCount(patientId)).toBe(1);

    // A key belongs to its user: another clinician's request with the same key is their own.
    const other = await app.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      headers: { cookie: prescriber.cookie, 'x-csrf-token': prescriber.csrfToken, 'idempotency-key': key },
      payload: body,
    });
    expect(other.statusCode).toBe(201);
    expect(other.json().assessment.id).not.toBe(sent[0]!.json().assessment.id);
    expect(await phq9Count(patientId)).toBe(2);
  });

  it('an Idempotency-Key that is too short or has spaces is refused, naming the header', async () => {
    const patientId = await newPatient();
    for (const key of ['short', 'has a space in it']) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        headers: { cookie: nurse.cookie, 'x-csrf-token': nurse.csrfToken, 'idempotency-key': key },
        payload: {
          instrument: 'phq9',
          version: '1.0.0',
          context: 'baseline',
          administeredAt: START.toISOString(),
          answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
        },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0].path).toBe('headers.idempotency-key');
    }
    expect(await phq9Count(patientId)).toBe(0);
  });

  it('admins demoting each other at the same instant leave the clinic an active admin', async () => {
    const tag = randomBytes(4).toString('hex');
    const admins = await inClinic(store().db, clinic.id, async (tx) => {
      const made: { id: string; email: string; password: string }[] = [];
      for (let i = 0; i < 10; i++) {
        const password = `pw-${randomBytes(12).toString('base64url')}`;
        const email = `admin${i}.${tag}@test.example.org`;
        const u = await createUser(tx, clinic.id, { email, name: `Admin ${i}`, role: 'admin', password });
        made.push({ id: u.id, email, password });
      }
      return made;
    });
    const sessions = await Promise.all(
      [clinic.users.admin, ...admins].map((a) => login(app, { email: a.email, password: a.password })),
    );
    const ids = [clinic.users.admin.id, ...admins.map((a) => a.id)];
    // Each admin demotes the next one round the circle, all at once.
    const sent = await Promise.all(
      sessions.map((s, i) =>
        s.request({
          method: 'PATCH',
          url: `/api/users/${ids[(i + 1) % ids.length]}`,
          payload: { role: 'nurse' },
        }),
      ),
    );
    expect(
      sent.every((r) => [200, 403, 409].includes(r.statusCode)),
      JSON.stringify(statuses(sent)),
    ).toBe(true);
    const activeAdmins = await count(
      store().db,
      users,
      and(eq(users.clinicId, clinic.id), eq(users.role, 'admin'), eq(users.disabled, false)),
    );
    expect(activeAdmins).toBeGreaterThanOrEqual(1);
    const refused = sent.filter((r) => r.statusCode === 409);
    // The seeded admin is also clinical lead, and a clinical lead cannot be made nurse.
    for (const r of refused)
      expect(r.json().error.message).toMatch(/at least one active admin|signs off as clinical lead/);
  });

  it(`${N} simultaneous edits of a patient with the same version: one saved, the rest 409`, async () => {
    const patientId = await newPatient();
    const sent = await times(N, (i) =>
      nurse.request({
        method: 'PATCH',
        url: `/api/patients/${patientId}`,
        payload: { givenName: `Edit${i}`, version: 1 },
      }),
    );
    expect(statuses(sent)).toEqual({ 200: 1, 409: N - 1 });
    for (const r of sent.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.fields[0].path).toBe('version');
    }
    const after = (await nurse.request({ method: 'GET', url: `/api/patients/${patientId}` })).json();
    expect(after.version).toBe(2);
  });

  it(`${N} simultaneous edits of a medication with the same version: one saved, the rest 409`, async () => {
    const patientId = await newPatient();
    const med = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/medications`,
      payload: { name: 'sertraline', dose: 50, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
    });
    expect(med.statusCode, med.body).toBe(201);
    const medicationId = med.json().id as string;
    const sent = await times(N, (i) =>
      prescriber.request({
        method: 'PATCH',
        url: `/api/patients/${patientId}/medications/${medicationId}`,
        payload: { dose: 50 + i + 1, version: 1 },
      }),
    );
    expect(statuses(sent)).toEqual({ 200: 1, 409: N - 1 });
    for (const r of sent.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.fields[0].path).toBe('version');
    }
  });

  it(`${N_PORTAL} simultaneous portal link creations stop at the cap of ${PORTAL_LINKS_PER_PATIENT_PER_HOUR}`, async () => {
    const patientId = await newPatient();
    const sent = await times(N_PORTAL, () =>
      frontDesk.request({ method: 'POST', url: `/api/patients/${patientId}/portal-links`, payload: {} }),
    );
    expect(statuses(sent)).toEqual({
      201: PORTAL_LINKS_PER_PATIENT_PER_HOUR,
      429: N_PORTAL - PORTAL_LINKS_PER_PATIENT_PER_HOUR,
    });
    expect(
      await count(
        store().db,
        portalLinks,
        and(eq(portalLinks.clinicId, clinic.id), eq(portalLinks.patientId, patientId)),
      ),
    ).toBe(PORTAL_LINKS_PER_PATIENT_PER_HOUR);
  });
});
