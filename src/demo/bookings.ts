/**
 * Room bookings of one clinic while its demo patients are generated, so no two sessions share a room
 * at the same time. Patients are not generated in date order, so every booked day is kept, as a grid
 * of 5-minute cells per room (bounded memory whatever the patient count: days × rooms × 288 bytes,
 * under 9 MB for 50 rooms over 600 days). Start times follow the course scheduler
 * (src/clinical/protocols/scheduler.ts): the clinic's opening hours in steps of its slot length, its
 * rooms, closed weekdays and dates; a day without a free slot moves the session to the next day with
 * one.
 */
import { type CourseTemplate, scheduleCourse, type ScheduledSession } from '../clinical/protocols';
import { dateFromDayNumber, dayNumber, weekday } from '../clinical/calendar';
import type { SessionSettings } from '../app/demo';
import { clinicClosures } from '../clinical/session';
import { deepFreeze } from '../clinical/frozen';
import { type Rand, int } from './random';

const CELL_MIN = 5;
const CELLS = 1440 / CELL_MIN;
/** A session waits at most this long past its cadence's day for a free slot (then it is not booked). */
export const MAX_WAIT_DAYS = 120;

function isFree(cells: Uint8Array, from: number, to: number): boolean {
  for (let c = from; c < to; c++) if (cells[c] !== 0) return false;
  return true;
}

export interface BookedSlot {
  day: number;
  roomId: string;
  startMin: number;
  endMin: number;
}

export class DemoBookings {
  private readonly grid = new Map<number, Uint8Array>();
  private readonly closed: Set<number>;
  private readonly plans = new Map<string, ScheduledSession[]>();

  /**
   * The clinic's settings, frozen (a copy, unless they already are): the session core keeps what it
   * derives from frozen settings (thresholds, discharge settings, their validation) by identity.
   */
  readonly settings: SessionSettings;

  constructor(settings: SessionSettings) {
    this.settings = Object.isFrozen(settings) ? settings : deepFreeze(structuredClone(settings));
    this.closed = new Set(clinicClosures(settings).map((c) => dayNumber(c.date)));
  }

  /** Booked days held (for tests of the memory bound). */
  get days(): number {
    return this.grid.size;
  }

  /**
   * The course's cadence as the scheduler lays it out on the clinic's hours with no other bookings
   * (cached per template and start date); `book` then finds the actual free slots.
   */
  plan(template: CourseTemplate, startDate: string): ScheduledSession[] {
    const key = `${template.id}|${startDate}`;
    let s = this.plans.get(key);
    if (!s) {
      const st = this.settings;
      s = scheduleCourse({
        template,
        startDate,
        clinicHours: st.clinicHours,
        closedDates: clinicClosures(st).map((c) => c.date),
        rooms: st.rooms,
        sessionDurationMin: st.sessionDurationMin[template.modality],
        slotStepMin: st.slotStepMin,
      }).sessions;
      if (this.plans.size > 20_000) this.plans.clear();
      this.plans.set(key, s);
    }
    return s;
  }

  /**
   * Books the earliest free slot on `day` (the scheduler's order: start times, then rooms; the first
   * room tried rotates so rooms are used evenly), or returns null.
   */
  tryDay(day: number, durationMin: number, rand: Rand): BookedSlot | null {
    if (this.closed.has(day)) return null;
    const hours = this.settings.clinicHours[weekday(dateFromDayNumber(day))] ?? [];
    const rooms = this.settings.rooms;
    const cells = this.grid.get(day);
    const r0 = int(rand, 0, rooms.length - 1);
    for (const h of [...hours].sort((a, b) => a.openMin - b.openMin)) {
      for (
        let startMin = h.openMin;
        startMin + durationMin <= h.closeMin;
        startMin += this.settings.slotStepMin
      ) {
        const from = Math.floor(startMin / CELL_MIN);
        const to = Math.ceil((startMin + durationMin) / CELL_MIN);
        for (let j = 0; j < rooms.length; j++) {
          const room = (r0 + j) % rooms.length;
          if (cells && !isFree(cells, room * CELLS + from, room * CELLS + to)) continue;
          let grid = cells;
          if (!grid) {
            grid = new Uint8Array(rooms.length * CELLS);
            this.grid.set(day, grid);
          }
          grid.fill(1, room * CELLS + from, room * CELLS + to);
          return { day, roomId: rooms[room]!, startMin, endMin: startMin + durationMin };
        }
      }
    }
    return null;
  }

  /** Books the first day from `fromDay` with a free slot (up to MAX_WAIT_DAYS later), or null. */
  book(fromDay: number, durationMin: number, rand: Rand): BookedSlot | null {
    for (let d = fromDay; d <= fromDay + MAX_WAIT_DAYS; d++) {
      const slot = this.tryDay(d, durationMin, rand);
      if (slot) return slot;
    }
    return null;
  }
}

/** Sessions per patient in the generator's first year (measured: about 9.6), with headroom for peaks. */
const BOOKED_SESSIONS_PER_PATIENT = 13;

/**
 * Days of history over which first courses start: a year, longer when the clinic's rooms and hours
 * cannot hold its patients' sessions in one (so a large synthetic clinic in a small setting is not
 * overbooked: its patients are spread over more years instead).
 */
export function demoHistoryDays(settings: SessionSettings, patients: number): number {
  const perYear = sessionsPerYear(settings);
  if (perYear === 0) return 365;
  return Math.round(365 * Math.max(1, (patients * BOOKED_SESSIONS_PER_PATIENT) / perYear));
}

/** IV sessions the clinic's rooms and opening hours hold in a year (back to back). */
export function sessionsPerYear(settings: SessionSettings): number {
  const dur = settings.sessionDurationMin['iv-ketamine'];
  let perWeek = 0;
  for (const day of settings.clinicHours) {
    for (const h of day) perWeek += Math.max(0, Math.floor((h.closeMin - h.openMin) / dur));
  }
  return perWeek * settings.rooms.length * 52;
}

/**
 * Session settings for a clinic the demo network creates: `base` when it holds the patients' sessions
 * in a year, else opening hours Monday to Saturday 07:00–19:00 and as many rooms (up to the settings'
 * maximum of 50) as they need. Scheduling choices of the invented clinic, not clinical figures.
 */
export function demoClinicSettings(base: SessionSettings, patients: number): SessionSettings {
  if (patients * BOOKED_SESSIONS_PER_PATIENT <= sessionsPerYear(base)) return base;
  const day = [{ openMin: 7 * 60, closeMin: 19 * 60 }];
  const hours = [[], day, day, day, day, day, day];
  const perRoom = sessionsPerYear({ ...base, clinicHours: hours, rooms: ['x'] });
  const rooms = Math.min(50, Math.max(2, Math.ceil((patients * BOOKED_SESSIONS_PER_PATIENT) / perRoom)));
  return {
    ...base,
    clinicHours: hours,
    rooms: Array.from({ length: rooms }, (_, i) => `Room ${i + 1}`),
  };
}
