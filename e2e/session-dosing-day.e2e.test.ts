import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eligibleAnswers, signOrderForPlanVia } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn, openAllDay, recordPreSessionAssessmentsVia } from './session-support';

/** A session dosed on a day other than its scheduled one: the start step asks for the reason. */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@dosing-day.example.org', password: 'dosing day passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('asks for a reason to dose a session off its day and shows it once dosing starts', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const p = await send('POST', '/api/patients', {
    mrn: 'DAY-0001',
    givenName: 'Dana',
    familyName: 'Day-Test',
    dateOfBirth: '1979-05-20',
    sexAtBirth: 'male',
  });
  const patientId = p.json.id as string;
  const screened = await send('POST', `/api/patients/${patientId}/eligibility`, {
    answers: eligibleAnswers('iv-ketamine'),
  });
  expect(screened.status).toBe(201);
  // The course starts tomorrow, so its first session is not today's.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: tomorrow,
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string; date: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  const ck = await send('POST', `${base}/checklist`, {
    identityConfirmed: true,
    weightKg: 80,
    baselineSbpMmHg: 124,
    baselineDbpMmHg: 78,
    escortArranged: true,
    pregnancyTest: 'not-applicable',
    interactionReviewDone: true,
  });
  expect(ck.status).toBe(200);
  const planned = await send('POST', `${base}/dose-plan`, {});
  expect(planned.status).toBe(200);
  expect(planned.json.dosingDay).toMatchObject({ scheduledOn: tomorrow, onScheduledDay: false });
  await signOrderForPlanVia(send, base);

  const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  await logIn(page, server, admin);
  await page.goto(`${server.url}/patients/${patientId}/sessions/${sessionId}`);
  await page.getByTestId('dosing-day').getByText(`scheduled for ${tomorrow}`, { exact: false }).waitFor();
  const startButton = page.getByRole('button', { name: 'Start dosing' });
  expect(await startButton.isDisabled()).toBe(true);
  await page.getByLabel('Reason for dosing today').fill('Patient travelling tomorrow; prescriber agreed');
  await startButton.click();
  await page.getByTestId('dosing-state').waitFor();
  const override = await page.getByTestId('schedule-override').textContent();
  expect(override).toContain(`scheduled for ${tomorrow}`);
  expect(override).toContain('Patient travelling tomorrow; prescriber agreed');
});
