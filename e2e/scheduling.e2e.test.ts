import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eligibleAnswers } from '../src/server/test-support';
import { launchBrowser, startServer, type RunningServer } from './harness';
import { apiClient, fillDate, logIn, openAllDay } from './session-support';

/**
 * Scheduling that follows what happened, in the browser: a missed session marked a no-show, one
 * rescheduled (refused onto a closure the admin just added, then moved), one cancelled, a session
 * that started hours after its booking warning so in its header, and the rest of a course cancelled.
 *
 * Real time, no clock control: the clinic's time zone is chosen so that it is early afternoon there
 * now, so the first session of a course scheduled today (booked at 08:00) has already begun.
 */
let server: RunningServer;
let browser: Browser;
let send: Awaited<ReturnType<typeof apiClient>>['send'];
let today: string;
const admin = { email: 'desk@scheduling.example.org', password: 'scheduling passphrase 1' };

/** The fixed-offset zone in which it is now 13:xx (Etc/GMT-N is N hours ahead of UTC). */
function zoneWhereItIsEarlyAfternoon(): string {
  const offset = ((13 - new Date().getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

interface SessionDto {
  id: string;
  sequence: number;
  date: string;
  startMin: number;
  status: string;
}

beforeAll(async () => {
  server = await startServer({ REIN_ADMIN_EMAIL: admin.email, REIN_ADMIN_PASSWORD: admin.password });
  browser = await launchBrowser();
  ({ send } = await apiClient(server, admin));
  await openAllDay(send);
  const identity = (await send('GET', '/api/clinic/identity')).json;
  const saved = await send('PUT', '/api/clinic/identity', {
    name: identity.name,
    address: identity.address,
    phone: identity.phone,
    timeZone: zoneWhereItIsEarlyAfternoon(),
  });
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
  today = saved.json.today as string;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A patient screened eligible with an IV course starting today, through the API. */
async function patientWithCourse(mrn: string, givenName: string, familyName: string) {
  const patient = await send('POST', '/api/patients', {
    mrn,
    givenName,
    familyName,
    dateOfBirth: '1984-02-11',
    sexAtBirth: 'female',
  });
  expect(patient.status).toBe(201);
  const patientId = patient.json.id as string;
  const screened = await send('POST', `/api/patients/${patientId}/eligibility`, {
    answers: eligibleAnswers('iv-ketamine'),
  });
  expect(screened.status).toBe(201);
  const course = await send('POST', `/api/patients/${patientId}/courses`, {
    templateId: 'iv-induction-2x-weekly-3wk',
    startDate: today,
  });
  expect(course.status, JSON.stringify(course.json)).toBe(201);
  const sessions = course.json.sessions as SessionDto[];
  // The first session was booked this morning: its time has come.
  expect(sessions[0]!.date).toBe(today);
  return { patientId, courseId: course.json.id as string, sessions };
}

const row = (page: Page, sequence: number) => page.getByTestId(`session-row-${sequence}`);

async function changeBooking(page: Page, sequence: number, action: string) {
  await row(page, sequence).getByRole('button', { name: 'Change booking' }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

const VIEWPORTS = [
  {
    width: 1440,
    height: 900,
    name: 'Wide',
    closure: 'Staff training day',
    closedFrom: 2,
    closedTo: 2,
    moveTo: 3,
    startAt: '14:00',
    calendarAt: '15:00',
  },
  {
    width: 768,
    height: 1024,
    name: 'Tablet',
    closure: 'Clinic move',
    closedFrom: 5,
    closedTo: 6,
    moveTo: 7,
    startAt: '16:00',
    calendarAt: '13:00',
  },
] as const;

describe.each(VIEWPORTS)('scheduling at $width×$height', (vp) => {
  it('marks a no-show, refuses a closed day, reschedules, cancels a session and the course', async () => {
    const w = vp.width;
    const main = await patientWithCourse(`SCH-${w}`, 'Avery', `Booking${vp.name}`);
    const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
    await logIn(page, server, admin);

    // The admin closes the clinic for a training day (a range on the tablet run).
    const closedFrom = addDays(today, vp.closedFrom);
    const closedTo = addDays(today, vp.closedTo);
    await page.goto(`${server.url}/clinic`);
    const closures = page.getByRole('region', { name: 'Closures and holidays' });
    await closures.getByRole('button', { name: 'Add closure' }).click();
    await closures.getByText('Choose the first day the clinic is closed.').waitFor();
    await closures.getByText('Name the closure, for example the holiday.').waitFor();
    await fillDate(closures.getByLabel('First day closed'), closedFrom);
    if (closedTo !== closedFrom) await fillDate(closures.getByLabel('Last day closed'), closedTo);
    await closures.getByLabel('Closure name').fill(vp.closure);
    await closures.getByRole('button', { name: 'Add closure' }).click();
    const table = closures.getByRole('table', { name: 'Closures' });
    await table.getByText(vp.closure).first().waitFor();
    expect(await table.getByRole('row').filter({ hasText: vp.closure }).count()).toBe(
      vp.closedTo - vp.closedFrom + 1,
    );
    const saved = (await send('GET', '/api/clinic/closures')).json.closures as { date: string }[];
    expect(saved.map((c) => c.date)).toContain(closedTo);
    await closures.screenshot({ path: `docs/screenshots/scheduling-closures-${w}.png` });

    await page.goto(`${server.url}/patients/${main.patientId}/courses/${main.courseId}`);
    await row(page, 1).getByLabel('Status: Booked').waitFor();

    // Session 1 was booked at 08:00 today and the patient did not come.
    await changeBooking(page, 1, 'Mark no-show…');
    const noShow = page.getByRole('dialog', { name: 'Mark session a no-show' });
    await noShow.getByRole('button', { name: 'Mark no-show' }).click();
    await noShow.getByText('Give a reason for the change.').waitFor();
    await noShow.getByLabel('Reason').fill('Did not come; phone off');
    await noShow.getByRole('button', { name: 'Mark no-show' }).click();
    await row(page, 1).getByLabel('Status: No-show').waitFor();
    await row(page, 1).getByText('Missed: Did not come; phone off').waitFor();

    // Session 3 is cancelled, with the reason kept beside it; its day no longer holds a dose.
    await changeBooking(page, 3, 'Cancel session…');
    const cancel = page.getByRole('dialog', { name: 'Cancel session' });
    await cancel.getByLabel('Reason').fill('Patient travelling');
    await cancel.getByRole('button', { name: 'Cancel session' }).click();
    await row(page, 3).getByLabel('Status: Cancelled').waitFor();
    expect(await row(page, 3).getByRole('button', { name: 'Change booking' }).count()).toBe(0);

    // Session 2 cannot move onto the closed day; it moves to the day after.
    await changeBooking(page, 2, 'Reschedule…');
    const move = page.getByRole('dialog', { name: 'Reschedule session' });
    await fillDate(move.getByLabel('New date'), closedTo);
    await move.getByLabel('New start time').fill(vp.startAt);
    await move.getByLabel('Reason').fill('Patient asked for an afternoon');
    await move.getByRole('button', { name: 'Reschedule' }).click();
    await move.getByText(new RegExp(`clinic is closed .*${vp.closure}`)).waitFor();
    expect(await page.getByTestId('session-row-2').getByLabel('Status: Booked').count()).toBe(1);
    const newDate = addDays(today, vp.moveTo);
    await fillDate(move.getByLabel('New date'), newDate);
    await move.getByRole('button', { name: 'Reschedule' }).click();
    await move.waitFor({ state: 'detached' });
    await row(page, 2).getByText(vp.startAt).waitFor();
    await row(page, 2)
      .getByText(/Moved from .*: Patient asked for an afternoon/)
      .waitFor();

    // Read afresh for the picture: the table scrolled to its actions and the notices closed.
    await page.reload();
    await row(page, 3).getByLabel('Status: Cancelled').waitFor();
    await page.screenshot({ path: `docs/screenshots/scheduling-course-${w}.png`, fullPage: true });

    const after = (await send('GET', `/api/patients/${main.patientId}/courses/${main.courseId}`)).json
      .sessions as SessionDto[];
    expect(after.slice(0, 3).map((s) => s.status)).toEqual(['no-show', 'booked', 'cancelled']);
    expect(after[1]).toMatchObject({ date: newDate, startMin: Number(vp.startAt.slice(0, 2)) * 60 });

    // The calendar offers the same changes: the front desk works there (it may not open a course).
    await page.goto(`${server.url}/calendar?week=${newDate}`);
    const movedTile = page
      .getByRole('region', { name: `Sessions on ${newDate}` })
      .getByTestId('calendar-session')
      .filter({ hasText: `Booking${vp.name}, Avery` });
    await movedTile.getByText(`${vp.startAt}–`).waitFor();
    await movedTile.getByRole('button', { name: 'Change booking' }).click();
    await page.getByRole('menuitem', { name: 'Reschedule…' }).click();
    const fromCalendar = page.getByRole('dialog', { name: 'Reschedule session' });
    await fromCalendar.getByLabel('New start time').fill(vp.calendarAt);
    await fromCalendar.getByLabel('Reason').fill('Room free earlier');
    await fromCalendar.getByRole('button', { name: 'Reschedule' }).click();
    await movedTile.getByText(`${vp.calendarAt}–`).waitFor();

    // The calendar shows the closure on its day and the sessions as they stand.
    await page.goto(`${server.url}/calendar?week=${closedTo}`);
    const closedDay = page.getByRole('region', { name: `Sessions on ${closedTo}` });
    await closedDay.getByText(`Closed: ${vp.closure}`).waitFor();
    expect(await closedDay.getByTestId('calendar-session').count()).toBe(0);
    await page.goto(`${server.url}/calendar?week=${today}`);
    const todayBox = page.getByRole('region', { name: `Sessions on ${today}` });
    const missed = todayBox.getByTestId('calendar-session').filter({ hasText: `Booking${vp.name}, Avery` });
    await missed.getByLabel('Status: No-show').waitFor();
    expect(await missed.getAttribute('data-status')).toBe('no-show');
    await page.screenshot({ path: `docs/screenshots/scheduling-calendar-${w}.png`, fullPage: true });

    // The rest of the course is cancelled: every session still booked, with one reason.
    await page.goto(`${server.url}/patients/${main.patientId}/courses/${main.courseId}`);
    await page.getByRole('button', { name: 'Cancel course' }).click();
    const whole = page.getByRole('dialog', { name: 'Cancel course?' });
    await whole.getByRole('button', { name: 'Cancel course' }).click();
    await whole.getByText('Give a reason for cancelling the course.').waitFor();
    await whole.getByLabel('Reason').fill('Moved out of state');
    await whole.getByRole('button', { name: 'Cancel course' }).click();
    await page
      .getByTestId('course-cancelled')
      .getByText(/Moved out of state/)
      .waitFor();
    await row(page, 2).getByLabel('Status: Cancelled').waitFor();
    await row(page, 1).getByLabel('Status: No-show').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel course' }).count()).toBe(0);
    const final = (await send('GET', `/api/patients/${main.patientId}/courses/${main.courseId}`)).json
      .sessions as SessionDto[];
    expect(final[0]!.status).toBe('no-show');
    expect(final.slice(1).every((s) => s.status === 'cancelled')).toBe(true);
    await page.close();
  });

  it('shows a session that started hours after its booking, with a warning in its header', async () => {
    const w = vp.width;
    const late = await patientWithCourse(`LATE-${w}`, 'Blake', `Drift${vp.name}`);
    const first = late.sessions[0]!;
    const checkIn = await send('POST', `/api/patients/${late.patientId}/sessions/${first.id}/check-in`, {});
    expect(checkIn.status, JSON.stringify(checkIn.json)).toBe(200);
    const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
    await logIn(page, server, admin);
    await page.goto(`${server.url}/patients/${late.patientId}/sessions/${first.id}`);
    const header = page.getByTestId('session-header');
    await header.getByLabel('Status: In progress').waitFor();
    const drift = await header.getByTestId('start-drift').textContent();
    // Booked in the morning, checked in early in the afternoon: over an hour late.
    const minutes = Number(/^Started (\d+) min after the booked time$/.exec(drift ?? '')?.[1]);
    expect(minutes).toBeGreaterThan(60);
    await page.screenshot({ path: `docs/screenshots/scheduling-session-${w}.png` });

    await page.goto(`${server.url}/patients/${late.patientId}/courses/${late.courseId}`);
    await row(page, 1).getByLabel('Status: In progress').waitFor();
    await row(page, 1)
      .getByText(/^Started /)
      .waitFor();
    await page.goto(`${server.url}/calendar?week=${today}`);
    const session = page
      .getByRole('region', { name: `Sessions on ${today}` })
      .getByTestId('calendar-session')
      .filter({ hasText: `Drift${vp.name}, Blake` });
    await session.getByText(/^Actual \d\d:\d\d–now$/).waitFor();
    await page.close();
  });
});
