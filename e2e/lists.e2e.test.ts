import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * Lists that can be worked, on the demo clinic at a laptop (1440) and a tablet (768): a taper
 * planned from the medication list, and the start page's tapers with a decision due.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@lists.example.org', password: 'lists passphrase 1' };
type Send = Awaited<ReturnType<typeof apiClient>>['send'];
let send: Send;
let today = '';
const VIEWPORTS = [
  { width: 1440, height: 1000 },
  { width: 768, height: 1024 },
];

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
  send = (await apiClient(server, admin)).send;
  expect((await send('POST', '/api/clinic/demo', {})).status).toBe(201);
  today = (await send('GET', '/api/day-board')).json.today as string;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('a taper planned from the medication list; the start page lists tapers with a decision due', async () => {
  const p = await send('POST', '/api/patients', {
    mrn: 'LISTS-T1',
    givenName: 'Tess',
    familyName: 'Taper-Test',
    dateOfBirth: '1981-06-02',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  const med = await send('POST', `/api/patients/${patientId}/medications`, {
    name: 'Alprazolam',
    dose: 0.5,
    doseUnit: 'mg',
    frequency: 'tid',
  });
  expect(med.status).toBe(201);
  // A sertraline plan started 30 days ago: its first reduction (day 28) awaits a decision.
  const plan = await send('POST', `/api/patients/${patientId}/tapers`, {
    drug: 'sertraline',
    startDoseMg: 100,
    mode: 'proportional',
    stepPct: 25,
    intervalDays: 28,
    startDate: addDays(today, -30),
    infusionDates: [],
  });
  expect(plan.status, JSON.stringify(plan.json)).toBe(201);

  for (const viewport of VIEWPORTS) {
    const page = await browser.newPage({ viewport });
    await logIn(page, server, admin);
    const tapers = page.getByRole('region', { name: 'Needs attention' }).getByTestId('board-tapers');
    const line = tapers.getByRole('link', { name: /Tess Taper-Test · sertraline/ });
    await line.waitFor();
    await tapers.getByText('2 d waiting').waitFor();
    await tapers.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `docs/screenshots/start-tapers-due-${viewport.width}.png` });

    await page.goto(`${server.url}/patients/${patientId}/tapers`);
    const form = page.getByRole('form', { name: 'Plan a taper' });
    await form.getByRole('textbox', { name: 'From the medication list' }).click();
    await page.getByRole('option', { name: 'Alprazolam · 0.5 mg · tid' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'Drug' }).inputValue()).toBe('alprazolam');
    expect(await form.getByRole('textbox', { name: /Current dose/ }).inputValue()).toBe('1.5');
    await form
      .getByTestId('taper-from-medication')
      .getByText(/0\.5 mg × 3 a day = 1\.5 mg a day/)
      .waitFor();
    await page.screenshot({ path: `docs/screenshots/taper-from-medication-${viewport.width}.png` });
    await page.close();
  }
});
