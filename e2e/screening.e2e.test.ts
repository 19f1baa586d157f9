import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { answerScreening, apiClient, logIn } from './session-support';

/**
 * Screening that screens: the form starts with every safety question unanswered, an unanswered
 * screening is refused naming what is missing, and once answered it is accepted. A course cannot be
 * scheduled before that.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@screening.example.org', password: 'screening passphrase 1' };

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('refuses an unanswered screening in the UI, then accepts it once every question is answered', async () => {
  const { send } = await apiClient(server, admin);
  const p = await send('POST', '/api/patients', {
    mrn: 'SCR-0001',
    givenName: 'Alex',
    familyName: 'Screen-Test',
    dateOfBirth: '1984-02-14',
    sexAtBirth: 'female',
  });
  const patientId = p.json.id as string;
  // Without a screening the course is refused.
  const early = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: new Date().toISOString().slice(0, 10),
  });
  expect(early.status).toBe(409);

  const page = await browser.newPage({ viewport: { width: 1366, height: 1100 } });
  await logIn(page, server, admin);
  await page.goto(`${server.url}/patients/${patientId}`);
  const section = page.getByRole('region', { name: 'Treatment' });
  await section.getByText('Not screened yet.').waitFor();
  await section.getByRole('button', { name: 'New screening' }).click();
  const form = section.getByRole('form', { name: 'Eligibility screening' });

  // Nothing is pre-answered: not the contraindications, not "Pregnant".
  expect(await form.getByRole('textbox', { name: 'Pregnant', exact: true }).inputValue()).toBe('');
  expect(
    await form.getByRole('textbox', { name: 'Aneurysmal vascular disease or AVM', exact: true }).inputValue(),
  ).toBe('');

  // One click is refused, naming the unanswered questions; nothing is stored.
  await form.getByRole('button', { name: 'Screen eligibility' }).click();
  const refusal = form.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/Not answered: .*Seizure disorder.*Pregnant/);
  expect((await send('GET', `/api/patients/${patientId}/eligibility`)).json).toEqual([]);

  // All but two answered: still refused, naming exactly those two.
  await answerScreening(page, form, ['Seizure disorder', 'Pregnant']);
  await form.getByRole('button', { name: 'Screen eligibility' }).click();
  await expect.poll(async () => refusal.textContent()).toMatch(/Not answered: Seizure disorder, Pregnant\.$/);

  // Answered: accepted and eligible.
  for (const [label, option] of [
    ['Seizure disorder', 'No'],
    ['Pregnant', 'No'],
  ] as const) {
    await form.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
  await form.getByRole('button', { name: 'Screen eligibility' }).click();
  await section.getByTestId('eligibility').getByText('eligible', { exact: true }).waitFor();
  const stored = (await send('GET', `/api/patients/${patientId}/eligibility`)).json as unknown as {
    status: string;
    answers: Record<string, unknown>;
  }[];
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ status: 'eligible', answers: { seizureDisorder: 'no', pregnant: 'no' } });
  await page.screenshot({ path: 'docs/screenshots/screening.png' });

  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: new Date().toISOString().slice(0, 10),
  });
  expect(course.status).toBe(201);
  await page.close();
});
