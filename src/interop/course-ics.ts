/**
 * An iCalendar file of a treatment course: one timed event per scheduled session. The
 * scheduler works in the clinic's local time; events are written in UTC, converted with the
 * clinic's IANA time zone (daylight saving included). Mapping only.
 * The file carries no patient name: it ends up in calendar apps that sync to third parties.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import { localToUtc } from '../clinical/calendar';

export interface CourseIcsSession {
  id: string;
  sequence: number;
  phaseLabel: string;
  /** Local date and minutes from local midnight in the clinic's time zone. */
  date: string;
  startMin: number;
  endMin: number;
  roomId: string;
}

export interface CourseIcsMeta {
  courseName: string;
  clinicName?: string;
  /** IANA time zone of the clinic (the scheduler works in local time). */
  timeZone: string;
}

/** Wall time → instant is the clinic calendar's rule; re-exported for the ICS mapping's callers. */
export { localToUtc };

const utcArray = (d: Date): DateArray => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

export function courseIcs(sessions: readonly CourseIcsSession[], meta: CourseIcsMeta): string {
  const events: EventAttributes[] = sessions.map((s) => ({
    uid: `${s.id}@rein`,
    title: `Treatment session ${s.sequence}: ${s.phaseLabel}`,
    description: [
      `Session ${s.sequence} of the course "${meta.courseName}", ${s.roomId}.`,
      'Arrange transport home: no driving until the next day.',
      ...(meta.clinicName ? [meta.clinicName] : []),
    ].join('\n'),
    start: utcArray(localToUtc(s.date, s.startMin, meta.timeZone)),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utcArray(localToUtc(s.date, s.endMin, meta.timeZone)),
    endInputType: 'utc',
    endOutputType: 'utc',
    location: s.roomId,
    productId: 'rein/course',
    calName: meta.courseName,
  }));
  const { error, value } = createEvents(events, { productId: 'rein/course', calName: meta.courseName });
  if (error || value === null) throw error ?? new Error('ics: no calendar produced');
  return value;
}
