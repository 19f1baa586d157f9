import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * A prescriber records the clinical record on the patient page: an allergy (the state moves from
 * "not yet asked" to the list), a coded diagnosis, and two failed adequate trials, after which the
 * chart states the patient is treatment-resistant and names the trials that count.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@record.example.org', password: 'record passphrase 1' };
const prescriber = { email: 'prescriber@record.example.org', password: 'prescriber passphrase 22' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function choose(page: Page, form: Locator, label: string, option: string): Promise<void> {
  await form.getByRole('textbox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

it('a prescriber records an allergy, a diagnosis and two failed trials; the chart states treatment resistance', async () => {
  const { send } = await apiClient(server, admin);
  const created = await send('POST', '/api/patients', {
    mrn: 'CR-0001',
    givenName: 'Marlow',
    familyName: 'Record-Test',
    dateOfBirth: '1981-07-02',
    sexAtBirth: 'male',
  });
  expect(created.status).toBe(201);
  const patientId = created.json.id as string;
  const temporary = 'temporary passphrase 9';
  const user = await send('POST', '/api/users', {
    email: prescriber.email,
    name: 'Priya Prescriber',
    role: 'prescriber',
    password: temporary,
  });
  expect(user.status).toBe(201);
  const first = await apiClient(server, { email: prescriber.email, password: temporary });
  expect(
    (
      await first.send('POST', '/api/auth/password', {
        currentPassword: temporary,
        newPassword: prescriber.password,
      })
    ).status,
  ).toBe(200);

  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(page, server, prescriber);
  await page.goto(`${server.url}/patients/${patientId}`);

  // Allergy: never asked is shown as such, not as an empty list.
  const state = page.getByTestId('allergy-state');
  await expect.poll(() => state.textContent()).toBe('Allergies not yet asked');
  const allergy = page.getByRole('form', { name: 'Add allergy' });
  await allergy.getByLabel('Substance').fill('Penicillin');
  await allergy.getByLabel('Reaction').fill('hives');
  await choose(page, allergy, 'Severity', 'moderate');
  await choose(page, allergy, 'Reported by', 'Patient');
  await allergy.getByRole('button', { name: 'Add allergy' }).click();
  await expect.poll(() => state.textContent()).toBe('1 active');
  await page.getByRole('table', { name: 'Allergy list' }).getByText('Penicillin').waitFor();

  // A coded diagnosis from the clinic's ICD-10-CM list.
  const diagnosis = page.getByRole('form', { name: 'Add diagnosis' });
  await diagnosis.getByRole('textbox', { name: 'ICD-10-CM code' }).fill('F33.2');
  await page.getByRole('option', { name: /^F33\.2 Major depressive disorder, recurrent severe/ }).click();
  await diagnosis.getByRole('button', { name: 'Add diagnosis' }).click();
  await page
    .getByRole('table', { name: 'Diagnoses' })
    .getByText('Major depressive disorder, recurrent severe without psychotic features')
    .waitFor();

  // Two failed trials at a dose and duration the prescriber marks adequate.
  const trial = page.getByRole('form', { name: 'Add treatment trial' });
  const statement = page.getByTestId('trd-statement');
  for (const [drug, doseMg, weeks, response] of [
    ['sertraline', '150', '8', 'none'],
    ['venlafaxine', '225', '10', 'partial'],
  ] as const) {
    await trial.getByLabel('Drug').fill(drug);
    await trial.getByLabel('Dose (mg/day)').fill(doseMg);
    await trial.getByLabel('Duration (weeks)').fill(weeks);
    await choose(page, trial, 'Adherence', 'full');
    await choose(page, trial, 'Response', response);
    await trial.getByLabel('Reason stopped').fill('not enough improvement');
    await choose(page, trial, 'Dose', 'Adequate');
    await choose(page, trial, 'Duration', 'Adequate');
    await trial.getByRole('button', { name: 'Add trial' }).click();
    await page.getByRole('table', { name: 'Treatment trials' }).getByText(drug).waitFor();
  }
  await expect
    .poll(() => statement.textContent())
    .toContain(
      'Treatment-resistant: 2 adequate trials failed in the current episode (sertraline, venlafaxine).',
    );
  expect(await statement.textContent()).toContain('Fava');

  // Stored as shown.
  const record = (await send('GET', `/api/patients/${patientId}/clinical-record`)).json as {
    allergies: unknown[];
    diagnoses: { icd10cmCode: string }[];
    treatmentResistance: { resistant: boolean; countingTrialIds: string[] };
  };
  expect(record.allergies).toHaveLength(1);
  expect(record.diagnoses.map((d) => d.icd10cmCode)).toEqual(['F33.2']);
  expect(record.treatmentResistance.resistant).toBe(true);
  expect(record.treatmentResistance.countingTrialIds).toHaveLength(2);

  await page.screenshot({ path: 'docs/screenshots/patient-record.png', fullPage: true });
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.screenshot({ path: 'docs/screenshots/patient-record-tablet.png', fullPage: true });
});
