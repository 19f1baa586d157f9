import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { fillDate } from './session-support';

/**
 * A prescriber plans a sertraline taper for a patient from the patient page, with a ketamine
 * infusion entered by hand, reads the timeline, records a weekly check-in and downloads the PDF.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@taper.example.org', password: 'taper passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Registers a patient through the API, as another client would. */
async function createPatient(): Promise<string> {
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
  const p = await fetch(`${server.url}/api/patients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      mrn: 'TP-0001',
      givenName: 'Morgan',
      familyName: 'Taper-Test',
      dateOfBirth: '1984-03-09',
      sexAtBirth: 'male',
    }),
  });
  expect(p.status).toBe(201);
  return ((await p.json()) as { id: string }).id;
}

const isoPlusDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

it('plans a taper from the patient page, shows its timeline and flags, and downloads the PDF', async () => {
  const patientId = await createPatient();
  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 }, acceptDownloads: true });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
  await page.goto(`${server.url}/patients/${patientId}`);
  const section = page.getByRole('region', { name: 'Tapers' });
  await section.getByText('No medication tapers.').waitFor();
  await section.getByRole('link', { name: 'Plan a taper' }).click();

  const form = page.getByRole('form', { name: 'Plan a taper' });
  await form.getByRole('textbox', { name: 'Drug' }).click();
  await page.getByRole('option', { name: 'sertraline', exact: true }).click();
  await form.getByRole('textbox', { name: 'Current dose (mg a day)' }).fill('100');
  const start = isoPlusDays(0);
  const infusion = isoPlusDays(28); // the first reduction would fall on it: it must move
  await fillDate(form.getByLabel('Start date'), start);
  await form.getByRole('textbox', { name: 'Products from' }).click();
  await page.getByRole('option', { name: 'US', exact: true }).click();
  const tags = form.getByRole('textbox', { name: 'Planned ketamine infusion dates' });
  await tags.fill(infusion);
  await tags.press('Enter');
  await form.getByRole('button', { name: 'Create plan' }).click();

  await page.getByTestId('taper-title').waitFor();
  expect(page.url()).toMatch(new RegExp(`/patients/${patientId}/tapers/[0-9a-f-]{36}$`));
  const rows = page.getByTestId('taper-step');
  await expect.poll(() => rows.count()).toBeGreaterThan(4);
  await rows.first().getByText('current dose: sertraline').waitFor();
  expect(await rows.last().getByText('stop taking sertraline').isVisible()).toBe(true);
  // The total duration is shown before the steps, and each change says what to take each time.
  const duration = page.getByTestId('taper-duration');
  await duration.getByText(/^Total duration: \d+ weeks \(about /).waitFor();
  expect(await duration.textContent()).toMatch(/then stop on /);
  const take = rows.nth(1).getByTestId('taper-take');
  expect(await take.textContent()).toMatch(/^Take \S.* × sertraline .* once a day$/);
  // The occupancy model is not verified: a visible badge says so; the moved change is flagged.
  await page.getByText(/Model sertraline-striatum.*unverified/).waitFor();
  await page
    .getByText(/^Moved from /)
    .first()
    .waitFor();
  await page
    .getByText(/^Infusion /)
    .first()
    .waitFor();

  // A nurse-style weekly check-in: dizziness severe and not tolerable → the rules suggest a step back.
  const checkIn = page.getByRole('form', { name: 'Withdrawal check-in' });
  await checkIn
    .getByRole('radiogroup', { name: 'Dizziness or a spinning feeling (vertigo)' })
    .getByText('severe')
    .click();
  await checkIn.getByRole('radiogroup', { name: 'Tolerable' }).getByText('No').click();
  await checkIn.getByRole('button', { name: 'Record check-in' }).click();
  await expect
    .poll(() => page.getByTestId('taper-suggestion').first().textContent())
    .toContain('Suggestion: Step back to the previous dose');
  await page.getByRole('table', { name: 'Check-ins and decisions' }).getByText('dizziness severe').waitFor();

  // The prescriber holds (the first step has no previous dose to step back to): a new version.
  const decision = page.getByRole('form', { name: 'Taper decision' });
  await decision.getByRole('textbox', { name: 'Decision' }).click();
  await page.getByRole('option', { name: 'Hold at the current dose' }).click();
  await decision.getByRole('textbox', { name: 'Why' }).fill('Severe dizziness: hold for a month');
  await decision.getByRole('button', { name: 'Record decision' }).click();
  await page.getByRole('textbox', { name: 'Plan version' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Plan version' }).inputValue()).toBe('Version 2 (current)');
  const history = page.getByRole('table', { name: 'Check-ins and decisions' });
  await history.getByText('Severe dizziness: hold for a month').waitFor();
  await history.getByText('overrides: step back to the previous dose').waitFor();
  // Decisions read as the prescriber chose them; the rule id is a tooltip, not text.
  expect(await page.getByTestId('taper-suggestion').first().textContent()).not.toMatch(
    /nice-1\.4|asam-|red-flag-/,
  );

  // The top of the page (plan header, flags, timeline) in one tall viewport: a full-page capture
  // would repeat the fixed app shell over the content.
  await page.setViewportSize({ width: 1366, height: 1700 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await page.screenshot({ path: 'docs/screenshots/taper.png' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-pdf').click(),
  ]);
  expect(download.suggestedFilename()).toBe('sertraline-taper-v2.pdf');
  const file = await download.path();
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(1000);

  // The patient page lists the plan.
  await page.goto(`${server.url}/patients/${patientId}`);
  await page
    .getByRole('region', { name: 'Tapers' })
    .getByRole('link', { name: 'sertraline 100 mg' })
    .waitFor();
  await page.close();
});
