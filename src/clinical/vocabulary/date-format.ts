/**
 * One way to write a date per clinic locale, used for every date a clinician reads — lists,
 * pickers and server messages alike — so 04/12/2026 never means two different days on one screen.
 *
 * The numeric order and separator come from the platform's CLDR data (Intl.DateTimeFormat
 * formatToParts), not from a hand table; the output is then written by this module itself with a
 * 4-digit year and 2-digit day and month, so it does not depend on Intl's short/medium styles,
 * which differ between browsers and versions. Times are on a 24-hour clock in every locale, as the
 * booked times beside them are: a clinic never has to tell 2:00 AM from 2:00 PM.
 *
 * Pure (no clock: instants and zones are inputs); zod and the platform's Intl only, so the web
 * bundles it.
 */
import { z } from 'zod';

/** The locales a clinic can choose: each checked by a test to write a day-month-year date. */
export const CLINIC_LOCALES = [
  'en-US',
  'en-GB',
  'en-CA',
  'en-AU',
  'en-NZ',
  'en-IE',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CA',
  'es-ES',
  'it-IT',
  'nl-NL',
  'pt-PT',
  'sv-SE',
] as const;
export type ClinicLocale = (typeof CLINIC_LOCALES)[number];

/** Existing clinics and a first start without REIN_CLINIC_LOCALE write dates the US way. */
export const DEFAULT_CLINIC_LOCALE: ClinicLocale = 'en-US';

export function isClinicLocale(value: unknown): value is ClinicLocale {
  return typeof value === 'string' && (CLINIC_LOCALES as readonly string[]).includes(value);
}

export const clinicLocaleSchema = z.enum(CLINIC_LOCALES, {
  error: `must be one of the supported locales: ${CLINIC_LOCALES.join(', ')}`,
});

type Part = 'day' | 'month' | 'year';

export interface ClinicDateFormat {
  locale: ClinicLocale;
  /** The numeric pattern in day.js tokens, e.g. `MM/DD/YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY`. */
  pattern: string;
  /** The same without the year (`DD/MM`), for chart axes where the year is the chart's. */
  shortPattern: string;
  /** A calendar date `YYYY-MM-DD` (or the date part of an ISO instant) in the pattern. */
  date(isoDate: string): string;
  /** A calendar date without its year (chart axes). */
  shortDate(isoDate: string): string;
  /** The weekday, in the app's language (English), and the date: `Friday 04/12/2026`. */
  weekdayDate(isoDate: string, width?: 'short' | 'long'): string;
  /** The weekday of a calendar date alone, `Fri` or `Friday`. */
  weekday(isoDate: string, width?: 'short' | 'long'): string;
  /** An instant as date and 24-hour time on the wall clock of `timeZone` (the clinic's). */
  dateTime(instant: string | Date, timeZone: string): string;
  /** An instant's 24-hour time (`14:05`) on the wall clock of `timeZone`. */
  time(instant: string | Date, timeZone: string): string;
  /** The calendar date (`YYYY-MM-DD`) an instant falls on in `timeZone`, to write with `date`/`shortDate`. */
  dayOf(instant: string | Date | number, timeZone: string): string;
  /** A date typed in the pattern (1- or 2-digit day and month) or as ISO → `YYYY-MM-DD`, else null. */
  parse(text: string): string | null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const TOKEN: Record<Part, string> = { day: 'DD', month: 'MM', year: 'YYYY' };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  d.setUTCFullYear(year);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The order of day, month and year and the one separator between them, as CLDR writes the locale. */
function derive(locale: ClinicLocale): { order: Part[]; separator: string } {
  // A day above 12 so day and month cannot be confused if a platform reported them oddly.
  const parts = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
    numberingSystem: 'latn',
  }).formatToParts(new Date(Date.UTC(2026, 10, 23)));
  const order = parts
    .map((p) => p.type)
    .filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
  const separators = new Set(
    parts.filter((p, i) => p.type === 'literal' && i > 0 && i < parts.length - 1).map((p) => p.value),
  );
  if (order.length !== 3 || new Set(order).size !== 3 || separators.size !== 1) {
    throw new Error(`the platform writes no plain numeric date for locale ${locale}`);
  }
  return { order, separator: [...separators][0]! };
}

/** Year, month, day, hour and minute of an instant on the wall clock of a zone. */
function wallClock(instant: string | Date | number, timeZone: string) {
  const at = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
    numberingSystem: 'latn',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function weekdayOf(v: { year: number; month: number; day: number }, width: 'short' | 'long'): string {
  const d = new Date(Date.UTC(2000, v.month - 1, v.day));
  d.setUTCFullYear(v.year);
  const name = WEEKDAYS[d.getUTCDay()]!;
  return width === 'long' ? name : name.slice(0, 3);
}

const cache = new Map<ClinicLocale, ClinicDateFormat>();

/** The clinic's date format. Throws on a locale outside CLINIC_LOCALES (the schema refuses those first). */
/** The clinic's format from its stored locale; a locale this version does not know writes the default way. */
export function clinicDateFormatOrDefault(locale: string | null | undefined): ClinicDateFormat {
  return clinicDateFormat(isClinicLocale(locale) ? locale : DEFAULT_CLINIC_LOCALE);
}

export function clinicDateFormat(locale: string): ClinicDateFormat {
  if (!isClinicLocale(locale)) {
    throw new RangeError(`locale "${locale}" is not supported: use one of ${CLINIC_LOCALES.join(', ')}`);
  }
  const known = cache.get(locale);
  if (known) return known;
  const { order, separator } = derive(locale);
  const write = (parts: Part[], v: { year: number; month: number; day: number }) =>
    parts.map((p) => (p === 'year' ? pad(v.year, 4) : pad(v[p], 2))).join(separator);
  const noYear = order.filter((p) => p !== 'year');
  const fromIso = (isoDate: string) => {
    const m = ISO_DATE.exec(isoDate);
    if (!m) throw new RangeError(`not a calendar date: ${isoDate}`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  };
  const clockOf = (w: { hour: number; minute: number }) => `${pad(w.hour, 2)}:${pad(w.minute, 2)}`;
  const format: ClinicDateFormat = {
    locale,
    pattern: order.map((p) => TOKEN[p]).join(separator),
    shortPattern: noYear.map((p) => TOKEN[p]).join(separator),
    date: (isoDate) => write(order, fromIso(isoDate)),
    shortDate: (isoDate) => write(noYear, fromIso(isoDate)),
    weekday: (isoDate, width = 'short') => weekdayOf(fromIso(isoDate), width),
    weekdayDate(isoDate, width = 'short') {
      const v = fromIso(isoDate);
      return `${weekdayOf(v, width)} ${write(order, v)}`;
    },
    dateTime(instant, timeZone) {
      const w = wallClock(instant, timeZone);
      return `${write(order, w)} ${clockOf(w)}`;
    },
    time: (instant, timeZone) => clockOf(wallClock(instant, timeZone)),
    dayOf(instant, timeZone) {
      const w = wallClock(instant, timeZone);
      return `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}`;
    },
    parse(text) {
      const trimmed = text.trim();
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
      let v: { year: number; month: number; day: number };
      if (iso) {
        v = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
      } else {
        const fields = trimmed.split(separator);
        if (fields.length !== 3 || !fields.every((f) => /^\d+$/.test(f))) return null;
        const got: Partial<Record<Part, string>> = {};
        order.forEach((p, i) => (got[p] = fields[i]));
        // A 2-digit year would be a guess about the century: a date of birth must not be guessed.
        if (got.year!.length !== 4 || got.day!.length > 2 || got.month!.length > 2) return null;
        v = { year: Number(got.year), month: Number(got.month), day: Number(got.day) };
      }
      if (!isRealDate(v.year, v.month, v.day)) return null;
      return `${pad(v.year, 4)}-${pad(v.month, 2)}-${pad(v.day, 2)}`;
    },
  };
  cache.set(locale, format);
  return format;
}
