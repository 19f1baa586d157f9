/**
 * Bounded work per request: every list a request can ask for has a hard cap with a page the
 * client can follow, and every simulation a bounded input refused with 400 naming the field
 * (docs/security.md, "Bounded work per request").
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_MAX_ROWS } from '../app/exports';
import { ALERTS_PER_PAGE_MAX, ALERTS_PER_PATIENT_MAX } from '../store/alerts';
import { alerts, assessmentResponses } from '../store/schema-measurement';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { PK_MAX_HORIZON_MIN, PK_MAX_TIME_POINTS, TCI_MAX_TARGETS, TCI_MAX_UPDATES } from './schemas/pk';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

const fieldsOf = (res: { json: () => { error: { fields?: { path: string }[] } } }) =>
  (res.json().error.fields ?? []).map((f) => f.path);

describeEachStore('bounded work per request', ({ store }) => {
  const clock = new Date('2026-06-01T12:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let frontDesk: Session;
  let prescriber: Session;
  let admin: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock });
    clinic = await seedClinic(store(), 'Bounded Clinic');
    nurse = await login(app, clinic.users.nurse);
    frontDesk = await login(app, clinic.users.staff);
    prescriber = await login(app, clinic.users.prescriber);
    admin = await login(app, clinic.users.admin);
  });

  const newPatient = async () => {
    const res = await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };

  /**
   * `count` suicidality alerts for one patient written in one statement each (recording them one
   * by one through HTTP would take minutes); `acknowledged` ones carry a complete acknowledgement.
   */
  async function seedAlerts(patientId: string, count: number, acknowledged: boolean) {
    const responses = Array.from({ length: count }, (_, i) => {
      const id = randomUUID();
      return {
        clinicId: clinic.id,
        id,
        rootId: id,
        patientId,
        instrument: 'phq9',
        instrumentVersion: '1.0.0',
        context: 'ad-hoc' as const,
        administeredAt: new Date(clock.getTime() - (count - i) * 60_000),
        respondent: 'clinician' as const,
        enteredBy: clinic.users.nurse.id,
        suicidality: true,
      };
    });
    await inClinic(store().db, clinic.id, async (tx) => {
      await tx.insert(assessmentResponses).values(responses);
      await tx.insert(alerts).values(
        responses.map((r, i) => ({
          clinicId: clinic.id,
          patientId,
          responseId: r.id,
          kind: 'suicidality' as const,
          reason: 'PHQ-9 item 9 = 1',
          createdAt: r.administeredAt,
          ...(acknowledged
            ? {
                acknowledgedAt: new Date(clock.getTime() - (count - i) * 1000),
                acknowledgedBy: clinic.users.nurse.id,
                acknowledgementNote: 'Phoned; safety plan reviewed.',
                actionTaken: 'contacted-patient' as const,
              }
            : {}),
        })),
      );
    });
  }

  describe('PK simulation', () => {
    const regimen = { model: 'domino-1984', weightKg: 70, doses: ['0.5 mg/kg over 40 min'] };
    const simulate = (body: Record<string, unknown>) =>
      nurse.request({ method: 'POST', url: '/api/pk/simulate', payload: { ...regimen, ...body } });

    it(`simulates up to ${PK_MAX_TIME_POINTS} points and refuses one more, naming the field`, async () => {
      const atCap = await simulate({ stepMin: 1, untilMin: PK_MAX_TIME_POINTS - 1 });
      expect(atCap.statusCode).toBe(200);
      expect(atCap.json().timesMin).toHaveLength(PK_MAX_TIME_POINTS);

      const grid = await simulate({ stepMin: 1, untilMin: PK_MAX_TIME_POINTS });
      expect(grid.statusCode).toBe(400);
      expect(fieldsOf(grid)).toEqual(['body.stepMin']);

      const times = await simulate({ timesMin: Array.from({ length: PK_MAX_TIME_POINTS + 1 }, (_, i) => i) });
      expect(times.statusCode).toBe(400);
      expect(fieldsOf(times)).toEqual(['body.timesMin']);
    });

    it('refuses a horizon beyond 14 days, in untilMin or in timesMin', async () => {
      const until = await simulate({ stepMin: 60, untilMin: PK_MAX_HORIZON_MIN + 60 });
      expect(until.statusCode).toBe(400);
      expect(fieldsOf(until)).toEqual(['body.untilMin']);
      expect(until.body).toMatch(/at most 20160 min/);

      const tenYears = await simulate({ timesMin: [0, 60, 10 * 365 * 24 * 60] });
      expect(tenYears.statusCode).toBe(400);
      expect(fieldsOf(tenYears)).toEqual(['body.timesMin.2']);
    });

    it(`a TCI plan holds at most ${TCI_MAX_UPDATES} rate updates and ${TCI_MAX_TARGETS} targets`, async () => {
      const tci = (body: Record<string, unknown>) =>
        nurse.request({
          method: 'POST',
          url: '/api/pk/tci',
          payload: { model: 'domino-1984', weightKg: 70, ...body },
        });
      const ok = await tci({ targetNgPerMl: 200, durationMin: 60 });
      expect(ok.statusCode).toBe(200);
      // A week at the default 10-s update interval is 60,480 updates.
      const week = await tci({ targetNgPerMl: 200, durationMin: 7 * 24 * 60 });
      expect(week.statusCode).toBe(400);
      expect(fieldsOf(week)).toEqual(['body.updateIntervalMin']);
      const tiny = await tci({ targetNgPerMl: 200, durationMin: 60, updateIntervalMin: 0.001 });
      expect(tiny.statusCode).toBe(400);
      expect(fieldsOf(tiny)).toEqual(['body.updateIntervalMin']);
      const targets = Array.from({ length: TCI_MAX_TARGETS + 1 }, (_, i) => ({
        startMin: i * 0.25,
        targetNgPerMl: 150,
      }));
      const many = await tci({ targets, durationMin: 60 });
      expect(many.statusCode).toBe(400);
      expect(fieldsOf(many)).toEqual(['body.targets']);
    });
  });

  describe('alerts', () => {
    it('pages acknowledged alerts newest first with a cursor and a total; limit is capped', async () => {
      const patientId = await newPatient();
      await seedAlerts(patientId, 5, true);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await nurse.request({
          method: 'GET',
          url: `/api/alerts/acknowledged?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        });
        expect(res.statusCode).toBe(200);
        const page = res.json();
        expect(page.items.length).toBeLessThanOrEqual(2);
        expect(page.total).toBe(5);
        seen.push(...page.items.map((a: { acknowledgedAt: string }) => a.acknowledgedAt));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(5);
      expect([...seen].sort().reverse()).toEqual(seen);

      const huge = await nurse.request({ method: 'GET', url: '/api/alerts/acknowledged?limit=100000' });
      expect(huge.statusCode).toBe(400);
      expect(fieldsOf(huge)).toEqual(['querystring.limit']);
      const forged = await nurse.request({ method: 'GET', url: '/api/alerts/acknowledged?cursor=abc' });
      expect(forged.statusCode).toBe(400);
      expect(forged.body).toMatch(/cursor/);
      const desk = await frontDesk.request({ method: 'GET', url: '/api/alerts/acknowledged' });
      expect(desk.statusCode).toBe(403);
    });

    it(`an inbox group carries at most ${ALERTS_PER_PATIENT_MAX} alerts and says how many there are`, async () => {
      const busy = await newPatient();
      await seedAlerts(busy, ALERTS_PER_PATIENT_MAX + 20, true);
      const res = await nurse.request({ method: 'GET', url: `/api/alerts?status=all&patientId=${busy}` });
      expect(res.statusCode).toBe(200);
      const [group] = res.json().groups;
      expect(group.alertCount).toBe(ALERTS_PER_PATIENT_MAX + 20);
      expect(group.alerts).toHaveLength(ALERTS_PER_PATIENT_MAX);
    });

    it(`an inbox page ends before ${ALERTS_PER_PAGE_MAX} alerts; the next page holds the rest`, async () => {
      const first = await newPatient();
      const second = await newPatient();
      const third = await newPatient();
      for (const p of [first, second, third]) await seedAlerts(p, 400, false);
      const pageOne = await nurse.request({ method: 'GET', url: '/api/alerts?limit=200' });
      expect(pageOne.statusCode).toBe(200);
      expect(pageOne.json().items.length).toBeLessThanOrEqual(ALERTS_PER_PAGE_MAX);
      expect(pageOne.json().groups).toHaveLength(2);
      expect(pageOne.json().total.alerts).toBe(1200);
      const pageTwo = await nurse.request({
        method: 'GET',
        url: `/api/alerts?limit=200&cursor=${pageOne.json().nextCursor}`,
      });
      expect(pageTwo.json().groups).toHaveLength(1);
      expect(pageTwo.json().nextCursor).toBeNull();
      const patients = [...pageOne.json().groups, ...pageTwo.json().groups].map(
        (g: { patient: { id: string } }) => g.patient.id,
      );
      expect(patients.sort()).toEqual([first, second, third].sort());
    });
  });

  describe('due list', () => {
    it('pages the clinic due list with limit and offset and a total; limit is capped at 200', async () => {
      // A newly registered patient is due a baseline PHQ-9 and C-SSRS screener.
      for (let i = 0; i < 3; i++) await newPatient();
      const first = await frontDesk.request({ method: 'GET', url: '/api/due?limit=2' });
      expect(first.statusCode).toBe(200);
      const total = first.json().total as number;
      expect(total).toBeGreaterThanOrEqual(3);
      expect(first.json().items).toHaveLength(2);
      const rest = await frontDesk.request({ method: 'GET', url: `/api/due?limit=200&offset=2` });
      expect(rest.json().items).toHaveLength(total - 2);
      // One line per patient and instrument: no line twice across the pages.
      const ids = [...first.json().items, ...rest.json().items].map(
        (r: { patientId: string; instrumentKey: string }) => `${r.patientId} ${r.instrumentKey}`,
      );
      expect(new Set(ids).size).toBe(total);
      const huge = await frontDesk.request({ method: 'GET', url: '/api/due?limit=100000' });
      expect(huge.statusCode).toBe(400);
      expect(fieldsOf(huge)).toEqual(['querystring.limit']);
    });
  });

  describe('calendar', () => {
    it('refuses a range of ten years, naming `to`', async () => {
      const res = await frontDesk.request({
        method: 'GET',
        url: '/api/calendar?from=2026-01-01&to=2035-12-31',
      });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res)).toEqual(['to']);
    });
  });

  describe('CSV exports', () => {
    const over = EXPORT_MAX_ROWS + 1;

    it(`refuses a scores export of more than ${EXPORT_MAX_ROWS} rows, naming \`from\`; a shorter range exports`, async () => {
      const patientId = await newPatient();
      // One statement: 2030-01-01 onwards, one response an hour.
      await inClinic(store().db, clinic.id, (tx) =>
        tx.execute(sql`
          insert into assessment_responses
            (clinic_id, id, root_id, patient_id, instrument, instrument_version, context,
             administered_at, respondent, entered_by, total_score, suicidality)
          select ${clinic.id}::uuid, g.id, g.id, ${patientId}::uuid, 'phq9', '1.0.0', 'ad-hoc',
                 timestamptz '2030-01-01 12:00:00+00' + (g.n || ' hours')::interval, 'clinician',
                 ${clinic.users.nurse.id}::uuid, 5, false
          from (select n, gen_random_uuid() as id from generate_series(1, ${over}) as n) as g`),
      );
      const all = await nurse.request({ method: 'GET', url: '/api/exports/scores.csv' });
      expect(all.statusCode).toBe(400);
      expect(fieldsOf(all)).toEqual(['from']);
      expect(all.body).toContain(`at most ${EXPORT_MAX_ROWS}`);
      const oneDay = await nurse.request({
        method: 'GET',
        url: '/api/exports/scores.csv?from=2030-01-02&to=2030-01-02',
      });
      expect(oneDay.statusCode).toBe(200);
      expect(oneDay.body.trim().split('\n').length).toBeGreaterThan(20);
    });

    it(`refuses session and adverse-event exports over ${EXPORT_MAX_ROWS} sessions, naming \`from\``, async () => {
      const patientId = await newPatient();
      await screenEligible(prescriber, patientId, 'iv-ketamine');
      const course = await prescriber.request({
        method: 'POST',
        url: `/api/patients/${patientId}/courses`,
        payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-06-08' },
      });
      expect(course.statusCode).toBe(201);
      const courseId = course.json().id as string;
      await inClinic(store().db, clinic.id, (tx) =>
        tx.execute(sql`
          insert into treatment_sessions
            (clinic_id, id, course_id, patient_id, sequence, phase_id, phase_label, date, start_min,
             end_min, room_id, target_date, shifted_days, dose)
          select ${clinic.id}::uuid, gen_random_uuid(), ${courseId}::uuid, ${patientId}::uuid, 1000 + n,
                 'induction', 'Induction', date '2031-01-01' + (n % 1000), 540, 600, 'room-1',
                 date '2031-01-01' + (n % 1000), 0, '{}'::jsonb
          from generate_series(1, ${over}) as n`),
      );
      for (const name of ['sessions', 'adverse-events']) {
        const all = await nurse.request({ method: 'GET', url: `/api/exports/${name}.csv` });
        expect(all.statusCode, name).toBe(400);
        expect(fieldsOf(all)).toEqual(['from']);
        const oneDay = await nurse.request({
          method: 'GET',
          url: `/api/exports/${name}.csv?from=2031-01-05&to=2031-01-05`,
        });
        expect(oneDay.statusCode, name).toBe(200);
      }
    });

    it(`refuses an audit export of more than ${EXPORT_MAX_ROWS} events, naming \`from\``, async () => {
      await inClinic(store().db, clinic.id, (tx) =>
        tx.execute(sql`
          insert into audit_events (clinic_id, id, at, action, resource_type)
          select ${clinic.id}::uuid, gen_random_uuid(), timestamptz '2020-01-01 00:00:00+00' + (n || ' seconds')::interval,
                 'patient.read', 'patient'
          from generate_series(1, ${over}) as n`),
      );
      const all = await admin.request({ method: 'GET', url: '/api/audit/export.csv' });
      expect(all.statusCode).toBe(400);
      expect(fieldsOf(all)).toEqual(['from']);
      const recent = await admin.request({ method: 'GET', url: '/api/audit/export.csv?from=2026-01-01' });
      expect(recent.statusCode).toBe(200);
    });
  });
});
