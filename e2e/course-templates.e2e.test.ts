import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eligibleAnswers } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';

/** A clinic edits a course template in the app (issue 5 §3: templates editable per clinic). */
let server: RunningServer;
let browser: Browser;
const EMAIL = 'templates@clinic.example.org';
const PASSWORD = 'template editing passphrase';

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: EMAIL, REIN_ADMIN_PASSWORD: PASSWORD });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('edits a built-in template into a clinic template, and names a refused field', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Course templates' }).click();
  const table = page.getByRole('table', { name: 'Course templates' });
  const firstRow = table.getByRole('row').nth(1);
  await firstRow.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByLabel('Template JSON');
  const original = JSON.parse(await editor.inputValue());
  await editor.fill(JSON.stringify({ ...original, name: 'Our induction (edited)' }, null, 2));
  await page.getByRole('button', { name: 'Save for this clinic' }).click();
  await table.getByText('Our induction (edited)').waitFor();
  const row = table.getByRole('row').filter({ hasText: 'Our induction (edited)' });
  expect(await row.getByText('clinic', { exact: true }).count()).toBe(1);

  await row.getByRole('button', { name: 'Edit' }).click();
  await editor.fill(JSON.stringify({ ...original, phases: 'none' }, null, 2));
  await page.getByRole('button', { name: 'Save for this clinic' }).click();
  await page.getByRole('alert').filter({ hasText: 'Phases must be a list' }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/course-templates.png', fullPage: true });
  await page.close();
});

it('shows a scheduled course on the clinic calendar, by day and room', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Calendar', exact: true }).waitFor();
  const course = await page.evaluate(async (answers) => {
    const me = await (await fetch('/api/auth/me')).json();
    const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken };
    const patient = await (
      await fetch('/api/patients', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          mrn: 'CAL-1',
          givenName: 'Wren',
          familyName: 'Calendar-Test',
          dateOfBirth: '1985-06-01',
          sexAtBirth: 'female',
        }),
      })
    ).json();
    const screened = await fetch(`/api/patients/${patient.id}/eligibility`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ answers }),
    });
    if (screened.status !== 201) throw new Error(`screening: ${screened.status}`);
    const res = await fetch(`/api/patients/${patient.id}/courses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ templateId: 'iv-induction-2x-weekly-3wk', startDate: '2027-05-03' }),
    });
    return res.json();
  }, eligibleAnswers('iv-ketamine'));
  const first = course.sessions[0] as { date: string; roomId: string };
  await page.goto(`${server.url}/calendar?week=${first.date}`);
  const day = page.getByRole('region', { name: `Sessions on ${first.date}` });
  await day.getByRole('link', { name: 'Calendar-Test, Wren' }).waitFor();
  expect(await day.textContent()).toContain(first.roomId);
  await page.screenshot({ path: 'docs/screenshots/calendar.png' });
  await page.close();
});
