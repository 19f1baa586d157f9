import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { eligibleAnswers } from '../src/server/test-support';
import { apiClient, logIn, openAllDay } from './session-support';

/**
 * A clinic's day in words a nurse understands, at a laptop (1440×900) and a tablet (768×1024): a
 * refused no-show reads as a sentence (not "Kind: …"), the calendar names each treatment as the
 * clinic does (not "iv-ketamine"), and the Users table fits the laptop's page.
 */
let server: RunningServer;
let browser: Browser;
let send: Awaited<ReturnType<typeof apiClient>>['send'];
let tomorrow: string;
const admin = { email: 'director@clinic-day.example.org', password: 'clinic day passphrase 1' };

/** Program names a clinician must not read. */
const CODES = /\bKind:|\biv-ketamine\b|\besketamine-[a-z]|\bbody\.[a-z]/;

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
  ({ send } = await apiClient(server, admin));
  await openAllDay(send);
  const today = (await send('GET', '/api/clinic/identity')).json.today as string;
  tomorrow = addDays(today, 1);
  for (const [email, name, role] of [
    ['nadia@clinic-day.example.org', 'Nadia Nurse', 'nurse'],
    ['pavel.prescriber.long-address@clinic-day.example.org', 'Pavel Prescriber', 'prescriber'],
    ['frida@clinic-day.example.org', 'Frida Front-Desk', 'staff'],
  ] as const) {
    expect((await send('POST', '/api/users', { email, name, role })).status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A patient screened eligible with a course of `templateId` starting tomorrow. */
async function courseFromTomorrow(
  mrn: string,
  familyName: string,
  modality: 'iv-ketamine' | 'esketamine',
  templateId: string,
) {
  const p = await send('POST', '/api/patients', {
    mrn,
    givenName: 'Dana',
    familyName,
    // Over 50: the screening carries the age note.
    dateOfBirth: '1968-07-21',
    sexAtBirth: 'female',
  });
  expect(p.status).toBe(201);
  const patientId = p.json.id as string;
  const screened = await send('POST', `/api/patients/${patientId}/eligibility`, {
    answers: eligibleAnswers(modality, { ageYears: 58 }),
  });
  expect(screened.status).toBe(201);
  const c = await send('POST', `/api/patients/${patientId}/courses`, { templateId, startDate: tomorrow });
  expect(c.status, JSON.stringify(c.json)).toBe(201);
  return { patientId, courseId: c.json.id as string };
}

async function expectNoCodes(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(CODES)?.[0] ?? null).toBeNull();
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
]) {
  it(`reads as a nurse speaks at ${viewport.width}×${viewport.height}`, async () => {
    const w = viewport.width;
    const iv = await courseFromTomorrow(
      `DAY-IV-${w}`,
      `Infusion${w}`,
      'iv-ketamine',
      'iv-induction-2x-weekly-3wk',
    );
    await courseFromTomorrow(`DAY-ESK-${w}`, `Spray${w}`, 'esketamine', 'esketamine-trd-label');
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, server, admin);

    // The screening's notes say what kind of rule they are in words, without the rule's id.
    await page.goto(`${server.url}/patients/${iv.patientId}`);
    const screening = page.getByRole('region', { name: 'Treatment' }).getByTestId('eligibility');
    await screening.getByText('eligible', { exact: true }).waitFor();
    await screening.getByText(/^Note: Age 50 or over/).waitFor();
    expect(
      (await screening.innerText()).match(
        /ELIG-[A-Z0-9-]+|^(note|caution|contraindication)\b|needs-review/m,
      )?.[0] ?? null,
    ).toBeNull();

    // Tomorrow's session cannot be a no-show yet: the refusal is a sentence, not "Kind: …".
    await page.goto(`${server.url}/patients/${iv.patientId}/courses/${iv.courseId}`);
    const first = page.getByTestId('session-row-1');
    await first.getByLabel('Status: Booked').waitFor();
    await first.getByRole('button', { name: 'Change booking' }).click();
    await page.getByRole('menuitem', { name: 'Mark no-show…' }).click();
    const noShow = page.getByRole('dialog', { name: 'Mark session a no-show' });
    await noShow.getByLabel('Reason').fill('Not here yet');
    await noShow.getByRole('button', { name: 'Mark no-show' }).click();
    await noShow
      .getByText('A session is marked a no-show only once its booked time has come.', { exact: true })
      .waitFor();
    await expectNoCodes(page);
    await noShow.screenshot({ path: `docs/screenshots/no-show-refused-${w}.png` });
    await page.keyboard.press('Escape');
    await first.getByLabel('Status: Booked').waitFor();

    // The calendar names each treatment as the clinic does.
    await page.goto(`${server.url}/calendar?week=${tomorrow}`);
    const day = page.getByRole('region', { name: `Sessions on ${tomorrow}` });
    const ivTile = day.getByTestId('calendar-session').filter({ hasText: `Infusion${w}` });
    const eskTile = day.getByTestId('calendar-session').filter({ hasText: `Spray${w}` });
    await ivTile.getByText('IV ketamine', { exact: true }).waitFor();
    await eskTile.getByText('Esketamine (intranasal)', { exact: true }).waitFor();
    await expectNoCodes(page);
    await page.screenshot({ path: `docs/screenshots/calendar-treatments-${w}.png` });

    // The Users table: on a laptop it fits the page; on a tablet only the table scrolls, and
    // every user's actions are there.
    await page.goto(`${server.url}/users`);
    const table = page.getByRole('table', { name: 'Users' });
    await table.getByText('Frida Front-Desk').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    const overflow = await table.evaluate(
      (t) => t.getBoundingClientRect().width - t.closest('.mantine-Paper-root')!.clientWidth,
    );
    if (w === 1440) expect(overflow).toBeLessThanOrEqual(0);
    const pavel = table.getByRole('row').filter({ hasText: 'Pavel Prescriber' });
    for (const name of ['Identifiers', 'Disable', 'Reset password', 'Unlock login']) {
      await pavel.getByRole('button', { name }).scrollIntoViewIfNeeded();
      expect(await pavel.getByRole('button', { name }).isVisible()).toBe(true);
    }
    // Scrolled to the actions, the row still says whose they are.
    const frame = await table.evaluate((t) => {
      const r = t.closest('.mantine-Paper-root')!.getBoundingClientRect();
      return { left: r.left, right: r.right };
    });
    const name = await pavel.getByText('Pavel Prescriber', { exact: true }).boundingBox();
    expect(name!.x).toBeGreaterThanOrEqual(frame.left);
    expect(name!.x + name!.width).toBeLessThanOrEqual(frame.right);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `docs/screenshots/users-table-${w}.png` });
    await context.close();
  });
}
