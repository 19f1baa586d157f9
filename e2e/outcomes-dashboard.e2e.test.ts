import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { type RunningServer, startOnThrowawayDatabase, stopThrowawayRig } from './harness';
import { apiClient, logIn, screenEligibleVia } from './session-support';

/**
 * The outcomes dashboard on a small synthetic cohort: 12 IV courses with PHQ-9 trajectories
 * (responders, non-responders, relapses), dosing starts and a few adverse events / high BP readings
 * written straight into the session log of a throwaway PostgreSQL database.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
const admin = { email: 'director@outcomes.example.org', password: 'outcomes passphrase 1' };

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** PHQ-9 answers (9 items + difficulty) with the given total and item 9. */
function answers(total: number, item9: number): number[] {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let left = total - item9;
  for (let round = 0; left > 0 && round < 3; round++) {
    for (let i = 0; i < 8 && left > 0; i++) {
      items[i]!++;
      left--;
    }
  }
  return [...items, 1];
}

it('shows outcome rates with intervals beside published figures and the durability curve', async () => {
  const { send } = await apiClient(server, admin);
  const me = (await send('GET', '/api/auth/me')).json as { user?: { id: string }; id?: string };
  const userId = (me.user?.id ?? me.id)!;
  // [baseline, end, +14 d, +28 d, +42 d, +56 d]; item 9 at baseline / end.
  const trajectories: [number[], number, number][] = [
    [[20, 6, 7, 8, 9, 9], 1, 0],
    [[18, 4, 5, 6, 12, 14], 1, 0],
    [[22, 9, 14, 16, 18, 18], 2, 0],
    [[16, 12, 13, 14, 15, 15], 0, 0],
    [[24, 10, 11, 15, 17, 19], 1, 1],
    [[19, 3, 4, 4, 5, 6], 0, 0],
    [[21, 15, 16, 17, 18, 18], 1, 1],
    [[17, 8, 7, 9, 10, 12], 0, 0],
    [[23, 11, 20, 21, 21, 22], 2, 1],
    [[20, 14, 15, 15, 16, 16], 1, 2],
    [[18, 7, 8, 8, 8, 9], 0, 0],
    [[25, 12, 13, 14, 21, 22], 1, 0],
  ];
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const [i, [scores, si0, si1]] of trajectories.entries()) {
      const p = await send('POST', '/api/patients', {
        mrn: `OUT-${100 + i}`,
        givenName: `Test${i}`,
        familyName: 'Cohort',
        dateOfBirth: '1980-01-01',
        sexAtBirth: i % 2 ? 'male' : 'female',
      });
      expect(p.status).toBe(201);
      const pid = p.json.id as string;
      const start = addDays('2026-01-05', i * 3);
      await screenEligibleVia(send, pid);
      const c = await send('POST', `/api/patients/${pid}/courses`, {
        templateId: 'iv-induction-2x-weekly-3wk',
        startDate: start,
      });
      expect(c.status).toBe(201);
      const sessions = c.json.sessions as { id: string; date: string }[];
      const clinicId = (await client.query('select clinic_id from patients where id = $1', [pid])).rows[0]
        .clinic_id as string;
      for (const [k, s] of sessions.entries()) {
        const t0 = `${s.date}T09:00:00Z`;
        await client.query(
          `insert into session_events (clinic_id, id, session_id, kind, time_min, payload, recorded_by, recorded_at)
           values ($1, gen_random_uuid(), $2, 'dosing-start', 0, '{}', $3, $4)`,
          [clinicId, s.id, userId, t0],
        );
        if ((i + k) % 9 === 0) {
          await client.query(
            `insert into session_events (clinic_id, id, session_id, kind, time_min, payload, recorded_by, recorded_at)
             values ($1, gen_random_uuid(), $2, 'adverse-event', 20, $3, $4, $5)`,
            [
              clinicId,
              s.id,
              JSON.stringify({
                category: 'nausea',
                severity: 'mild',
                actionTaken: 'observed',
                serious: false,
              }),
              userId,
              t0,
            ],
          );
        }
        if ((i * 7 + k) % 23 === 0) {
          await client.query(
            `insert into session_events (clinic_id, id, session_id, kind, time_min, payload, recorded_by, recorded_at)
             values ($1, gen_random_uuid(), $2, 'vitals', 30, $3, $4, $5)`,
            [clinicId, s.id, JSON.stringify({ sbpMmHg: 186, dbpMmHg: 98 }), userId, t0],
          );
        }
      }
      const last = sessions[sessions.length - 1]!.date;
      const when = [
        addDays(start, -1),
        addDays(last, 2),
        addDays(last, 14),
        addDays(last, 28),
        addDays(last, 42),
        addDays(last, 56),
      ];
      for (const [j, total] of scores.entries()) {
        const r = await send('POST', `/api/patients/${pid}/assessments`, {
          instrument: 'phq9',
          version: '1.0.0',
          context: j === 0 ? 'baseline' : 'weekly',
          administeredAt: `${when[j]}T10:00:00Z`,
          answers: answers(total, j === 0 ? si0 : j === 1 ? si1 : 0),
        });
        expect(r.status, JSON.stringify(r.json)).toBe(201);
      }
    }
  } finally {
    await client.end();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await logIn(page, server, admin);
  await page.getByRole('link', { name: 'Outcomes' }).click();
  const rates = page.getByRole('table', { name: 'Outcome and safety rates' });
  await rates.waitFor();
  await expect.poll(() => rates.getByRole('row').count()).toBe(12);
  await page.getByText('53.6 %').waitFor();
  await page.getByLabel('Kaplan–Meier durability curve').waitFor();
  await page.screenshot({ path: 'docs/screenshots/outcomes-dashboard.png', fullPage: true });
  await page.getByText('Table', { exact: true }).click();
  await page.getByRole('table', { name: 'Durability table' }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download curve (CSV)' }).click();
  expect((await download).suggestedFilename()).toBe('rein-durability.csv');
  // The treatment filter names treatments as everywhere else; every course here is IV ketamine.
  await page.getByRole('textbox', { name: 'Treatment' }).click();
  await page.getByRole('option', { name: 'Esketamine (intranasal)' }).waitFor();
  await page.getByRole('option', { name: 'IV ketamine' }).click();
  await page.getByText('53.6 %').waitFor();
  await page.close();
});
