import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { addDays, dateFromDayNumber, dayNumber, daysBetween, localDateSchema, weekday } from '../calendar';

describe('local date arithmetic', () => {
  it('known weekdays (1970-01-01 Thursday, 2000-02-29 Tuesday, 2026-11-30 Monday)', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2000-02-29')).toBe(2);
    expect(weekday('2026-11-30')).toBe(1);
    expect(weekday('1969-12-28')).toBe(0);
  });
  it('leap years and month ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });
  it('rejects impossible dates naming the field', () => {
    expect(() => dayNumber('2027-02-29', 'startDate')).toThrow(ClinicalInputError);
    expect(localDateSchema.safeParse('2026-13-01').success).toBe(false);
    expect(localDateSchema.safeParse('2026-1-01').success).toBe(false);
  });
  it('property: dayNumber and dateFromDayNumber are inverse; weekday advances by one per day', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 50_000 }), (d) => {
        const s = dateFromDayNumber(d);
        expect(dayNumber(s)).toBe(d);
        expect(weekday(addDays(s, 1))).toBe((weekday(s) + 1) % 7);
      }),
    );
  });
});
