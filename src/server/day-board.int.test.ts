import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import {
  createTestApp,
  DISCHARGE_READY,
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

/**
 * The start page's day board on one clinic day: an IV patient in recovery with vitals late, an
 * esketamine patient discharged with the REMS form due, a patient not yet arrived with a positive
 * PHQ-9 item 9 (a new alert). Clinicians see every section; the front desk the schedule only.
 */
const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const at = (min: number) => new Date(START.getTime() + min * 60_000);

interface BoardSession {
  sessionId: string;
  patientId: string;
  roomId: string;
  status: { phase: string; inRecovery: boolean; vitalsOverdueByMin: number | null } | null;
}

describeEachStore('day board', ({ store }) => {
  let app: FastifyInstance;
  let nurse: Session;
  let prescriber: Session;
  let staff: Session;
  let clinic: TestClinic;
  let now = START;
  const ids = { iv: '', esk: '', waiting: '', ivSession: '', eskSession: '', waitingSession: '' };
  const later: string[] = [];

  async function advanceTo(target: Date): Promise<void> {
    while (now.getTime() < target.getTime()) {
      now = new Date(Math.min(target.getTime(), now.getTime() + 20 * 60_000));
      for (const s of [nurse, prescriber, staff]) await s.request({ method: 'GET', url: '/api/clinic' });
    }
  }

  async function scheduled(
    templateId: string,
  ): Promise<{ patientId: string; sessionId: string; base: string }> {
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    const sessions = c.json().sessions as { id: string; date: string }[];
    later.push(...sessions.filter((s) => s.date > '2026-03-02').map((s) => s.id));
    const sessionId = sessions[0]!.id;
    return { patientId, sessionId, base: `/api/patients/${patientId}/sessions/${sessionId}` };
  }

  async function startDosing(base: string, patientId: string, extra: Record<string, unknown> = {}) {
    const post = (url: string, payload: unknown) => nurse.request({ method: 'POST', url, payload });
    expect((await post(`${base}/check-in`, {})).statusCode).toBe(200);
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const ck = await post(`${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80, ...extra });
    expect(ck.json().checklist.overall, ck.body).toBe('ready');
    await post(`${base}/observations`, { kind: 'moaas', score: 5 });
    expect((await post(`${base}/dose-plan`, { lotNumber: 'L1' })).statusCode).toBe(200);
    await signOrderForPlan(prescriber, base);
    expect((await post(`${base}/start`, {})).json().phase).toBe('dosing');
    await post(`${base}/vitals`, { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 72, spo2Pct: 98 });
  }

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Day Board Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    staff = await login(app, clinic.users.staff);

    const iv = await scheduled('iv-induction-2x-weekly-3wk');
    const esk = await scheduled('esketamine-trd-label');
    const waiting = await scheduled('iv-induction-2x-weekly-3wk');
    Object.assign(ids, {
      iv: iv.patientId,
      ivSession: iv.sessionId,
      esk: esk.patientId,
      eskSession: esk.sessionId,
      waiting: waiting.patientId,
      waitingSession: waiting.sessionId,
    });
    await startDosing(iv.base, iv.patientId);
    await startDosing(esk.base, esk.patientId, {
      lastFoodMinBeforeDose: 180,
      lastLiquidMinBeforeDose: 60,
      remsPatientEnrolled: true,
    });
    // A positive PHQ-9 item 9 for the patient still waiting: a new alert.
    await recordPreSessionAssessments(
      nurse,
      waiting.patientId,
      at(-10),
      undefined,
      [1, 1, 1, 1, 1, 1, 1, 1, 1],
    );

    // The esketamine patient is monitored for two hours and discharged.
    const post = (url: string, payload: unknown) => nurse.request({ method: 'POST', url, payload });
    await advanceTo(at(40));
    await post(`${esk.base}/vitals`, { sbpMmHg: 130, dbpMmHg: 82 });
    await advanceTo(at(120.3));
    await post(`${esk.base}/vitals`, { sbpMmHg: 128, dbpMmHg: 80, heartRateBpm: 74, spo2Pct: 97 });
    await post(`${esk.base}/observations`, { kind: 'moaas', score: 5 });
    const out = await post(`${esk.base}/discharge`, DISCHARGE_READY);
    expect(out.statusCode, out.body).toBe(200);
    await advanceTo(at(125));
  }, 300_000); // three patients through check-in and dosing: slow on a loaded machine

  it("a nurse sees today's sessions by room with their phase, recovery, late vitals, REMS due and new alerts", async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/day-board' });
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    expect(board.today).toBe('2026-03-02');
    const onBoard: BoardSession[] = board.rooms.flatMap((r: { sessions: BoardSession[] }) => r.sessions);
    expect(onBoard.map((s) => s.sessionId).sort()).toEqual(
      [ids.ivSession, ids.eskSession, ids.waitingSession].sort(),
    );
    for (const room of board.rooms) for (const s of room.sessions) expect(s.roomId).toBe(room.roomId);
    for (const id of later) expect(onBoard.map((s) => s.sessionId)).not.toContain(id);
    const byId = new Map(onBoard.map((s) => [s.sessionId, s]));
    expect(byId.get(ids.ivSession)!.status).toMatchObject({ phase: 'dosing', inRecovery: true });
    expect(byId.get(ids.eskSession)!.status).toMatchObject({ phase: 'discharged', inRecovery: false });
    expect(byId.get(ids.waitingSession)!.status).toMatchObject({ phase: 'scheduled', inRecovery: false });

    expect(board.recovery.map((s: BoardSession) => s.sessionId)).toEqual([ids.ivSession]);
    expect(board.vitalsOverdue.map((s: BoardSession) => s.sessionId)).toEqual([ids.ivSession]);
    expect(board.vitalsOverdue[0].status.vitalsOverdueByMin).toBeGreaterThan(0);
    expect(board.remsDue.total).toBe(1);
    expect(board.remsDue.items[0]).toMatchObject({
      sessionId: ids.eskSession,
      patientId: ids.esk,
      sessionDate: '2026-03-02',
      dueDate: '2026-03-09',
      daysLeft: 7,
    });
    expect(board.alerts.totalAlerts).toBe(1);
    expect(board.alerts.patients[0]).toMatchObject({ patientId: ids.waiting, alertCount: 1 });
  });

  it('after the REMS form is marked submitted it leaves the board', async () => {
    const base = `/api/patients/${ids.esk}/sessions/${ids.eskSession}`;
    const before = (await prescriber.request({ method: 'GET', url: '/api/day-board' })).json();
    expect(before.remsDue.total).toBe(1);
    const marked = await nurse.request({
      method: 'POST',
      url: `${base}/rems/submitted`,
      payload: { submittedOn: '2026-03-02' },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    const after = (await prescriber.request({ method: 'GET', url: '/api/day-board' })).json();
    expect(after.remsDue).toEqual({ items: [], total: 0 });
  });

  it('the front desk sees the schedule only: no session status and no clinical section', async () => {
    const res = await staff.request({ method: 'GET', url: '/api/day-board' });
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    const onBoard: BoardSession[] = board.rooms.flatMap((r: { sessions: BoardSession[] }) => r.sessions);
    expect(onBoard).toHaveLength(3);
    for (const s of onBoard) expect(s.status).toBeNull();
    expect(board).toMatchObject({ recovery: null, vitalsOverdue: null, remsDue: null, alerts: null });
  });

  it('"today" is the clinic\'s: a day later the board lists that day\'s sessions', async () => {
    now = new Date('2026-03-05T09:00:00Z');
    const nextDay = await login(app, clinic.users.nurse);
    const board = (await nextDay.request({ method: 'GET', url: '/api/day-board' })).json();
    expect(board.today).toBe('2026-03-05');
    const onBoard: BoardSession[] = board.rooms.flatMap((r: { sessions: BoardSession[] }) => r.sessions);
    for (const id of [ids.ivSession, ids.eskSession, ids.waitingSession])
      expect(onBoard.map((s) => s.sessionId)).not.toContain(id);
  });
});
