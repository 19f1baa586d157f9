import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { READY_CHECKLIST, signOrderForPlanVia } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * The live session screen at a laptop (1440×900) and a tablet (768×1024): the sticky header with
 * the session clock, next vitals and open alerts; vitals entry and the open alerts in the first
 * viewport; the interaction citations folded; and a reading recorded on a second screen showing
 * on the first without a reload (server-sent events).
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@session-live.example.org', password: 'session live passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Send = Awaited<ReturnType<typeof apiClient>>['send'];

/** A session of a new IV patient, dosing, with one reading above the hold threshold awaiting a decision. */
async function dosingSessionWithAlert(send: Send, mrn: string): Promise<string> {
  const p = await send('POST', '/api/patients', {
    mrn,
    givenName: 'Sam',
    familyName: `Live-${mrn}`,
    dateOfBirth: '1980-02-11',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;
  await send('POST', `/api/patients/${patientId}/medications`, {
    name: 'lorazepam',
    dose: 1,
    doseUnit: 'mg',
    frequency: 'at bedtime',
    classTags: ['benzodiazepine'],
  });
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
  expect((await send('POST', `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 })).status).toBe(200);
  expect((await send('POST', `${base}/dose-plan`, {})).status).toBe(200);
  await signOrderForPlanVia(send, base);
  expect((await send('POST', `${base}/start`, {})).status).toBe(200);
  expect((await send('POST', `${base}/vitals`, { sbpMmHg: 188, dbpMmHg: 96, heartRateBpm: 88 })).status).toBe(
    200,
  );
  return `/patients/${patientId}/sessions/${sessionId}`;
}

async function topOf(page: Page, testIdOrForm: { form?: string; testId?: string }): Promise<number> {
  const locator = testIdOrForm.form
    ? page.getByRole('form', { name: testIdOrForm.form })
    : page.getByTestId(testIdOrForm.testId!);
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  return box!.y;
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
]) {
  it(`puts the work first and updates live at ${viewport.width}×${viewport.height}`, async () => {
    const { send } = await apiClient(server, admin);
    await openAllDay(send);
    const path = await dosingSessionWithAlert(send, `LIVE-${viewport.width}`);

    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, server, admin);
    await page.goto(`${server.url}${path}`);
    const header = page.getByTestId('session-header');
    await header.getByTestId('now-min').waitFor();
    await header.getByTestId('next-vitals').waitFor();
    await header.getByText('1 open alert').waitFor();
    await page
      .getByTestId('open-alerts')
      .getByText(/Systolic BP 188 is above 180/)
      .waitFor();

    // Vitals entry and the open alerts are on the first screen, under the header.
    expect(await topOf(page, { form: 'Vitals entry' })).toBeLessThan(viewport.height);
    expect(await topOf(page, { testId: 'open-alerts' })).toBeLessThan(viewport.height);
    // The interaction citations are folded until asked for.
    const flags = page.getByTestId('interaction-flags');
    await flags.getByRole('button', { name: /Show sources/ }).waitFor();
    await page.screenshot({ path: `docs/screenshots/session-live-${viewport.width}.png` });

    // A second screen (another tablet) records a reading; the first shows it without a reload.
    const other = await browser.newContext({ viewport });
    const second = await other.newPage();
    await logIn(second, server, admin);
    await second.goto(`${server.url}${path}`);
    const form = second.getByRole('form', { name: 'Vitals entry' });
    await form.getByLabel('Systolic', { exact: true }).fill('131');
    await form.getByLabel('Diastolic', { exact: true }).fill('83');
    await form.getByRole('button', { name: 'Record vitals' }).click();
    await second.getByRole('table', { name: 'Vitals readings' }).getByText('131/83').waitFor();
    // The entry form is cleared once the reading is recorded.
    await expect.poll(() => form.getByLabel('Systolic', { exact: true }).inputValue()).toBe('');
    await page.getByRole('table', { name: 'Vitals readings' }).getByText('131/83').waitFor();

    // The header stays in view when the page is scrolled to its end.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    const box = await header.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(viewport.height / 4);
    await header.getByText('1 open alert').waitFor();
    await other.close();
    await context.close();
  });
}
