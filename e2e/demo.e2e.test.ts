import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient } from './session-support';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // A non-interactive deployment: credentials from the environment, no forced change.
  server = await startServer({
    REIN_ADMIN_EMAIL: 'director@clinic.example.org',
    REIN_ADMIN_PASSWORD: 'environment passphrase 1',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const admin = { email: 'director@clinic.example.org', password: 'environment passphrase 1' };

it('an admin loads the synthetic demo clinic from the start page, browses it on a tablet and opens its outcomes dashboard', async () => {
  expect(server.output()).not.toMatch(/password:/);
  const page = await browser.newPage({ viewport: { width: 820, height: 1180 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill('director@clinic.example.org');
  await page.getByLabel('Password').fill('environment passphrase 1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Load demo clinic' }).click();
  await expect.poll(() => page.getByTestId('patient-count').textContent(), { timeout: 30_000 }).toBe('60');
  await page.screenshot({ path: 'docs/screenshots/start-demo.png' });
  await page.getByRole('link', { name: 'Open patient list' }).click();
  const rows = page.getByRole('table', { name: 'Patients' }).getByRole('row');
  await expect.poll(() => rows.count()).toBe(26); // header + a page of 25
  await page.getByText('60 patients').waitFor();
  await page.screenshot({ path: 'docs/screenshots/patients.png' });
  await page.getByLabel('Search').fill('DEMO-1001');
  await expect.poll(() => rows.count()).toBe(2);
  await rows.nth(1).click();
  await page.getByRole('table', { name: 'Medications' }).waitFor();
  // The page header (the banner repeats the MRN after the date of birth).
  await page.getByText(/^MRN DEMO-1001 ·/).waitFor();
  await page.screenshot({ path: 'docs/screenshots/patient-demo-tablet.png', fullPage: true });

  // The outcomes dashboard works on the demo clinic: the figures the API computes from the demo's
  // sessions and PHQ-9 trajectories are on the page, with the durability curve.
  const { send } = await apiClient(server, admin);
  const summary = (await send('GET', '/api/outcomes/summary')).json as {
    courses: number;
    evaluable: number;
    patientsInTreatment: number;
    response: { proportion: number };
    durability: { n: number; events: number };
  };
  expect(summary.evaluable).toBeGreaterThan(30);
  expect(summary.response.proportion).toBeGreaterThan(0.3);
  expect(summary.response.proportion).toBeLessThan(0.8);
  expect(summary.durability.events).toBeGreaterThan(0);
  expect(summary.patientsInTreatment).toBeGreaterThan(0);
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.getByRole('link', { name: 'Outcomes' }).click();
  await page.getByText(`${summary.evaluable} evaluable for response`).waitFor();
  await page.getByRole('table', { name: 'Outcome and safety rates' }).waitFor();
  await page.getByLabel('Kaplan–Meier durability curve').waitFor();
  await page.screenshot({ path: 'docs/screenshots/outcomes-demo.png', fullPage: true });
  await page.close();
});
