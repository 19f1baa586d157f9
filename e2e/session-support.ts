import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from './harness';

/** Shared set-up for the session browser tests: an API client logged in as the admin. */
export async function apiClient(server: RunningServer, admin: { email: string; password: string }) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const send = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { send };
}

/** Opens the clinic 08:00–18:00 every day of the week, so a course scheduled today starts today. */
export async function openAllDay(send: Awaited<ReturnType<typeof apiClient>>['send']): Promise<void> {
  const settings = (await send('GET', '/api/session-settings')).json;
  const allDay = [{ openMin: 8 * 60, closeMin: 18 * 60 }];
  const res = await send('PUT', '/api/session-settings', {
    ...settings,
    clinicHours: [allDay, allDay, allDay, allDay, allDay, allDay, allDay],
  });
  expect(res.status).toBe(200);
}

export async function logIn(page: Page, server: RunningServer, admin: { email: string; password: string }) {
  await page.goto(server.url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Patients' }).waitFor();
}

/** From the patient page: screen (all answers clean), approve (optional screenshot of the Treatment section), schedule a course from `template`, open session 1. */
export async function screenScheduleAndOpenFirstSession(
  page: Page,
  server: RunningServer,
  patientId: string,
  template: string,
  screenshot?: string,
): Promise<void> {
  await page.goto(`${server.url}/patients/${patientId}`);
  const section = page.getByRole('region', { name: 'Treatment' });
  await section.getByText('Not screened yet.').waitFor();
  await section.getByRole('button', { name: 'New screening' }).click();
  await section.getByRole('button', { name: 'Screen eligibility' }).click();
  await section.getByTestId('eligibility').getByText('eligible', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'Approve' }).click();
  await section.getByText(/Approved by/).waitFor();
  if (screenshot) await section.screenshot({ path: screenshot });
  await section.getByRole('textbox', { name: 'Course template' }).click();
  await page.getByRole('option', { name: template }).click();
  await section.getByLabel('Start date').fill(new Date().toISOString().slice(0, 10));
  await section.getByRole('button', { name: 'Schedule course' }).click();
  const schedule = page.getByRole('table', { name: 'Sessions' });
  await schedule.waitFor();
  await page.getByRole('region', { name: 'Suggestions' }).getByText('Next booster').waitFor();
  await schedule.getByRole('link', { name: 'Open session' }).first().click();
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('region', { name: 'Pre-session checklist' }).waitFor();
}
