import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({
    REIN_ADMIN_EMAIL: 'medical.director@clinic.example.org',
    REIN_ADMIN_PASSWORD: 'portal test passphrase 7',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type ApiJson = { id: string; items: Array<Record<string, unknown>> };

/** Calls the API from inside the logged-in page (session cookie + CSRF header), like the app does. */
async function apiCall(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: ApiJson }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, url, body },
  );
}

it('staff creates a link, a phone completes a PHQ-9 with item 9 = 2, the clinician sees and acknowledges the alert', async () => {
  const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desk.goto(server.url);
  await desk.getByLabel('Email').fill('medical.director@clinic.example.org');
  await desk.getByLabel('Password').fill('portal test passphrase 7');
  await desk.getByRole('button', { name: 'Log in' }).click();
  await desk.getByTestId('start-alerts').getByText('No unacknowledged alerts.').waitFor();

  const patient = await apiCall(desk, 'POST', '/api/patients', {
    mrn: 'E2E-PORTAL-1',
    givenName: 'Robin',
    familyName: 'Example',
    dateOfBirth: '1979-05-02',
    sexAtBirth: 'female',
  });
  expect(patient.status).toBe(201);
  const patientId: string = patient.json.id;

  // Staff create the link on the patient page: a URL and a QR code.
  await desk.goto(`${server.url}/patients/${patientId}`);
  await desk.getByRole('button', { name: 'Self-report link' }).click();
  await desk.getByRole('button', { name: 'Create link' }).click();
  const url = await desk.getByTestId('portal-url').inputValue();
  expect(url).toMatch(new RegExp(`^${server.url}/portal/[A-Za-z0-9_-]{43}$`));
  await desk.getByRole('img', { name: 'QR code of the self-report link' }).waitFor();
  await desk.screenshot({ path: 'docs/screenshots/portal-link.png' });
  await desk.keyboard.press('Escape');

  // The patient's phone: no account, one question per screen.
  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(url);
  await phone.getByRole('button', { name: 'Start' }).click();
  // PHQ-9 total 6 with item 9 = 2 (difficulty item 10 is unscored).
  const answers: Record<number, number> = { 1: 1, 2: 1, 3: 0, 4: 1, 5: 0, 6: 1, 7: 0, 8: 0, 9: 2, 10: 1 };
  for (let q = 1; q <= 10; q++) {
    await phone.getByText(`question ${q} of 10`).waitFor();
    await phone.getByTestId(`option-${answers[q]}`).click();
    await expect.poll(() => phone.getByRole('radio', { checked: true }).count()).toBe(1);
    if (q === 9) await phone.screenshot({ path: 'docs/screenshots/portal-phone.png' });
    await phone.getByRole('button', { name: q === 10 ? 'Send' : 'Next' }).click();
  }
  await phone.getByTestId('portal-thank-you').waitFor();
  const thankYou = (await phone.locator('main').textContent()) ?? '';
  expect(thankYou).toContain('Thank you');
  expect(thankYou).not.toMatch(/score|severe|moderate|mild|risk|\b1[0-9]\b/i);
  await phone.screenshot({ path: 'docs/screenshots/portal-thank-you.png' });
  // Reopening the link: nothing more is due, still no data.
  await phone.reload();
  await phone.getByText('There is nothing for you to fill in right now.').waitFor();
  await phoneContext.close();

  // The clinician's start page shows the unacknowledged alert.
  await desk.goto(server.url);
  const card = desk.getByTestId('start-alerts');
  await expect.poll(() => card.getByTestId('open-alert').count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => card.getByTestId('open-alert-count').textContent()).toBe('1');
  const alertText = (await card.getByTestId('open-alert').textContent()) ?? '';
  expect(alertText).toContain('Robin Example');
  expect(alertText).toContain('item 9 = 2');
  await desk.screenshot({ path: 'docs/screenshots/alerts.png' });

  await card.getByRole('button', { name: 'Acknowledge' }).click();
  const dialog = desk.getByRole('dialog', { name: 'Acknowledge alert' });
  await dialog.getByRole('textbox', { name: 'Action taken' }).click();
  await desk.getByRole('option', { name: 'Contacted the patient' }).click();
  await dialog
    .getByRole('textbox', { name: 'Note' })
    .fill('Phoned Robin; passive thoughts, no plan. Safety plan reviewed; seen tomorrow.');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await card.getByText('No unacknowledged alerts.').waitFor();

  const all = await apiCall(desk, 'GET', '/api/alerts?status=all');
  expect(all.json.items).toHaveLength(1);
  expect(all.json.items[0]).toMatchObject({
    actionTaken: 'contacted-patient',
    reason: expect.stringContaining('item 9 = 2'),
  });
  expect(all.json.items[0]!.acknowledgedAt).not.toBeNull();

  // Trajectory on the patient page: earlier PHQ-9s and GAD-7s entered by the clinician.
  const day = 24 * 3600_000;
  const t0 = Date.now() - 35 * day;
  const phq = [
    [3, 3, 2, 3, 2, 2, 2, 1, 1],
    [2, 2, 2, 2, 1, 2, 1, 1, 0],
    [1, 1, 1, 1, 1, 1, 1, 0, 0],
    [1, 1, 0, 1, 0, 0, 1, 0, 0],
    [0, 1, 0, 1, 0, 0, 0, 0, 0],
  ];
  for (const [k, answers] of phq.entries()) {
    const at = new Date(t0 + k * 7 * day).toISOString();
    const ctx = k === 0 ? 'baseline' : 'weekly';
    const r = await apiCall(desk, 'POST', `/api/patients/${patientId}/assessments`, {
      instrument: 'phq9',
      version: '1.0.0',
      context: ctx,
      administeredAt: at,
      answers,
    });
    expect(r.status).toBe(201);
    await apiCall(desk, 'POST', `/api/patients/${patientId}/assessments`, {
      instrument: 'gad7',
      version: '1.0.0',
      context: ctx,
      administeredAt: at,
      answers: answers.slice(0, 7),
    });
  }
  await desk.goto(`${server.url}/patients/${patientId}`);
  const section = desk.getByTestId('measurement');
  await section.getByTestId('trajectory').waitFor();
  await section.getByTestId('suicidality-track').waitFor();
  // Baseline 19 (first baseline); today's portal PHQ-9 is 6: a fall of more than 50 % = response.
  await expect.poll(() => section.getByTestId('response-badge').textContent()).toBe('Response');
  await desk.setViewportSize({ width: 1280, height: 1800 });
  await section.screenshot({ path: 'docs/screenshots/trajectory.png' });

  // A clinician-rated MADRS entered on the form, then corrected (a new version; the first is kept).
  await desk.setViewportSize({ width: 1280, height: 900 });
  await section.getByRole('button', { name: 'Record instrument' }).click();
  const form = desk.getByRole('dialog', { name: 'Record an instrument' });
  await form.getByRole('textbox', { name: 'Instrument' }).click();
  await desk.getByRole('option', { name: /MADRS|Montgomery/ }).click();
  const groups = form.getByRole('radiogroup');
  await expect.poll(() => groups.count()).toBe(10);
  for (let k = 0; k < 10; k++)
    await groups
      .nth(k)
      .getByRole('radio')
      .nth(k === 9 ? 0 : 2)
      .click();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'hidden' });
  const madrsRow = section.getByRole('row', { name: /MADRS/ });
  await expect.poll(() => madrsRow.textContent()).toContain('18 (mild)');
  await madrsRow.getByRole('button', { name: 'Correct this entry' }).click();
  const fix = desk.getByRole('dialog', { name: /Correct MADRS/ });
  await fix.getByRole('radiogroup').nth(0).getByRole('radio').nth(4).click();
  await fix
    .getByRole('textbox', { name: 'Reason for the correction' })
    .fill('Item 1 rated from the wrong column');
  await fix.getByRole('button', { name: 'Save' }).click();
  await fix.waitFor({ state: 'hidden' });
  await expect.poll(() => madrsRow.textContent()).toContain('20 (moderate)');
  expect(await madrsRow.textContent()).toContain('corrected v2');

  // The staff due list: the baseline C-SSRS screener (clinician-rated) is still missing → overdue.
  await desk.goto(`${server.url}/due`);
  // One line per patient and instrument: the screener's line, with its context, due time and state.
  const row = desk
    .getByTestId('due-table')
    .getByRole('row', { name: /Example, Robin/ })
    .filter({ hasText: 'C-SSRS screener' });
  await expect.poll(() => row.textContent()).toMatch(/C-SSRS screener · Baseline.*overdue/);
  await desk.screenshot({ path: 'docs/screenshots/due-list.png' });
  await desk.close();
});
