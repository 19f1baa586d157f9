import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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
 * Alarms and serious adverse events in the browser: the clinic sets its SpO2 alarm on the settings
 * page, a low SpO2 during an IV session raises an alert that needs a decision (and is drawn on the
 * vitals chart), and a serious adverse event recorded from the form raises an alert too.
 *
 * The server runs on a throwaway PostgreSQL database so the test can move the session's dosing
 * start back in time instead of waiting.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@session-alarms.example.org', password: 'session alarms passphrase 1' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

/** Moves the dosing start `minutes` earlier: the session behaves as if that much time had passed. */
async function letTimePass(minutes: number): Promise<void> {
  expect(await moveDosingStartBack(db.url, minutes)).toBe(1);
}

it('a low SpO2 and a serious adverse event each raise an alert that needs a decision', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'ALARM-0001',
    givenName: 'Sam',
    familyName: 'Alarm-Test',
    dateOfBirth: '1975-02-11',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await logIn(page, server, admin);

  // The clinic's own SpO2 alarm, set on the settings page.
  await page.goto(`${server.url}/session-settings`);
  const alarms = page.getByRole('group', { name: 'Vital-sign and sedation alarms' });
  const spo2Limit = alarms.getByLabel('IV ketamine: Alarm: SpO2 below');
  await expect.poll(() => spo2Limit.inputValue()).toBe('92');
  await spo2Limit.fill('94');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(/Settings saved/).waitFor();
  const listed = await send('GET', '/api/session-settings/vitals-thresholds');
  expect(listed.json['iv-ketamine']).toMatchObject({
    source: 'clinic',
    inForce: { spo2BelowPct: { value: 94, status: 'clinic' } },
  });

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
  await checklist.getByLabel('Baseline SpO2 %').fill('98');
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
  await page.getByTestId('pump-rate').waitFor();
  await signOrderForOpenSession(page, send);
  await page.getByRole('button', { name: 'Start dosing' }).click();
  await page.getByTestId('now-min').waitFor();

  // A reading with normal values raises nothing.
  await letTimePass(10);
  await page.reload();
  const vitals = page.getByRole('form', { name: 'Vitals entry' });
  await vitals.getByLabel('SpO2 %').fill('97');
  await vitals.getByLabel('Resp. rate (/min)').fill('14');
  await vitals.getByRole('button', { name: 'Record vitals' }).click();
  const readings = page.getByRole('table', { name: 'Vitals readings' });
  await readings.getByRole('cell', { name: '14', exact: true }).waitFor();
  expect(await page.getByTestId('open-alerts').count()).toBe(0);

  // SpO2 85 %: below the clinic's 94 % and 13 points under the pre-dose 98 %.
  await letTimePass(10);
  await page.reload();
  await vitals.getByLabel('SpO2 %').fill('85');
  await vitals.getByRole('button', { name: 'Record vitals' }).click();
  const open = page.getByTestId('open-alerts');
  await open.getByText(/SpO2 85 % is below 94 % \[clinic\]/).waitFor();
  await open.getByText(/SpO2 fell 13 points from the pre-dose 98 %/).waitFor();
  // SpO2 is drawn on the vitals chart with the alarm line.
  const chart = page.getByTestId('vitals-chart');
  await chart.getByText('SpO2 < 94 % (clinic setting)').waitFor();
  await chart.getByText('SpO2 %').first().waitFor();
  await page
    .getByRole('region', { name: 'Vitals' })
    .screenshot({ path: 'docs/screenshots/session-spo2-alarm.png' });
  // Both alarms come from one reading: one decision covers them.
  await expect.poll(() => open.getByRole('button', { name: 'Pause' }).count()).toBe(1);
  await open.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => open.getByRole('button', { name: 'Pause' }).count()).toBe(0);
  await readings.getByText(/SpO2 85 % is below 94 %.*→ pause/).waitFor();

  // A serious adverse event, recorded from the form, with onset and escalation.
  const observations = page.getByRole('region', { name: 'Observations' });
  await observations.getByRole('textbox', { name: 'Adverse event' }).click();
  await page.getByRole('option', { name: 'Agitation / anxiety / panic' }).click();
  await observations.getByRole('textbox', { name: 'Severity' }).click();
  await page.getByRole('option', { name: 'moderate' }).click();
  await observations.getByLabel('Onset (min)').fill('18');
  await observations.getByRole('textbox', { name: 'Escalation' }).click();
  await page.getByRole('option', { name: 'Prescriber notified' }).click();
  await observations.getByLabel(/Serious adverse event/).check();
  await observations.getByRole('button', { name: 'Record adverse event' }).click();
  await open.getByText(/Adverse event \(serious\): agitation anxiety panic, moderate/).waitFor();
  const recorded = observations.getByTestId('adverse-event');
  await recorded.getByText('serious', { exact: true }).first().waitFor();
  await recorded
    .getByText(/onset 18 min/)
    .first()
    .waitFor();
  await recorded
    .getByText(/Prescriber notified/)
    .first()
    .waitFor();
  await open.getByRole('button', { name: 'Continue' }).click();
  await open.waitFor({ state: 'detached' });
  await recorded
    .getByText(/decision: continue/)
    .first()
    .waitFor();

  const sessionId = new URL(page.url()).pathname.split('/').at(-1)!;
  const state = await send('GET', `/api/patients/${patientId}/sessions/${sessionId}`);
  expect(state.json.adverseEvents).toEqual([
    expect.objectContaining({
      category: 'agitation-anxiety-panic',
      serious: true,
      onsetMin: 18,
      escalation: 'prescriber-notified',
    }),
  ]);
  await page.close();
});
