/**
 * The clinic calendar: every scheduled session between two dates, by day and room, and the
 * same as an iCalendar file. The file carries no patient names: calendar apps sync to third parties.
 */
import { addDays, daysBetween, startOfWeek } from '../clinical/calendar';
import { clinicToday } from './clinic-day';
import { ClinicalInputError } from '../clinical/errors';
import { courseIcs } from '../interop/course-ics';
import { listClinicCalendar } from '../store/courses';
import { getClinic } from '../store/users';
import { recordAudit, type UseCaseContext } from './context';
import { sessionBookings } from './bookings';
import { getSessionSettings } from './session-settings';

/** The calendar's sessions with where each stands (status and actual times). */
async function calendarRows(ctx: UseCaseContext, range: CalendarRange, timeZone: string) {
  const rows = await listClinicCalendar(ctx.tx, ctx.actor.clinicId, range.from, range.to);
  const settings = await getSessionSettings(ctx.tx, ctx.actor.clinicId);
  const bookings = await sessionBookings(
    ctx.tx,
    ctx.actor.clinicId,
    rows.map((r) => ({ id: r.sessionId, date: r.date, startMin: r.startMin })),
    timeZone,
    settings,
  );
  return rows.map((r) => {
    const b = bookings.get(r.sessionId)!;
    return {
      ...r,
      status: b.status,
      startedAt: b.startedAt?.toISOString() ?? null,
      endedAt: b.endedAt?.toISOString() ?? null,
    };
  });
}

/** The longest range one calendar request may span, in days (a quarter). */
export const CALENDAR_MAX_DAYS = 92;

export interface CalendarRange {
  from: string;
  to: string;
}

function checkRange({ from, to }: CalendarRange): void {
  const days = daysBetween(from, to);
  if (days < 0) throw new ClinicalInputError('to', 'must not be before from');
  if (days > CALENDAR_MAX_DAYS) {
    throw new ClinicalInputError('to', `a calendar spans at most ${CALENDAR_MAX_DAYS} days`);
  }
}

/** Scheduled sessions in the range, with the patient's name as "Family, Given" and their status. */
export async function readClinicCalendar(ctx: UseCaseContext, range: CalendarRange) {
  checkRange(range);
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const rows = await calendarRows(ctx, range, clinic.timeZone);
  await recordAudit(ctx, {
    action: 'calendar.read',
    resourceType: 'calendar',
    details: { from: range.from, to: range.to, sessions: rows.length },
  });
  return {
    timeZone: clinic.timeZone,
    items: rows.map(({ givenName, familyName, ...r }) => ({
      ...r,
      patientName: `${familyName}, ${givenName}`,
    })),
  };
}

/** The week (Monday to Sunday, the clinic's days) holding `date`, or this week, with its sessions. */
export async function readClinicWeek(ctx: UseCaseContext, input: { date?: string | undefined }) {
  const from = startOfWeek(input.date ?? (await clinicToday(ctx)));
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const calendar = await readClinicCalendar(ctx, { from, to: days[6]! });
  return { ...calendar, days, previousWeek: addDays(from, -7), nextWeek: addDays(from, 7) };
}

/** The calendar as an iCalendar file (rooms and session numbers only; cancelled sessions left out). */
export async function exportClinicCalendarIcs(
  ctx: UseCaseContext,
  range: CalendarRange,
): Promise<{ ics: string; fileName: string }> {
  checkRange(range);
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  const rows = (await calendarRows(ctx, range, clinic.timeZone)).filter((r) => r.status !== 'cancelled');
  await recordAudit(ctx, {
    action: 'calendar.export',
    resourceType: 'calendar',
    details: { from: range.from, to: range.to, sessions: rows.length },
  });
  const ics = courseIcs(
    rows.map((r) => ({ ...r, id: r.sessionId })),
    { courseName: 'Ketamine session', clinicName: clinic.name, timeZone: clinic.timeZone },
  );
  return { ics, fileName: `rein-calendar-${range.from}.ics` };
}
