import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
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

const CHARTS = ['plasma', 'receptor', 'burst', 'spine'];

it('a link with the regimen in the URL opens the mechanism view: banner, four charts on one axis, assumptions, parameters', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A link as the infusion planner builds it, opened before logging in: the query survives login.
  const link = '/mechanism?model=domino-1984&weightKg=70&dose=0.5%20mg%2Fkg%20over%2040%20min&untilMin=2880';
  await page.goto(server.url + link);
  await page.getByLabel('Email').fill('director@clinic.example.org');
  await page.getByLabel('Password').fill('environment passphrase 1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('mechanism-charts').waitFor({ timeout: 30_000 });
  expect(new URL(page.url()).search).toContain('dose=0.5');

  const banner = page.getByTestId('mechanism-banner');
  expect(await banner.textContent()).toMatch(/Educational model, not a prediction for the individual/);
  expect(await banner.isVisible()).toBe(true);
  for (const id of CHARTS) {
    const chart = page.getByTestId(`mechanism-chart-${id}`);
    await chart.waitFor();
    // Each chart draws at least one line, and all share the same x-axis ticks (one time axis).
    expect(await chart.locator('.recharts-line-curve').count()).toBeGreaterThan(0);
  }
  const ticksOf = (id: string) =>
    page
      .getByTestId(`mechanism-chart-${id}`)
      .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents();
  const axis = await ticksOf('plasma');
  expect(axis[0]).toBe('0 h');
  expect(axis.at(-1)).toBe('48 h');
  for (const id of CHARTS.slice(1)) expect(await ticksOf(id)).toEqual(axis);

  expect(await page.getByLabel('Weight (kg)').inputValue()).toBe('70');
  expect(await page.getByRole('list', { name: 'Assumptions' }).getByRole('listitem').count()).toBeGreaterThan(
    5,
  );
  const params = page.getByRole('table', { name: 'Mechanism parameters' });
  expect(await params.getByRole('row').count()).toBeGreaterThan(20);
  expect(await params.textContent()).toContain('illustrative');
  await page.getByRole('link', { name: 'Mechanism' }).waitFor();
  // The banner, the inputs and the four charts (the long parameter table below is left out).
  const charts = await page.getByTestId('mechanism-charts').boundingBox();
  await page.screenshot({
    path: 'docs/screenshots/mechanism.png',
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.ceil(charts!.y + charts!.height + 24) },
  });

  // A higher dose entered in the form reruns the chain and raises the peak occupancy.
  const peak = () => page.getByText('Peak receptor occupancy').locator('xpath=..').textContent();
  const before = await peak();
  await page.getByLabel('Regimen (one dose per line)').fill('1 mg/kg over 40 min');
  await page.getByRole('button', { name: 'Show mechanism' }).click();
  await expect.poll(() => page.url()).toContain('dose=1');
  await expect.poll(peak, { timeout: 20_000 }).not.toBe(before);
  const pctOf = (t: string | null) => Number(/(\d+)%/.exec(t ?? '')?.[1]);
  expect(pctOf(await peak())).toBeGreaterThan(pctOf(before));

  // A malformed dose is refused, naming the token.
  await page.getByLabel('Regimen (one dose per line)').fill('0.5 mg/kilo over 40 min');
  await page.getByRole('button', { name: 'Show mechanism' }).click();
  await page
    .getByText(/mg\/kilo/)
    .first()
    .waitFor();
  await page.close();
});

it('opens with the prefilled regimen already computed and explains it for a patient, at 1440 and 768 px', async () => {
  for (const [width, file] of [
    [1440, 'docs/screenshots/mechanism-patient-1440.png'],
    [768, 'docs/screenshots/mechanism-patient-768.png'],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url + '/mechanism');
    // Each page is a new browser context, so it logs in; the query-less link survives the login.
    await page.getByLabel('Email').fill('director@clinic.example.org');
    await page.getByLabel('Password').fill('environment passphrase 1');
    await page.getByRole('button', { name: 'Log in' }).click();
    // No button pressed: the page runs its prefilled regimen on load.
    await page.getByTestId('mechanism-charts').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Regimen (one dose per line)').inputValue()).toBe('0.5 mg/kg over 40 min');
    const explanation = page.getByRole('region', { name: 'For patients' });
    await explanation.waitFor();
    const text = (await explanation.textContent()) ?? '';
    for (const when of [
      'During the treatment',
      'The first hours',
      'The next one to three days',
      'The following days and weeks',
    ])
      expect(text).toContain(when);
    expect(text).toMatch(/In this model the receptor block is greatest/);
    // Evidence is a labelled badge; the source opens on demand.
    expect(await explanation.getByText(/^Evidence: /).count()).toBe(4);
    await explanation.getByRole('button', { name: 'Source' }).last().click();
    await page.getByText(/Murrough 2013 \(median time to relapse 18 days/).waitFor();
    await explanation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: file, fullPage: false });
    await page.close();
  }
});
