import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { dateFromDayNumber, dayNumber, localDateSchema, weekday } from '../calendar';
import type { CourseTemplate, DoseSpec } from './templates';
import { courseTemplateSchema } from './templates';

/**
 * Pure course scheduler. Time-zone free: every time is a local calendar date ('YYYY-MM-DD') in the
 * clinic's own time zone plus minutes from local midnight. The caller converts to instants
 * (and handles daylight-saving gaps) at the edge.
 */

const minuteOfDay = z.number().int().min(0).max(1440);

export const openingIntervalSchema = z
  .object({ openMin: minuteOfDay, closeMin: minuteOfDay })
  .refine((h) => h.closeMin > h.openMin, { message: 'closeMin must be after openMin', path: ['closeMin'] });
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

export const bookingSchema = z
  .object({ roomId: z.string().min(1), date: localDateSchema, startMin: minuteOfDay, endMin: minuteOfDay })
  .refine((b) => b.endMin > b.startMin, { message: 'endMin must be after startMin', path: ['endMin'] });
export type Booking = z.infer<typeof bookingSchema>;

export const scheduleRequestSchema = z.object({
  template: courseTemplateSchema,
  startDate: localDateSchema,
  /** Index 0 = Sunday … 6 = Saturday; an empty list means closed that weekday. */
  clinicHours: z.array(z.array(openingIntervalSchema)).length(7),
  closedDates: z.array(localDateSchema).default([]),
  rooms: z
    .array(z.string().min(1))
    .min(1)
    .refine((r) => new Set(r).size === r.length, 'room ids must be unique'),
  sessionDurationMin: z.number().int().min(1).max(1440),
  /** Granularity of candidate start times (scheduling setting, not clinical). */
  slotStepMin: z.number().int().min(1).max(240).default(15),
  existingBookings: z.array(bookingSchema).default([]),
});
export type ScheduleRequest = z.input<typeof scheduleRequestSchema>;

export interface ScheduledSession {
  /** 1-based order in the course. */
  sequence: number;
  phaseId: string;
  phaseLabel: string;
  indexInPhase: number;
  date: string;
  startMin: number;
  endMin: number;
  roomId: string;
  /** The date the cadence aimed for; `shiftedDays` = date − targetDate. */
  targetDate: string;
  shiftedDays: number;
  dose: DoseSpec;
  /** Set when the template fixes this session's dose (e.g. esketamine day 1: 56 mg). */
  fixedDoseMg?: number;
}

export interface ScheduleConflict {
  sequence: number;
  phaseId: string;
  indexInPhase: number;
  targetDate: string;
  windowFrom: string;
  windowTo: string;
  reason: string;
}

export interface ScheduleResult {
  sessions: ScheduledSession[];
  conflicts: ScheduleConflict[];
}

interface Slot {
  roomId: string;
  day: number;
  startMin: number;
  endMin: number;
}

const overlaps = (a: Slot, b: Slot): boolean =>
  a.day === b.day && a.roomId === b.roomId && a.startMin < b.endMin && b.startMin < a.endMin;

export function scheduleCourse(input: ScheduleRequest): ScheduleResult {
  const parsed = scheduleRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'request', issue.message);
  }
  const req = parsed.data;
  const template: CourseTemplate = req.template;
  const closed = new Set(req.closedDates.map((d) => dayNumber(d)));
  const taken: Slot[] = req.existingBookings.map((b) => ({
    roomId: b.roomId,
    day: dayNumber(b.date),
    startMin: b.startMin,
    endMin: b.endMin,
  }));
  const duration = req.sessionDurationMin;

  const findSlot = (day: number): Slot | null => {
    if (closed.has(day)) return null;
    const hours = req.clinicHours[weekday(dateFromDayNumber(day))] ?? [];
    for (const h of [...hours].sort((a, b) => a.openMin - b.openMin)) {
      for (let start = h.openMin; start + duration <= h.closeMin; start += req.slotStepMin) {
        for (const roomId of req.rooms) {
          const cand: Slot = { roomId, day, startMin: start, endMin: start + duration };
          if (!taken.some((t) => overlaps(t, cand))) return cand;
        }
      }
    }
    return null;
  };

  const sessions: ScheduledSession[] = [];
  const conflicts: ScheduleConflict[] = [];
  let sequence = 0;
  let previousDay: number | null = null;
  let phaseStart = dayNumber(req.startDate, 'startDate');

  for (const phase of template.phases) {
    const targets: { target: number; latest: number }[] = [];
    const c = phase.cadence;
    if (c.kind === 'per-week') {
      for (let w = 0; w < c.weeks; w++) {
        const blockStart = phaseStart + 7 * w;
        for (let i = 0; i < c.sessionsPerWeek; i++) {
          targets.push({
            target: blockStart + Math.floor((i * 7) / c.sessionsPerWeek),
            latest: blockStart + 6,
          });
        }
      }
    } else {
      for (let i = 0; i < c.sessions; i++) {
        const target = phaseStart + i * c.everyDays;
        targets.push({ target, latest: target + c.toleranceDays });
      }
    }

    let phaseHasSession = false;
    targets.forEach(({ target, latest }, indexInPhase) => {
      sequence += 1;
      const earliest =
        previousDay === null ? target : Math.max(target, previousDay + phase.minDaysBetweenSessions);
      let slot: Slot | null = null;
      for (let d = earliest; d <= latest && slot === null; d++) slot = findSlot(d);
      if (slot === null) {
        conflicts.push({
          sequence,
          phaseId: phase.id,
          indexInPhase,
          targetDate: dateFromDayNumber(target),
          windowFrom: dateFromDayNumber(earliest),
          windowTo: dateFromDayNumber(latest),
          reason:
            earliest > latest
              ? `no day left in the window: the ${phase.minDaysBetweenSessions}-day minimum gap after the previous session passes ${dateFromDayNumber(latest)}`
              : `no free ${duration}-min slot in any room within clinic hours from ${dateFromDayNumber(earliest)} to ${dateFromDayNumber(latest)}`,
        });
        return;
      }
      taken.push(slot);
      previousDay = slot.day;
      // The fixed first dose (esketamine day 1: 56 mg) goes to the first session actually scheduled.
      const fixedDoseMg =
        !phaseHasSession && phase.dose.kind === 'fixed-intranasal'
          ? phase.dose.firstSessionDoseMg
          : undefined;
      phaseHasSession = true;
      sessions.push({
        sequence,
        phaseId: phase.id,
        phaseLabel: phase.label,
        indexInPhase,
        date: dateFromDayNumber(slot.day),
        startMin: slot.startMin,
        endMin: slot.endMin,
        roomId: slot.roomId,
        targetDate: dateFromDayNumber(target),
        shiftedDays: slot.day - target,
        dose: phase.dose,
        ...(fixedDoseMg !== undefined ? { fixedDoseMg } : {}),
      });
    });

    phaseStart += c.kind === 'per-week' ? 7 * c.weeks : c.everyDays * c.sessions;
  }
  return { sessions, conflicts };
}
