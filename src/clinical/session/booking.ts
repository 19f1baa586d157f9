/**
 * Scheduling that follows what happened: a booked session's status, its actual times, how far its
 * start drifted from the booking, which booking changes are allowed (reschedule, cancel, no-show,
 * cancelling a course) and when a course's induction is over.
 *
 * Status is never stored. It is derived from the session's own events (check-in, dosing start,
 * discharge) and the booking changes recorded against it, so it cannot disagree with them.
 * What the session recorded wins over the booking: a session that was checked in is in progress
 * (or done) whatever the front desk marked.
 *
 * None of the numbers here is clinical: the drift warning threshold is a clinic operational
 * setting (docs/clinical-sources/protocols.md, "Scheduling").
 */
import { ClinicalInputError } from '../errors';
import { daysBetween, localToUtc, weekday, type LocalDate } from '../calendar';
import type { OpeningInterval } from '../protocols';
import type { BookingChangeKind, SessionStatus } from '../vocabulary/booking';
import { SESSION_STATUS_LABELS } from '../vocabulary/booking';
import { SessionRefusal } from './decide';

/** A session's booking: the clinic-local date, minutes from local midnight, and the room. */
export interface BookedSlot {
  date: LocalDate;
  startMin: number;
  endMin: number;
  roomId: string;
}

/** When the session's own events say it began and ended (null: not recorded). */
export interface SessionHappenings {
  checkedInAt: Date | null;
  dosingStartedAt: Date | null;
  dischargedAt: Date | null;
}

/** The status of a session from its events and its booking changes (oldest change first). */
export function sessionStatus(
  happened: SessionHappenings,
  changes: readonly { kind: BookingChangeKind }[],
): SessionStatus {
  if (happened.dischargedAt) return 'done';
  if (happened.checkedInAt || happened.dosingStartedAt) return 'in-progress';
  let status: SessionStatus = 'booked';
  for (const c of changes) {
    // A reschedule books the session again (a missed session rebooked); a cancellation is final.
    status = c.kind === 'reschedule' ? 'booked' : c.kind === 'cancel' ? 'cancelled' : 'no-show';
  }
  return status;
}

/**
 * The session's actual times: it started at its first check-in or dosing start (whichever was
 * recorded first; a session may be started without a separate check-in) and ended at discharge.
 */
export function actualTimes(happened: SessionHappenings): { startedAt: Date | null; endedAt: Date | null } {
  const starts = [happened.checkedInAt, happened.dosingStartedAt].filter((d): d is Date => d !== null);
  const startedAt = starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : null;
  return { startedAt, endedAt: happened.dischargedAt };
}

/** The instant a booking starts, in the clinic's time zone (through the calendar's DST rules). */
export function bookedStartAt(slot: Pick<BookedSlot, 'date' | 'startMin'>, timeZone: string): Date {
  return localToUtc(slot.date, slot.startMin, timeZone);
}

export interface StartDrift {
  bookedStartAt: Date;
  startedAt: Date;
  /** Minutes from the booked start to the actual start: positive = late, negative = early. */
  driftMin: number;
  /** |driftMin| is more than the clinic's warning threshold. */
  warn: boolean;
  warnAfterMin: number;
}

/** How far a started session began from its booked time; null until it has started. */
export function startDrift(input: {
  booked: Pick<BookedSlot, 'date' | 'startMin'>;
  happened: SessionHappenings;
  timeZone: string;
  warnAfterMin: number;
}): StartDrift | null {
  const { startedAt } = actualTimes(input.happened);
  if (!startedAt) return null;
  const booked = bookedStartAt(input.booked, input.timeZone);
  const driftMin = Math.round((startedAt.getTime() - booked.getTime()) / 60_000);
  return {
    bookedStartAt: booked,
    startedAt,
    driftMin,
    warn: Math.abs(driftMin) > input.warnAfterMin,
    warnAfterMin: input.warnAfterMin,
  };
}

/** A named day the clinic is closed (a holiday, a training day). */
export interface Closure {
  date: LocalDate;
  name: string;
}

export type BookingCommand =
  | { kind: 'reschedule'; reason: string; date: LocalDate; startMin: number; roomId?: string | undefined }
  | { kind: 'cancel'; reason: string }
  | { kind: 'no-show'; reason: string };

export interface BookingDecisionInput {
  status: SessionStatus;
  booked: BookedSlot;
  now: Date;
  timeZone: string;
  closures: readonly Closure[];
  /** Index 0 = Sunday … 6 = Saturday, minutes from local midnight (session settings). */
  clinicHours: readonly (readonly OpeningInterval[])[];
  rooms: readonly string[];
  /** Every other live booking (cancelled sessions excluded) that could clash with a new time. */
  otherBookings: readonly BookedSlot[];
  /**
   * The same patient's other sessions of this modality near the new date that still stand (booked,
   * in progress or done; cancelled and missed ones excluded), with the clinic's minimum days between
   * doses of this modality (dosingDays.minDaysBetweenDoses).
   */
  patientSessions: readonly { sequence: number; date: LocalDate }[];
  minDaysBetweenDoses: number;
  /**
   * How a refusal writes a date for the clinician (the clinic's locale, from src/app); ISO
   * `YYYY-MM-DD` when not given. Only the words change, never the decision.
   */
  formatDate?: (date: LocalDate) => string;
}

export interface DecidedBookingChange {
  kind: BookingChangeKind;
  reason: string;
  from: BookedSlot;
  /** The new booking of a reschedule; null for a cancellation or a no-show. */
  to: BookedSlot | null;
}

const conflict = (field: string, message: string) => new SessionRefusal('conflict', field, message);
const label = (s: SessionStatus) => SESSION_STATUS_LABELS[s].toLowerCase();

function requireReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new ClinicalInputError('reason', 'give a reason for the change');
  return r;
}

/** The closure on `date`, if the clinic is closed that day. */
export function closureOn(date: LocalDate, closures: readonly Closure[]): Closure | undefined {
  return closures.find((c) => c.date === date);
}

/**
 * Decides one booking change. Allowed: reschedule a booked or missed (no-show) session to a future
 * time the clinic is open, in a free room; cancel a booked session; mark a booked session a no-show
 * once its booked start has passed. A session that has started, ended or been cancelled keeps its
 * booking: what happened is recorded, not rewritten.
 */
export function decideBookingChange(
  command: BookingCommand,
  input: BookingDecisionInput,
): DecidedBookingChange {
  const reason = requireReason(command.reason);
  const { status, booked } = input;
  if (command.kind === 'cancel') {
    if (status !== 'booked') throw conflict('kind', `a ${label(status)} session cannot be cancelled`);
    return { kind: 'cancel', reason, from: booked, to: null };
  }
  if (command.kind === 'no-show') {
    if (status !== 'booked') {
      throw conflict('kind', `a ${label(status)} session cannot be marked a no-show`);
    }
    if (input.now.getTime() < bookedStartAt(booked, input.timeZone).getTime()) {
      throw conflict('kind', 'a session is marked a no-show only once its booked time has come');
    }
    return { kind: 'no-show', reason, from: booked, to: null };
  }
  if (status !== 'booked' && status !== 'no-show') {
    throw conflict('kind', `a ${label(status)} session cannot be rescheduled`);
  }
  const duration = booked.endMin - booked.startMin;
  const to: BookedSlot = {
    date: command.date,
    startMin: command.startMin,
    endMin: command.startMin + duration,
    roomId: command.roomId ?? booked.roomId,
  };
  if (!Number.isInteger(to.startMin) || to.startMin < 0 || to.endMin > 1440) {
    throw new ClinicalInputError(
      'startMin',
      `the ${duration}-min session must start and end on the same day`,
    );
  }
  if (to.date === booked.date && to.startMin === booked.startMin && to.roomId === booked.roomId) {
    throw new ClinicalInputError('date', 'the session is already booked then');
  }
  if (bookedStartAt(to, input.timeZone).getTime() < input.now.getTime()) {
    throw new ClinicalInputError('startMin', 'a session cannot be rescheduled into the past');
  }
  const written = input.formatDate ?? ((d: LocalDate) => d);
  const closed = closureOn(to.date, input.closures);
  if (closed) throw conflict('date', `the clinic is closed on ${written(to.date)} (${closed.name})`);
  if (!input.rooms.includes(to.roomId)) {
    throw new ClinicalInputError('roomId', `"${to.roomId}" is not one of the clinic's rooms`);
  }
  const hours = input.clinicHours[weekday(to.date)] ?? [];
  if (hours.length === 0) throw conflict('date', `the clinic has no opening hours on ${written(to.date)}`);
  if (!hours.some((h) => to.startMin >= h.openMin && to.endMin <= h.closeMin)) {
    throw conflict('startMin', `the ${duration}-min session does not fit within the clinic's hours that day`);
  }
  const clash = input.otherBookings.find(
    (b) => b.date === to.date && b.roomId === to.roomId && b.startMin < to.endMin && to.startMin < b.endMin,
  );
  if (clash) throw conflict('startMin', `${to.roomId} is already booked at that time`);
  // A move must not put two doses closer than the clinic doses them: the chair would refuse the
  // second one on the day, after the patient has come in.
  const minDays = input.minDaysBetweenDoses;
  const tooClose = input.patientSessions.find((p) => Math.abs(daysBetween(p.date, to.date)) < minDays);
  if (tooClose) {
    throw conflict(
      'date',
      `the patient already has session ${tooClose.sequence} on ${written(tooClose.date)}; the clinic gives these ` +
        `doses at least ${minDays} day${minDays === 1 ? '' : 's'} apart`,
    );
  }
  return { kind: 'reschedule', reason, from: booked, to };
}

/**
 * Cancelling a course cancels every session still booked; sessions that started or ended, and
 * missed ones, keep their status. Refused when nothing is left to cancel.
 */
export function decideCourseCancel<S extends { id: string; status: SessionStatus }>(
  reason: string,
  sessions: readonly S[],
): { reason: string; cancel: S[] } {
  const r = requireReason(reason);
  const cancel = sessions.filter((s) => s.status === 'booked');
  if (cancel.length === 0) throw conflict('course', 'no booked session is left to cancel in this course');
  return { reason: r, cancel };
}

/**
 * Whether the course's induction is over: every session of its first phase (the induction in the
 * built-in templates; a booster course's single phase) is done, missed or cancelled. A booster is
 * planned from the end of induction, not from a session in the middle of it.
 */
export function inductionEnded(
  sessions: readonly { phaseId: string; status: SessionStatus }[],
  inductionPhaseId: string,
): { ended: boolean; remaining: number } {
  const remaining = sessions.filter(
    (s) => s.phaseId === inductionPhaseId && (s.status === 'booked' || s.status === 'in-progress'),
  ).length;
  return { ended: remaining === 0, remaining };
}
