import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

/**
 * A prescriber plans a first infusion: picks a patient whose weight is on record, enters the
 * standard regimen, compares models on the chart and reads the pump rate; a typo is caught.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@planner.example.org', password: 'planner passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Registers a patient with a weight through the API, as another client would. */
async function createPatientWithWeight(weightKg: number): Promise<void> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const p = await fetch(`${server.url}/api/patients`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      mrn: 'PK-0001',
      givenName: 'Rowan',
      familyName: 'Planner-Test',
      dateOfBirth: '1979-05-02',
      sexAtBirth: 'female',
    }),
  });
  expect(p.status).toBe(201);
  const { id } = (await p.json()) as { id: string };
  const m = await fetch(`${server.url}/api/patients/${id}/body-measurements`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ weightKg, heightCm: 170 }),
  });
  expect(m.status).toBe(201);
}

it('plans 0.5 mg/kg over 40 min for a patient on record: chart, metrics, pump rate; a typo names the token', async () => {
  await createPatientWithWeight(80);
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();

  await page.getByRole('link', { name: 'Infusion planner' }).click();
  await page.getByRole('heading', { name: 'Infusion planner' }).waitFor();

  await page.getByRole('textbox', { name: 'Patient' }).fill('Planner');
  await page.getByRole('option', { name: /Planner-Test, Rowan/ }).click();
  await expect.poll(() => page.getByTestId('picked-weight').textContent()).toBe('80 kg');

  await page.getByTestId('dose-0').fill('0.5 mg/kg over 40 min');
  await page.getByRole('button', { name: 'Calculate' }).click();

  // Three default models drawn, the dissociative band, and the published 185 ng/mL observation.
  const chart = page.getByTestId('pk-chart');
  await expect.poll(() => chart.locator('.recharts-line').count(), { timeout: 20_000 }).toBe(3);
  expect(await chart.locator('.recharts-reference-area').count()).toBe(1);
  await page.getByTestId('pk-observation').getByText('185 ng/mL').waitFor();
  const metricRows = page.getByRole('table', { name: 'Exposure metrics' }).locator('tbody tr');
  await expect.poll(() => metricRows.count()).toBe(3);

  // 0.5 mg/kg × 80 kg = 40 mg = 0.8 mL of 50 mg/mL; (100 + 0.8) mL over 40 min = 151.2 mL/h.
  await expect.poll(() => page.getByTestId('pump-rate').textContent()).toBe('151.2 mL/h');
  await page.getByRole('table', { name: 'Pump program' }).getByText('40.00 mg', { exact: false }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/infusion-planner.png', fullPage: true });
  // On paper only the pump program remains, with the patient and signature lines.
  await page.getByRole('button', { name: 'Print' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByTestId('pk-chart').isVisible()).toBe(false);
  expect(await page.getByText('Patient: Planner-Test, Rowan · MRN PK-0001').isVisible()).toBe(true);
  await page.screenshot({ path: 'docs/screenshots/infusion-planner-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // TCI for the same patient: Domino, 150 ng/mL plasma for 40 min (verified by simulation on the server).
  const tci = page.getByTestId('tci-panel');
  await tci.getByRole('button', { name: 'Compute TCI' }).click();
  await tci.getByRole('table', { name: 'TCI rates' }).waitFor();
  expect(await tci.textContent()).toMatch(/Reached within 1% at\s*\d/);
  expect(await tci.textContent()).toMatch(/240 rate changes every 10 s/);
  await tci.screenshot({ path: 'docs/screenshots/infusion-planner-tci.png' });

  // Above the session maximum: the pump program is refused with the reason.
  await page.getByTestId('dose-0').fill('1.5 mg/kg over 40 min');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect
    .poll(() => page.getByTestId('plan-error').textContent())
    .toMatch(/session maximum of 1 mg\/kg/);

  // A typo: the error under the dose input names the bad token.
  await page.getByTestId('dose-0').fill('0.5 mg/kg ovr 40 min');
  await page.getByRole('button', { name: 'Calculate' }).click();
  const doseError = page.locator('.mantine-TextInput-error');
  await doseError.first().waitFor();
  expect(await doseError.first().textContent()).toContain('"ovr"');

  // The same regimen opens in the mechanism view (issue 7: reachable from the planner).
  await page.getByTestId('dose-0').fill('0.5 mg/kg over 40 min');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await page.getByRole('link', { name: 'How this dose acts: mechanism view' }).click();
  await page.waitForURL(/\/mechanism\?/);
  const url = new URL(page.url());
  expect(url.searchParams.getAll('dose')).toEqual(['0.5 mg/kg over 40 min']);
  expect(url.searchParams.get('patientId')).toMatch(/^[0-9a-f-]{36}$/);
  await page.getByText('Educational model, not a prediction for the individual').first().waitFor();
  await page.close();
});
