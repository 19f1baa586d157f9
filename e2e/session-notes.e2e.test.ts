import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { READY_CHECKLIST } from '../src/server/test-support';
import { type RunningServer, startOnThrowawayDatabase, stopThrowawayRig } from './harness';
import {
  apiClient,
  logIn,
  openAllDay,
  recordPreSessionAssessmentsVia,
  screenEligibleVia,
} from './session-support';

/**
 * Clinical notes in the browser: after the prescriber signs the order and the nurse doses, the
 * nurse writes the IV administration note from its prefilled template and signs it; the signed
 * note is locked; the prescriber co-signs it and adds an addendum; the patient page lists it as
 * co-signed. And a patient allergic to ketamine: the prescriber's order is refused, with the reason
 * on screen.
 */
let server: RunningServer;
let browser: Browser;
let db: { url: string; drop(): Promise<void> };
let send: Awaited<ReturnType<typeof apiClient>>['send'];
const admin = { email: 'director@notes.example.org', password: 'notes e2e passphrase 1' };
const prescriber = { email: 'priya@notes.example.org', password: 'prescriber passphrase 22' };
const nurse = { email: 'nate@notes.example.org', password: 'nurse passphrase 333' };

async function addUser(
  user: { email: string; password: string },
  name: string,
  role: 'prescriber' | 'nurse',
) {
  const temporary = `temporary ${role} passphrase`;
  expect(
    (await send('POST', '/api/users', { email: user.email, name, role, password: temporary })).status,
  ).toBe(201);
  const first = await apiClient(server, { email: user.email, password: temporary });
  const changed = await first.send('POST', '/api/auth/password', {
    currentPassword: temporary,
    newPassword: user.password,
  });
  expect(changed.status).toBe(200);
}

beforeAll(async () => {
  ({ db, server, browser } = await startOnThrowawayDatabase(admin));
  ({ send } = await apiClient(server, admin));
  await openAllDay(send);
  await addUser(prescriber, 'Priya Prescriber', 'prescriber');
  await addUser(nurse, 'Nate Nurse', 'nurse');
});

afterAll(() => stopThrowawayRig({ browser, server, db }));

/** A patient checked in for today's first IV session, with the checklist done (80 kg). */
let patients = 0;
async function checkedInPatient(familyName: string, allergicTo?: string) {
  // A fresh MRN each time, so a retried test does not meet the patient its first try made.
  const p = await send('POST', '/api/patients', {
    mrn: `NOTE-${String(++patients).padStart(4, '0')}`,
    givenName: 'Nora',
    familyName,
    dateOfBirth: '1979-06-07',
    sexAtBirth: 'female',
  });
  const patientId = p.json.id as string;
  if (allergicTo) {
    const allergy = await send('POST', `/api/patients/${patientId}/allergies`, {
      substance: allergicTo,
      reaction: 'anaphylaxis',
      severity: 'severe',
      source: 'previous-record',
    });
    expect(allergy.status).toBe(201);
  }
  await screenEligibleVia(send, patientId);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: new Date().toISOString().slice(0, 10),
  });
  expect(course.status).toBe(201);
  const sessionId = (course.json.sessions as { id: string }[])[0]!.id;
  const base = `/api/patients/${patientId}/sessions/${sessionId}`;
  expect((await send('POST', `${base}/check-in`, {})).status).toBe(200);
  await recordPreSessionAssessmentsVia(send, patientId);
  expect((await send('POST', `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 })).status).toBe(200);
  return { patientId, sessionId, base };
}

async function openAs(user: { email: string; password: string }, path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await logIn(page, server, user);
  await page.goto(`${server.url}${path}`);
  return page;
}

it('the nurse writes and signs the administration note; the prescriber co-signs it and adds an addendum', async () => {
  const { patientId, sessionId, base } = await checkedInPatient('Notes-Test');
  expect((await send('POST', `${base}/dose-plan`, { lotNumber: 'K-456' })).status).toBe(200);
  const sessionPath = `/patients/${patientId}/sessions/${sessionId}`;

  // Dosing requires a signed order: the prescriber signs the standing order first.
  const rx = await openAs(prescriber, sessionPath);
  const order = rx.getByRole('region', { name: 'Order' });
  await order.getByText('No signed order yet').waitFor();
  await expect.poll(() => order.getByLabel('Dose (mg/kg)').inputValue()).toBe('0.5');
  await order.getByRole('button', { name: 'Sign order' }).click();
  await order
    .getByTestId('signed-order')
    .getByText(/Signed by Priya Prescriber/)
    .waitFor();

  // The nurse starts dosing, then writes the administration note from its template.
  const page = await openAs(nurse, sessionPath);
  await page
    .getByRole('region', { name: 'Order' })
    .getByText(/Signed by Priya Prescriber/)
    .waitFor();
  await page.getByRole('button', { name: 'Start dosing' }).click();
  await page.getByTestId('now-min').waitFor();
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByText('No note for this session yet.').waitFor();
  // A nurse writes administration notes, not the prescriber's progress note.
  expect(await notes.getByRole('button', { name: /progress note/ }).count()).toBe(0);
  await notes.getByRole('button', { name: 'Write IV ketamine administration note' }).click();
  const note = notes.getByRole('article', { name: 'IV ketamine administration note' });
  // Prefilled from the session record and the template's headings.
  const summary = note.getByRole('table', { name: 'Session summary' });
  await expect.poll(() => summary.textContent()).toContain('40 mg (0.5 mg/kg at 80 kg)');
  expect(await summary.textContent()).toContain('K-456');
  await expect.poll(() => note.getByLabel('Note', { exact: true }).inputValue()).toContain('IV access:');
  expect(await note.getByTestId('note-status').textContent()).toBe('draft');

  await note.getByLabel('Assessment').fill('Tolerated the infusion; mild dissociation, settled.');
  await note
    .getByLabel('Note', { exact: true })
    .fill('IV access: 22G left forearm, first attempt.\n\nRecovery and discharge: alert, escorted home.');
  await note.getByRole('button', { name: 'Save draft' }).click();
  await page.reload();
  const saved = page
    .getByRole('region', { name: 'Notes' })
    .getByRole('article', { name: 'IV ketamine administration note' });
  await expect.poll(() => saved.getByLabel('Assessment').inputValue()).toContain('mild dissociation');
  await saved.getByRole('button', { name: 'Sign note' }).click();
  await expect.poll(() => saved.getByTestId('note-status').textContent()).toBe('awaiting co-sign');
  // Signed: locked. The form is gone; the words stay, and the database refuses a change.
  expect(await saved.getByRole('form', { name: 'Edit note' }).count()).toBe(0);
  expect(await saved.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
  await saved.getByText('IV access: 22G left forearm, first attempt.').waitFor();
  expect(await saved.getByTestId('note-signatures').textContent()).toMatch(/signed by Nate Nurse/);
  // Nurses do not co-sign.
  expect(await saved.getByRole('button', { name: 'Co-sign note' }).count()).toBe(0);
  const listed = await send('GET', `/api/patients/${patientId}/notes`);
  const stored = (listed.json.items as { id: string; version: number }[])[0]!;
  const nurseApi = await apiClient(server, nurse);
  const edit = await nurseApi.send('PUT', `/api/patients/${patientId}/notes/${stored.id}`, {
    version: stored.version,
    text: 'changed after signing',
    assessment: '',
    plan: '',
  });
  expect(edit.status).toBe(409);
  await saved.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/session-note-signed-1440.png', fullPage: true });
  await page.close();

  // The prescriber co-signs and adds an addendum.
  await rx.reload();
  const rxNote = rx
    .getByRole('region', { name: 'Notes' })
    .getByRole('article', { name: 'IV ketamine administration note' });
  await rxNote.getByRole('button', { name: 'Co-sign note' }).click();
  await expect.poll(() => rxNote.getByTestId('note-status').textContent()).toBe('co-signed');
  expect(await rxNote.getByTestId('note-signatures').textContent()).toMatch(/co-signed by Priya Prescriber/);
  expect(await rxNote.getByRole('form', { name: 'Edit note' }).count()).toBe(0);
  const addendum = rxNote.getByRole('form', { name: 'Add addendum' });
  await addendum.getByLabel('Addendum').fill('Called the next day: slept well, no nausea.');
  await addendum.getByRole('button', { name: 'Add addendum' }).click();
  const addenda = rxNote.getByTestId('note-addenda');
  await addenda.getByText('Called the next day: slept well, no nausea.').waitFor();
  expect(await addenda.textContent()).toMatch(/Addendum by Priya Prescriber/);
  await rxNote.scrollIntoViewIfNeeded();
  await rx.screenshot({ path: 'docs/screenshots/session-note-cosigned-1440.png', fullPage: true });

  // The patient page lists the note with its status; it opens and prints.
  await rx.goto(`${server.url}/patients/${patientId}`);
  const list = rx.getByRole('region', { name: 'Clinical notes' });
  const row = list.getByRole('row', { name: /IV ketamine administration note/ });
  await row.getByText('co-signed').waitFor();
  expect(await row.textContent()).toContain('1 addendum');
  expect(await row.getByRole('link', { name: 'Print' }).getAttribute('href')).toBe(
    `/api/patients/${patientId}/notes/${stored.id}/pdf`,
  );
  await row.getByRole('button', { name: 'Open' }).click();
  const dialog = rx.getByRole('dialog');
  await dialog.getByText('Called the next day: slept well, no nausea.').waitFor();
  await rx.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await list.scrollIntoViewIfNeeded();
  await rx.screenshot({ path: 'docs/screenshots/patient-notes-1440.png', fullPage: true });
  await rx.close();
});

it('refuses the order for a patient allergic to ketamine, with the reason on screen', async () => {
  const { patientId, sessionId } = await checkedInPatient('Allergy-Test', 'ketamine');
  const rx = await openAs(prescriber, `/patients/${patientId}/sessions/${sessionId}`);
  const order = rx.getByRole('region', { name: 'Order' });
  await order.getByText('No signed order yet').waitFor();
  await order.getByRole('button', { name: 'Sign order' }).click();
  const refusal = order.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/allergy to ketamine/i);
  expect(await order.getByTestId('signed-order').count()).toBe(0);
  await order.scrollIntoViewIfNeeded();
  await rx.screenshot({ path: 'docs/screenshots/session-order-allergy-refused-1440.png', fullPage: true });
  await rx.close();
});
