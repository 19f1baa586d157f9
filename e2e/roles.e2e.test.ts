import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * The clinic admin manages roles on the Users page: a role change asks for confirmation naming the
 * person and both roles, a mistyped NPI is refused in plain words under the field, a valid one is
 * saved and shown on the person's row, and the clinical-lead sign-off is a separate tick.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@roles.example.org', password: 'roles passphrase 1' };

beforeAll(async () => {
  server = await startServer({
    REIN_ADMIN_EMAIL: admin.email,
    REIN_ADMIN_PASSWORD: admin.password,
    REIN_TWO_FACTOR_REQUIRED: 'false',
  });
  browser = await launchBrowser();
  const { send } = await apiClient(server, admin);
  for (const [email, name, role] of [
    ['nadia@roles.example.org', 'Nadia Nurse', 'nurse'],
    ['pavel@roles.example.org', 'Pavel Prescriber', 'prescriber'],
  ] as const) {
    expect((await send('POST', '/api/users', { email, name, role })).status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function usersPage(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await logIn(page, server, admin);
  await page.goto(`${server.url}/users`);
  await page.getByRole('table', { name: 'Users' }).getByText('Nadia Nurse').waitFor();
  return page;
}

const row = (page: Page, name: string) =>
  page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: name });

it('a role change asks for confirmation naming the user and both roles (1440 px)', async () => {
  const page = await usersPage(1440);
  await page.getByRole('textbox', { name: 'Role of Nadia Nurse' }).click();
  await page.getByRole('option', { name: 'Prescriber', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Change role?' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Change Nadia Nurse from Nurse to Prescriber?');
  await page.screenshot({ path: 'docs/screenshots/users-role-change-1440.png' });

  // Cancelling keeps the old role: nothing was sent.
  await dialog.getByRole('button', { name: 'Keep Nurse' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await page.getByRole('textbox', { name: 'Role of Nadia Nurse' }).inputValue()).toBe('Nurse');

  // Confirming changes it, and the list shows the new role.
  await page.getByRole('textbox', { name: 'Role of Nadia Nurse' }).click();
  await page.getByRole('option', { name: 'Prescriber', exact: true }).click();
  await dialog.getByRole('button', { name: 'Change to Prescriber' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await expect
    .poll(() => page.getByRole('textbox', { name: 'Role of Nadia Nurse' }).inputValue())
    .toBe('Prescriber');
  // A prescriber may now be named clinical lead; the admin is one already.
  expect(await page.getByRole('checkbox', { name: 'Clinical lead: Nadia Nurse' }).isChecked()).toBe(false);
  await page.close();
});

it('a mistyped NPI is refused in plain words; a valid one is saved on the row (768 px)', async () => {
  const page = await usersPage(768);
  await row(page, 'Pavel Prescriber').getByRole('button', { name: 'Identifiers' }).click();
  const form = page.getByRole('form', { name: 'Prescriber identifiers' });
  await form.getByLabel('NPI').fill('1558598798');
  await form.getByLabel('DEA registration number').fill('AP5836727');
  await form.getByLabel('Licence state').fill('ny');
  await form.getByLabel('State licence number').fill('123456');
  await form.getByRole('button', { name: 'Save identifiers' }).click();
  await form
    .getByText('this is not a valid NPI: the last digit does not match; check for a typing error')
    .waitFor();
  await page.screenshot({ path: 'docs/screenshots/users-npi-error-768.png' });

  await form.getByLabel('NPI').fill('1558598797');
  await form.getByRole('button', { name: 'Save identifiers' }).click();
  await form.waitFor({ state: 'hidden' });
  await row(page, 'Pavel Prescriber')
    .getByText('NPI 1558598797 · DEA AP5836727 · Licence NY 123456')
    .waitFor();

  // The clinical-lead sign-off is its own tick, apart from the role.
  const lead = page.getByRole('checkbox', { name: 'Clinical lead: Pavel Prescriber' });
  // The tick shows what the server saved, so it turns on once the change is stored.
  await lead.click();
  await expect.poll(() => lead.isChecked()).toBe(true);
  await page.screenshot({ path: 'docs/screenshots/users-768.png', fullPage: true });
  const { send } = await apiClient(server, admin);
  const users = (await send('GET', '/api/users')).json.items as { name: string; clinicalLead: boolean }[];
  expect(users.find((u) => u.name === 'Pavel Prescriber')?.clinicalLead).toBe(true);
  await page.close();
});
