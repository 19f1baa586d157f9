/**
 * Repository for booking changes (append-only) and for moving a session's row to its new booking.
 * The change itself is decided by the core (clinical/session/booking.ts) in the caller.
 */
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { BookingChangeKind, BookingChangeScope } from '../clinical/vocabulary/booking';
import { bookingChanges, treatmentSessions } from './schema-sessions';
import type { Queryable } from './tx';

export type BookingChangeRow = typeof bookingChanges.$inferSelect;

interface Slot {
  date: string;
  startMin: number;
  endMin: number;
  roomId: string;
}

export interface NewBookingChange {
  sessionId: string;
  courseId: string;
  kind: BookingChangeKind;
  scope: BookingChangeScope;
  reason: string;
  from: Slot;
  to: Slot | null;
}

export async function insertBookingChanges(
  db: Queryable,
  clinicId: string,
  changes: readonly NewBookingChange[],
  recordedBy: string,
  recordedAt: Date,
): Promise<BookingChangeRow[]> {
  if (changes.length === 0) return [];
  return db
    .insert(bookingChanges)
    .values(
      changes.map((c) => ({
        clinicId,
        sessionId: c.sessionId,
        courseId: c.courseId,
        kind: c.kind,
        scope: c.scope,
        reason: c.reason,
        fromDate: c.from.date,
        fromStartMin: c.from.startMin,
        fromEndMin: c.from.endMin,
        fromRoomId: c.from.roomId,
        toDate: c.to?.date ?? null,
        toStartMin: c.to?.startMin ?? null,
        toEndMin: c.to?.endMin ?? null,
        toRoomId: c.to?.roomId ?? null,
        recordedBy,
        recordedAt,
      })),
    )
    .returning();
}

/** The booking changes of these sessions, oldest first. */
export async function listBookingChanges(
  db: Queryable,
  clinicId: string,
  sessionIds: readonly string[],
): Promise<BookingChangeRow[]> {
  if (sessionIds.length === 0) return [];
  return db
    .select()
    .from(bookingChanges)
    .where(and(eq(bookingChanges.clinicId, clinicId), inArray(bookingChanges.sessionId, [...sessionIds])))
    .orderBy(asc(bookingChanges.recordedAt), asc(bookingChanges.id));
}

/** Moves a session to its new booking (the change, with the old booking, is in booking_changes). */
export async function moveSessionBooking(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  to: Slot & { shiftedDays: number },
): Promise<void> {
  await db
    .update(treatmentSessions)
    .set({
      date: to.date,
      startMin: to.startMin,
      endMin: to.endMin,
      roomId: to.roomId,
      shiftedDays: to.shiftedDays,
    })
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(treatmentSessions.id, sessionId)));
}

/** Sessions booked between two dates (inclusive) that have a cancellation recorded. */
export async function listCancelledSessionIds(
  db: Queryable,
  clinicId: string,
  from: string,
  to: string,
): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ id: bookingChanges.sessionId })
    .from(bookingChanges)
    .innerJoin(
      treatmentSessions,
      and(
        eq(treatmentSessions.clinicId, bookingChanges.clinicId),
        eq(treatmentSessions.id, bookingChanges.sessionId),
      ),
    )
    .where(
      and(
        eq(bookingChanges.clinicId, clinicId),
        eq(bookingChanges.kind, 'cancel'),
        gte(treatmentSessions.date, from),
        lte(treatmentSessions.date, to),
      ),
    );
  return new Set(rows.map((r) => r.id));
}
