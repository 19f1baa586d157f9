import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { READY_CHECKLIST } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * Words a nurse understands: on the pages a nurse works in — a refused weight, a blocked
 * checklist, the session's thresholds and the alarm settings — no text shows a field path, zod's
 * wording or a bare evidence code; evidence is a labelled badge whose source shows on focus; the
 * phase badge says a blocked checklist is blocked.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@words.example.org', password: 'plain words passphrase 1' };

/** What a clinician must never read. */
const MACHINE_WORDS =
  /\b(body|querystring|params)\.[a-z]|\[(U|S|V)\]|Expected|Invalid input|Invalid option|Too (big|small)|received undefined|CHECKLIST-DONE|checklist-done/;

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

async function expectPlain(page: Page): Promise<void> {
  const text = await visibleText(page);
  expect(text.match(MACHINE_WORDS)?.[0] ?? null).toBeNull();
}

it('shows refusals, phases and evidence in plain words at 1440 and 768 px', async () => {
  const { send } = await apiClient(server, admin);
  await openAllDay(send);
  const today = ((await send('GET', '/api/clinic/identity')).json.today as string) ?? '';
  const p = await send('POST', '/api/patients', {
    mrn: 'WORDS-0001',
    givenName: 'Noor',
    familyName: 'Plain-Words',
    dateOfBirth: '1984-02-11',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  await screenEligibleVia(send, patientId);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: today,
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  // No escort: the checklist is recorded, and blocked.
  const checklist = await send('POST', `${base}/checklist`, {
    ...READY_CHECKLIST,
    escortArranged: false,
    weightKg: 80,
  });
  expect(checklist.status).toBe(200);

  for (const width of [1440, 768]) {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    await logIn(page, server, admin);

    // A refused weight: the sentence names the field and its range, nothing else.
    await page.goto(`${server.url}/patients/${patientId}`);
    const form = page.getByRole('form', { name: 'Record weight and height' });
    await form.getByLabel('Weight (kg)').fill('900');
    await form.getByRole('button', { name: 'Record' }).click();
    await form.getByText('must be between 10 and 500 kg').waitFor();
    await expectPlain(page);
    // Assessments entered by staff say who entered them, and their correction button says what it does.
    await page.getByRole('button', { name: 'Correct this entry' }).first().waitFor();
    await page
      .getByText(/^Entered by .+ for the patient$/)
      .first()
      .waitFor();
    expect(await visibleText(page)).not.toMatch(/patient \(entered\)/);

    // The session: a blocked checklist is never "done"; thresholds carry their evidence in words.
    await page.goto(`${server.url}/patients/${patientId}/sessions/${sessionId}`);
    await expect
      .poll(() => page.getByTestId('session-phase').textContent(), { timeout: 15_000 })
      .toBe('Checklist blocked');
    await expectPlain(page);

    // The alarm settings: each default's evidence is a labelled badge; its source shows on focus.
    await page.goto(`${server.url}/session-settings`);
    const badge = page.locator('[data-evidence]').first();
    await badge.waitFor();
    expect(['Verified', 'Secondary source', 'Unverified', 'Clinic setting', 'Computed', 'Derived']).toContain(
      (await badge.textContent())?.trim(),
    );
    await badge.focus();
    await page.getByRole('tooltip').waitFor();
    expect(await page.getByRole('tooltip').innerText()).not.toMatch(MACHINE_WORDS);
    await expectPlain(page);
    await page.screenshot({ path: `docs/screenshots/plain-words-${width}.png`, fullPage: true });
    await page.close();
  }
});
