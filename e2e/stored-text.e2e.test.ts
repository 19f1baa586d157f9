import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

/** Stored text is shown, never executed (issue 8 item 4): a patient named with markup and script. */
let server: RunningServer;
let browser: Browser;
const EMAIL = 'xss@clinic.example.org';
const PASSWORD = 'stored text passphrase';
const HOSTILE_GIVEN = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_FAMILY = '<script>window.__pwned=2</script>';

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: EMAIL, REIN_ADMIN_PASSWORD: PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('a script-bearing patient name is displayed as text on every page and never runs', async () => {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Your clinic has no patients yet').waitFor();

  const created = await page.evaluate(
    async ({ given, family }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch('/api/patients', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({
          mrn: 'XSS-1',
          givenName: given,
          familyName: family,
          dateOfBirth: '1990-02-02',
          sexAtBirth: 'male',
        }),
      });
      return res.json();
    },
    { given: HOSTILE_GIVEN, family: HOSTILE_FAMILY },
  );
  expect(created.givenName).toBe(HOSTILE_GIVEN);

  await page.goto(`${server.url}/patients`);
  const row = page.getByRole('table', { name: 'Patients' }).getByRole('row').nth(1);
  await expect.poll(() => row.textContent()).toContain(`${HOSTILE_FAMILY}, ${HOSTILE_GIVEN}`);
  await page.goto(`${server.url}/patients/${created.id}`);
  await expect
    .poll(() => page.getByTestId('patient-name').textContent())
    .toBe(`${HOSTILE_GIVEN} ${HOSTILE_FAMILY}`);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await page.close();
});
