/**
 * Bounded work per request: every list a request can ask for has a hard cap with a page the
 * client can follow, and every simulation a bounded input refused with 400 naming the field
 * (docs/security.md, "Bounded work per request").
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_PER_PAGE_MAX, ALERTS_PER_PATIENT_MAX } from '../store/alerts';
import { alerts, assessmentResponses } from '../store/schema-measurement';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { PK_MAX_HORIZON_MIN, PK_MAX_TIME_POINTS, TCI_MAX_TARGETS, TCI_MAX_UPDATES } from './schemas/pk';
import {
  createTestApp,
  login,
  samplePatient,
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

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock });
    clinic = await seedClinic(store(), 'Bounded Clinic');
    nurse = await login(app, clinic.users.nurse);
    frontDesk = await login(app, clinic.users.staff);
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
});
