import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { READY_CHECKLIST, signOrderForPlanVia } from '../src/server/test-support';
import {
  type RunningServer,
  startOnThrowawayDatabase,
  stopThrowawayRig,
  moveDosingStartBack,
} from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * The start page runs the day. On the demo clinic plus three patients booked today — one in
 * recovery with vitals late, one dosing, one not yet arrived — a nurse sees today's sessions by
 * room with their phase and what needs someone now; the front desk sees the schedule only.
 *
 * The server runs on a throwaway PostgreSQL database so the test can move a session's dosing
 * start back in time instead of waiting for an infusion to end.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@start-page.example.org', password: 'start page passphrase 1' };
const nurse = { email: 'nurse@start-page.example.org', password: 'start page nurse passphrase 2' };
const desk = { email: 'desk@start-page.example.org', password: 'start page desk passphrase 3' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

type Send = Awaited<ReturnType<typeof apiClient>>['send'];

async function createUser(send: Send, who: { email: string; password: string }, name: string, role: string) {
  const temporary = `temporary ${role} passphrase 9`;
  expect(
    (await send('POST', '/api/users', { email: who.email, name, role, password: temporary })).status,
  ).toBe(201);
  const first = await apiClient(server, { email: who.email, password: temporary });
  const changed = await first.send('POST', '/api/auth/password', {
    currentPassword: temporary,
    newPassword: who.password,
  });
  expect(changed.status).toBe(200);
}

/** A patient screened and booked on an IV course from today; returns the first session's API path. */
async function bookedToday(send: Send, today: string, mrn: string, givenName: string, familyName: string) {
  const p = await send('POST', '/api/patients', {
    mrn,
    givenName,
    familyName,
    dateOfBirth: '1979-04-12',
    sexAtBirth: 'male',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  await screenEligibleVia(send, patientId);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: today,
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string }[])[0]!.id;
  return { patientId, sessionId, base: `/api/patients/${patientId}/sessions/${sessionId}` };
}

async function startInfusion(send: Send, s: { patientId: string; base: string }) {
  expect((await send('POST', `${s.base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, s.patientId);
  const checklist = await send('POST', `${s.base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 });
  expect(checklist.status).toBe(200);
  await send('POST', `${s.base}/observations`, { kind: 'moaas', score: 5 });
  expect((await send('POST', `${s.base}/dose-plan`, { lotNumber: 'L1' })).status).toBe(200);
  await signOrderForPlanVia(send, s.base);
  expect((await send('POST', `${s.base}/start`, {})).status).toBe(200);
  await send('POST', `${s.base}/vitals`, { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 72, spo2Pct: 98 });
}

/** Moves one session's dosing start `minutes` earlier: it behaves as if that much time had passed. */
async function letTimePass(sessionId: string, minutes: number): Promise<void> {
  expect(await moveDosingStartBack(db.url, minutes, sessionId)).toBe(1);
}

it("the start page runs the day: a nurse's board, and the front desk's schedule only", async () => {
  const { send } = await apiClient(server, admin);
  expect((await send('POST', '/api/clinic/demo', {})).status).toBe(201);
  await openAllDay(send);
  await createUser(send, nurse, 'Nia Nurse', 'nurse');
  await createUser(send, desk, 'Dana Desk', 'staff');
  const today = (await send('GET', '/api/day-board')).json.today as string;

  const recovering = await bookedToday(send, today, 'START-1', 'Rowan', 'Recovery-Test');
  const dosing = await bookedToday(send, today, 'START-2', 'Dara', 'Dosing-Test');
  await bookedToday(send, today, 'START-3', 'Wren', 'Waiting-Test'); // not yet arrived
  await startInfusion(send, recovering);
  await startInfusion(send, dosing);
  // The 40-min infusion ended 20 min ago and no vitals were taken since its start.
  await letTimePass(recovering.sessionId, 60);

  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(page, server, nurse);
  const schedule = page.getByRole('region', { name: "Today's sessions" });
  const row = (name: string) => schedule.getByTestId('board-session').filter({ hasText: name });
  await row('Rowan Recovery-Test').getByTestId('board-phase').getByText('In recovery').waitFor();
  expect(await row('Dara Dosing-Test').getByTestId('board-phase').textContent()).toBe('Dosing');
  expect(await row('Wren Waiting-Test').getByTestId('board-phase').textContent()).toBe('Not arrived');
  await row('Rowan Recovery-Test').getByText('Vitals late').waitFor();

  const attention = page.getByRole('region', { name: 'Needs attention' });
  await attention.getByTestId('board-recovery').getByText('Rowan Recovery-Test').waitFor();
  const late = attention.getByTestId('board-vitals-overdue');
  await late.getByText('Rowan Recovery-Test').waitFor();
  expect(await late.getByText('Dara Dosing-Test').count()).toBe(0);
  // The demo clinic's unacknowledged alerts are counted and listed beside the day.
  const alerts = (await send('GET', '/api/day-board')).json.alerts as { totalAlerts: number };
  expect(alerts.totalAlerts).toBeGreaterThan(0);
  await expect
    .poll(() => page.getByTestId('tile-New alerts').textContent())
    .toBe(`New alerts${alerts.totalAlerts}`);
  await page.getByTestId('start-alerts').waitFor();
  await page.screenshot({ path: 'docs/screenshots/start-page-1440.png' });

  // The session link opens the session at the chair.
  await row('Rowan Recovery-Test').getByRole('link', { name: 'Session 1' }).click();
  await page.waitForURL(`**/patients/${recovering.patientId}/sessions/${recovering.sessionId}`);

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(server.url);
  await row('Rowan Recovery-Test').getByText('In recovery').waitFor();
  await page.screenshot({ path: 'docs/screenshots/start-page-768.png', fullPage: true });
  await page.close();

  // The front desk: who comes when and where, nothing of how they are doing.
  const front = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await logIn(front, server, desk);
  const deskSchedule = front.getByRole('region', { name: "Today's sessions" });
  await deskSchedule.getByText('Wren Waiting-Test').waitFor();
  await deskSchedule.getByText('Rowan Recovery-Test').waitFor();
  expect(await deskSchedule.getByTestId('board-phase').count()).toBe(0);
  expect(await front.getByRole('region', { name: 'Needs attention' }).count()).toBe(0);
  expect(await front.getByTestId('start-alerts').count()).toBe(0);
  expect(await front.getByTestId('tile-New alerts').count()).toBe(0);
  await front.screenshot({ path: 'docs/screenshots/start-page-front-desk-1440.png' });
  await front.close();
});
