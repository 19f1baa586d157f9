import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { DISCHARGE_READY, READY_CHECKLIST, signOrderForPlanVia } from '../src/server/test-support';
import { CURVE_MIN_WINDOW_MIN } from '../src/clinical/session/project';
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
 * A discharged session opened days later shows its vitals chart and predicted curve over the
 * session's own window (dosing start to discharge), not stretched to today, and without "(live)";
 * a session still dosing says "(live)".
 *
 * The server runs on a throwaway PostgreSQL database so the test can move the dosing start back in
 * time instead of waiting (the session then behaves as if that much time had passed).
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@session-past.example.org', password: 'session past passphrase 1' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

type Send = Awaited<ReturnType<typeof apiClient>>['send'];

/** Moves one session's dosing start `minutes` earlier. */
async function letTimePass(sessionId: string, minutes: number): Promise<void> {
  expect(await moveDosingStartBack(db.url, minutes, sessionId)).toBe(1);
}

/** A new IV patient's first session, dosing since just now; returns its API base and page path. */
async function dosingSession(send: Send, mrn: string) {
  const p = await send('POST', '/api/patients', {
    mrn,
    givenName: 'Ada',
    familyName: `Past-${mrn}`,
    dateOfBirth: '1979-05-03',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  await screenEligibleVia(send, patientId);
  const c = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: new Date().toISOString().slice(0, 10),
  });
  expect(c.status).toBe(201);
  const sessionId = (c.json.sessions as { id: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  expect((await send('POST', `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 70 })).status).toBe(200);
  expect((await send('POST', `${base}/observations`, { kind: 'moaas', score: 5 })).status).toBe(200);
  expect((await send('POST', `${base}/dose-plan`, {})).status).toBe(200);
  await signOrderForPlanVia(send, base);
  expect((await send('POST', `${base}/start`, {})).status).toBe(200);
  return { sessionId, base, path: `/patients/${patientId}/sessions/${sessionId}` };
}

/**
 * The numbers on a chart's time (x) axis, in order. Recharts 3 draws tick labels in a layer of
 * their own, outside the `.recharts-xAxis` group that holds the axis line and tick marks.
 */
async function xTicks(chart: Locator): Promise<number[]> {
  const axis = chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await axis.first().waitFor();
  return (await axis.allTextContents()).map(Number);
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
]) {
  it(`charts a past session over its own window, not to today, at ${viewport.width}×${viewport.height}`, async () => {
    const { send } = await apiClient(server, admin);
    await openAllDay(send);

    // A session dosed, watched and discharged at minute 110 …
    const past = await dosingSession(send, `PAST-${viewport.width}-${Date.now() % 100000}`);
    await letTimePass(past.sessionId, 112);
    const normal = { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 74, spo2Pct: 98 };
    for (const [timeMin, sbpMmHg] of [
      [5, 131],
      [20, 138],
      [45, 129],
      [80, 122],
      [105, 120],
    ] as const) {
      const r = await send('POST', `${past.base}/vitals`, { ...normal, sbpMmHg, timeMin });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    expect(
      (await send('POST', `${past.base}/observations`, { kind: 'moaas', score: 5, timeMin: 100 })).status,
    ).toBe(200);
    const out = await send('POST', `${past.base}/discharge`, { ...DISCHARGE_READY, dischargeAtMin: 110 });
    expect(out.status, JSON.stringify(out.json)).toBe(200);
    // … opened three days later.
    await letTimePass(past.sessionId, 3 * 24 * 60);

    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, server, admin);
    await page.goto(`${server.url}${past.path}`);
    await page.getByTestId('session-phase').getByText('Discharged').waitFor();

    // The vitals chart runs from dosing start to discharge (110 min), not to now (~4,430 min).
    const vitalsTicks = await xTicks(page.getByTestId('vitals-chart'));
    expect(vitalsTicks[0]).toBe(0);
    expect(vitalsTicks.at(-1)).toBe(110);
    // The predicted curve covers its shortest window (discharge + 30 min is less), not the 6-h cap a
    // session still open days later would reach.
    const curve = page.getByRole('region', { name: 'Live curve' });
    const curveTicks = await xTicks(curve);
    expect(curveTicks[0]).toBe(0);
    expect(curveTicks.at(-1)).toBe(CURVE_MIN_WINDOW_MIN);
    await curve.getByText('Predicted concentration', { exact: true }).waitFor();
    expect(await page.getByText('(live)').count()).toBe(0);
    // The banner does not call the next booked session this one: session 1 is done, 2 is ahead.
    const bannerCourse = await page.getByTestId('banner-course').textContent();
    expect(bannerCourse).toMatch(/1 of 6 dosed · next \d{2}\/\d{2}\/\d{4}/);
    expect(bannerCourse).not.toContain('session 2');
    // No "now" marker on a closed session's curve.
    expect(await curve.getByText(/^now \d+ min$/).count()).toBe(0);
    await page.getByTestId('vitals-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `docs/screenshots/session-past-${viewport.width}.png` });

    // A session still dosing says its curve is live.
    const running = await dosingSession(send, `RUN-${viewport.width}-${Date.now() % 100000}`);
    await letTimePass(running.sessionId, 15);
    expect((await send('POST', `${running.base}/vitals`, normal)).status).toBe(200);
    await page.goto(`${server.url}${running.path}`);
    await page.getByTestId('now-min').waitFor();
    await page
      .getByRole('region', { name: 'Live curve' })
      .getByText('Predicted concentration (live)', { exact: true })
      .waitFor();
    // A session under way is the session the banner names.
    expect(await page.getByTestId('banner-course').textContent()).toContain('session 1 of 6');
    await xTicks(page.getByTestId('vitals-chart'));
    await context.close();
  });
}
