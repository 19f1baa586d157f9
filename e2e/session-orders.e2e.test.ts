import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { READY_CHECKLIST } from '../src/server/test-support';
import { type RunningServer, startOnThrowawayDatabase, stopThrowawayRig } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * Orders and the MAR in the browser: a prescriber signs the course's standing order on the
 * session screen; the nurse starts dosing against it, gives the ordered rescue medication, pauses
 * and resumes the infusion, and reads each step in the medication administration record.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@orders.example.org', password: 'orders e2e passphrase 1' };
const prescriber = { email: 'priya@orders.example.org', password: 'prescriber passphrase 22' };
const nurse = { email: 'nate@orders.example.org', password: 'nurse passphrase 333' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

async function addUser(
  send: Awaited<ReturnType<typeof apiClient>>['send'],
  user: { email: string; password: string },
  name: string,
  role: 'prescriber' | 'nurse',
) {
  const temporary = `temporary ${role} passphrase`;
  expect(
    (await send('POST', '/api/users', { email: user.email, name, role, password: temporary })).status,
  ).toBe(201);
  const first = await apiClient(server, { email: user.email, password: temporary });
  const changed = await first.send('POST', '/api/auth/password', {
    currentPassword: temporary,
    newPassword: user.password,
  });
  expect(changed.status).toBe(200);
}

it('a prescriber signs the order; the nurse starts, gives a rescue, pauses and resumes; the MAR shows it', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  await addUser(send, prescriber, 'Priya Prescriber', 'prescriber');
  await addUser(send, nurse, 'Nate Nurse', 'nurse');
  const p = await send('POST', '/api/patients', {
    mrn: 'ORD-0001',
    givenName: 'Olive',
    familyName: 'Order-Test',
    dateOfBirth: '1981-02-03',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;
  await screenEligibleVia(send, patientId);
  const today = new Date().toISOString().slice(0, 10);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: today,
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  expect((await send('POST', `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 })).status).toBe(200);
  expect((await send('POST', `${base}/dose-plan`, { lotNumber: 'K-123' })).status).toBe(200);

  // The prescriber signs the standing order the course pre-fills.
  const rx = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(rx, server, prescriber);
  await rx.goto(`${server.url}/patients/${patientId}/sessions/${sessionId}`);
  const order = rx.getByRole('region', { name: 'Order' });
  await order.getByText('No signed order yet').waitFor();
  await expect.poll(() => order.getByLabel('Dose (mg/kg)').inputValue()).toBe('0.5');
  await order.getByRole('button', { name: 'Sign order' }).click();
  await order
    .getByTestId('signed-order')
    .getByText(/Signed by Priya Prescriber/)
    .waitFor();
  await expect.poll(() => order.getByTestId('signed-order').textContent()).toContain('0.5 mg/kg = 40 mg');
  await rx.close();

  // The nurse doses against it.
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(page, server, nurse);
  await page.goto(`${server.url}/patients/${patientId}/sessions/${sessionId}`);
  await page
    .getByRole('region', { name: 'Order' })
    .getByText(/Signed by Priya Prescriber/)
    .waitFor();
  // Nurses do not sign orders.
  expect(await page.getByRole('button', { name: 'Sign order' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Start dosing' }).click();
  await page.getByTestId('now-min').waitFor();

  const mar = page.getByRole('region', { name: 'MAR' });
  await mar.getByLabel('Why').fill('nausea');
  await mar.getByRole('button', { name: 'Give rescue' }).click();
  await mar
    .getByTestId('mar-rescues')
    .getByText(/ondansetron 4 mg intravenous/)
    .waitFor();

  await page.getByRole('button', { name: 'Pause infusion' }).click();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('paused');
  await page.getByRole('button', { name: 'Resume infusion' }).click();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('running');
  await expect
    .poll(async () => (await mar.getByTestId('mar-steps').locator('tbody tr').allTextContents()).length)
    .toBe(3);
  const steps = await mar.getByTestId('mar-steps').locator('tbody tr td:nth-child(2)').allTextContents();
  expect(steps).toEqual(['start', 'pause', 'resume']);

  await mar.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/session-orders-1440.png', fullPage: true });
  await page.setViewportSize({ width: 768, height: 1000 });
  await mar.getByTestId('mar-rescues').waitFor();
  await page.screenshot({ path: 'docs/screenshots/session-orders-768.png', fullPage: true });
  await page.close();
});
