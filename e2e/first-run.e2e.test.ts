import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { fillDate } from './session-support';

/**
 * The newcomer's path from the README: start on an empty database, log in with the printed
 * credentials, choose a password, register a patient with a weight and a medication, find them.
 */
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function printedCredentials(output: string): { email: string; password: string } {
  const email = /email:\s+(\S+)/.exec(output)?.[1];
  const password = /password:\s+(\S+)/.exec(output)?.[1];
  if (!email || !password) throw new Error(`no credentials printed:\n${output}`);
  return { email, password };
}

it('first run: log in with the printed password, change it, register and find a patient', async () => {
  const { email, password } = printedCredentials(server.output());
  await page.goto(server.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.screenshot({ path: 'docs/screenshots/login.png' });
  await page.getByRole('button', { name: 'Log in' }).click();

  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel(/^New password/).fill('a calm clinic passphrase');
  await page.getByLabel('Repeat new password').fill('a calm clinic passphrase');
  await page.getByRole('button', { name: 'Save password' }).click();

  await page.getByText('Your clinic has no patients yet').waitFor();
  await page.screenshot({ path: 'docs/screenshots/start-empty.png' });
  await page.getByRole('link', { name: 'Register a patient' }).click();

  await page.getByLabel('Given name').fill('Juniper');
  await page.getByLabel('Family name').fill('Okonkwo-Test');
  await page.getByLabel('MRN').fill('E2E-0001');
  await fillDate(page.getByLabel('Date of birth'), '1984-03-09');
  await page.getByRole('textbox', { name: 'Sex at birth' }).click();
  await page.getByRole('option', { name: 'Female' }).click();
  await page.getByRole('button', { name: 'Register patient' }).click();

  await expect.poll(() => page.getByTestId('patient-name').textContent()).toBe('Juniper Okonkwo-Test');
  const measurement = page.getByRole('form', { name: 'Record weight and height' });
  await measurement.getByLabel('Weight (kg)').fill('72.5');
  await measurement.getByLabel('Height (cm)').fill('168');
  await measurement.getByRole('button', { name: 'Record' }).click();
  await expect.poll(() => page.getByTestId('latest-weight').textContent()).toBe('72.5 kg');

  const med = page.getByRole('form', { name: 'Add medication' });
  await med.getByLabel('Medication').fill('Lorazepam');
  await med.getByLabel('Dose').fill('1');
  await med.getByLabel('Frequency').fill('twice daily');
  await med.getByRole('button', { name: 'Add medication' }).click();
  await page.getByRole('table', { name: 'Medications' }).getByText('Lorazepam').waitFor();
  await page.screenshot({ path: 'docs/screenshots/patient.png', fullPage: true });

  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Search').fill('okon');
  const rows = page.getByRole('table', { name: 'Patients' }).getByRole('row');
  await expect.poll(() => rows.count()).toBe(2); // header + the one match
  await expect.poll(() => rows.nth(1).textContent()).toContain('Okonkwo-Test, Juniper');
  await page.getByLabel('Search').fill('E2E-00');
  await expect.poll(() => rows.nth(1).textContent()).toContain('E2E-0001');
  await page.getByLabel('Search').fill('nobody-by-this-name');
  await page.getByText('No patient matches').waitFor();
});

it('a wrong password is refused with a clear message', async () => {
  const fresh = await browser.newPage();
  await fresh.goto(`${server.url}/login`);
  await fresh.getByLabel('Email').fill('admin@rein.local');
  await fresh.getByLabel('Password').fill('definitely-wrong');
  await fresh.getByRole('button', { name: 'Log in' }).click();
  await fresh.getByRole('alert').getByText('Email or password is incorrect.').waitFor();
  await fresh.close();
});

it('once the clinic has a patient, the start page no longer offers the demo', async () => {
  await page.getByRole('link', { name: 'Start' }).click();
  // The clinic now has one patient, so the demo offer is gone: Rein never mixes demo data into a real clinic.
  await expect.poll(() => page.getByTestId('patient-count').textContent()).toBe('1');
  expect(await page.getByRole('button', { name: 'Load demo clinic' }).count()).toBe(0);
});
