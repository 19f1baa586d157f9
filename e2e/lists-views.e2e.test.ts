import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, logIn } from './session-support';

/**
 * Lists and charts on the demo clinic at a laptop (1440) and a tablet (768): the due list (one line
 * per patient and instrument with its due time, sorted and filtered, a self-report link from the
 * line); a PHQ-9 trajectory on a time axis with each session at its own time.
 */
let server: RunningServer;
let browser: Browser;
const admin = { email: 'director@lists.example.org', password: 'lists passphrase 1' };
type Send = Awaited<ReturnType<typeof apiClient>>['send'];
let send: Send;
const VIEWPORTS = [
  { width: 1440, height: 1000 },
  { width: 768, height: 1024 },
];

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
  send = (await apiClient(server, admin)).send;
  expect((await send('POST', '/api/clinic/demo', {})).status).toBe(201);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Trajectory {
  series: { instrument: string; points: { at: string; total: number }[] }[];
  sessions: { id: string; startAt: string }[];
}

/** A demo patient whose PHQ-9 points are unevenly spaced in time (induction, then follow-ups). */
async function unevenPhq9Patient(): Promise<{ patientId: string; trajectory: Trajectory }> {
  for (let offset = 0; offset < 60; offset += 20) {
    const list = (await send('GET', `/api/patients?limit=20&offset=${offset}`)).json.items as {
      id: string;
    }[];
    for (const p of list) {
      const t = (await send('GET', `/api/patients/${p.id}/trajectory`)).json as unknown as Trajectory;
      const phq9 = t.series.find((s) => s.instrument === 'phq9');
      if (!phq9 || phq9.points.length < 4) continue;
      const times = phq9.points.map((q) => Date.parse(q.at));
      const gaps = times.slice(1).map((x, k) => x - times[k]!);
      if (Math.max(...gaps) > 3 * Math.min(...gaps) && t.sessions.length > 0) {
        return { patientId: p.id, trajectory: t };
      }
    }
  }
  throw new Error('no demo patient with an unevenly spaced PHQ-9 trajectory');
}

/** x (px) of the trajectory's dots and of its vertical reference lines (the sessions). */
async function chartGeometry(page: Page): Promise<{ dots: number[]; verticals: number[] }> {
  const chart = page.getByTestId('trajectory').locator('.recharts-wrapper').first();
  await page.getByTestId('trajectory').waitFor();
  await page.getByTestId('trajectory').scrollIntoViewIfNeeded();
  await chart.locator('.recharts-line-dots circle').first().waitFor({ state: 'attached' });
  const dots = await chart
    .locator('.recharts-line-dots circle')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
  const verticals = await chart
    .locator('.recharts-reference-line line')
    .evaluateAll((els) =>
      els
        .filter((e) => e.getAttribute('x1') === e.getAttribute('x2'))
        .map((e) => Number(e.getAttribute('x1'))),
    );
  return { dots, verticals };
}

it('the due list: one line per patient and instrument with its due time, sorted, filtered, a link', async () => {
  for (const viewport of VIEWPORTS) {
    const page = await browser.newPage({ viewport });
    await logIn(page, server, admin);
    await page.goto(`${server.url}/due`);
    const table = page.getByTestId('due-table');
    await table.waitFor();
    const lines = async () =>
      table.locator('tbody tr').evaluateAll((rows) =>
        rows.map((r) => {
          const cells = [...r.querySelectorAll('td')].map((c) => c.textContent ?? '');
          return {
            patient: cells[0] ?? '',
            instrument: (cells[2] ?? '').split(' · ')[0] ?? '',
            dueAt: r.querySelector('time')?.getAttribute('datetime') ?? '',
            overdue: r.hasAttribute('data-overdue'),
          };
        }),
      );
    const byDue = await lines();
    expect(byDue.length).toBeGreaterThan(1);
    // Every line has its due time, earliest first, and no patient has the same instrument twice.
    for (const l of byDue) expect(l.dueAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (let k = 1; k < byDue.length; k++) expect(byDue[k]!.dueAt >= byDue[k - 1]!.dueAt).toBe(true);
    const keys = byDue.map((l) => `${l.patient}|${l.instrument}`);
    expect(new Set(keys).size).toBe(keys.length);

    await page.locator('label', { hasText: /^Patient$/ }).click();
    await expect
      .poll(async () => {
        const names = (await lines()).map((l) => l.patient);
        return names.join('\n') === [...names].sort((a, b) => a.localeCompare(b)).join('\n');
      })
      .toBe(true);

    await page.locator('label', { hasText: /^Due date$/ }).click();
    await page.getByLabel('Overdue only').check();
    await expect.poll(async () => (await lines()).every((l) => l.overdue)).toBe(true);
    await page.getByLabel('Overdue only').uncheck();
    await page.getByRole('textbox', { name: 'Instrument' }).click();
    await page.getByRole('option', { name: 'PHQ-9', exact: true }).click();
    await expect.poll(async () => (await lines()).every((l) => l.instrument.includes('PHQ-9'))).toBe(true);
    await page.screenshot({ path: `docs/screenshots/due-list-${viewport.width}.png`, fullPage: true });

    // A self-report link for the patient of a line, from the line.
    const first = table.locator('tbody tr').first();
    const name = (await first.locator('td').first().textContent())!;
    await first.getByRole('button', { name: 'Send link' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = await dialog.getByTestId('portal-url').inputValue();
    expect(url).toMatch(/\/portal\//);
    const [family, given] = name.split(', ');
    await dialog.getByText(`Self-report link for ${given} ${family}`).waitFor();
    await page.close();
  }
});

it('the PHQ-9 trajectory is on a time axis, each session at its own time', async () => {
  const { patientId, trajectory } = await unevenPhq9Patient();
  const phq9 = trajectory.series.find((s) => s.instrument === 'phq9')!;
  const times = phq9.points.map((p) => Date.parse(p.at)).sort((a, b) => a - b);
  for (const viewport of VIEWPORTS) {
    const page = await browser.newPage({ viewport });
    await logIn(page, server, admin);
    await page.goto(`${server.url}/patients/${patientId}`);
    const { dots, verticals } = await chartGeometry(page);
    expect(dots).toHaveLength(times.length);
    // x is linear in time: each dot where its instant falls between the first and the last.
    const px = (t: number) =>
      dots[0]! + ((t - times[0]!) / (times.at(-1)! - times[0]!)) * (dots.at(-1)! - dots[0]!);
    times.forEach((t, k) => expect(Math.abs(dots[k]! - px(t))).toBeLessThan(2));
    // Sessions within the points' span sit at their own instants.
    const inSpan = trajectory.sessions
      .map((s) => Date.parse(s.startAt))
      .filter((t) => t >= times[0]! && t <= times.at(-1)!);
    expect(inSpan.length).toBeGreaterThan(0);
    for (const t of inSpan) expect(verticals.some((x) => Math.abs(x - px(t)) < 2)).toBe(true);
    await page.getByTestId('trajectory').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `docs/screenshots/trajectory-time-axis-${viewport.width}.png` });
    await page.close();
  }
});
