/** Request and response schemas of the clinic calendar (pure zod). */
import { z } from 'zod';
import { sessionStatusSchema } from '../../clinical/vocabulary/booking';

export const calendarRange = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
});

export const calendarEntryDto = z.object({
  sessionId: z.uuid(),
  courseId: z.uuid(),
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  modality: z.string(),
  sequence: z.int(),
  phaseLabel: z.string(),
  date: z.string(),
  startMin: z.int(),
  endMin: z.int(),
  roomId: z.string(),
  /** Derived from the session's events and booking changes. */
  status: sessionStatusSchema,
  /** When it actually started and ended (null until then). */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});

export const calendarDto = z.object({ timeZone: z.string(), items: z.array(calendarEntryDto) });

export const calendarWeekQuery = z.object({
  /** Any day of the week to show; the clinic's today when omitted. */
  date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
});

export const calendarWeekDto = calendarDto.extend({
  /** Monday to Sunday of the week, in the clinic's calendar. */
  days: z.array(z.string()),
  previousWeek: z.string(),
  nextWeek: z.string(),
});
