import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * The alert history on the Alerts page holds more acknowledged alerts than one page: the first
 * page shows the newest acknowledgements, "Show more" adds the rest once each, and the button goes
 * when nothing is left.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@alerts-history.example.org', password: 'alerts history passphrase 1' };
/** The server's page size for the alert history (acknowledgedAlertsQuery's default limit). */
const PAGE = 50;
const ACKNOWLEDGED = PAGE + 5;

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
  const { send } = await apiClient(server, admin);
  const patients: string[] = [];
  for (const [givenName, familyName] of [
    ['Robin', 'History'],
    ['Kai', 'Archive'],
  ] as const) {
    const p = await send('POST', '/api/patients', {
      mrn: `HIST-${familyName.toUpperCase()}`,
      givenName,
      familyName,
      dateOfBirth: '1988-09-14',
      sexAtBirth: 'female',
    });
    expect(p.status).toBe(201);
    patients.push(p.json.id as string);
  }
  // Each PHQ-9 with a positive item 9 raises one alert; each is acknowledged with its own note.
  for (let n = 1; n <= ACKNOWLEDGED; n++) {
    const r = await send('POST', `/api/patients/${patients[n % 2]}/assessments`, {
      instrument: 'phq9',
      version: '1.0.0',
      context: 'weekly',
      administeredAt: new Date().toISOString(),
      answers: [1, 1, 1, 1, 0, 0, 0, 0, 1],
    });
    expect(r.status).toBe(201);
    const alert = r.json.alert as { id: string } | null;
    expect(alert).not.toBeNull();
    const ack = await send('POST', `/api/alerts/${alert!.id}/acknowledge`, {
      action: 'contacted-patient',
      note: `Called back, call ${n}.`,
    });
    expect(ack.status).toBe(200);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 768, height: 1024 },
]) {
  it(`pages through the acknowledged alerts at ${viewport.width}×${viewport.height}`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await logIn(page, server, admin);
    await page.goto(`${server.url}/alerts`);
    const history = page.getByRole('table', { name: 'Acknowledged alerts' });
    const notes = () => history.getByText(/^Called back, call \d+\.$/).allTextContents();
    await history.getByText(`Called back, call ${ACKNOWLEDGED}.`).waitFor();

    // The first page: the newest acknowledgements, newest first.
    const first = await notes();
    expect(first).toHaveLength(PAGE);
    expect(first[0]).toBe(`Called back, call ${ACKNOWLEDGED}.`);
    expect(first.at(-1)).toBe(`Called back, call ${ACKNOWLEDGED - PAGE + 1}.`);
    await page.getByText('No open alerts.').waitFor();
    // The table fits the page: no sideways scrolling of the whole window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );
    await page.screenshot({ path: `docs/screenshots/alerts-history-${viewport.width}.png` });

    // The rest, once each, and no button when nothing is left.
    const more = page.getByRole('button', { name: `Show more (${ACKNOWLEDGED - PAGE} more)` });
    await more.click();
    await history.getByText('Called back, call 1.', { exact: true }).waitFor();
    const all = await notes();
    expect(all).toHaveLength(ACKNOWLEDGED);
    expect(new Set(all).size).toBe(ACKNOWLEDGED);
    expect(all.slice(0, PAGE)).toEqual(first);
    expect(all.at(-1)).toBe('Called back, call 1.');
    expect(await page.getByRole('button', { name: /Show more/ }).count()).toBe(0);
    await context.close();
  });
}
