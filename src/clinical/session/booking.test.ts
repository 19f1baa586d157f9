import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import {
  actualTimes,
  decideBookingChange,
  decideCourseCancel,
  inductionEnded,
  sessionStatus,
  startDrift,
  type BookingDecisionInput,
} from './booking';
import { SessionRefusal } from './decide';
import { clinicClosures, DEFAULT_SESSION_SETTINGS } from './settings';

const none = { checkedInAt: null, dosingStartedAt: null, dischargedAt: null };
const at = (iso: string) => new Date(iso);
const weekdays = DEFAULT_SESSION_SETTINGS.clinicHours; // Mon–Fri 08:00–17:00
const TZ = 'America/New_York';

// Monday 7 Dec 2026, 09:00–11:00 in Room 1 (14:00 UTC: New York is UTC−5 in December).
const booked = { date: '2026-12-07', startMin: 9 * 60, endMin: 11 * 60, roomId: 'Room 1' };
const input = (over: Partial<BookingDecisionInput> = {}): BookingDecisionInput => ({
  status: 'booked',
  booked,
  now: at('2026-12-04T15:00:00Z'),
  timeZone: TZ,
  closures: [{ date: '2026-12-25', name: 'Christmas Day' }],
  clinicHours: weekdays,
  rooms: ['Room 1', 'Room 2'],
  otherBookings: [],
  patientSessions: [],
  minDaysBetweenDoses: 1,
  ...over,
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as Error & { field: string };
  }
  throw new Error('expected a refusal');
};

describe('sessionStatus', () => {
  it('is booked with nothing recorded, and follows the booking changes in order', () => {
    expect(sessionStatus(none, [])).toBe('booked');
    expect(sessionStatus(none, [{ kind: 'no-show' }])).toBe('no-show');
    expect(sessionStatus(none, [{ kind: 'no-show' }, { kind: 'reschedule' }])).toBe('booked');
    expect(sessionStatus(none, [{ kind: 'reschedule' }, { kind: 'cancel' }])).toBe('cancelled');
  });

  it('lets what the session recorded win over the booking', () => {
    const checkedIn = { ...none, checkedInAt: at('2026-12-07T14:05:00Z') };
    expect(sessionStatus(checkedIn, [])).toBe('in-progress');
    expect(sessionStatus({ ...none, dosingStartedAt: at('2026-12-07T14:05:00Z') }, [])).toBe('in-progress');
    expect(sessionStatus({ ...checkedIn, dischargedAt: at('2026-12-07T16:00:00Z') }, [])).toBe('done');
    expect(sessionStatus(checkedIn, [{ kind: 'no-show' }])).toBe('in-progress');
  });
});

describe('actual times and start drift', () => {
  it('starts at the earlier of check-in and dosing start and ends at discharge', () => {
    const t = actualTimes({
      checkedInAt: at('2026-12-07T14:10:00Z'),
      dosingStartedAt: at('2026-12-07T14:40:00Z'),
      dischargedAt: at('2026-12-07T16:00:00Z'),
    });
    expect(t).toEqual({ startedAt: at('2026-12-07T14:10:00Z'), endedAt: at('2026-12-07T16:00:00Z') });
    expect(actualTimes({ ...none, dosingStartedAt: at('2026-12-07T14:40:00Z') }).startedAt).toEqual(
      at('2026-12-07T14:40:00Z'),
    );
    expect(actualTimes(none)).toEqual({ startedAt: null, endedAt: null });
  });

  it('measures the drift from the booked local time and warns only beyond the threshold', () => {
    const drift = (iso: string) =>
      startDrift({ booked, happened: { ...none, checkedInAt: at(iso) }, timeZone: TZ, warnAfterMin: 60 });
    expect(drift('2026-12-07T14:00:00Z')).toMatchObject({ driftMin: 0, warn: false });
    expect(drift('2026-12-07T15:00:00Z')).toMatchObject({ driftMin: 60, warn: false });
    expect(drift('2026-12-07T15:01:00Z')).toMatchObject({ driftMin: 61, warn: true });
    expect(drift('2026-12-07T12:30:00Z')).toMatchObject({ driftMin: -90, warn: true });
    expect(drift('2026-12-07T14:00:00Z')!.bookedStartAt).toEqual(at('2026-12-07T14:00:00Z'));
    expect(startDrift({ booked, happened: none, timeZone: TZ, warnAfterMin: 60 })).toBeNull();
  });

  it('reads the booked time across a daylight-saving change', () => {
    // Sunday 8 Mar 2026: New York moves to UTC−4, so 09:00 local is 13:00 UTC.
    const d = startDrift({
      booked: { date: '2026-03-08', startMin: 9 * 60 },
      happened: { ...none, checkedInAt: at('2026-03-08T13:00:00Z') },
      timeZone: TZ,
      warnAfterMin: 60,
    });
    expect(d).toMatchObject({ driftMin: 0, warn: false });
  });
});

describe('decideBookingChange', () => {
  it('reschedules a booked session to a free open slot, keeping its length and room', () => {
    const out = decideBookingChange(
      { kind: 'reschedule', reason: 'patient asked', date: '2026-12-08', startMin: 13 * 60 },
      input(),
    );
    expect(out).toEqual({
      kind: 'reschedule',
      reason: 'patient asked',
      from: booked,
      to: { date: '2026-12-08', startMin: 780, endMin: 900, roomId: 'Room 1' },
    });
  });

  it('refuses a closure, a closed weekday, hours overrun, a taken room and the past', () => {
    const move = (
      date: string,
      startMin: number,
      roomId?: string,
      over: Partial<BookingDecisionInput> = {},
    ) =>
      refusal(() =>
        decideBookingChange({ kind: 'reschedule', reason: 'r', date, startMin, roomId }, input(over)),
      );
    const closed = move('2026-12-25', 9 * 60);
    expect(closed).toBeInstanceOf(SessionRefusal);
    expect(closed.message).toBe('the clinic is closed on 2026-12-25 (Christmas Day)');
    // The app passes the clinic's way of writing a date; the decision is the same.
    const gb = move('2026-12-25', 9 * 60, undefined, { formatDate: (d) => d.split('-').reverse().join('/') });
    expect(gb.message).toBe('the clinic is closed on 25/12/2026 (Christmas Day)');
    expect(move('2026-12-12', 9 * 60).message).toMatch(/no opening hours/); // a Saturday
    expect(move('2026-12-08', 16 * 60).message).toMatch(/does not fit/);
    const taken = { date: '2026-12-08', startMin: 600, endMin: 720, roomId: 'Room 1' };
    expect(move('2026-12-08', 9 * 60, undefined, { otherBookings: [taken] }).message).toMatch(
      /already booked/,
    );
    // The same time in the other room is free.
    expect(() =>
      decideBookingChange(
        { kind: 'reschedule', reason: 'r', date: '2026-12-08', startMin: 540, roomId: 'Room 2' },
        input({ otherBookings: [taken] }),
      ),
    ).not.toThrow();
    const past = move('2026-12-03', 9 * 60);
    expect(past).toBeInstanceOf(ClinicalInputError);
    expect(past.field).toBe('startMin');
    expect(move('2026-12-08', 9 * 60, 'Room 9').field).toBe('roomId');
    expect(move('2026-12-07', 9 * 60).message).toMatch(/already booked then/);
  });

  it("refuses a move that puts two of the patient's doses closer than the clinic gives them", () => {
    const move = (date: string, over: Partial<BookingDecisionInput>) => () =>
      decideBookingChange({ kind: 'reschedule', reason: 'r', date, startMin: 13 * 60 }, input(over));
    const session3 = { sequence: 3, date: '2026-12-10' };
    const sameDay = refusal(move('2026-12-10', { patientSessions: [session3] }));
    expect(sameDay).toBeInstanceOf(SessionRefusal);
    expect(sameDay.field).toBe('date');
    expect(sameDay.message).toBe(
      'the patient already has session 3 on 2026-12-10; the clinic gives these doses at least 1 day apart',
    );
    // The day before is allowed at one day apart, refused when the clinic gives doses 2 days apart.
    expect(move('2026-12-09', { patientSessions: [session3] })).not.toThrow();
    expect(
      refusal(move('2026-12-09', { patientSessions: [session3], minDaysBetweenDoses: 2 })).message,
    ).toMatch(/at least 2 days apart/);
    expect(move('2026-12-08', { patientSessions: [session3], minDaysBetweenDoses: 2 })).not.toThrow();
  });

  it('needs a reason for every change', () => {
    const err = refusal(() => decideBookingChange({ kind: 'cancel', reason: '  ' }, input()));
    expect(err).toBeInstanceOf(ClinicalInputError);
    expect(err.field).toBe('reason');
  });

  it('allows a no-show only once the booked time has come, and only for a booked session', () => {
    const early = refusal(() =>
      decideBookingChange(
        { kind: 'no-show', reason: 'did not come' },
        input({ now: at('2026-12-07T13:59:00Z') }),
      ),
    );
    expect(early.message).toMatch(/booked time has come/);
    expect(
      decideBookingChange(
        { kind: 'no-show', reason: 'did not come' },
        input({ now: at('2026-12-07T14:00:00Z') }),
      ),
    ).toMatchObject({ kind: 'no-show', to: null });
    for (const status of ['done', 'in-progress', 'cancelled', 'no-show'] as const) {
      const err = refusal(() =>
        decideBookingChange(
          { kind: 'no-show', reason: 'r' },
          input({ status, now: at('2026-12-07T18:00:00Z') }),
        ),
      );
      expect(err).toBeInstanceOf(SessionRefusal);
      expect(err.field).toBe('kind');
    }
  });

  it('cancels only a booked session; reschedules a missed one but not a done or cancelled one', () => {
    expect(decideBookingChange({ kind: 'cancel', reason: 'unwell' }, input())).toMatchObject({
      kind: 'cancel',
      reason: 'unwell',
    });
    expect(
      refusal(() => decideBookingChange({ kind: 'cancel', reason: 'r' }, input({ status: 'done' }))).message,
    ).toBe('a done session cannot be cancelled');
    const move = { kind: 'reschedule', reason: 'r', date: '2026-12-08', startMin: 540 } as const;
    expect(decideBookingChange(move, input({ status: 'no-show' })).to?.date).toBe('2026-12-08');
    for (const status of ['done', 'in-progress', 'cancelled'] as const) {
      expect(refusal(() => decideBookingChange(move, input({ status }))).message).toMatch(
        /cannot be rescheduled/,
      );
    }
  });
});

describe('decideCourseCancel', () => {
  it('cancels the sessions still booked and leaves the rest', () => {
    const sessions = [
      { id: 'a', status: 'done' as const },
      { id: 'b', status: 'no-show' as const },
      { id: 'c', status: 'booked' as const },
      { id: 'd', status: 'booked' as const },
    ];
    expect(decideCourseCancel('moved away', sessions).cancel.map((s) => s.id)).toEqual(['c', 'd']);
    expect(refusal(() => decideCourseCancel('r', sessions.slice(0, 2))).message).toMatch(/no booked session/);
    expect(refusal(() => decideCourseCancel('', sessions)).field).toBe('reason');
  });
});

describe('inductionEnded', () => {
  it('is over when no induction session is still booked or in progress', () => {
    const s = (phaseId: string, status: 'booked' | 'done' | 'cancelled' | 'in-progress' | 'no-show') => ({
      phaseId,
      status,
    });
    expect(inductionEnded([s('induction', 'done'), s('induction', 'booked')], 'induction')).toEqual({
      ended: false,
      remaining: 1,
    });
    expect(inductionEnded([s('induction', 'done'), s('induction', 'in-progress')], 'induction').ended).toBe(
      false,
    );
    expect(
      inductionEnded(
        [
          s('induction', 'done'),
          s('induction', 'no-show'),
          s('induction', 'cancelled'),
          s('maintenance', 'booked'),
        ],
        'induction',
      ),
    ).toEqual({ ended: true, remaining: 0 });
  });
});

describe('clinicClosures', () => {
  it('lists named closures and the older unnamed dates once each, by date', () => {
    expect(
      clinicClosures({
        closures: [{ date: '2026-12-25', name: 'Christmas Day' }],
        closedDates: ['2026-12-25', '2026-12-24'],
      }),
    ).toEqual([
      { date: '2026-12-24', name: 'Closed' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });
});
