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
import { loadDemoIntoClinic } from '../demo/load';
import { systemActor } from '../app/context';
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
  expect(await count(db, clinicId, t.allergies)).toBe(s.allergies);
  expect(await count(db, clinicId, t.allergyStatements)).toBe(s.noKnownAllergies);
  expect(await count(db, clinicId, t.diagnoses)).toBe(s.diagnoses);
  expect(await count(db, clinicId, t.treatmentTrials)).toBe(s.treatmentTrials);
  expect(await count(db, clinicId, t.clinicalNotes)).toBe(s.notes);
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

  it('gives the demo a clinical record: allergies, problem list, trials, orders, administrations, notes', async () => {
    const db = store().db;
    const q = async (query: ReturnType<typeof sql>) =>
      ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
    const app = await createTestApp(store());
    try {
      const s = await login(app, clinic.users.admin);
      // Every chart states its allergies: a list, or an explicit "no known allergies".
      const patients = await q(sql`select id from patients where clinic_id = ${clinic.id} order by id`);
      const kinds = new Map<string, number>();
      const resistance = new Set<boolean>();
      for (const p of patients) {
        const r = await s.request({ method: 'GET', url: `/api/patients/${String(p.id)}/clinical-record` });
        expect(r.statusCode, r.body).toBe(200);
        const record = r.json();
        kinds.set(record.allergyState.kind, (kinds.get(record.allergyState.kind) ?? 0) + 1);
        resistance.add(record.treatmentResistance.resistant);
        expect(record.trials.length).toBeGreaterThanOrEqual(2);
        // The problem list is coded, and every course names its primary diagnosis from it.
        const codes = new Set(record.diagnoses.map((d: { id: string; icd10cmCode: string | null }) => d.id));
        expect(
          record.diagnoses.some((d: { icd10cmCode: string | null }) => /^F3[23]\./.test(d.icd10cmCode ?? '')),
        ).toBe(true);
        for (const c of record.courses) expect(codes.has(c.primaryDiagnosisId)).toBe(true);
      }
      expect(kinds.get('unknown')).toBeUndefined();
      expect(kinds.get('no-known-allergies')).toBeGreaterThan(0);
      expect(kinds.get('list')).toBeGreaterThan(0);
      expect(summary.allergies + summary.noKnownAllergies).toBe(patients.length);
      // The computed rule finds both treatment-resistant patients and patients who are not (yet).
      expect([...resistance].sort()).toEqual([false, true]);

      // Every dosed session started against a prescriber's order signed before it, in that session.
      const dosed = await q(sql`
        select e.session_id, s.patient_id, e.payload->>'orderEventId' as order_id,
          (select count(*)::int from session_events o
            join users u on u.clinic_id = o.clinic_id and u.id = o.recorded_by and u.role = 'prescriber'
            where o.clinic_id = e.clinic_id and o.session_id = e.session_id and o.kind = 'order-signed'
              and o.id::text = e.payload->>'orderEventId' and o.recorded_at < e.recorded_at) as signed
        from session_events e
        join treatment_sessions s on s.clinic_id = e.clinic_id and s.id = e.session_id
        where e.clinic_id = ${clinic.id} and e.kind = 'dosing-start'`);
      expect(dosed.length).toBeGreaterThan(100);
      for (const d of dosed) expect(d.signed, String(d.session_id)).toBe(1);

      // Every nausea or vomiting treated with medication has its ondansetron on the MAR.
      const treated = await q(sql`
        select a.session_id, s.patient_id,
          (select count(*)::int from session_events r where r.clinic_id = a.clinic_id
            and r.session_id = a.session_id and r.kind = 'rescue-given') as rescues
        from session_events a
        join treatment_sessions s on s.clinic_id = a.clinic_id and s.id = a.session_id
        where a.clinic_id = ${clinic.id} and a.kind = 'adverse-event'
          and a.payload->>'category' in ('nausea', 'vomiting')
          and a.payload->>'actionTaken' = 'medication-given'`);
      expect(treated.length).toBeGreaterThan(0);
      for (const t of treated) expect(Number(t.rescues)).toBeGreaterThan(0);

      // The MAR of each session (a sample, and every one with a rescue) matches the dosed amounts.
      const paused = await q(sql`
        select distinct e.session_id, s.patient_id from session_events e
        join treatment_sessions s on s.clinic_id = e.clinic_id and s.id = e.session_id
        where e.clinic_id = ${clinic.id} and e.kind = 'dosing-action'`);
      const sample = [...dosed.slice(0, 10), ...treated, ...paused];
      for (const d of sample) {
        const r = await s.request({
          method: 'GET',
          url: `/api/patients/${String(d.patient_id)}/sessions/${String(d.session_id)}`,
        });
        expect(r.statusCode, r.body).toBe(200);
        const { orders, dosePlan } = r.json();
        const mar = orders.mar;
        expect(mar.treatment.orderEventId).toBe(orders.order.eventId);
        expect(mar.treatment.state).toBe('complete');
        expect(mar.treatment.plannedMg).toBe(dosePlan.doseMg);
        expect(mar.treatment.amountGivenMg).toBeCloseTo(dosePlan.doseMg, 6);
        expect(mar.treatment.steps[0].action).toBe('start');
        for (const rescue of mar.rescues) {
          expect(rescue).toMatchObject({
            drug: 'ondansetron',
            doseMg: 4,
            orderEventId: orders.order.eventId,
          });
        }
      }
      for (const t of treated) {
        const r = await s.request({
          method: 'GET',
          url: `/api/patients/${String(t.patient_id)}/sessions/${String(t.session_id)}`,
        });
        expect(r.json().orders.mar.rescues.length).toBeGreaterThan(0);
      }
      for (const p of paused) {
        const r = await s.request({
          method: 'GET',
          url: `/api/patients/${String(p.patient_id)}/sessions/${String(p.session_id)}`,
        });
        const actions = r.json().orders.mar.treatment.steps.map((x: { action: string }) => x.action);
        expect(actions).toEqual(expect.arrayContaining(['start', 'pause', 'resume']));
      }

      // Every discharged session has the nurse's signed administration note; co-signatures are
      // a prescriber's, and the note documents the dose that was planned.
      const unsigned = await q(sql`
        select d.session_id from session_events d
        where d.clinic_id = ${clinic.id} and d.kind = 'discharge'
          and not exists (select 1 from clinical_notes n where n.clinic_id = d.clinic_id
            and n.session_id = d.session_id and n.status = 'signed' and n.signed_at >= d.recorded_at)`);
      expect(unsigned).toEqual([]);
      const notes = await q(sql`
        select n.author_role, a.role as author_user_role, c.role as cosigner_role, n.cosign_required,
          n.fields->'session'->>'doseMg' as note_dose_mg, p.payload->>'doseMg' as plan_dose_mg
        from clinical_notes n
        join users a on a.clinic_id = n.clinic_id and a.id = n.author_id
        left join users c on c.clinic_id = n.clinic_id and c.id = n.cosigned_by
        join lateral (select payload from session_events e where e.clinic_id = n.clinic_id
          and e.session_id = n.session_id and e.kind = 'dose-plan' order by recorded_at desc limit 1) p on true
        where n.clinic_id = ${clinic.id}`);
      expect(notes.length).toBe(summary.notes);
      for (const n of notes) {
        expect(n.author_role).toBe('nurse');
        expect(n.author_user_role).toBe('nurse');
        expect(n.cosign_required).toBe(true);
        expect(Number(n.note_dose_mg)).toBe(Number(n.plan_dose_mg));
      }
      const cosigned = notes.filter((n) => n.cosigner_role !== null);
      expect(cosigned.length).toBeGreaterThan(0);
      for (const n of cosigned) expect(n.cosigner_role).toBe('prescriber');
    } finally {
      await app.close();
    }
  }, 180_000);

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
    await inClinic(store().db, target.id, (tx) =>
      saveSessionSettings(tx, target.id, settings, target.users.admin.id),
    );
    // Enough patients for over a thousand sessions in three chairs, loaded as `rein demo` loads them
    // (COPY, on both stores): the batched inserts of loadDemoData are the first test's, and writing
    // 58,000 rows that way took most of this test.
    const loaded = await loadDemoIntoClinic(store(), systemActor(target.id), now, {
      patients: 130,
      seed: 17,
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
    // Few patients: what is checked is the split over clinics, not their contents.
    const result = await generateDemoNetwork(store(), {
      patients: 12,
      clinics: 3,
      seed: 9,
      now,
      // Two clinics at once on PostgreSQL (separate connections and transactions).
      concurrency: kind === 'postgres' ? 2 : 1,
      onProgress: (done) => progress.push(done),
    });
    expect(result.writer).toBe(kind === 'postgres' ? 'copy' : 'pglite-copy');
    expect(result.clinics.map((c) => c.summary.patients).reduce((a, b) => a + b)).toBe(12);
    expect(result.clinics[0]!.summary.patients).toBeGreaterThanOrEqual(result.clinics[2]!.summary.patients);
    expect(progress.at(-1)).toBe(12);
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
