import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({
    REIN_ADMIN_EMAIL: 'director@crisis.example.org',
    REIN_ADMIN_PASSWORD: 'crisis test passphrase 9',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Calls the API from inside the logged-in page (session cookie + CSRF header), like the app does. */
async function apiCall(page: Page, method: string, url: string, body?: unknown) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
    { method, url, body },
  );
}

it('a patient who answers PHQ-9 item 9 above 0 on the portal sees the crisis resources at once', async () => {
  const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desk.goto(server.url);
  await desk.getByLabel('Email').fill('director@crisis.example.org');
  await desk.getByLabel('Password').fill('crisis test passphrase 9');
  await desk.getByRole('button', { name: 'Log in' }).click();
  await desk.getByTestId('start-alerts').waitFor();

  // The admin enters the clinic's phone for patients on the settings page.
  await desk.goto(`${server.url}/session-settings`);
  const crisisCard = desk.getByTestId('crisis-settings');
  await expect.poll(() => crisisCard.getByLabel('Crisis line phone').inputValue()).toBe('988');
  await crisisCard.getByLabel('Clinic phone for patients').fill('+1 555 0142');
  await desk.getByRole('button', { name: 'Save settings' }).click();
  await desk.getByText('Settings saved').waitFor();

  const patient = await apiCall(desk, 'POST', '/api/patients', {
    mrn: `E2E-CRISIS-${Date.now()}`,
    givenName: 'Jordan',
    familyName: 'Example',
    dateOfBirth: '1988-02-10',
    sexAtBirth: 'male',
  });
  expect(patient.status).toBe(201);
  const link = await apiCall(desk, 'POST', `/api/patients/${String(patient.json.id)}/portal-links`, {});
  expect(link.status).toBe(201);
  const url = String(link.json.url);

  const phoneContext = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(url);
  await phone.getByRole('button', { name: 'Start' }).click();
  // Low total (3), but item 9 = 1 ("several days").
  const answers: Record<number, number> = { 1: 1, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 1, 10: 0 };
  for (let q = 1; q <= 10; q++) {
    await phone.getByText(`question ${q} of 10`).waitFor();
    await phone.getByTestId(`option-${answers[q]}`).click();
    await expect.poll(() => phone.getByRole('radio', { checked: true }).count()).toBe(1);
    await phone.getByRole('button', { name: q === 10 ? 'Send' : 'Next' }).click();
  }

  const crisis = phone.getByTestId('portal-crisis');
  await crisis.waitFor();
  // First on the screen, announced, and focused so a screen reader reads it at once.
  expect(await crisis.getAttribute('role')).toBe('alert');
  const focused = await phone.evaluate(() => document.activeElement?.textContent ?? '');
  expect(focused).toBe('Please talk to someone now');
  const call988 = crisis.getByRole('link', { name: /Call 988/ });
  expect(await call988.getAttribute('href')).toBe('tel:988');
  const callClinic = crisis.getByRole('link', { name: /Call .*\+1 555 0142/ });
  expect(await callClinic.getAttribute('href')).toBe('tel:+15550142');
  const text = (await crisis.textContent()) ?? '';
  expect(text).toContain('988 Suicide & Crisis Lifeline');
  expect(text).toContain('call 911');
  // It comes before the thank-you, and the patient still sees no score or risk label.
  const main = (await phone.locator('main').textContent()) ?? '';
  expect(main.indexOf('Please talk to someone now')).toBeLessThan(main.indexOf('Thank you'));
  expect(main).not.toMatch(/score|severe|moderate|mild|risk/i);
  await phone.screenshot({ path: 'docs/screenshots/portal-crisis.png' });
  await phoneContext.close();

  // The clinician's inbox shows the alert with the patient's age.
  await desk.goto(`${server.url}/alerts`);
  const group = desk.getByTestId('alert-group');
  await group.waitFor();
  const groupText = (await group.textContent()) ?? '';
  expect(groupText).toContain('Jordan Example');
  expect(groupText).toMatch(/Jordan Example\s*(37|38) y/);
  expect(groupText).toContain('item 9 = 1');
});
