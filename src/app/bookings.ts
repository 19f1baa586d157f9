/**
 * Booking use cases: where each session stands (derived, never stored), rescheduling, cancelling
 * and marking a no-show for one session, cancelling a course, and the clinic's closures. The rules
 * are the core's (clinical/session/booking.ts); here they are loaded for, stored and audited.
 */
import { addDays, daysBetween } from '../clinical/calendar';
import {
  actualTimes,
  clinicClosures,
  decideBookingChange,
  decideCourseCancel,
  SessionRefusal,
  sessionStatus,
  startDrift,
  type BookingCommand,
  type Closure,
  type SessionHappenings,
  type SessionSettings,
  type StartDrift,
} from '../clinical/session';
import type { SessionStatus } from '../clinical/vocabulary/booking';
import { modalitySchema } from '../clinical/vocabulary/modalities';
import { clinicDateFormatOrDefault } from '../clinical/vocabulary/date-format';
import {
  insertBookingChanges,
  listBookingChanges,
  listCancelledSessionIds,
  moveSessionBooking,
  type BookingChangeRow,
} from '../store/bookings';
import {
  getCourse,
  getTreatmentSession,
  listBookings,
  listClinicCalendar,
  saveSessionSettings,
} from '../store/courses';
import type { TreatmentSessionRow } from '../store/courses';
import { ConflictError } from '../store/errors';
import { lockCourseOfSession } from '../store/locks';
import { listEventsOfKinds } from '../store/sessions';
import type { Queryable } from '../store/tx';
import { clinicDay } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';
import { getSessionSettings } from './session-settings';

export type { BookingChangeRow } from '../store/bookings';

/** The core's refusal because of the booking's state, as the conflict (409) the shells answer. */
function decided<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SessionRefusal) throw new ConflictError(err.field, err.message);
    throw err;
  }
}

/** Where one session stands: its status, actual times, start drift and booking history. */
export interface SessionBooking {
  status: SessionStatus;
  startedAt: Date | null;
  endedAt: Date | null;
  drift: StartDrift | null;
  changes: BookingChangeRow[];
}

const firstAt = (rows: { sessionId: string; kind: string; recordedAt: Date }[], id: string, kind: string) =>
  rows.find((e) => e.sessionId === id && e.kind === kind)?.recordedAt ?? null;

/** The booking state of each session, by id, from its events and booking changes. */
export async function sessionBookings(
  db: Queryable,
  clinicId: string,
  sessions: readonly Pick<TreatmentSessionRow, 'id' | 'date' | 'startMin'>[],
  timeZone: string,
  settings: Pick<SessionSettings, 'scheduling'>,
): Promise<Map<string, SessionBooking>> {
  const ids = sessions.map((s) => s.id);
  const events = await listEventsOfKinds(db, clinicId, ids, ['check-in', 'dosing-start', 'discharge']);
  const changes = await listBookingChanges(db, clinicId, ids);
  const out = new Map<string, SessionBooking>();
  for (const s of sessions) {
    const happened: SessionHappenings = {
      checkedInAt: firstAt(events, s.id, 'check-in'),
      dosingStartedAt: firstAt(events, s.id, 'dosing-start'),
      dischargedAt: firstAt(events, s.id, 'discharge'),
    };
    const own = changes.filter((c) => c.sessionId === s.id);
    out.set(s.id, {
      status: sessionStatus(happened, own),
      ...actualTimes(happened),
      drift: startDrift({
        booked: s,
        happened,
        timeZone,
        warnAfterMin: settings.scheduling.startDriftWarnMin,
      }),
      changes: own,
    });
  }
  return out;
}

/** Every live booking between two dates: a cancelled session frees its slot. */
export async function liveBookings(db: Queryable, clinicId: string, from: string, to: string) {
  const cancelled = await listCancelledSessionIds(db, clinicId, from, to);
  return (await listBookings(db, clinicId, from, to)).filter((b) => !cancelled.has(b.sessionId));
}

/** The patient's sessions of a modality between two dates that still stand (not cancelled, not missed). */
async function standingSessionsOfPatient(
  ctx: UseCaseContext,
  q: {
    patientId: string;
    modality: string;
    exceptSessionId: string;
    from: string;
    to: string;
    timeZone: string;
    settings: SessionSettings;
  },
): Promise<{ sequence: number; date: string }[]> {
  const near = (await listClinicCalendar(ctx.tx, ctx.actor.clinicId, q.from, q.to)).filter(
    (s) => s.patientId === q.patientId && s.modality === q.modality && s.sessionId !== q.exceptSessionId,
  );
  const statuses = await sessionBookings(
    ctx.tx,
    ctx.actor.clinicId,
    near.map((s) => ({ id: s.sessionId, date: s.date, startMin: s.startMin })),
    q.timeZone,
    q.settings,
  );
  return near
    .filter((s) => {
      const status = statuses.get(s.sessionId)?.status;
      return status !== 'cancelled' && status !== 'no-show';
    })
    .map((s) => ({ sequence: s.sequence, date: s.date }));
}

/** Reschedules, cancels or marks a no-show one session, with a reason. */
export async function changeSessionBooking(
  ctx: UseCaseContext,
  input: { patientId: string; sessionId: string; command: BookingCommand },
): Promise<SessionBooking & { session: TreatmentSessionRow }> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('changeSessionBooking: a booking is changed by a staff user');
  const clinicId = actor.clinicId;
  // One change at a time per course: two desks cannot both move or cancel the same session.
  await lockCourseOfSession(tx, clinicId, input.sessionId);
  const { session, course } = await getTreatmentSession(tx, clinicId, input.patientId, input.sessionId);
  const { timeZone, locale } = await clinicDay(ctx);
  const settings = await getSessionSettings(tx, clinicId);
  const before = (await sessionBookings(tx, clinicId, [session], timeZone, settings)).get(session.id)!;
  const cmd = input.command;
  const others =
    cmd.kind === 'reschedule'
      ? (await liveBookings(tx, clinicId, cmd.date, cmd.date)).filter((b) => b.sessionId !== session.id)
      : [];
  const modality = modalitySchema.parse(course.modality);
  const minDaysBetweenDoses = settings.dosingDays.minDaysBetweenDoses[modality];
  const patientSessions =
    cmd.kind === 'reschedule'
      ? await standingSessionsOfPatient(ctx, {
          patientId: input.patientId,
          modality,
          exceptSessionId: session.id,
          from: addDays(cmd.date, -minDaysBetweenDoses),
          to: addDays(cmd.date, minDaysBetweenDoses),
          timeZone,
          settings,
        })
      : [];
  const change = decided(() =>
    decideBookingChange(cmd, {
      status: before.status,
      booked: session,
      now,
      timeZone,
      closures: clinicClosures(settings),
      clinicHours: settings.clinicHours,
      rooms: settings.rooms,
      otherBookings: others,
      patientSessions,
      minDaysBetweenDoses,
      // Refusals name dates as the clinic's screens and pickers write them.
      formatDate: clinicDateFormatOrDefault(locale).date,
    }),
  );
  await insertBookingChanges(
    tx,
    clinicId,
    [{ sessionId: session.id, courseId: course.id, scope: 'session', ...change }],
    actor.userId,
    now,
  );
  if (change.to) {
    await moveSessionBooking(tx, clinicId, session.id, {
      ...change.to,
      shiftedDays: daysBetween(session.targetDate, change.to.date),
    });
  }
  await recordAudit(ctx, {
    action: `booking.${change.kind}`,
    resourceType: 'treatment_session',
    resourceId: session.id,
    details: { from: before.status },
  });
  const { session: after } = await getTreatmentSession(tx, clinicId, input.patientId, session.id);
  const booking = (await sessionBookings(tx, clinicId, [after], timeZone, settings)).get(after.id)!;
  return { ...booking, session: after };
}

/** Cancels every session of the course still booked, with one reason. */
export async function cancelCourse(
  ctx: UseCaseContext,
  input: { patientId: string; courseId: string; reason: string },
): Promise<{ cancelled: number }> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('cancelCourse: a course is cancelled by a prescriber');
  const clinicId = actor.clinicId;
  const { course, sessions } = await getCourse(tx, clinicId, input.patientId, input.courseId);
  if (sessions[0]) await lockCourseOfSession(tx, clinicId, sessions[0].id);
  const { timeZone } = await clinicDay(ctx);
  const settings = await getSessionSettings(tx, clinicId);
  const bookings = await sessionBookings(tx, clinicId, sessions, timeZone, settings);
  const { reason, cancel } = decided(() =>
    decideCourseCancel(
      input.reason,
      sessions.map((s) => ({ ...s, status: bookings.get(s.id)!.status })),
    ),
  );
  await insertBookingChanges(
    tx,
    clinicId,
    cancel.map((s) => ({
      sessionId: s.id,
      courseId: course.id,
      kind: 'cancel' as const,
      scope: 'course' as const,
      reason,
      from: s,
      to: null,
    })),
    actor.userId,
    now,
  );
  await recordAudit(ctx, {
    action: 'course.cancel',
    resourceType: 'course',
    resourceId: course.id,
    details: { sessions: cancel.length },
  });
  return { cancelled: cancel.length };
}

/** When and why a course was cancelled (its first course-wide cancellation), else null. */
export function courseCancellation(bookings: Iterable<SessionBooking>): { reason: string; at: Date } | null {
  const rows = [...bookings].flatMap((b) => b.changes).filter((c) => c.scope === 'course');
  const first = rows.sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())[0];
  return first ? { reason: first.reason, at: first.recordedAt } : null;
}

// ------------------------------------------------------------------------------------------------
// Closures

/** The clinic's closures, named, by date. */
export async function readClosures(ctx: UseCaseContext): Promise<Closure[]> {
  return clinicClosures(await getSessionSettings(ctx.tx, ctx.actor.clinicId));
}

/** Replaces the clinic's closures (a new version of its session settings; earlier ones are kept). */
export async function updateClosures(ctx: UseCaseContext, closures: Closure[]): Promise<Closure[]> {
  const { tx, actor } = ctx;
  if (!actor.userId) throw new Error('updateClosures: closures are changed by a staff user');
  const settings = await getSessionSettings(tx, actor.clinicId);
  // The named list replaces the older unnamed dates too: the page edits them as one list.
  const saved = await saveSessionSettings(
    tx,
    actor.clinicId,
    { ...settings, closures: [...closures].sort((a, b) => a.date.localeCompare(b.date)), closedDates: [] },
    actor.userId,
  );
  await recordAudit(ctx, {
    action: 'clinic.closures.update',
    resourceType: 'clinic',
    resourceId: actor.clinicId,
    details: { closures: closures.length },
  });
  return clinicClosures(saved);
}
