import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestSmtpServer, type TestSmtpServer } from '../src/interop/email/smtp-test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * The front desk works the due list: "Send link" e-mails the patient their self-report link, after
 * showing the address it will go to. A real SMTP server started here receives the mail, and the
 * link in it opens the portal on a phone. At a laptop (1440) and a tablet (768).
 */
let smtp: TestSmtpServer;
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@mail.example.org', password: 'mail passphrase 1' };
const frontDesk = { email: 'frankie@mail.example.org', password: 'front desk passphrase 2' };
const PATIENT_EMAIL = 'robin.mailtest@patients.example';
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  server = await startServer({
    REIN_ADMIN_EMAIL: admin.email,
    REIN_ADMIN_PASSWORD: admin.password,
    REIN_SMTP_URL: smtp.url,
    REIN_MAIL_FROM: '"Rein test clinic" <no-reply@mail.example.org>',
  });
  browser = await launchBrowser();
  const { send } = await apiClient(server, admin);
  const created = await send('POST', '/api/users', {
    email: frontDesk.email,
    name: 'Frankie Front-Desk',
    role: 'staff',
    password: 'front desk passphrase 1',
  });
  expect(created.status).toBe(201);
  // A chosen password must still be changed at first sign-in.
  const first = await apiClient(server, { email: frontDesk.email, password: 'front desk passphrase 1' });
  const changed = await first.send('POST', '/api/auth/password', {
    currentPassword: 'front desk passphrase 1',
    newPassword: frontDesk.password,
  });
  expect(changed.status).toBe(200);
  const patient = await send('POST', '/api/patients', {
    mrn: 'E2E-MAIL-1',
    givenName: 'Robin',
    familyName: 'Mailtest',
    dateOfBirth: '1979-05-02',
    sexAtBirth: 'female',
    email: PATIENT_EMAIL,
  });
  expect(patient.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

it('the front desk presses "Send link" on the due list; the e-mail arrives and its link opens the portal', async () => {
  for (const [i, viewport] of VIEWPORTS.entries()) {
    const page = await browser.newPage({ viewport });
    await logIn(page, server, frontDesk);
    await page.goto(`${server.url}/due`);
    const row = page.getByTestId('due-table').getByRole('row').filter({ hasText: 'Mailtest, Robin' }).first();
    await row.getByRole('button', { name: 'Send link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Self-report link for Robin Mailtest' });
    await dialog.getByRole('button', { name: 'E-mail the link…' }).click();
    // Confirmation names the address before anything is sent.
    await dialog.getByText(PATIENT_EMAIL).waitFor();
    expect(smtp.received.filter((m) => m.rcptTo.includes(PATIENT_EMAIL))).toHaveLength(i);
    await page.screenshot({ path: `docs/screenshots/due-send-link-confirm-${viewport.width}.png` });
    await dialog.getByRole('button', { name: 'Send e-mail' }).click();
    const sent = dialog.getByTestId('portal-email-sent');
    await sent.waitFor();
    expect(await sent.textContent()).toContain('Sent to r…@patients.example');
    await page.screenshot({ path: `docs/screenshots/due-send-link-sent-${viewport.width}.png` });
    await expect.poll(() => smtp.received.filter((m) => m.rcptTo.includes(PATIENT_EMAIL)).length).toBe(i + 1);
    await page.close();
  }

  const mails = smtp.received.filter((m) => m.rcptTo.includes(PATIENT_EMAIL));
  const last = mails.at(-1)!;
  expect(last.parsed.subject).toBe('A short questionnaire from My Clinic');
  const url = /(http:\/\/\S+\/portal\/[A-Za-z0-9_-]{43})/.exec(last.parsed.text ?? '')?.[1];
  expect(url?.startsWith(`${server.url}/portal/`)).toBe(true);
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(url!);
  await phone.getByRole('button', { name: 'Start' }).click();
  await phone.getByText('question 1 of 10').waitFor();
  await phone.close();
});
