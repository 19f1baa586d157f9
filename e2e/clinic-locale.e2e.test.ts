import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, fillDate, logIn } from './session-support';

/**
 * A clinic in London writes dates the British way: the admin sets the clinic's locale to en-GB on
 * the Clinic page, and from then on the patient banner, the medication list and the date picker
 * that adds a medication all write DD/MM/YYYY — in a browser whose own locale is American, so the
 * format is the clinic's and not the browser's. The API still receives ISO dates.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@clinic-locale.example.org', password: 'clinic locale passphrase 1' };
type Send = Awaited<ReturnType<typeof apiClient>>['send'];
let send: Send;
let patientId = '';

beforeAll(async () => {
  server = await startServer({
    REIN_ADMIN_EMAIL: admin.email,
    REIN_ADMIN_PASSWORD: admin.password,
    REIN_CLINIC_TIME_ZONE: 'Europe/London',
  });
  browser = await launchBrowser();
  send = (await apiClient(server, admin)).send;
  // 9 March: a day and month that read as another date the other way round.
  const p = await send('POST', '/api/patients', {
    mrn: 'LOCALE-0001',
    givenName: 'Imogen',
    familyName: 'Locale-Test',
    dateOfBirth: '1984-03-09',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  patientId = p.json.id as string;
  const med = await send('POST', `/api/patients/${patientId}/medications`, {
    name: 'Sertraline',
    dose: 100,
    doseUnit: 'mg',
    frequency: 'daily',
    startDate: '2026-11-23',
  });
  expect(med.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const medicationStart = async (name: string) =>
  (
    (await send('GET', `/api/patients/${patientId}/medications`)).json.items as {
      name: string;
      startDate: string | null;
    }[]
  ).find((m) => m.name === name)?.startDate;

it('the admin sets en-GB; the list and the picker both write DD/MM/YYYY (1440 px)', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, server, admin);

  // Before: the default en-US, month first.
  await page.goto(`${server.url}/patients/${patientId}`);
  const banner = page.getByTestId('patient-banner');
  await banner.getByText('DOB 03/09/1984').waitFor();

  await page.getByRole('link', { name: 'Clinic', exact: true }).click();
  const form = page.getByRole('form', { name: 'Clinic details' });
  await form.getByRole('textbox', { name: 'Date format' }).click();
  await page.getByRole('option', { name: 'en-GB · DD/MM/YYYY' }).click();
  await form.getByRole('button', { name: 'Save clinic details' }).click();
  await page.getByText('Clinic details saved.').waitFor();
  const today = page.getByTestId('clinic-today');
  const iso = (await today.getAttribute('data-date'))!;
  const [y, m, d] = iso.split('-');
  await expect.poll(() => today.textContent()).toContain(`${d}/${m}/${y}`);

  await page.goto(`${server.url}/patients/${patientId}`);
  await banner.getByText('DOB 09/03/1984').waitFor();
  const list = page.getByRole('table', { name: 'Medications' });
  await list.getByRole('row').filter({ hasText: 'Sertraline' }).getByText('23/11/2026').waitFor();

  // The picker shows its pattern, reads a date typed the British way and keeps it in that form.
  const addForm = page.getByRole('form', { name: 'Add medication' });
  const picker = addForm.getByLabel('Start date');
  expect(await picker.getAttribute('placeholder')).toBe('DD/MM/YYYY');
  await addForm.getByLabel('Medication').fill('Lamotrigine');
  await fillDate(picker, '2026-12-04', 'en-GB');
  expect(await picker.inputValue()).toBe('04/12/2026');
  // Its calendar opens on the month of the date it read, with 4 December (not 12 April) chosen.
  await picker.click();
  await page.getByRole('button', { name: 'December 2026', exact: true }).waitFor();
  const chosen = page.getByRole('button', { name: '4 December 2026', exact: true });
  expect(await chosen.getAttribute('data-selected')).toBe('true');
  // The calendar fades in: the screenshot waits until it is fully drawn.
  await expect
    .poll(() =>
      page.evaluate(() => getComputedStyle(document.querySelector('[data-dates-dropdown]')!).opacity),
    )
    .toBe('1');
  await page.screenshot({ path: 'docs/screenshots/clinic-locale-picker-1440.png', fullPage: false });
  await picker.blur();
  await addForm.getByRole('button', { name: 'Add medication' }).click();
  await list.getByRole('row').filter({ hasText: 'Lamotrigine' }).getByText('04/12/2026').waitFor();
  expect(await medicationStart('Lamotrigine')).toBe('2026-12-04');
  await list.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/clinic-locale-list-1440.png', fullPage: true });
  await context.close();
});

it('a date typed short (4/1/2027) is read as 4 January and written back in full (768 px)', async () => {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'en-US' });
  const page = await context.newPage();
  await logIn(page, server, admin);
  await page.goto(`${server.url}/patients/${patientId}`);
  await page.getByTestId('patient-banner').getByText('DOB 09/03/1984').waitFor();
  const addForm = page.getByRole('form', { name: 'Add medication' });
  const picker = addForm.getByLabel('Start date');
  await addForm.getByLabel('Medication').fill('Bupropion');
  await picker.fill('4/1/2027');
  await picker.blur();
  expect(await picker.inputValue()).toBe('04/01/2027');
  await picker.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/clinic-locale-picker-768.png' });
  await addForm.getByRole('button', { name: 'Add medication' }).click();
  const list = page.getByRole('table', { name: 'Medications' });
  await list.getByRole('row').filter({ hasText: 'Bupropion' }).getByText('04/01/2027').waitFor();
  expect(await medicationStart('Bupropion')).toBe('2027-01-04');
  await list.getByRole('row').filter({ hasText: 'Lamotrigine' }).getByText('04/12/2026').waitFor();
  await list.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/clinic-locale-list-768.png', fullPage: true });
  await context.close();
});
