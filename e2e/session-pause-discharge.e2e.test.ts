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
 * An IV infusion paused for a 186/104 reading: one decision for the reading, the infusion clock
 * stops until it is resumed, and a discharge before the observation time after the infusion ended
 * is refused naming the unmet criteria.
 *
 * The server runs on a throwaway PostgreSQL database so the test can move the session's dosing
 * start back in time instead of waiting.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@session-pause.example.org', password: 'session pause passphrase 1' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

/** Moves the dosing start `minutes` earlier: the session behaves as if that much time had passed. */
async function letTimePass(minutes: number): Promise<void> {
  expect(await moveDosingStartBack(db.url, minutes)).toBe(1);
}

async function recordVitals(page: Page, v: { sbp: string; dbp: string; hr: string; spo2?: string }) {
  const form = page.getByRole('form', { name: 'Vitals entry' });
  await form.getByLabel('Systolic', { exact: true }).fill(v.sbp);
  await form.getByLabel('Diastolic', { exact: true }).fill(v.dbp);
  await form.getByLabel('Heart rate', { exact: true }).fill(v.hr);
  if (v.spo2) await form.getByLabel('SpO2 %', { exact: true }).fill(v.spo2);
  await form.getByRole('button', { name: 'Record vitals' }).click();
}

it('pauses and resumes an IV infusion for a high BP, then refuses an early discharge naming the criteria', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'IV-PAUSE-1',
    givenName: 'Sam',
    familyName: 'Pause-Test',
    dateOfBirth: '1975-02-11',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await logIn(page, server, admin);
  await screenScheduleAndOpenFirstSession(
    page,
    server,
    patientId,
    'IV ketamine induction: 6 × 0.5 mg/kg over 40 min, twice weekly for 3 weeks',
  );
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
  await expect.poll(() => page.getByTestId('pump-rate').textContent()).toContain('151.2 mL/h');
  await signOrderForOpenSession(page, send);
  await page.getByRole('button', { name: 'Start dosing' }).click();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('running');

  // Minute 20: 186/104 raises the SBP and DBP holds: one decision for the reading.
  await letTimePass(20);
  await page.reload();
  await recordVitals(page, { sbp: '186', dbp: '104', hr: '88' });
  const alerts = page.getByTestId('open-alerts');
  await alerts.getByText(/Systolic BP 186 is above 180.*Diastolic BP 104 is above 100/).waitFor();
  expect(await alerts.getByRole('button', { name: 'Pause' }).count()).toBe(1);
  await alerts.getByRole('button', { name: 'Pause' }).click();
  await alerts.waitFor({ state: 'detached' });

  // The pause takes effect: the infusion clock stops and vitals are due sooner.
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('paused');
  const clock = page.getByTestId('infusion-clock');
  await expect
    .poll(() => clock.textContent())
    .toMatch(/^Infusion clock 20(\.\d)? of 40 min · paused since 20(\.\d)? min/);
  await page.getByText(/next due at 25(\.\d)? min/).waitFor();
  await expect
    .poll(() => page.getByTestId('amount-given').textContent())
    .toMatch(/^Given: 20(\.\d+)? mg of 40 mg/);

  // Ten minutes later it is still where it stopped.
  await letTimePass(10);
  await page.reload();
  await expect
    .poll(() => clock.textContent())
    .toMatch(/^Infusion clock 20(\.\d)? of 40 min · paused since 20(\.\d)? min/);
  await page.getByRole('button', { name: 'Resume infusion' }).click();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('running');
  await expect
    .poll(() => clock.textContent())
    .toMatch(/ends at 50(\.\d)? min · paused 10(\.\d)? min in total/);

  // Minute 55: the infusion ended at ~50; discharge now is refused, naming what is missing.
  await letTimePass(25);
  await page.reload();
  await expect.poll(() => page.getByTestId('dosing-state').textContent()).toBe('complete');
  await recordVitals(page, { sbp: '128', dbp: '80', hr: '76' });
  await page.getByRole('table', { name: 'Vitals readings' }).getByText('128/80').waitFor();
  await expect
    .poll(() => page.getByTestId('earliest-discharge').textContent())
    .toMatch(/earliest at 11\d min/);
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
  const text = (await refused.textContent()) ?? '';
  expect(text).toMatch(/only \d+(\.\d)? min since the infusion ended; the clinic requires 60 min/);
  expect(text).toContain('no SpO2 recorded within 15 min before discharge');
  expect(text).toContain('no MOAA/S recorded after dosing ended');
  expect(await page.getByTestId('session-phase').textContent()).toBe('Dosing');
  await page.close();
});
