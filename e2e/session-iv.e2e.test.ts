import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  type RunningServer,
  startOnThrowawayDatabase,
  stopThrowawayRig,
  moveDosingStartBack,
} from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenScheduleAndOpenFirstSession,
  signOrderForOpenSession,
} from './session-support';

/**
 * A full IV ketamine session in the browser: screening and sign-off, a course on the calendar,
 * check-in, checklist with today's weight, dose and pump program, dosing, a blood pressure above
 * the hold threshold raising an alert with a recorded decision, and discharge.
 *
 * The server runs on a throwaway PostgreSQL database so the test can move the session's dosing
 * start back in time (as if 20 and then 110 minutes had passed) instead of waiting.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@session-iv.example.org', password: 'session iv passphrase 1' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

/** Moves the dosing start `minutes` earlier: the session behaves as if that much time had passed. */
async function letTimePass(minutes: number): Promise<void> {
  expect(await moveDosingStartBack(db.url, minutes)).toBe(1);
}

async function recordVitals(page: Page, sbp: string, dbp: string, hr: string, spo2?: string) {
  const form = page.getByRole('form', { name: 'Vitals entry' });
  await form.getByLabel('Systolic', { exact: true }).fill(sbp);
  await form.getByLabel('Diastolic', { exact: true }).fill(dbp);
  await form.getByLabel('Heart rate', { exact: true }).fill(hr);
  if (spo2) await form.getByLabel('SpO2 %', { exact: true }).fill(spo2);
  await form.getByRole('button', { name: 'Record vitals' }).click();
}

it('runs an IV session: check-in → dose and pump program → vitals alert and decision → discharge', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'IV-0001',
    givenName: 'Robin',
    familyName: 'Infusion-Test',
    dateOfBirth: '1979-05-17',
    sexAtBirth: 'female',
  });
  const patientId = p.json.id as string;
  await send('POST', `/api/patients/${patientId}/medications`, {
    name: 'lorazepam',
    dose: 1,
    doseUnit: 'mg',
    frequency: 'at bedtime',
    classTags: ['benzodiazepine'],
  });

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await logIn(page, server, admin);
  await screenScheduleAndOpenFirstSession(
    page,
    server,
    patientId,
    'IV ketamine induction: 6 × 0.5 mg/kg over 40 min, twice weekly for 3 weeks',
    'docs/screenshots/patient-treatment.png',
  );

  // Interaction flags come from the medication list.
  await page
    .getByTestId('interaction-flags')
    .getByText(/lorazepam|benzodiazepine/i)
    .first()
    .waitFor();
  const checklist = page.getByRole('form', { name: 'Checklist' });
  await checklist.getByLabel("Today's weight (kg)").fill('80');
  await checklist.getByLabel('Baseline systolic').fill('122');
  await checklist.getByLabel('Baseline diastolic').fill('78');
  await checklist.getByLabel('Baseline heart rate').fill('72');
  for (const box of ['Identity confirmed', 'Escort / transport home arranged', 'Interactions reviewed']) {
    await checklist.getByLabel(box).check();
  }
  // The pre-session PHQ-9 and C-SSRS count only as responses on record; no default pregnancy result.
  await recordPreSessionAssessmentsVia(send, patientId);
  await checklist.getByRole('textbox', { name: 'Pregnancy test' }).click();
  await page.getByRole('option', { name: 'Negative', exact: true }).click();
  await checklist.getByRole('button', { name: 'Record checklist' }).click();
  await expect.poll(() => page.getByTestId('checklist-overall').textContent()).toBe('ready');

  await page.getByRole('button', { name: "Compute dose from today's weight" }).click();
  // 0.5 mg/kg × 80 kg = 40 mg; 0.8 mL of 50 mg/mL into 100 mL over 40 min = 151.2 mL/h.
  await expect.poll(() => page.getByTestId('pump-rate').textContent()).toContain('151.2 mL/h');
  await signOrderForOpenSession(page, send);
  await page.getByRole('button', { name: 'Start dosing' }).click();
  await page.getByTestId('now-min').waitFor();
  await page.getByTestId('live-curve').waitFor();

  await letTimePass(20);
  await page.reload();
  await recordVitals(page, '188', '96', '90');
  const alerts = page.getByTestId('open-alerts');
  await alerts.getByText(/Systolic BP 188 is above 180/).waitFor();
  await alerts.getByRole('button', { name: 'Pause' }).click();
  await alerts.waitFor({ state: 'detached' });
  await page
    .getByRole('table', { name: 'Vitals readings' })
    .getByText(/→ pause/)
    .waitFor();
  // The pause took effect: the infusion is paused until it is resumed.
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('paused');
  await page.getByRole('button', { name: 'Resume infusion' }).click();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('running');

  // Past the end of the 40-min infusion and the 60-min observation after it.
  await letTimePass(90);
  await page.reload();
  await recordVitals(page, '126', '80', '76', '97');
  await page
    .getByRole('region', { name: 'Observations' })
    .getByRole('textbox', { name: /MOAA\/S/ })
    .click();
  await page.getByRole('option', { name: '5', exact: true }).click();
  await page.getByRole('button', { name: 'Record MOAA/S' }).click();
  await page.getByText(/MOAA\/S 5 \/ 5/).waitFor();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1366, height });
  await page.screenshot({ path: 'docs/screenshots/session-iv.png' });
  await page.setViewportSize({ width: 1366, height: 1000 });

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
  await page
    .getByTestId('discharged')
    .getByText(/Discharge criteria met/)
    .waitFor();
  await expect.poll(() => page.getByTestId('session-phase').textContent()).toBe('Discharged');

  // Back on the course page: one infusion of six, so no booster yet - it follows induction.
  await page.getByRole('link', { name: /Robin Infusion-Test: IV ketamine induction/ }).click();
  const booster = page.getByRole('region', { name: 'Suggestions' }).getByTestId('booster');
  await booster.getByText('Suggested once induction ends: 5 induction sessions still to come.').waitFor();
  // The prescriber ends the course after this infusion; the booster then has a date, rule and citations.
  const courseId = /\/courses\/([^/?#]+)/.exec(page.url())?.[1];
  expect(courseId).toBeDefined();
  const ended = await send('POST', `/api/patients/${patientId}/courses/${courseId}/cancel`, {
    reason: 'stopping after one infusion',
  });
  expect(ended.status).toBe(200);
  await page.reload();
  await booster.getByText('Population default').waitFor();
  // The rule id is on hover only; the badge says what the date rests on.
  expect(await booster.getByTitle('Rule BOOST-MURROUGH-MEDIAN-DEFAULT').textContent()).toBe(
    'Population default',
  );
  expect(await booster.textContent()).not.toContain('BOOST-');
  await booster
    .getByText(/Murrough/)
    .first()
    .waitFor();
  await page.screenshot({ path: 'docs/screenshots/course.png', fullPage: true });
  await page.close();
});
