import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { dayNumber, weekday } from '../calendar';
import type { Booking, ScheduleRequest } from './scheduler';
import { scheduleCourse } from './scheduler';
import type { CourseTemplate } from './templates';
import { BUILT_IN_TEMPLATES, courseTemplateSchema, findTemplate, plannedSessionCount } from './templates';

const weekdays8to17 = [[], ...Array.from({ length: 5 }, () => [{ openMin: 480, closeMin: 1020 }]), []];
const tpl = (id: string): CourseTemplate => findTemplate(id)!;
const base = (over: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
  template: tpl('iv-induction-2x-weekly-3wk'),
  startDate: '2026-11-30', // a Monday
  clinicHours: weekdays8to17,
  rooms: ['A', 'B'],
  sessionDurationMin: 120,
  ...over,
});

describe('templates', () => {
  it('every built-in template validates against the editable template schema', () => {
    for (const t of BUILT_IN_TEMPLATES) expect(() => courseTemplateSchema.parse(t)).not.toThrow();
  });
  it('planned counts: IV inductions are 6 infusions; esketamine TRD label weeks 1–8 = 8 + 4', () => {
    expect(plannedSessionCount(tpl('iv-induction-2x-weekly-3wk'))).toBe(6);
    expect(plannedSessionCount(tpl('iv-induction-3x-weekly-12d'))).toBe(6);
    const esk = tpl('esketamine-trd-label');
    expect(esk.phases[0]!.cadence).toEqual({ kind: 'per-week', sessionsPerWeek: 2, weeks: 4 });
    expect(esk.phases[1]!.cadence).toEqual({ kind: 'per-week', sessionsPerWeek: 1, weeks: 4 });
  });
});

describe('scheduleCourse: worked examples', () => {
  it('twice weekly for 3 weeks from a Monday: Mon/Thu × 3, first slot, room A', () => {
    const r = scheduleCourse(base());
    expect(r.conflicts).toEqual([]);
    expect(r.sessions.map((s) => s.date)).toEqual([
      '2026-11-30',
      '2026-12-03',
      '2026-12-07',
      '2026-12-10',
      '2026-12-14',
      '2026-12-17',
    ]);
    expect(r.sessions.every((s) => s.startMin === 480 && s.endMin === 600 && s.roomId === 'A')).toBe(true);
    expect(r.sessions[0]!.dose).toEqual({ kind: 'weight-based', doseMgPerKg: 0.5, infusionDurationMin: 40 });
  });

  it('thrice weekly: 6 sessions, first to last spans 12 days (Murrough 2013)', () => {
    const r = scheduleCourse(base({ template: tpl('iv-induction-3x-weekly-12d') }));
    const dates = r.sessions.map((s) => s.date);
    expect(dates).toEqual([
      '2026-11-30',
      '2026-12-02',
      '2026-12-04',
      '2026-12-07',
      '2026-12-09',
      '2026-12-11',
    ]);
    expect(dayNumber(dates[5]!) - dayNumber(dates[0]!) + 1).toBe(12);
  });

  it('esketamine label: day 1 is fixed at 56 mg, week 5 starts on day 29, week 9 every 2 weeks', () => {
    const r = scheduleCourse(base({ template: tpl('esketamine-trd-label') }));
    expect(r.conflicts).toEqual([]);
    expect(r.sessions).toHaveLength(16);
    expect(r.sessions[0]!.fixedDoseMg).toBe(56);
    expect(r.sessions.filter((s) => s.fixedDoseMg !== undefined)).toHaveLength(1);
    const weekly = r.sessions.filter((s) => s.phaseId === 'maintenance-weekly').map((s) => s.date);
    expect(weekly).toEqual(['2026-12-28', '2027-01-04', '2027-01-11', '2027-01-18']);
    const w9 = r.sessions.filter((s) => s.phaseId === 'maintenance-week9').map((s) => s.date);
    expect(w9[0]).toBe('2027-01-25'); // start + 56 days
    expect(dayNumber(w9[1]!) - dayNumber(w9[0]!)).toBe(14);
  });

  it('a Saturday start moves to Monday; a closed date moves on to the next open day', () => {
    const r = scheduleCourse(base({ startDate: '2026-11-28', closedDates: ['2026-11-30'] }));
    expect(r.sessions[0]!.date).toBe('2026-12-01');
    expect(r.sessions[0]!.targetDate).toBe('2026-11-28');
    expect(r.sessions[0]!.shiftedDays).toBe(3);
  });

  it('uses room B when A is booked, and a later time when both are', () => {
    const bookA: Booking = { roomId: 'A', date: '2026-11-30', startMin: 480, endMin: 600 };
    const r1 = scheduleCourse(base({ existingBookings: [bookA] }));
    expect(r1.sessions[0]).toMatchObject({ roomId: 'B', startMin: 480 });
    const bookB: Booking = { roomId: 'B', date: '2026-11-30', startMin: 450, endMin: 555 };
    const r2 = scheduleCourse(base({ existingBookings: [bookA, bookB] }));
    // A is busy until 600 and B until 555; candidate starts step by 15 min from 480, so 555 in B comes first.
    expect(r2.sessions[0]).toMatchObject({ roomId: 'B', startMin: 555, endMin: 675 });
  });

  it('lists conflicts it cannot resolve (clinic open Mondays only, twice weekly)', () => {
    const mondaysOnly = [[], [{ openMin: 480, closeMin: 1020 }], [], [], [], [], []];
    const r = scheduleCourse(base({ clinicHours: mondaysOnly }));
    expect(r.sessions.map((s) => s.date)).toEqual(['2026-11-30', '2026-12-07', '2026-12-14']);
    expect(r.conflicts).toHaveLength(3);
    expect(r.conflicts[0]).toMatchObject({ sequence: 2, targetDate: '2026-12-03', windowTo: '2026-12-06' });
    expect(r.conflicts[0]!.reason).toMatch(/no free 120-min slot/);
  });

  it('a session longer than opening hours is a conflict, not a squeezed slot', () => {
    const r = scheduleCourse(base({ sessionDurationMin: 600 }));
    expect(r.sessions).toEqual([]);
    expect(r.conflicts).toHaveLength(6);
  });

  it('rejects bad input naming the field', () => {
    try {
      scheduleCourse(base({ startDate: '2026-02-30' }));
    } catch (e) {
      expect(e).toBeInstanceOf(ClinicalInputError);
      expect((e as ClinicalInputError).field).toBe('startDate');
    }
    expect(() => scheduleCourse(base({ rooms: ['A', 'A'] }))).toThrow(/unique/);
    expect(() =>
      scheduleCourse(base({ clinicHours: [[{ openMin: 600, closeMin: 500 }], [], [], [], [], [], []] })),
    ).toThrow(ClinicalInputError);
    expect.assertions(4);
  });
});

describe('scheduleCourse: properties', () => {
  const interval = fc
    .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 720 }))
    .map(([o, len]) => ({ openMin: o, closeMin: Math.min(1440, o + len) }));
  const arbHours = fc.array(fc.array(interval, { maxLength: 2 }), { minLength: 7, maxLength: 7 });
  const arbDate = fc.integer({ min: dayNumber('2026-01-01'), max: dayNumber('2027-12-31') });
  const toDate = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const rooms = ['A', 'B', 'C'];
  const arbBooking = fc
    .record({
      roomId: fc.constantFrom(...rooms),
      dayOffset: fc.integer({ min: 0, max: 120 }),
      startMin: fc.integer({ min: 0, max: 1400 }),
      len: fc.integer({ min: 10, max: 300 }),
    })
    .map((b) => ({ ...b, endMin: Math.min(1440, b.startMin + b.len) }));

  it('never double-books a room, never schedules outside hours or on closed dates, accounts for every session', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BUILT_IN_TEMPLATES),
        arbHours,
        arbDate,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 15, max: 240 }),
        fc.array(arbBooking, { maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
        (template, clinicHours, start, roomCount, duration, rawBookings, closedOffsets) => {
          const startDate = toDate(start);
          const existingBookings = rawBookings.map((b) => ({
            roomId: b.roomId,
            date: toDate(start + b.dayOffset),
            startMin: b.startMin,
            endMin: b.endMin,
          }));
          const closedDates = closedOffsets.map((o) => toDate(start + o));
          const usedRooms = rooms.slice(0, roomCount);
          const r = scheduleCourse({
            template,
            startDate,
            clinicHours,
            rooms: usedRooms,
            sessionDurationMin: duration,
            existingBookings,
            closedDates,
          });
          expect(r.sessions.length + r.conflicts.length).toBe(plannedSessionCount(template));
          const all = [...existingBookings, ...r.sessions];
          for (const s of r.sessions) {
            expect(usedRooms).toContain(s.roomId);
            expect(s.endMin - s.startMin).toBe(duration);
            expect(closedDates).not.toContain(s.date);
            const hours = clinicHours[weekday(s.date)]!;
            expect(hours.some((h) => h.openMin <= s.startMin && s.endMin <= h.closeMin)).toBe(true);
            for (const o of all) {
              if (o === s || o.roomId !== s.roomId || o.date !== s.date) continue;
              expect(s.startMin < o.endMin && o.startMin < s.endMin).toBe(false);
            }
          }
          for (let i = 1; i < r.sessions.length; i++) {
            const gap = dayNumber(r.sessions[i]!.date) - dayNumber(r.sessions[i - 1]!.date);
            const phase = template.phases.find((p) => p.id === r.sessions[i]!.phaseId)!;
            expect(gap).toBeGreaterThanOrEqual(phase.minDaysBetweenSessions);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
