import { z } from 'zod';

/**
 * Where a booked session stands. Never stored: derived from the session's events (check-in,
 * dosing start, discharge) and the booking changes recorded against it (clinical/session/booking.ts).
 */
export const SESSION_STATUSES = ['booked', 'in-progress', 'done', 'no-show', 'cancelled'] as const;
export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const SESSION_STATUS_LABELS: Readonly<Record<SessionStatus, string>> = {
  booked: 'Booked',
  'in-progress': 'In progress',
  done: 'Done',
  'no-show': 'No-show',
  cancelled: 'Cancelled',
};

/** What the front desk may do to one booked session, each with a reason. */
export const BOOKING_CHANGE_KINDS = ['reschedule', 'cancel', 'no-show'] as const;
export const bookingChangeKindSchema = z.enum(BOOKING_CHANGE_KINDS);
export type BookingChangeKind = z.infer<typeof bookingChangeKindSchema>;

/** A change made to one session, or to every remaining session when a course is cancelled. */
export const BOOKING_CHANGE_SCOPES = ['session', 'course'] as const;
export type BookingChangeScope = (typeof BOOKING_CHANGE_SCOPES)[number];
