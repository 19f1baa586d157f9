import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/open';
import { describeEachStore, migratedTestDatabase, storeKinds } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import { updateUser } from '../../store/users';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  signOrderForPlan,
  type Session,
  type TestClinic,
} from '../../server/test-support';
import { inClinicAs, type Actor } from '../context';
import { appendSessionEvent } from './append';
import { sessionLogsFor } from './event-log';
import { loadSession, type LoadedSession, type SessionRef } from './load';
import { recordVitals } from './record';

/**
 * The session event log kept between requests (event-log.ts) against a fresh read of the
 * database: whatever another writer stored meanwhile, the kept path must load the same session.
 */

const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const minutes = (m: number) => new Date(START.getTime() + m * 60_000);

interface Staff {
  admin: Session;
  prescriber: Session;
  nurse: Session;
}

const signIn = async (app: FastifyInstance, clinic: TestClinic): Promise<Staff> => ({
  admin: await login(app, clinic.users.admin),
  prescriber: await login(app, clinic.users.prescriber),
  nurse: await login(app, clinic.users.nurse),
});

/** A new patient's first IV session, checked in, checklist and dose plan done, order signed, started at START. */
async function dosedSession({ admin, prescriber, nurse }: Staff, setNow: (d: Date) => void) {
  setNow(START);
  const p = await admin.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
  const patientId = p.json().id as string;
  await screenEligible(prescriber, patientId, 'iv-ketamine');
  const c = await prescriber.request({
    method: 'POST',
    url: `/api/patients/${patientId}/courses`,
    payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
  });
  const sessionId = c.json().sessions[0].id as string;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  const ok = async (url: string, payload: object) => {
    const res = await nurse.request({ method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  await ok(`${base}/check-in`, {});
  await recordPreSessionAssessments(nurse, patientId, minutes(-30));
  await ok(`${base}/checklist`, { ...READY_CHECKLIST, weightKg: 70 });
  await ok(`${base}/dose-plan`, {});
  await signOrderForPlan(prescriber, base);
  await ok(`${base}/start`, { scheduleOverrideReason: 'Test clinic: every session is dosed at START' });
  return { ref: { patientId, sessionId }, base };
}

/** What a reader sees of a loaded session (the kept log's object identity aside). */
const seen = (s: LoadedSession) => ({
  events: s.events,
  unreadable: s.unreadableEventIds,
  state: s.state,
  count: s.eventLog.count,
  last: s.eventLog.last,
  recorders: [...s.eventLog.recorders].sort(),
});

describeEachStore('session event log kept between requests', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = START;
  let nurseActor: Actor;
  let staff: Staff;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Event Log Clinic');
    staff = await signIn(app, clinic);
    nurseActor = { clinicId: clinic.id, userId: clinic.users.nurse.id, role: 'nurse', requestId: null };
  });
  afterAll(async () => {
    await app.close();
  });

  const cachedLoad = (ref: SessionRef) =>
    inClinicAs(store().db, nurseActor, now, (ctx) => loadSession(ctx, ref));
  /** A load that neither reads nor fills the kept logs. */
  const freshLoad = (ref: SessionRef) =>
    inClinic(store().db, clinic.id, (tx) => loadSession({ tx, actor: nurseActor, now }, ref));
  const kept = (ref: SessionRef) => sessionLogsFor(store().db).logs.get(clinic.id, ref.sessionId);

  it('property: after any mix of appends by the use cases and by another writer, a kept-log load equals a fresh one', async () => {
    const step = fc.oneof(
      fc.record({
        by: fc.constant('use case' as const),
        sbpMmHg: fc.integer({ min: 60, max: 220 }),
        spo2Pct: fc.integer({ min: 80, max: 100 }),
      }),
      fc.record({
        by: fc.constant('other writer' as const),
        sbpMmHg: fc.integer({ min: 60, max: 220 }),
        // Another process's clock may run behind: its row can sort before the kept log's last.
        skewMs: fc.integer({ min: -120_000, max: 120_000 }),
        readable: fc.boolean(),
      }),
      fc.record({ by: fc.constant('rolled back' as const) }),
      fc.record({ by: fc.constant('rename' as const), name: fc.string({ minLength: 1, maxLength: 12 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const { ref } = await dosedSession(staff, (d) => (now = d));
        now = minutes(10);
        await cachedLoad(ref);
        for (const s of steps) {
          now = new Date(now.getTime() + 1000);
          if (s.by === 'use case') {
            const after = await inClinicAs(store().db, nurseActor, now, (ctx) =>
              recordVitals(ctx, ref, { sbpMmHg: s.sbpMmHg, spo2Pct: s.spo2Pct }),
            );
            // The use case's answer is the session as a fresh read now finds it, and it is kept.
            expect(seen(after)).toEqual(seen(await freshLoad(ref)));
            expect(kept(ref)?.count).toBe(after.eventLog.count);
          } else if (s.by === 'other writer') {
            await inClinic(store().db, clinic.id, (tx) =>
              appendSessionEvent(
                tx,
                clinic.id,
                ref.sessionId,
                {
                  kind: 'vitals',
                  timeMin: 5,
                  payload: s.readable ? { sbpMmHg: s.sbpMmHg } : { sbpMmHg: 'high' },
                },
                clinic.users.prescriber.id,
                new Date(now.getTime() + s.skewMs),
              ),
            );
          } else if (s.by === 'rolled back') {
            await expect(
              inClinicAs(store().db, nurseActor, now, async (ctx) => {
                await recordVitals(ctx, ref, { sbpMmHg: 130 });
                throw new Error('abandoned');
              }),
            ).rejects.toThrow('abandoned');
          } else {
            await inClinic(store().db, clinic.id, (tx) =>
              updateUser(tx, clinic.id, clinic.users.prescriber.id, { name: s.name }),
            );
          }
          expect(seen(await cachedLoad(ref))).toEqual(seen(await freshLoad(ref)));
        }
      }),
      { numRuns: 6 },
    );
  });

  it('a reading past the thresholds raises its alarm on the kept path too', async () => {
    const { ref, base } = await dosedSession(staff, (d) => (now = d));
    const { nurse } = staff;
    now = minutes(10);
    const post = async (payload: object) => {
      const res = await nurse.request({ method: 'POST', url: `${base}/vitals`, payload });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { vitals: unknown[]; openAlerts: { vitalsEventId: string; alertIds: string[] }[] };
    };
    for (let i = 0; i < 3; i++) await post({ sbpMmHg: 124, dbpMmHg: 78, spo2Pct: 98 });
    expect(kept(ref)).toBeDefined();
    const state = await post({ sbpMmHg: 124, dbpMmHg: 78, spo2Pct: 84 });
    expect(state.openAlerts).toHaveLength(1);
    expect(state.openAlerts[0]!.alertIds.join(' ')).toMatch(/SPO2/i);
  });
});

/** Two Rein processes on one PostgreSQL database (PGlite has one process): each keeps its own logs. */
for (const kind of storeKinds().filter((k) => k === 'postgres')) {
  describe(`session event log kept between requests [${kind}, two app instances]`, () => {
    twoInstances();
  });
}

function twoInstances() {
  let db: { url: string; drop(): Promise<void> };
  let stores: Store[] = [];
  let apps: FastifyInstance[] = [];
  let now = START;

  it('appends through a second app instance on the same database are seen by the first', async () => {
    db = await migratedTestDatabase();
    stores = [await openStore({ databaseUrl: db.url }), await openStore({ databaseUrl: db.url })];
    try {
      apps = await Promise.all(stores.map((s) => createTestApp(s, { now: () => now })));
      const clinic = await seedClinic(stores[0]!, 'Two Instances');
      const { base } = await dosedSession(await signIn(apps[0]!, clinic), (d) => (now = d));
      now = minutes(10);
      const nurses: Session[] = await Promise.all(apps.map((a) => login(a, clinic.users.nurse)));
      let expected = 0;
      const first = await nurses[0]!.request({ method: 'GET', url: base });
      expected = (first.json() as { vitals: unknown[] }).vitals.length;
      for (let i = 0; i < 6; i++) {
        const which = i % 3 === 2 ? 1 : 0;
        const res = await nurses[which]!.request({
          method: 'POST',
          url: `${base}/vitals`,
          payload: { sbpMmHg: 120 + i, dbpMmHg: 80, spo2Pct: i === 4 ? 84 : 98 },
        });
        expect(res.statusCode, res.body).toBe(200);
        expected += 1;
        const body = res.json() as { vitals: { sbpMmHg: number }[]; openAlerts: unknown[] };
        expect(body.vitals).toHaveLength(expected);
        expect(body.vitals.map((v) => v.sbpMmHg).slice(-(i + 1))).toEqual(
          Array.from({ length: i + 1 }, (_, k) => 120 + k),
        );
        // The SpO2 alarm stored through the second instance is open in the first's answer too.
        expect(body.openAlerts).toHaveLength(i >= 4 ? 1 : 0);
      }
    } finally {
      await Promise.all(apps.map((a) => a.close()));
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });
}
