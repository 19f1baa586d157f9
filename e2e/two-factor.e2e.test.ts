import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generate } from 'otplib';
import { launchBrowser, startServer, type RunningServer } from './harness';

/**
 * Two-factor sign-in as a clinic's first admin meets it with the requirement on (the deployment
 * default): the password leads straight to setting up an authenticator app, whose key the test
 * reads off the page to make codes the way a phone would; the recovery codes are shown once; the
 * next sign-in asks for a code, and a recovery code works once instead.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@twofactor.example.org', password: 'two factor passphrase 1' };
let secret = '';
let recoveryCodes: string[] = [];

beforeAll(async () => {
  server = await startServer({
    REIN_ADMIN_EMAIL: admin.email,
    REIN_ADMIN_PASSWORD: admin.password,
    REIN_TWO_FACTOR_REQUIRED: 'true',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The code an authenticator app shows `aheadSeconds` from now. */
const codeAt = (aheadSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + aheadSeconds });

async function passwordStep(width: number, who = admin): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  return page;
}

it('sends the first admin to set up an authenticator, then shows recovery codes once (1440 px)', async () => {
  const page = await passwordStep(1440);
  await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
  // Nothing else opens before it is set up.
  await page.goto(`${server.url}/patients`);
  await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
  secret = (await page.getByLabel('Key for typing in by hand').textContent())!.replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.screenshot({ path: 'docs/screenshots/two-factor-enrol-1440.png' });

  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page
    .getByRole('alert')
    .getByText(/code is incorrect/i)
    .waitFor();
  await page.getByLabel('Code from the app').fill(await codeAt());
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  recoveryCodes = (await page.getByLabel('Recovery codes').locator('code').allTextContents()).map((c) =>
    c.trim(),
  );
  expect(recoveryCodes).toHaveLength(10);
  await page.screenshot({ path: 'docs/screenshots/two-factor-recovery-codes-1440.png' });
  await page.getByRole('button', { name: /I have saved these codes/ }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
  await page.close();
});

it('asks for the code after the password at the next sign-in (768 px)', async () => {
  const page = await passwordStep(768);
  await page.getByLabel('Authentication code').waitFor();
  await page.screenshot({ path: 'docs/screenshots/two-factor-code-768.png' });
  await page.getByLabel('Authentication code').fill('123 45');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('alert').waitFor();
  // The next step's code: the set-up used this step's, and a code counts once.
  await page.getByLabel('Authentication code').fill(await codeAt(30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
  await page.close();
});

it('takes a recovery code once instead of a code (1440 px)', async () => {
  const first = await passwordStep(1440);
  await first.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await first.getByLabel('Recovery code').fill(recoveryCodes[0]!);
  await first.getByRole('button', { name: 'Verify' }).click();
  await first.getByRole('link', { name: 'Patients' }).waitFor();
  await first.close();

  const second = await passwordStep(1440);
  await second.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await second.getByLabel('Recovery code').fill(recoveryCodes[0]!);
  await second.getByRole('button', { name: 'Verify' }).click();
  await second.getByRole('alert').getByText('This recovery code is not valid or was used already.').waitFor();
  await second.screenshot({ path: 'docs/screenshots/two-factor-recovery-used-1440.png' });
  await second.close();
});

it('shows who uses two-factor and the clinic policy on the Users page (768 px)', async () => {
  const page = await passwordStep(768);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
  await page.goto(`${server.url}/users`);
  const adminRow = page
    .getByRole('table', { name: 'Users' })
    .getByRole('row')
    .filter({ hasText: admin.email });
  await adminRow.getByText('on', { exact: true }).waitFor();
  const required = page.getByRole('group', { name: 'Required for' });
  expect(await required.getByRole('checkbox', { name: 'Prescriber' }).isChecked()).toBe(true);
  expect(await required.getByRole('checkbox', { name: 'Clinic admin' }).isChecked()).toBe(true);
  expect(await required.getByRole('checkbox', { name: 'Nurse' }).isChecked()).toBe(false);
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/users-two-factor-768.png', fullPage: true });
  await page.close();
});

it('a new prescriber sets a password, then an authenticator; the admin resets it (1440 px)', async () => {
  const adminPage = await passwordStep(1440);
  // A recovery code: the admin's last few codes are spent, and a code counts once.
  await adminPage.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await adminPage.getByLabel('Recovery code').fill(recoveryCodes[2]!);
  await adminPage.getByRole('button', { name: 'Verify' }).click();
  await adminPage.getByRole('link', { name: 'Patients' }).waitFor();
  await adminPage.goto(`${server.url}/users`);
  const form = adminPage.getByRole('form', { name: 'New user' });
  await form.getByLabel('Name').fill('Pavel Prescriber');
  await form.getByLabel('Email').fill('pavel@twofactor.example.org');
  await form.getByRole('textbox', { name: 'Role' }).click();
  await adminPage.getByRole('option', { name: 'Prescriber', exact: true }).click();
  await form.getByRole('button', { name: 'Create user' }).click();
  const temporary = (await adminPage
    .getByRole('alert')
    .filter({ hasText: 'Temporary password' })
    .locator('code')
    .textContent())!;
  const pavel = { email: 'pavel@twofactor.example.org', password: temporary.trim() };

  // First sign-in: the temporary password is changed first, then the authenticator is set up.
  const page = await passwordStep(1440, pavel);
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
  await page.getByLabel('Current password').fill(pavel.password);
  await page.getByLabel(/^New password/).fill('pavel prescribes calmly');
  await page.getByLabel('Repeat new password').fill('pavel prescribes calmly');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const pavelSecret = (await page.getByLabel('Key for typing in by hand').textContent())!.replace(/\s+/g, '');
  await page
    .getByLabel('Code from the app')
    .fill(await generate({ secret: pavelSecret, epoch: Math.floor(Date.now() / 1000) }));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('button', { name: /I have saved these codes/ }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();

  await adminPage.reload();
  const row = adminPage
    .getByRole('table', { name: 'Users' })
    .getByRole('row')
    .filter({ hasText: pavel.email });
  await row.getByText('on', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Reset two-factor' }).click();
  await adminPage.getByText(`Two-factor sign-in reset for ${pavel.email}`).waitFor();
  await row.getByText('off', { exact: true }).waitFor();
  await adminPage.screenshot({ path: 'docs/screenshots/users-two-factor-reset-1440.png' });

  // Pavel's session ended; the next sign-in sets an authenticator up again.
  await page.goto(`${server.url}/patients`);
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  const again = await passwordStep(1440, { email: pavel.email, password: 'pavel prescribes calmly' });
  await again.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
  await Promise.all([page.close(), again.close(), adminPage.close()]);
});
