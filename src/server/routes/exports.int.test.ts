import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { ADVERSE_EVENT_CSV_COLUMNS, SCORE_CSV_COLUMNS, SESSION_CSV_COLUMNS } from '../../interop/outcome-csv';
import { auditEvents } from '../../store/schema';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

const phq9 = (values: number[], administeredAt: string, context = 'weekly') => ({
  instrument: 'phq9',
  version: '1.0.0',
  context,
  administeredAt,
  answers: values,
});

/** Minimal RFC 4180 parser for the test (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describeEachStore('outcome CSV exports', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let staff: Session;
  let otherNurse: Session;
  let patientId: string;
  let otherPatientId: string;
  let sessionIds: string[];

  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Export Clinic');
    other = await seedClinic(store(), 'Other Export Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);
    otherNurse = await login(app, other.users.nurse);
    patientId = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    otherPatientId = (
      await otherNurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;

    const baseline = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([3, 3, 2, 2, 2, 2, 2, 2, 1, 2], '2026-03-01T09:00:00Z', 'baseline'),
    });
    expect(baseline.statusCode).toBe(201);
    const week = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: phq9([1, 1, 1, 1, 1, 1, 1, 1, 0, 1], '2026-03-10T09:00:00Z'),
    });
    expect(week.statusCode).toBe(201);
    // A correction: only the new version is exported.
    const corrected = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments/${week.json().assessment.id}/corrections`,
      payload: { answers: [1, 1, 1, 1, 1, 1, 0, 0, 0, 1], reason: 'transcription error' },
    });
    expect(corrected.statusCode).toBe(201);
    await otherNurse.request({
      method: 'POST',
      url: `/api/patients/${otherPatientId}/assessments`,
      payload: phq9([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], '2026-03-05T09:00:00Z'),
    });

    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    sessionIds = course.json().sessions.map((s: { id: string }) => s.id);
    const [s1, s2] = sessionIds;
    const u = clinic.users.nurse.id;
    const t = (min: number) => new Date(Date.parse('2026-03-02T08:00:00Z') + min * 60_000);
    await inClinic(store().db, clinic.id, async (tx) => {
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        {
          kind: 'dose-plan',
          payload: {
            modality: 'iv-ketamine',
            doseMg: 35,
            doseMgPerKg: 0.5,
            weightKg: 70,
            devices: null,
            lotNumber: '=HYPERLINK("x")',
          },
        },
        u,
        t(0),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        { kind: 'dosing-start', timeMin: 0, payload: {} },
        u,
        t(5),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        { kind: 'vitals', timeMin: 0, payload: { sbpMmHg: 150, dbpMmHg: 80 } },
        u,
        t(5),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        {
          kind: 'vitals',
          timeMin: 20,
          payload: { sbpMmHg: 186, dbpMmHg: 96, heartRateBpm: 90, spo2Pct: 97 },
        },
        u,
        t(25),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        { kind: 'vitals', timeMin: 30, payload: { sbpMmHg: 170, dbpMmHg: 104, spo2Pct: 95 } },
        u,
        t(35),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        { kind: 'alert-decision', payload: { decision: 'pause' } },
        u,
        t(36),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s1!,
        {
          kind: 'adverse-event',
          timeMin: 22,
          payload: {
            category: 'nausea',
            severity: 'mild',
            actionTaken: 'observed',
            serious: false,
            timeMin: 22,
            description: 'felt sick, "brief"',
          },
        },
        u,
        t(27),
      );
      await appendSessionEvent(
        tx,
        clinic.id,
        s2!,
        {
          kind: 'adverse-event',
          timeMin: 10,
          payload: {
            category: 'hypertension',
            severity: 'severe',
            actionTaken: 'stopped',
            serious: true,
            timeMin: 10,
          },
        },
        u,
        t(4 * 1440 + 15),
      );
    });
  });

  it('every exported column is documented in docs/csv-exports.md', () => {
    const doc = readFileSync('docs/csv-exports.md', 'utf8');
    for (const c of [...SCORE_CSV_COLUMNS, ...SESSION_CSV_COLUMNS, ...ADVERSE_EVENT_CSV_COLUMNS]) {
      expect(doc, c.header).toContain(`\`${c.header}\``);
    }
    expect(doc).toContain('`item_<id>`');
  });

  it('exports current score versions of this clinic only, with optional item columns', async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/exports/scores.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="rein-scores-/);
    const rows = records(res.body);
    expect(rows.map((r) => [r.total_score, r.version, r.context])).toEqual([
      ['19', '1', 'baseline'],
      ['6', '2', 'weekly'],
    ]);
    expect(rows.every((r) => r.patient_id === patientId)).toBe(true);
    expect(rows[0]!.suicidality).toBe('true');
    expect(rows[0]!.administered_at_utc).toBe('2026-03-01T09:00:00.000Z');
    expect(Object.keys(rows[0]!)).not.toContain('item_9');

    const items = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/scores.csv?instrument=phq9&items=true' }))
        .body,
    );
    expect(items[0]).toMatchObject({ item_1: '3', item_9: '1', item_difficulty: '2' });
    expect(items[1]).toMatchObject({ item_7: '0', item_9: '0' });

    const ranged = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/scores.csv?from=2026-03-02&to=2026-03-10' }))
        .body,
    );
    expect(ranged.map((r) => r.total_score)).toEqual(['6']);

    const bad = await nurse.request({ method: 'GET', url: '/api/exports/scores.csv?items=true' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('instrument');
    const backwards = await nurse.request({
      method: 'GET',
      url: '/api/exports/scores.csv?from=2026-03-10&to=2026-03-01',
    });
    expect(backwards.statusCode).toBe(400);
  });

  it('exports sessions with dose, vitals summary, hypertension alerts and adverse-event counts', async () => {
    const res = await prescriber.request({ method: 'GET', url: '/api/exports/sessions.csv' });
    expect(res.statusCode).toBe(200);
    const rows = records(res.body);
    expect(rows.map((r) => r.session_id)).toEqual(sessionIds);
    const s1 = rows[0]!;
    expect(s1).toMatchObject({
      modality: 'iv-ketamine',
      sequence: '1',
      date_local: '2026-03-02',
      dose_mg: '35',
      dose_mg_per_kg: '0.5',
      // Formula-looking text is neutralised.
      lot_number: `'=HYPERLINK("x")`,
      dosing_started_at_utc: '2026-03-02T08:05:00.000Z',
      vitals_readings: '3',
      max_sbp_mmhg: '186',
      max_dbp_mmhg: '104',
      max_heart_rate_bpm: '90',
      min_spo2_pct: '95',
      // Default hold thresholds 180/100: the 186/96 and the 170/104 readings; not the pre-dose 150/80.
      hypertension_alerts: '2',
      adverse_events: '1',
      serious_adverse_events: '0',
      pause_or_stop_decisions: '1',
    });
    expect(rows[1]).toMatchObject({
      adverse_events: '1',
      serious_adverse_events: '1',
      hypertension_alerts: '0',
      dose_mg: '',
    });
    const first = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/sessions.csv?to=2026-03-02' })).body,
    );
    expect(first.map((r) => r.session_id)).toEqual([sessionIds[0]]);
    const none = await otherNurse.request({ method: 'GET', url: '/api/exports/sessions.csv' });
    expect(records(none.body)).toEqual([]);
  });

  it('exports adverse events with quoting', async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/exports/adverse-events.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('"felt sick, ""brief"""');
    const rows = records(res.body);
    expect(rows.map((r) => [r.category, r.severity, r.serious, r.action_taken, r.time_min])).toEqual([
      ['nausea', 'mild', 'false', 'observed', '22'],
      ['hypertension', 'severe', 'true', 'stopped', '10'],
    ]);
    expect(rows[0]!.recorded_by_user_id).toBe(clinic.users.nurse.id);
    const ranged = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/adverse-events.csv?from=2026-03-03' })).body,
    );
    expect(ranged.map((r) => r.category)).toEqual(['hypertension']);
  });

  it('front-desk staff cannot export; every export is audited without PHI', async () => {
    for (const url of [
      '/api/exports/scores.csv',
      '/api/exports/sessions.csv',
      '/api/exports/adverse-events.csv',
    ]) {
      expect((await staff.request({ method: 'GET', url })).statusCode).toBe(403);
    }
    const events = await inClinic(store().db, clinic.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'export.sessions'))),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]!.details).toMatchObject({ rows: expect.any(Number) });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(patientId);
  });
});
