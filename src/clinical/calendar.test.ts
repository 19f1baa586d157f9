import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageInYears,
  clinicToday,
  dateFromDayNumber,
  dayNumber,
  daysBetween,
  endOfLocalDay,
  isLocalDate,
  isTimeZone,
  localDateOf,
  localDateSchema,
  localMinuteOf,
  localToUtc,
  parseLocalDate,
  startOfLocalDay,
  startOfWeek,
  weekday,
} from './calendar';
import { ClinicalInputError } from './errors';

const CHI = 'America/Chicago';
const AKL = 'Pacific/Auckland';
const iso = (d: Date) => d.toISOString();
const HOUR_MS = 3_600_000;

describe('local dates', () => {
  it('accepts real calendar days only', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate('2026-01-01T00:00')).toBe(false);
    expect(localDateSchema.safeParse('2026-04-31').success).toBe(false);
    expect(localDateSchema.safeParse('2026-04-30').success).toBe(true);
    expect(localDateSchema.safeParse('30/04/2026').error?.issues[0]?.message).toMatch(/YYYY-MM-DD/);
    expect(parseLocalDate('startDate', '2026-04-30')).toBe('2026-04-30');
    expect(() => parseLocalDate('startDate', '2026-02-30')).toThrow(
      expect.objectContaining({ field: 'startDate' }),
    );
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    // A DST change day is one calendar day like any other.
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(() => addDays('2026-03-07', 1.5)).toThrow(ClinicalInputError);
    expect(() => addDays('nope', 1, 'lastInfusionDate')).toThrow(
      expect.objectContaining({ field: 'lastInfusionDate' }),
    );
  });

  it('counts days between local dates', () => {
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-11-01', '2026-11-02')).toBe(1);
  });

  it('numbers days from 1970-01-01 and weekdays from Sunday', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2026-04-06')).toBe(Date.UTC(2026, 3, 6) / 86_400_000);
    expect(dateFromDayNumber(dayNumber('2028-02-29'))).toBe('2028-02-29');
    expect(weekday('1970-01-01')).toBe(4); // Thursday
    expect(weekday('2026-04-05')).toBe(0); // Sunday
    expect(weekday('2026-04-06')).toBe(1); // Monday
    expect(startOfWeek('2026-04-05')).toBe('2026-03-30');
    expect(startOfWeek('2026-04-06')).toBe('2026-04-06');
    expect(startOfWeek('2026-04-12')).toBe('2026-04-06');
  });
});

describe('age in whole years', () => {
  it('counts a birthday from its day', () => {
    expect(ageInYears('1990-06-15', '2026-06-14')).toBe(35);
    expect(ageInYears('1990-06-15', '2026-06-15')).toBe(36);
    expect(ageInYears('2008-04-06', '2026-04-05')).toBe(17);
    expect(ageInYears('2008-04-06', '2026-04-06')).toBe(18);
    expect(ageInYears('2026-04-06', '2026-04-06')).toBe(0);
  });

  it('a 29 February birthday comes on 1 March in a common year, on the day in a leap year', () => {
    expect(ageInYears('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageInYears('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageInYears('2008-02-29', '2028-02-28')).toBe(19);
    expect(ageInYears('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('never decreases as the date advances, and rises by one on each birthday', () => {
    const date = fc
      .integer({ min: dayNumber('1900-01-01'), max: dayNumber('2100-12-31') })
      .map(dateFromDayNumber);
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 800 }),
        (dob, d, step) => {
          const a = addDays(dob, d);
          const b = addDays(a, step);
          expect(ageInYears(dob, b)).toBeGreaterThanOrEqual(ageInYears(dob, a));
          expect(ageInYears(dob, a)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('instants and the clinic calendar', () => {
  it("the clinic's today is the local date, not UTC's", () => {
    // 23:30 CST on 1 Nov 2026 is already 2 Nov in UTC.
    expect(clinicToday(new Date('2026-11-02T05:30:00Z'), CHI)).toBe('2026-11-01');
    expect(clinicToday(new Date('2026-11-02T06:00:00Z'), CHI)).toBe('2026-11-02');
    // Auckland is ahead: 11:00 UTC on 1 Jan is midnight on 2 Jan (NZDT, +13).
    expect(clinicToday(new Date('2026-01-01T10:59:00Z'), AKL)).toBe('2026-01-01');
    expect(clinicToday(new Date('2026-01-01T11:00:00Z'), AKL)).toBe('2026-01-02');
    expect(clinicToday(new Date('2026-01-01T23:59:59Z'), 'UTC')).toBe('2026-01-01');
    expect(localDateOf(new Date('2026-03-08T05:59:00Z'), CHI)).toBe('2026-03-07');
    expect(localDateOf(new Date('2026-03-08T06:00:00Z'), CHI)).toBe('2026-03-08');
  });

  it('maps wall time to UTC on ordinary days', () => {
    expect(iso(localToUtc('2026-01-15', 9 * 60, CHI))).toBe('2026-01-15T15:00:00.000Z');
    expect(iso(localToUtc('2026-07-15', 9 * 60, CHI))).toBe('2026-07-15T14:00:00.000Z');
    expect(iso(localToUtc('2026-07-15', 9 * 60, 'UTC'))).toBe('2026-07-15T09:00:00.000Z');
    expect(iso(localToUtc('2026-07-15', 9 * 60, AKL))).toBe('2026-07-14T21:00:00.000Z');
    expect(iso(localToUtc('2026-01-15', 9 * 60, AKL))).toBe('2026-01-14T20:00:00.000Z');
    // 1440 minutes is the midnight that ends the day.
    expect(iso(localToUtc('2026-01-15', 1440, CHI))).toBe('2026-01-16T06:00:00.000Z');
    expect(localMinuteOf(new Date('2026-07-15T14:05:00Z'), CHI)).toBe(9 * 60 + 5);
  });

  it('Chicago spring forward (8 Mar 2026, 02:00 CST → 03:00 CDT): a gap time moves forward', () => {
    expect(iso(localToUtc('2026-03-08', 90, CHI))).toBe('2026-03-08T07:30:00.000Z'); // 01:30 CST
    expect(iso(localToUtc('2026-03-08', 150, CHI))).toBe('2026-03-08T08:30:00.000Z'); // 02:30 → 03:30 CDT
    expect(iso(localToUtc('2026-03-08', 180, CHI))).toBe('2026-03-08T08:00:00.000Z'); // 03:00 CDT
    expect(iso(localToUtc('2026-03-08', 150, CHI, 'later'))).toBe('2026-03-08T08:30:00.000Z');
    expect(iso(localToUtc('2026-03-08', 150, CHI, 'earlier'))).toBe('2026-03-08T07:30:00.000Z');
    expect(() => localToUtc('2026-03-08', 150, CHI, 'reject')).toThrow(
      expect.objectContaining({ field: 'time', message: expect.stringMatching(/daylight-saving/) }),
    );
    // 09:00 that day is CDT (UTC-5).
    expect(iso(localToUtc('2026-03-08', 9 * 60, CHI))).toBe('2026-03-08T14:00:00.000Z');
    expect(iso(localToUtc('2026-03-07', 9 * 60, CHI))).toBe('2026-03-07T15:00:00.000Z');
  });

  it('Chicago fall back (1 Nov 2026, 02:00 CDT → 01:00 CST): an overlap time is its first occurrence', () => {
    expect(iso(localToUtc('2026-11-01', 90, CHI))).toBe('2026-11-01T06:30:00.000Z'); // 01:30 CDT
    expect(iso(localToUtc('2026-11-01', 90, CHI, 'earlier'))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(localToUtc('2026-11-01', 90, CHI, 'later'))).toBe('2026-11-01T07:30:00.000Z'); // 01:30 CST
    expect(() => localToUtc('2026-11-01', 90, CHI, 'reject')).toThrow(ClinicalInputError);
    expect(iso(localToUtc('2026-11-01', 9 * 60, CHI))).toBe('2026-11-01T15:00:00.000Z');
    // Both 01:30s are on the same local date.
    expect(localDateOf(new Date('2026-11-01T06:30:00Z'), CHI)).toBe('2026-11-01');
    expect(localDateOf(new Date('2026-11-01T07:30:00Z'), CHI)).toBe('2026-11-01');
  });

  it('Auckland (southern hemisphere): fall back 5 Apr 2026, spring forward 27 Sep 2026', () => {
    // 03:00 NZDT → 02:00 NZST: 02:30 happens twice.
    expect(iso(localToUtc('2026-04-05', 150, AKL))).toBe('2026-04-04T13:30:00.000Z'); // NZDT +13
    expect(iso(localToUtc('2026-04-05', 150, AKL, 'later'))).toBe('2026-04-04T14:30:00.000Z'); // NZST +12
    // 02:00 NZST → 03:00 NZDT: 02:30 does not happen and becomes 03:30 NZDT.
    expect(iso(localToUtc('2026-09-27', 150, AKL))).toBe('2026-09-26T14:30:00.000Z');
    expect(() => localToUtc('2026-09-27', 150, AKL, 'reject')).toThrow(ClinicalInputError);
  });

  it('local days are 23 or 25 hours long on DST change days', () => {
    expect(iso(startOfLocalDay('2026-03-08', CHI))).toBe('2026-03-08T06:00:00.000Z');
    expect(iso(endOfLocalDay('2026-03-08', CHI))).toBe('2026-03-09T05:00:00.000Z');
    expect(endOfLocalDay('2026-03-08', CHI).getTime() - startOfLocalDay('2026-03-08', CHI).getTime()).toBe(
      23 * HOUR_MS,
    );
    expect(endOfLocalDay('2026-11-01', CHI).getTime() - startOfLocalDay('2026-11-01', CHI).getTime()).toBe(
      25 * HOUR_MS,
    );
    expect(iso(startOfLocalDay('2026-07-01', 'UTC'))).toBe('2026-07-01T00:00:00.000Z');
    expect(iso(startOfLocalDay('2026-07-01', AKL))).toBe('2026-06-30T12:00:00.000Z');
    // Where DST starts at midnight the day starts at 01:00 (São Paulo, 4 Nov 2018).
    expect(iso(startOfLocalDay('2018-11-04', 'America/Sao_Paulo'))).toBe('2018-11-04T03:00:00.000Z');
  });

  it('names the bad input', () => {
    expect(isTimeZone(CHI)).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+05:00')).toBe(false);
    expect(() => localDateOf(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(
      expect.objectContaining({ field: 'timeZone' }),
    );
    expect(() => localToUtc('2026-01-01', 60, 'Mars/Olympus_Mons')).toThrow(
      expect.objectContaining({ field: 'timeZone' }),
    );
    expect(() => localDateOf(new Date(Number.NaN), 'UTC')).toThrow(ClinicalInputError);
    expect(() => localToUtc('2026-01-01', -1, 'UTC')).toThrow(
      expect.objectContaining({ field: 'minuteOfDay' }),
    );
  });
});

describe('properties', () => {
  const zones = fc.constantFrom(CHI, AKL, 'UTC', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe');
  const date = fc
    .integer({ min: dayNumber('1971-01-01'), max: dayNumber('2099-12-31') })
    .map(dateFromDayNumber);
  const minute = fc.integer({ min: 0, max: 1439 });

  it('local → UTC → local is the identity for every wall time that exists exactly once', () => {
    fc.assert(
      fc.property(date, minute, zones, (d, m, tz) => {
        let at: Date;
        try {
          at = localToUtc(d, m, tz, 'reject');
        } catch {
          return; // in a gap or an overlap: covered by the examples above
        }
        expect(localDateOf(at, tz)).toBe(d);
        expect(localMinuteOf(at, tz)).toBe(m);
        expect(localToUtc(d, m, tz)).toEqual(at);
      }),
      { numRuns: 500 },
    );
  });

  it('every instant lies in its local day, and UTC → local → UTC returns it (earlier or later)', () => {
    const instant = fc
      .integer({ min: Date.UTC(1971, 0, 1) / 60_000, max: Date.UTC(2099, 0, 1) / 60_000 })
      .map((min) => new Date(min * 60_000));
    fc.assert(
      fc.property(instant, zones, (at, tz) => {
        const d = localDateOf(at, tz);
        expect(startOfLocalDay(d, tz).getTime()).toBeLessThanOrEqual(at.getTime());
        expect(endOfLocalDay(d, tz).getTime()).toBeGreaterThan(at.getTime());
        const m = localMinuteOf(at, tz);
        const back = [localToUtc(d, m, tz, 'earlier'), localToUtc(d, m, tz, 'later')].map((x) => x.getTime());
        expect(back).toContain(at.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('day arithmetic: addDays and daysBetween are inverse, dayNumber matches UTC midnights', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        const e = addDays(d, n);
        expect(daysBetween(d, e)).toBe(n);
        expect(addDays(e, -n)).toBe(d);
        expect(dayNumber(d)).toBe(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
        expect(dateFromDayNumber(dayNumber(d))).toBe(d);
        expect(weekday(addDays(d, 7))).toBe(weekday(d));
      }),
    );
  });
});
