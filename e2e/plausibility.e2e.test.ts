import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient } from './session-support';

/**
 * A nurse types 900 kg on the patient page: the form refuses it with the allowed range, the input
 * still says 900 after leaving the field (no silent clamp to 500), and nothing is saved. A
 * corrected weight is saved, and a wrong one can be marked entered in error with a reason.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@plausible.example.org', password: 'plausible passphrase 1' };
const nurse = { email: 'nurse@plausible.example.org', password: 'nurse passphrase 22' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('a nurse typing 900 kg sees it refused with the range, the value unchanged, and nothing saved', async () => {
  const { send } = await apiClient(server, admin);
  const created = await send('POST', '/api/patients', {
    mrn: 'PL-0001',
    givenName: 'Robin',
    familyName: 'Scale-Test',
    dateOfBirth: '1979-05-14',
    sexAtBirth: 'female',
  });
  expect(created.status).toBe(201);
  const patientId = created.json.id as string;
  const temporary = 'temporary passphrase 9';
  expect(
    (
      await send('POST', '/api/users', {
        email: nurse.email,
        name: 'Nia Nurse',
        role: 'nurse',
        password: temporary,
      })
    ).status,
  ).toBe(201);
  const asNurse = await apiClient(server, { email: nurse.email, password: temporary });
  expect(
    (
      await asNurse.send('POST', '/api/auth/password', {
        currentPassword: temporary,
        newPassword: nurse.password,
      })
    ).status,
  ).toBe(200);

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(nurse.email);
  await page.getByLabel('Password').fill(nurse.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
  await page.goto(`${server.url}/patients/${patientId}`);

  const form = page.getByRole('form', { name: 'Record weight and height' });
  const weight = form.getByLabel('Weight (kg)');
  await weight.fill('900');
  await weight.blur();
  await form.getByText('must be between 10 and 500 kg').waitFor();
  expect(await weight.inputValue()).toBe('900');
  await form.getByRole('button', { name: 'Record' }).click();
  await form.getByText('must be between 10 and 500 kg').waitFor();
  expect(await weight.inputValue()).toBe('900');
  expect(await page.getByTestId('latest-weight').textContent()).toBe('—');
  const stored = await send('GET', `/api/patients/${patientId}/body-measurements`);
  expect(stored.json.items).toEqual([]);

  // 0.5 kg is refused the same way (it used to be saved as 1 kg).
  await weight.fill('0.5');
  await weight.blur();
  await form.getByText('must be between 10 and 500 kg').waitFor();
  expect(await weight.inputValue()).toBe('0.5');

  // Corrected, it is saved; a later wrong entry marked entered in error is no longer the latest.
  await weight.fill('72');
  await form.getByRole('button', { name: 'Record' }).click();
  await page.getByTestId('latest-weight').getByText('72 kg').waitFor();
  await weight.fill('27');
  await form.getByRole('button', { name: 'Record' }).click();
  await page.getByTestId('latest-weight').getByText('27 kg').waitFor();
  const history = page.getByRole('table', { name: 'Weight and height history' });
  await history
    // The row whose weight cell, after the 24-hour recorded time, reads 27.
    .getByRole('row', { name: /\d{2}:\d{2} 27\b/ })
    .getByRole('button', { name: 'Entered in error…' })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Mark entered in error' }).click();
  await dialog.getByText('Say why').waitFor();
  await dialog.getByLabel('Reason').fill('digits swapped; the scale read 72 kg');
  await dialog.getByRole('button', { name: 'Mark entered in error' }).click();
  await page.getByTestId('latest-weight').getByText('72 kg').waitFor();
  await history.getByText('Entered in error: digits swapped; the scale read 72 kg').waitFor();
  const after = await send('GET', `/api/patients/${patientId}/body-measurements`);
  expect(
    (after.json.items as { weightKg: number; status: string }[]).map((m) => [m.weightKg, m.status]),
  ).toEqual([
    [72, 'active'],
    [27, 'entered-in-error'],
  ]);
  await page.close();
});
