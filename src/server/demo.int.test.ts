import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, seedClinic, type TestClinic } from './test-support';
import { auditEvents, users } from '../store/schema';
import type { Db } from '../store/open';
import * as schema from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { demoStaff, generateDemoNetwork, generatePatients, loadDemoData, type DemoSummary } from '../demo';
import { BULK_TABLES as DEMO_TABLES, copyRows, pgliteCopyWriter } from '../store/bulk-write';
import { defaultVitalsThresholds, type Modality } from '../clinical/protocols';
import { saveSessionSettings } from '../store/courses';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../clinical/session';
import { sessionEvents, treatmentSessions } from '../store/schema-sessions';

async function count(db: Db, clinicId: string, table: PgTable): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(eq((table as unknown as { clinicId: never }).clinicId, clinicId));
  return Number(row!.n);
}

async function expectCounts(db: Db, clinicId: string, s: DemoSummary) {
  const t = DEMO_TABLES;
  expect(await count(db, clinicId, t.patients)).toBe(s.patients);
  expect(await count(db, clinicId, t.bodyMeasurements)).toBe(s.bodyMeasurements);
  expect(await count(db, clinicId, t.medications)).toBe(s.medications);
  expect(await count(db, clinicId, t.courses)).toBe(s.courses);
  expect(await count(db, clinicId, t.treatmentSessions)).toBe(s.sessions);
  expect(await count(db, clinicId, t.sessionEvents)).toBe(s.sessionEvents);
  expect(await count(db, clinicId, t.assessmentResponses)).toBe(s.assessments);
  expect(await count(db, clinicId, t.assessmentItemAnswers)).toBe(s.itemAnswers);
  expect(await count(db, clinicId, t.alerts)).toBe(s.alerts);
}

describeEachStore('synthetic demo', ({ store, kind }) => {
  let clinic: TestClinic;
  let summary: DemoSummary;
  const now = new Date();

  beforeAll(async () => {
    clinic = await seedClinic(store(), 'Demo Target');
    summary = await inClinic(store().db, clinic.id, (tx) =>
      loadDemoData(tx, clinic.id, clinic.users.admin.id, now, 42, { patients: 40 }),
    );
  }, 120_000);

  it('loads 40 patients with every table filled, in foreign-key order, and the outcome facts', async () => {
    expect(summary.patients).toBe(40);
    for (const n of Object.values(summary)) expect(n).toBeGreaterThan(0);
    await expectCounts(store().db, clinic.id, summary);
    const staff = await store()
      .db.select()
      .from(users)
      .where(and(eq(users.clinicId, clinic.id), eq(users.mustChangePassword, true)));
    expect(staff.map((u) => u.role).sort()).toEqual(
      expect.arrayContaining(['nurse', 'nurse', 'prescriber', 'prescriber']),
    );
    expect(summary.staff).toBe(staff.length);
  });

  it('refuses a clinic that already has patients, and leaves it unchanged', async () => {
    await expect(
      inClinic(store().db, clinic.id, (tx) => loadDemoData(tx, clinic.id, clinic.users.admin.id, now)),
    ).rejects.toThrow(/without patients/);
    await expectCounts(store().db, clinic.id, summary);
  });

  it('shows realistic numbers on the outcomes dashboard and opens recorded sessions', async () => {
    const app = await createTestApp(store());
    try {
      const s = await login(app, clinic.users.admin);
      const res = await s.request({ method: 'GET', url: '/api/outcomes/summary' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.courses).toBeGreaterThan(20);
      expect(body.evaluable).toBeGreaterThan(5);
      expect(body.prescribers.length).toBeGreaterThanOrEqual(2);
      expect(body.sessions.dosed).toBeGreaterThan(100);
      expect(body.patientsInTreatment).toBeGreaterThan(0);

      // The session page derives its state from the generated events (response schema enforced).
      const dosed = await store()
        .db.selectDistinct({ sessionId: sessionEvents.sessionId, patientId: treatmentSessions.patientId })
        .from(sessionEvents)
        .innerJoin(
          treatmentSessions,
          and(
            eq(treatmentSessions.clinicId, sessionEvents.clinicId),
            eq(treatmentSessions.id, sessionEvents.sessionId),
          ),
        )
        .where(eq(sessionEvents.clinicId, clinic.id))
        .limit(8);
      expect(dosed.length).toBe(8);
      for (const d of dosed) {
        const r = await s.request({
          method: 'GET',
          url: `/api/patients/${d.patientId}/sessions/${d.sessionId}`,
        });
        expect(r.statusCode, r.body).toBe(200);
        const state = r.json();
        expect(state.phase).toBe('discharged');
        expect(state.openAlerts).toEqual([]);
        expect(state.checklist.overall).not.toBe('blocked');
      }
    } finally {
      await app.close();
    }
  });

  it('leaves few REMS forms overdue: most demo esketamine treatments are marked submitted', async () => {
    const app = await createTestApp(store());
    try {
      const s = await login(app, clinic.users.admin);
      const res = await s.request({ method: 'GET', url: '/api/rems/overdue' });
      expect(res.statusCode, res.body).toBe(200);
      const overdue = res.json() as unknown[];
      const rows = await store().db.execute<{ n: number }>(sql`
        select count(distinct e.session_id)::int as n
        from session_events e
        join treatment_sessions s on s.clinic_id = e.clinic_id and s.id = e.session_id
        join courses c on c.clinic_id = s.clinic_id and c.id = s.course_id
        where e.clinic_id = ${clinic.id} and e.kind = 'discharge' and c.modality = 'esketamine'`);
      const treated = Number((rows as unknown as { rows: { n: number }[] }).rows[0]!.n);
      expect(treated).toBeGreaterThan(0);
      expect(overdue.length).toBeLessThanOrEqual(Math.ceil(treated * 0.1));
    } finally {
      await app.close();
    }
  });

  it('fills a clinic by its own settings: only its rooms, no overlapping bookings, its hold thresholds', async () => {
    const sbpHold = 150;
    const thresholds = (m: Modality) => {
      const t = defaultVitalsThresholds(m);
      return { ...t, holdSbpAboveMmHg: { ...t.holdSbpAboveMmHg, value: sbpHold } };
    };
    const settings: SessionSettings = {
      ...DEFAULT_SESSION_SETTINGS,
      rooms: ['Chair A', 'Chair B', 'Chair C'],
      thresholds: { 'iv-ketamine': thresholds('iv-ketamine'), esketamine: thresholds('esketamine') },
    };
    const target = await seedClinic(store(), 'Own Settings');
    const loaded = await inClinic(store().db, target.id, async (tx) => {
      await saveSessionSettings(tx, target.id, settings, target.users.admin.id);
      return loadDemoData(tx, target.id, target.users.admin.id, now, 17, { patients: 200 });
    });
    const db = store().db;
    const q = async (query: ReturnType<typeof sql>) =>
      ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
    const rooms = await q(sql`
      select distinct room_id from treatment_sessions where clinic_id = ${target.id} order by room_id`);
    expect(rooms.map((r) => r.room_id)).toEqual(['Chair A', 'Chair B', 'Chair C']);
    const clashes = await q(sql`
      select a.id from treatment_sessions a
      join treatment_sessions b on b.clinic_id = a.clinic_id and b.room_id = a.room_id
        and b.date = a.date and b.id <> a.id
        and a.start_min < b.end_min and b.start_min < a.end_min
      where a.clinic_id = ${target.id}`);
    expect(clashes).toEqual([]);
    expect(loaded.sessions).toBeGreaterThan(1000);
    // Every post-dose reading above the clinic's SBP hold has a decision for that alert.
    const undecided = await q(sql`
      select v.id from session_events v
      where v.clinic_id = ${target.id} and v.kind = 'vitals' and v.time_min > 0
        and (v.payload->>'sbpMmHg')::int > ${sbpHold}
        and not exists (
          select 1 from session_events d
          where d.clinic_id = v.clinic_id and d.kind = 'alert-decision'
            and d.payload->>'vitalsEventId' = v.id::text and d.payload->>'alertId' = 'VIT-SBP-HOLD')`);
    const above = await q(sql`
      select count(*)::int as n from session_events
      where clinic_id = ${target.id} and kind = 'vitals' and time_min > 0
        and (payload->>'sbpMmHg')::int > ${sbpHold}`);
    expect(Number(above[0]!.n)).toBeGreaterThan(10);
    expect(undecided).toEqual([]);
  }, 180_000);

  it('reports the constraint a failed COPY batch violates, not "current transaction is aborted"', async () => {
    const target = await seedClinic(store(), 'Bad Batch');
    const rows = generatePatients(
      { clinicId: target.id, timeZone: 'UTC', now, seed: 3, staff: demoStaff(target.id, 3) },
      0,
      2,
    );
    rows.patients.push({ ...rows.patients[0]! }); // the same (clinic_id, id) twice
    const attempt =
      kind === 'postgres'
        ? async () => {
            const pool = (store().db as unknown as { $client: pg.Pool }).$client;
            const client = await pool.connect();
            try {
              const db = drizzle(client, { schema }) as unknown as Db;
              await inClinic(db, target.id, () => copyRows(client, rows, 'direct'));
            } finally {
              client.release();
            }
          }
        : () => inClinic(store().db, target.id, (tx) => pgliteCopyWriter(tx)!(rows));
    const err = await attempt().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).not.toBeNull();
    const text = `${err!.message} ${String((err as { cause?: unknown }).cause ?? '')}`;
    expect(text).toMatch(/duplicate key value violates unique constraint/);
    expect(text).not.toMatch(/current transaction is aborted/);
  });

  it('creates a network of clinics, each with its admin, audit event and data', async () => {
    const progress: number[] = [];
    const result = await generateDemoNetwork(store(), {
      patients: 40,
      clinics: 3,
      seed: 9,
      now,
      // Two clinics at once on PostgreSQL (separate connections and transactions).
      concurrency: kind === 'postgres' ? 2 : 1,
      onProgress: (done) => progress.push(done),
    });
    expect(result.writer).toBe(kind === 'postgres' ? 'copy' : 'pglite-copy');
    expect(result.clinics.map((c) => c.summary.patients).reduce((a, b) => a + b)).toBe(40);
    expect(result.clinics[0]!.summary.patients).toBeGreaterThanOrEqual(result.clinics[2]!.summary.patients);
    expect(progress.at(-1)).toBe(40);
    expect(new Set(result.clinics.map((c) => c.timeZone)).size).toBe(3);
    for (const c of result.clinics) {
      expect(c.name).toMatch(/^Rein Demo Clinic \d \(synthetic data\)$/);
      await expectCounts(store().db, c.clinicId, c.summary);
      const events = await store()
        .db.select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, c.clinicId), eq(auditEvents.action, 'clinic.load_demo')));
      expect(events).toHaveLength(1);
    }
  });

  if (kind === 'postgres') {
    it('COPY through a staging table keeps row-level security checking every row', async () => {
      const target = await seedClinic(store(), 'Staged Copy');
      const pool = (store().db as unknown as { $client: pg.Pool }).$client;
      const client = await pool.connect();
      try {
        const db = drizzle(client, { schema }) as unknown as Db;
        const s = await inClinic(db, target.id, (tx) =>
          loadDemoData(tx, target.id, target.users.admin.id, now, 5, {
            patients: 10,
            write: (rows) => copyRows(client, rows, 'staged'),
          }),
        );
        await expectCounts(store().db, target.id, s);
        // A batch labelled with another clinic's id is refused by the policy.
        const foreign = generatePatients(
          { clinicId: clinic.id, timeZone: 'UTC', now, seed: 6, staff: demoStaff(clinic.id, 6) },
          0,
          1,
        );
        await expect(inClinic(db, target.id, () => copyRows(client, foreign, 'staged'))).rejects.toThrow(
          /row-level security/,
        );
      } finally {
        client.release();
      }
    });
  }
});
