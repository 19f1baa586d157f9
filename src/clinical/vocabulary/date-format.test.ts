import { describe, expect, it } from 'vitest';
import { CLINIC_LOCALES, clinicDateFormat, clinicLocaleSchema, isClinicLocale } from './date-format';

describe('clinic date format', () => {
  it('derives each locale’s numeric pattern from the platform’s CLDR data', () => {
    // The expected patterns are what each country writes; a platform whose data drifted fails here.
    const expected: Record<string, string> = {
      'en-US': 'MM/DD/YYYY',
      'en-GB': 'DD/MM/YYYY',
      'en-CA': 'YYYY-MM-DD',
      'en-AU': 'DD/MM/YYYY',
      'en-NZ': 'DD/MM/YYYY',
      'en-IE': 'DD/MM/YYYY',
      'de-DE': 'DD.MM.YYYY',
      'de-AT': 'DD.MM.YYYY',
      'de-CH': 'DD.MM.YYYY',
      'fr-FR': 'DD/MM/YYYY',
      'fr-CA': 'YYYY-MM-DD',
      'es-ES': 'DD/MM/YYYY',
      'it-IT': 'DD/MM/YYYY',
      'nl-NL': 'DD-MM-YYYY',
      'pt-PT': 'DD/MM/YYYY',
      'sv-SE': 'YYYY-MM-DD',
    };
    expect(Object.keys(expected).sort()).toEqual([...CLINIC_LOCALES].sort());
    for (const locale of CLINIC_LOCALES)
      expect(clinicDateFormat(locale).pattern, locale).toBe(expected[locale]);
  });

  it('writes a calendar date with a 4-digit year and 2-digit day and month', () => {
    expect(clinicDateFormat('en-US').date('2026-12-04')).toBe('12/04/2026');
    expect(clinicDateFormat('en-GB').date('2026-12-04')).toBe('04/12/2026');
    expect(clinicDateFormat('de-DE').date('2026-12-04')).toBe('04.12.2026');
    expect(clinicDateFormat('nl-NL').date('2026-12-04')).toBe('04-12-2026');
    expect(clinicDateFormat('en-CA').date('2026-12-04')).toBe('2026-12-04');
    expect(clinicDateFormat('en-GB').date('0987-01-02')).toBe('02/01/0987');
    expect(clinicDateFormat('en-GB').shortDate('2026-12-04')).toBe('04/12');
    expect(clinicDateFormat('en-US').shortPattern).toBe('MM/DD');
    expect(clinicDateFormat('de-DE').weekdayDate('2026-12-04', 'long')).toBe('Friday 04.12.2026');
    expect(clinicDateFormat('en-US').weekdayDate('2024-02-29')).toBe('Thu 02/29/2024');
    expect(clinicDateFormat('en-US').weekday('2026-03-08')).toBe('Sun');
  });

  it('keeps a calendar date on its day whatever the zone or daylight-saving change', () => {
    // The US and EU spring-forward days: a calendar date is not an instant and cannot shift.
    for (const d of ['2026-03-08', '2026-03-29', '2026-11-01', '2026-10-25', '2024-02-29']) {
      const [y, m, day] = d.split('-');
      expect(clinicDateFormat('en-GB').date(d)).toBe(`${day}/${m}/${y}`);
      // The date part of an ISO instant is read as written, not moved into any zone.
      expect(clinicDateFormat('en-US').date(`${d}T23:30:00Z`)).toBe(`${m}/${day}/${y}`);
    }
  });

  it('writes an instant on the clinic’s wall clock, 24-hour, in the locale’s date order', () => {
    const gb = clinicDateFormat('en-GB');
    const us = clinicDateFormat('en-US');
    // 03:30 UTC on 4 December is still 3 December in Chicago.
    expect(us.dateTime('2026-12-04T03:30:00Z', 'America/Chicago')).toBe('12/03/2026 21:30');
    expect(gb.dateTime('2026-12-04T03:30:00Z', 'Europe/London')).toBe('04/12/2026 03:30');
    expect(gb.time(new Date('2026-07-01T13:05:00Z'), 'Europe/London')).toBe('14:05');
    expect(clinicDateFormat('de-DE').dateTime('2026-07-01T22:00:00Z', 'Europe/Berlin')).toBe(
      '02.07.2026 00:00',
    );
    expect(() => gb.dateTime('yesterday', 'UTC')).toThrow(RangeError);
    expect(us.dayOf(Date.parse('2026-12-04T03:30:00Z'), 'America/Chicago')).toBe('2026-12-03');
    expect(us.dayOf('2026-12-04T03:30:00Z', 'Europe/London')).toBe('2026-12-04');
  });

  it('reads back a date typed in the pattern, or ISO, and refuses what is not a real day', () => {
    const gb = clinicDateFormat('en-GB');
    const us = clinicDateFormat('en-US');
    const de = clinicDateFormat('de-DE');
    expect(gb.parse('04/12/2026')).toBe('2026-12-04');
    expect(us.parse('04/12/2026')).toBe('2026-04-12');
    expect(gb.parse(' 4/1/2026 ')).toBe('2026-01-04');
    expect(de.parse('29.02.2024')).toBe('2024-02-29');
    expect(gb.parse('2026-12-04')).toBe('2026-12-04');
    expect(de.parse('29.02.2026')).toBeNull();
    expect(gb.parse('31/04/2026')).toBeNull();
    expect(gb.parse('13/13/2026')).toBeNull();
    expect(gb.parse('04/12/26')).toBeNull();
    expect(gb.parse('04.12.2026')).toBeNull();
    expect(gb.parse('')).toBeNull();
    for (const locale of CLINIC_LOCALES) {
      const f = clinicDateFormat(locale);
      expect(f.parse(f.date('2026-11-23')), locale).toBe('2026-11-23');
    }
  });

  it('refuses a locale it does not support, naming the choices', () => {
    expect(isClinicLocale('en-GB')).toBe(true);
    expect(isClinicLocale('en_GB')).toBe(false);
    expect(() => clinicDateFormat('xx-YY')).toThrow(/not supported: use one of en-US/);
    expect(() => clinicDateFormat('ja-JP')).toThrow(RangeError);
    const bad = clinicLocaleSchema.safeParse('english');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/supported locales: en-US, en-GB/);
  });
});
