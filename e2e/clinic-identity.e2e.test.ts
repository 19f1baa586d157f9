import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { pdfText } from '../src/interop/pdf-text-test-support';
import { READY_CHECKLIST } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * An admin gives the quick-start clinic its identity from a browser in another time zone (Tokyo):
 * the clinic's "today" is Chicago's, errors read as sentences, and the pump program printed from
 * the IV session carries the clinic's name and phone and the patient's two identifiers.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@clinic-identity.example.org', password: 'clinic identity passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The date in `timeZone` now, as YYYY-MM-DD. */
const dateIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );

async function tokyoBrowser(width: number): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width, height: 900 },
    timezoneId: 'Asia/Tokyo',
    locale: 'en-US',
    acceptDownloads: true,
  });
}

it("sets the clinic to America/Chicago from a Tokyo browser; today is Chicago's (1440 px)", async () => {
  const context = await tokyoBrowser(1440);
  const page = await context.newPage();
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Tokyo');
  await logIn(page, server, admin);
  await page.getByRole('link', { name: 'Clinic', exact: true }).click();
  const form = page.getByRole('form', { name: 'Clinic details' });
  await form.getByLabel('Clinic name').fill('Lakeside Ketamine Clinic');
  await form.getByLabel('Address').fill('1 Lake Street, Chicago, IL');

  // A phone number that is not one: a sentence under the field, no field path or code.
  await form.getByLabel('Phone').fill('call us');
  await form.getByRole('button', { name: 'Save clinic details' }).click();
  const refused = form.getByText(/must be a phone number/);
  await refused.waitFor();
  expect(await form.textContent()).not.toMatch(/body\.|\[[UVSC]\]/);

  await form.getByLabel('Phone').fill('+1 312 555 0100');
  await form.getByRole('textbox', { name: 'Time zone' }).fill('Chicago');
  await page.getByRole('option', { name: 'America/Chicago', exact: true }).click();
  await form.getByRole('button', { name: 'Save clinic details' }).click();
  await page.getByText('Clinic details saved.').waitFor();

  const today = page.getByTestId('clinic-today');
  await expect.poll(() => today.textContent()).toContain('America/Chicago');
  expect(await today.getAttribute('data-date')).toBe(dateIn('America/Chicago'));
  await page.screenshot({ path: 'docs/screenshots/clinic-identity-1440.png', fullPage: true });
  await context.close();
});

it('prints the pump program from the IV session with the clinic phone (768 px)', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'PUMP-0001',
    givenName: 'Robin',
    familyName: 'Pump-Test',
    dateOfBirth: '1979-05-17',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  await screenEligibleVia(send, patientId);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: dateIn('America/Chicago'),
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  expect((await send('POST', `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 })).status).toBe(200);

  const context = await tokyoBrowser(768);
  const page = await context.newPage();
  await logIn(page, server, admin);
  // The clinic page at tablet width, with the saved identity.
  await page.goto(`${server.url}/clinic`);
  await expect.poll(() => page.getByLabel('Phone').inputValue(), { timeout: 15_000 }).toBe('+1 312 555 0100');
  await page.screenshot({ path: 'docs/screenshots/clinic-identity-768.png', fullPage: true });

  await page.goto(`${server.url}/patients/${patientId}/sessions/${sessionId}`);
  const plan = page.getByRole('form', { name: 'Dose plan' });
  await plan.getByLabel('Lot number').fill('LOT-E2E-1');
  await plan.getByLabel('Diluent').fill('0.9% sodium chloride');
  await plan.getByRole('button', { name: "Compute dose from today's weight" }).click();
  await expect.poll(() => page.getByTestId('pump-rate').textContent()).toContain('151.2 mL/h');
  await page.getByRole('link', { name: 'Print pump program' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/pump-program-print-768.png' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Print pump program' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pump-program-\d{4}-\d{2}-\d{2}\.pdf$/);
  const text = pdfText(readFileSync((await download.path())!));
  for (const words of [
    'Lakeside Ketamine Clinic. Phone: +1 312 555 0100',
    // Dates as the clinic's screens write them (en-US, the default).
    'Robin Pump-Test, born 05/17/1979',
    'PUMP-0001',
    '0.9% sodium chloride',
    'LOT-E2E-1',
    '80 kg, measured',
    '151.2 mL/h',
    // The concentration as the session screen shows it (0.8 mL of 50 mg/mL in 100.8 mL).
    '0.3968 mg/mL',
  ]) {
    expect(text).toContain(words);
  }
  await context.close();
});
