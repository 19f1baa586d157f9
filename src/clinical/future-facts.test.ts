import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from './errors';
import { assertDateOfBirthPlausible, EARLIEST_DATE_OF_BIRTH } from './patient';
import {
  assertCourseStartPlausible,
  assertMeasuredByNow,
  COURSE_START_MAX_DAYS_AHEAD,
  latestMeasuredByNow,
  MEASUREMENT_CLOCK_SKEW_MS,
  measuredByNowOnly,
  taperStartDoseProblem,
} from './plausibility';
import { TAPER_DRUGS } from './taper';

const NOW = new Date('2026-11-26T12:00:00Z');
const at = (iso: string) => new Date(iso);
const fieldOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return undefined;
};

describe('a measurement cannot come from the future', () => {
  it('accepts now, the past and the clock-skew allowance; refuses beyond it naming the field', () => {
    expect(() => assertMeasuredByNow('measuredAt', NOW, NOW)).not.toThrow();
    expect(() => assertMeasuredByNow('measuredAt', at('2026-01-01T00:00:00Z'), NOW)).not.toThrow();
    const edge = new Date(NOW.getTime() + MEASUREMENT_CLOCK_SKEW_MS);
    expect(() => assertMeasuredByNow('measuredAt', edge, NOW)).not.toThrow();
    const beyond = new Date(edge.getTime() + 1);
    expect(fieldOf(() => assertMeasuredByNow('measuredAt', beyond, NOW))).toBe('measuredAt');
    expect(fieldOf(() => assertMeasuredByNow('measuredAt', at('2062-01-01T09:00:00Z'), NOW))).toBe(
      'measuredAt',
    );
    expect(fieldOf(() => assertMeasuredByNow('measuredAt', at('not a date'), NOW))).toBe('measuredAt');
  });

  it('the latest weight is the latest one not after now, whatever the row order', () => {
    const rows = [
      { measuredAt: at('2062-01-01T09:00:00Z'), weightKg: 120, heightCm: null },
      { measuredAt: at('2026-11-20T09:00:00Z'), weightKg: 72, heightCm: 175 },
      { measuredAt: at('2026-11-26T09:00:00Z'), weightKg: 70, heightCm: null },
      { measuredAt: at('2026-11-10T09:00:00Z'), weightKg: 74, heightCm: null },
    ];
    expect(latestMeasuredByNow(rows, NOW, (r) => r.weightKg)).toBe(70);
    expect(latestMeasuredByNow(rows, NOW, (r) => r.heightCm)).toBe(175);
    expect(latestMeasuredByNow(rows, at('2070-01-01T00:00:00Z'), (r) => r.weightKg)).toBe(120);
    expect(latestMeasuredByNow([], NOW, (r: (typeof rows)[number]) => r.weightKg)).toBeNull();
    expect(measuredByNowOnly(rows, NOW).map((r) => r.weightKg)).toEqual([72, 70, 74]);
  });

  it('on a tie the later row wins (a correction entered for the same instant)', () => {
    const rows = [
      { measuredAt: at('2026-11-26T09:00:00Z'), weightKg: 71 },
      { measuredAt: at('2026-11-26T09:00:00Z'), weightKg: 70 },
    ];
    expect(latestMeasuredByNow(rows, NOW, (r) => r.weightKg)).toBe(70);
  });
});

describe('a course starts within a year of the clinic today', () => {
  it('accepts the past, today and up to the window; refuses beyond it and 9999-12-31', () => {
    expect(() => assertCourseStartPlausible('2026-03-02', '2026-11-26')).not.toThrow();
    expect(() => assertCourseStartPlausible('2026-11-26', '2026-11-26')).not.toThrow();
    expect(COURSE_START_MAX_DAYS_AHEAD).toBe(366);
    expect(() => assertCourseStartPlausible('2027-11-27', '2026-11-26')).not.toThrow();
    expect(fieldOf(() => assertCourseStartPlausible('2027-11-28', '2026-11-26'))).toBe('startDate');
    expect(fieldOf(() => assertCourseStartPlausible('9999-12-31', '2026-11-26'))).toBe('startDate');
    expect(fieldOf(() => assertCourseStartPlausible('2027-02-30', '2026-11-26', 'course.startDate'))).toBe(
      'course.startDate',
    );
  });
});

describe('a date of birth is not in the future and not before 1900', () => {
  it('accepts 1900-01-01 and today; refuses 1899-12-31, tomorrow and 9999-12-31', () => {
    expect(EARLIEST_DATE_OF_BIRTH).toBe('1900-01-01');
    expect(() => assertDateOfBirthPlausible('1900-01-01', '2026-11-26')).not.toThrow();
    expect(() => assertDateOfBirthPlausible('2026-11-26', '2026-11-26')).not.toThrow();
    for (const dob of ['1899-12-31', '2026-11-27', '9999-12-31', '1980-13-01']) {
      expect(
        fieldOf(() => assertDateOfBirthPlausible(dob, '2026-11-26')),
        dob,
      ).toBe('dateOfBirth');
    }
  });
});

describe('a taper cannot start above the labelled maximum of its drug', () => {
  it('every drug in the taper tables has a labelled maximum, so 1e9 mg is refused for each', () => {
    for (const drug of TAPER_DRUGS) {
      expect(taperStartDoseProblem(drug.name, 1e9), drug.name).toMatch(/must be at most/);
    }
  });

  it('a benzodiazepine without its own maximum is bounded by the largest labelled one in diazepam equivalents', () => {
    // Clonazepam 20 mg/day × 10 / 0.5 = 400 mg diazepam-equivalent; temazepam 20 mg ≡ 10 mg diazepam.
    expect(taperStartDoseProblem('temazepam', 800)).toBeNull();
    expect(taperStartDoseProblem('temazepam', 801)).toMatch(/at most 800 mg a day/);
  });

  it('desvenlafaxine up to 400 mg and vortioxetine up to 20 mg a day', () => {
    expect(taperStartDoseProblem('desvenlafaxine', 400)).toBeNull();
    expect(taperStartDoseProblem('desvenlafaxine', 401)).toMatch(/at most 400 mg a day/);
    expect(taperStartDoseProblem('vortioxetine', 20)).toBeNull();
    expect(taperStartDoseProblem('vortioxetine', 21)).toMatch(/at most 20 mg a day/);
  });
});
