/**
 * The clinic's calendar: local dates, wall-clock times and "today" in the clinic's IANA time zone.
 *
 * Rules this module states once for the whole code base:
 * - A local date is the string `YYYY-MM-DD` of a real calendar day, with no time zone attached.
 *   Date arithmetic (add days, days between, weekday, age) is pure calendar arithmetic on it.
 * - Instants are `Date`s (UTC). An instant belongs to the local date of the clinic's zone at that
 *   instant; the clinic's "today" is the local date of `now` in the clinic's zone — never UTC's.
 * - Wall time → instant across daylight-saving changes (disambiguation 'compatible', as in
 *   RFC 5545 and Temporal): a wall time in the spring-forward gap (which never happens on the
 *   clock) moves forward by the length of the gap (02:30 on the Chicago spring-forward day is
 *   03:30 CDT); a wall time in the fall-back overlap (which happens twice) is its first
 *   occurrence, the earlier instant (01:30 on the Chicago fall-back day is 01:30 CDT).
 *   Callers that must not guess pass `'reject'`, or choose `'earlier'` / `'later'`.
 * - A local day is the half-open interval [start of the day, start of the next day); it is 23 or
 *   25 hours long on a DST change day.
 *
 * Pure: no clock (time is an input), no I/O. Time-zone rules come from a maintained Temporal
 * implementation over the platform's IANA database, never hand-written offset arithmetic.
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { ClinicalInputError } from './errors';

/** A calendar date `YYYY-MM-DD` in the clinic's calendar (no time zone attached). */
export type LocalDate = string;

/** How a wall time that does not exist (gap) or exists twice (overlap) maps to an instant. */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;

/**
 * Year, month and day of a valid local date, or null. Calendar days carry no time zone, so their
 * arithmetic is the proleptic Gregorian calendar of UTC midnights (exact, and fast enough for the
 * scheduler's day-by-day search); only instants need the time-zone library.
 */
function ymd(date: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const back = new Date(Date.UTC(year, month - 1, day));
  // Years 0000–0099 are refused (Date.UTC reads them as 19xx); no clinic date lies there.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

function checked(date: string, field: string): { year: number; month: number; day: number } {
  const d = ymd(date);
  if (!d) throw new ClinicalInputError(field, `must be a real calendar date YYYY-MM-DD, got "${date}"`);
  return d;
}

function plainDate(date: string, field: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(checked(date, field));
}

/** True for `YYYY-MM-DD` naming a real calendar day (2026-02-29 is not one). */
export function isLocalDate(value: string): boolean {
  return ymd(value) !== null;
}

/** Zod schema of a local date: `YYYY-MM-DD`, a real calendar day. */
export const localDateSchema = z
  .string()
  .regex(ISO_DATE, 'must be a date written YYYY-MM-DD')
  .refine((s) => isLocalDate(s), 'must be a real calendar date');

/** The date unchanged when valid, else a ClinicalInputError naming `field`. */
export function parseLocalDate(field: string, value: string): LocalDate {
  checked(value, field);
  return value;
}

/** True when `timeZone` is an IANA time zone the platform knows (e.g. America/Chicago, UTC). */
export function isTimeZone(timeZone: string): boolean {
  // Named zones only: a fixed offset such as "+05:00" has no daylight-saving rules of a place.
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

function zoned(at: Date, timeZone: string): Temporal.ZonedDateTime {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new ClinicalInputError('at', 'must be a valid date-time');
  try {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  } catch {
    throw new ClinicalInputError('timeZone', `must be an IANA time zone, got "${timeZone}"`);
  }
}

interface OffsetSpan {
  fromMs: number;
  toMs: number;
  offsetMs: number;
}
/**
 * Memo of the library's answers: per zone, the spans between two transitions with their UTC
 * offset. The demo generator and lists ask for the local date of many instants; asking the
 * library once per span keeps that fast. Purely a cache: the same answers, no rule of its own.
 */
const spansByZone = new Map<string, OffsetSpan[]>();

function offsetMsAt(at: Date, timeZone: string): number {
  return offsetSpanAt(at.getTime(), timeZone).offsetMs;
}

/** The span between two transitions of the zone that holds the instant `ms`. */
function offsetSpanAt(ms: number, timeZone: string): OffsetSpan {
  let spans = spansByZone.get(timeZone);
  if (spans) {
    for (const s of spans) if (ms >= s.fromMs && ms < s.toMs) return s;
  }
  const z = zoned(new Date(ms), timeZone);
  const previous = z.getTimeZoneTransition('previous');
  const next = z.getTimeZoneTransition('next');
  const span = {
    fromMs: previous ? previous.epochMilliseconds : -Infinity,
    toMs: next ? next.epochMilliseconds : Infinity,
    offsetMs: z.offsetNanoseconds / 1e6,
  };
  if (!spans) spansByZone.set(timeZone, (spans = []));
  if (spans.length >= 64) spans.shift();
  spans.push(span);
  return span;
}

/** The local date in `timeZone` of the instant `at`. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const wallMs = at.getTime() + offsetMsAt(at, timeZone);
  return dateFromDayNumber(Math.floor(wallMs / MS_PER_DAY));
}

/** The clinic's "today": the local date of `now` in the clinic's time zone. */
export function clinicToday(now: Date, timeZone: string): LocalDate {
  return localDateOf(now, timeZone);
}

/** Minutes after local midnight of the instant `at` in `timeZone` (wall clock, 0–1439). */
export function localMinuteOf(at: Date, timeZone: string): number {
  const wallMs = at.getTime() + offsetMsAt(at, timeZone);
  return Math.floor((wallMs - Math.floor(wallMs / MS_PER_DAY) * MS_PER_DAY) / 60_000);
}

/**
 * The instant of local `date` at `minuteOfDay` minutes of wall-clock time after midnight in
 * `timeZone` (1440 = midnight ending the day; larger values roll into later days). DST gaps and
 * overlaps follow `disambiguation` (default 'compatible': a gap moves forward, an overlap takes
 * the earlier instant); 'reject' raises a ClinicalInputError for both.
 */
export function localToUtc(
  date: LocalDate,
  minuteOfDay: number,
  timeZone: string,
  disambiguation: Disambiguation = 'compatible',
): Date {
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0) {
    throw new ClinicalInputError('minuteOfDay', `must be a whole number of minutes ≥ 0, got ${minuteOfDay}`);
  }
  if (minuteOfDay <= MINUTES_PER_DAY) {
    const start = steadyDayStart(date, timeZone);
    if (start !== null) return new Date(start + minuteOfDay * 60_000);
  }
  const key = `${date}|${minuteOfDay}|${timeZone}|${disambiguation}`;
  const known = utcOfLocal.get(key);
  if (known !== undefined) return new Date(known);
  const ms = localToUtcMs(date, minuteOfDay, timeZone, disambiguation);
  if (utcOfLocal.size >= UTC_OF_LOCAL_MAX) utcOfLocal.clear();
  utcOfLocal.set(key, ms);
  return new Date(ms);
}

/**
 * Instants of local times converted lately (epoch ms), by date, minute, zone and disambiguation:
 * the conversion is a pure function of them (the zone rules are fixed for the process), and a
 * schedule or the demo generator converts the same slots over and over. Bounded: a miss converts
 * again. Only successes are kept; a refusal is worked out, and thrown, every time.
 */
const utcOfLocal = new Map<string, number>();
const UTC_OF_LOCAL_MAX = 50_000;

/**
 * The first instant of local `date` when the zone's offset does not change from two days before it
 * to three days after it, else null. Every wall time of such a date (minutes 0–1440) then occurs
 * exactly once, the start plus its minutes, whatever the disambiguation: an instant outside the
 * steady span lies over two days away, and no zone's offset ever moved by that much. Kept per zone
 * and date (bounded: a miss asks the library again); built from the library's answers only.
 */
function steadyDayStart(date: LocalDate, timeZone: string): number | null {
  const key = `${date}|${timeZone}`;
  const known = steadyStarts.get(key);
  if (known !== undefined) return known;
  let start: number | null;
  try {
    const ms = localToUtcMs(date, 0, timeZone, 'compatible');
    const span = offsetSpanAt(ms, timeZone);
    const d = checked(date, 'date');
    start =
      span.fromMs <= ms - 2 * MS_PER_DAY &&
      span.toMs > ms + 3 * MS_PER_DAY &&
      ms + span.offsetMs === Date.UTC(d.year, d.month - 1, d.day)
        ? ms
        : null;
  } catch {
    // An invalid date or zone: the full conversion refuses it with its own message.
    return null;
  }
  if (steadyStarts.size >= STEADY_STARTS_MAX) steadyStarts.clear();
  steadyStarts.set(key, start);
  return start;
}

const steadyStarts = new Map<string, number | null>();
const STEADY_STARTS_MAX = 20_000;

function localToUtcMs(
  date: LocalDate,
  minuteOfDay: number,
  timeZone: string,
  disambiguation: Disambiguation,
): number {
  const day = plainDate(date, 'date').add({ days: Math.floor(minuteOfDay / MINUTES_PER_DAY) });
  const minute = minuteOfDay % MINUTES_PER_DAY;
  const wall = day.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  let z: Temporal.ZonedDateTime;
  try {
    z = wall.toZonedDateTime(timeZone, { disambiguation });
  } catch (err) {
    if (!isTimeZone(timeZone)) {
      throw new ClinicalInputError('timeZone', `must be an IANA time zone, got "${timeZone}"`);
    }
    throw new ClinicalInputError(
      'time',
      `${wall.toString().replace('T', ' ')} is skipped or repeated by a daylight-saving change in ${timeZone}` +
        (err instanceof Error ? ` (${err.message})` : ''),
    );
  }
  return z.epochMilliseconds;
}

/** The first instant of local `date` in `timeZone` (not always 00:00 where DST starts at midnight). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  try {
    return new Date(plainDate(date, 'date').toZonedDateTime(timeZone).epochMilliseconds);
  } catch (err) {
    if (err instanceof ClinicalInputError) throw err;
    throw new ClinicalInputError('timeZone', `must be an IANA time zone, got "${timeZone}"`);
  }
}

/** The end of local `date` in `timeZone`, exclusive: the first instant of the next local day. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return startOfLocalDay(addDays(date, 1), timeZone);
}

/**
 * Days since 1970-01-01 of a local date (negative before), for whole-day arithmetic and
 * ordering. Pure calendar arithmetic, no time zone.
 */
export function dayNumber(date: LocalDate, field = 'date'): number {
  const d = checked(date, field);
  return Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;
}

/** The local date `day` days after 1970-01-01 (inverse of dayNumber). */
export function dateFromDayNumber(day: number): LocalDate {
  if (!Number.isInteger(day)) throw new ClinicalInputError('day', `must be a whole day number, got ${day}`);
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The local date `days` calendar days after `date` (negative: before). */
export function addDays(date: LocalDate, days: number, field = 'date'): LocalDate {
  if (!Number.isInteger(days)) throw new ClinicalInputError('days', `must be a whole number, got ${days}`);
  return dateFromDayNumber(dayNumber(date, field) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

/** Day of the week of a local date: 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate, field = 'date'): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber(date, field) + 4) % 7) + 7) % 7;
}

/** The Monday on or before `date` (weeks run Monday to Sunday, ISO 8601). */
export function startOfWeek(date: LocalDate, field = 'date'): LocalDate {
  return addDays(date, -((weekday(date, field) + 6) % 7), field);
}

/**
 * Age in whole years on local date `onDate` for a date of birth `dateOfBirth`: a birthday counts
 * from its day. Someone born on 29 February turns a year older on 1 March in a common year (a
 * birthday that does not exist that year has not yet come on 28 February). Negative if `onDate` is
 * before the birth.
 */
export function ageInYears(dateOfBirth: LocalDate, onDate: LocalDate): number {
  const b = checked(dateOfBirth, 'dateOfBirth');
  const t = checked(onDate, 'onDate');
  const beforeBirthday = t.month < b.month || (t.month === b.month && t.day < b.day);
  return t.year - b.year - (beforeBirthday ? 1 : 0);
}
