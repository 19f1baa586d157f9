import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenScheduleAndOpenFirstSession,
  signOrderForOpenSession,
} from './session-support';

/** An esketamine session in which recording discharge before 2 h of monitoring is refused. */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@session-esk.example.org', password: 'session esk passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('refuses esketamine discharge before 2 h with a clear message', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'ESK-0001',
    givenName: 'Sam',
    familyName: 'Spray-Test',
    dateOfBirth: '1988-11-02',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await logIn(page, server, admin);
  await screenScheduleAndOpenFirstSession(
    page,
    server,
    patientId,
    'Esketamine (Spravato) TRD label schedule',
  );

  const checklist = page.getByRole('form', { name: 'Checklist' });
  await checklist.getByLabel("Today's weight (kg)").fill('75');
  await checklist.getByLabel('Baseline systolic').fill('128');
  await checklist.getByLabel('Baseline diastolic').fill('82');
  await checklist.getByLabel('Last food (min before)').fill('180');
  await checklist.getByLabel('Last liquid (min before)').fill('60');
  for (const box of [
    'Identity confirmed',
    'Escort / transport home arranged',
    'Interactions reviewed',
    'Enrolled in the SPRAVATO REMS',
  ]) {
    await checklist.getByLabel(box).check();
  }
  // The pre-session PHQ-9 and C-SSRS count only as responses on record; no default pregnancy result.
  await recordPreSessionAssessmentsVia(send, patientId);
  await checklist.getByRole('textbox', { name: 'Pregnancy test' }).click();
  await page.getByRole('option', { name: 'Not applicable', exact: true }).click();
  await checklist.getByRole('button', { name: 'Record checklist' }).click();
  await expect.poll(() => page.getByTestId('checklist-overall').textContent()).toBe('ready');

  // Day 1 of the label schedule: 56 mg, fixed.
  await page.getByRole('region', { name: 'Dose' }).getByLabel('Lot number').fill('LOT-E2E');
  await page.getByRole('button', { name: 'Record dose' }).click();
  await page
    .getByTestId('esk-dose')
    .getByText(/56 mg intranasal: 2 devices/)
    .waitFor();
  await signOrderForOpenSession(page, send);
  await page.getByRole('button', { name: 'Start dosing' }).click();

  const form = page.getByRole('form', { name: 'Vitals entry' });
  await form.getByLabel('Systolic', { exact: true }).fill('134');
  await form.getByLabel('Diastolic', { exact: true }).fill('84');
  await form.getByRole('button', { name: 'Record vitals' }).click();
  await page.getByRole('table', { name: 'Vitals readings' }).getByText('134/84').waitFor();

  const discharge = page.getByRole('region', { name: 'Discharge' });
  for (const box of [
    'Sedation resolved',
    'Dissociation resolved',
    'No respiratory depression',
    'Mental status at baseline',
    'Clinically stable',
    'Escort present',
  ]) {
    await discharge.getByLabel(box).check();
  }
  await discharge.getByRole('button', { name: 'Record discharge' }).click();
  const refused = page.getByTestId('discharge-error');
  await refused.waitFor();
  expect(await refused.textContent()).toMatch(
    /since the first device; esketamine requires at least 120 min of monitoring \(1[12]\d min to go\)/,
  );
  await page.getByTestId('live-curve').waitFor();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1366, height });
  await page.screenshot({ path: 'docs/screenshots/session-esketamine-refused.png' });
  expect(await page.getByTestId('session-phase').textContent()).toBe('Dosing');
  await page.setViewportSize({ width: 1366, height: 1000 });
  await page.getByRole('link', { name: 'REMS forms' }).click();
  await page.getByText('No overdue forms.').waitFor();

  // The admin fills in the REMS setting and monitoring provider on the settings page.
  await page.getByRole('link', { name: 'Session settings' }).click();
  const settings = page.getByRole('form', { name: 'Session settings' });
  await settings.getByLabel('Treatment setting name').fill('Session Esk Clinic');
  await settings.getByLabel('Monitoring HCP email').fill('hcp@session-esk.example.org');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved').waitFor();
  const saved = (await send('GET', '/api/session-settings')).json as {
    remsSetting: { name: string };
    remsMonitoringHcp: { email: string };
    clinicHours: unknown[][];
  };
  expect(saved.remsSetting.name).toBe('Session Esk Clinic');
  expect(saved.remsMonitoringHcp.email).toBe('hcp@session-esk.example.org');
  expect(saved.clinicHours[3]).toEqual([{ openMin: 480, closeMin: 1080 }]);
  await page.close();
});
