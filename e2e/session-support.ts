import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { eligibleAnswers, signOrderForPlanVia, type SendJson } from '../src/server/test-support';
import type { RunningServer } from './harness';
import { clinicDateFormat, DEFAULT_CLINIC_LOCALE } from '../src/clinical/vocabulary/date-format';

/**
 * Types a date into a date picker as a nurse does, in the clinic's pattern (MM/DD/YYYY for the
 * default en-US), then leaves the field so its calendar closes and it shows the date it read.
 */
export async function fillDate(input: Locator, isoDate: string, locale: string = DEFAULT_CLINIC_LOCALE) {
  await input.fill(clinicDateFormat(locale).date(isoDate));
  await input.blur();
}

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

/**
 * Signs, through the API as the admin (who may prescribe), the order for the dose plan of the
 * session open in `page`, and waits for the page to show it: dosing starts only against a signed
 * order, and the Start button stays off until the page has it.
 */
export async function signOrderForOpenSession(page: Page, send: SendJson): Promise<void> {
  const m = /\/patients\/([^/]+)\/sessions\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  if (!m) throw new Error(`not on a session page: ${page.url()}`);
  await signOrderForPlanVia(send, `/api/patients/${m[1]}/sessions/${m[2]}`);
  await page.getByRole('region', { name: 'Order' }).getByTestId('signed-order').waitFor();
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

/** From the patient page: screen (every question answered, nothing found), approve (optional screenshot of the Treatment section), schedule a course from `template`, open session 1. */
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
  // The screening is for the course's treatment (a screening covers one modality).
  if (/esketamine|spravato/i.test(template)) {
    await section.getByRole('textbox', { name: 'Treatment', exact: true }).click();
    await page.getByRole('option', { name: 'Esketamine (intranasal)', exact: true }).click();
  }
  await answerScreening(page, section);
  await section.getByRole('button', { name: 'Screen eligibility' }).click();
  await section.getByTestId('eligibility').getByText('eligible', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'Approve' }).click();
  await section.getByText(/Approved by/).waitFor();
  if (screenshot) await section.screenshot({ path: screenshot });
  await section.getByRole('textbox', { name: 'Course template' }).click();
  await page.getByRole('option', { name: template }).click();
  await fillDate(section.getByLabel('Start date'), new Date().toISOString().slice(0, 10));
  await section.getByRole('button', { name: 'Schedule course' }).click();
  const schedule = page.getByRole('table', { name: 'Sessions' });
  await schedule.waitFor();
  await page.getByRole('region', { name: 'Suggestions' }).getByText('Next booster').waitFor();
  await schedule.getByRole('link', { name: 'Open session' }).first().click();
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('region', { name: 'Pre-session checklist' }).waitFor();
}

/** Screening answers with nothing found, as the form's labels and option names. */
export const CLEAN_SCREENING: Record<string, string> = {
  Diagnosis: 'MDD, treatment-resistant',
  'Taking an oral antidepressant': 'Yes',
  'Aneurysmal vascular disease or AVM': 'No',
  'History of intracerebral haemorrhage': 'No',
  'Hypersensitivity to ketamine / esketamine': 'No',
  Hypertension: 'none',
  'Unstable cardio- / cerebrovascular disease': 'No',
  'History of hypertensive encephalopathy': 'No',
  'Raised intracranial pressure': 'No',
  'Raised intra-ocular pressure (glaucoma)': 'No',
  'Seizure disorder': 'No',
  'History of psychosis': 'No',
  'History of bipolar disorder or mania': 'No',
  'Current suicidal intent': 'No',
  'Substance use disorder': 'none',
  'Ketamine or PCP misuse': 'No',
  Pregnant: 'No',
  Breastfeeding: 'No',
  'Hepatic impairment': 'none',
  'Prior adverse reaction to ketamine': 'No',
  'Ulcerative / interstitial cystitis': 'No',
  'Known allergies': 'None known',
};

/** Answers every screening question in the open form except those in `skip`. */
export async function answerScreening(page: Page, section: Locator, skip: string[] = []): Promise<void> {
  const numbers: Record<string, string> = {
    'Failed antidepressant trials': '2',
    'Baseline systolic (mmHg)': '124',
    'Baseline diastolic (mmHg)': '78',
  };
  for (const [label, value] of Object.entries(numbers)) {
    if (!skip.includes(label)) await section.getByLabel(label, { exact: true }).fill(value);
  }
  for (const [label, option] of Object.entries(CLEAN_SCREENING)) {
    if (skip.includes(label)) continue;
    await section.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
}

/** An eligible screening over the API (for tests that schedule courses without the form). */
export async function screenEligibleVia(
  send: Awaited<ReturnType<typeof apiClient>>['send'],
  patientId: string,
  modality: 'iv-ketamine' | 'esketamine' = 'iv-ketamine',
): Promise<void> {
  const res = await send('POST', `/api/patients/${patientId}/eligibility`, {
    answers: eligibleAnswers(modality),
  });
  expect(res.status).toBe(201);
}

/** Today's pre-session PHQ-9 and C-SSRS screener (no symptoms), recorded over the API. */
export async function recordPreSessionAssessmentsVia(
  send: Awaited<ReturnType<typeof apiClient>>['send'],
  patientId: string,
): Promise<void> {
  const common = { version: '1.0.0', context: 'pre-session', administeredAt: new Date().toISOString() };
  for (const body of [
    { ...common, instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] },
    { ...common, instrument: 'cssrs-screener', answers: [0, 0, null, null, null, 0, null] },
  ]) {
    const res = await send('POST', `/api/patients/${patientId}/assessments`, body);
    expect(res.status).toBe(201);
  }
}
