/**
 * An iCalendar file of a treatment course: one timed event per scheduled session. The
 * scheduler works in the clinic's local time; events are written in UTC, converted with the
 * clinic's IANA time zone (daylight saving included). Mapping only.
 * The file carries no patient name: it ends up in calendar apps that sync to third parties.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics';

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

/** The UTC instant of a local wall-clock time in `timeZone` (DST-aware, no library). */
export function localToUtc(date: string, minuteOfDay: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, Math.floor(minuteOfDay / 60), minuteOfDay % 60);
  const offsetAt = (t: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    return asUtc - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

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
