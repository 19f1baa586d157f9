import { describe, expect, it } from 'vitest';
import { suggestBoosterDueDate } from './titration';
import { measuredTimeToRelapse } from './relapse-history';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 10));

describe('measuredTimeToRelapse', () => {
  // Induction on days 0, 2, 4, 7, 9, 11; PHQ-9 baseline 20 on day -1; 8 on day 12 (a 60% fall: response).
  const sessions = [0, 2, 4, 7, 9, 11].map(day);
  const responded = [
    { at: day(-1), score: 20 },
    { at: day(12), score: 8 },
    { at: day(20), score: 9 }, // 55% below baseline: still responding
  ];

  it('is the days from the last induction session to the first loss of response (ORKA-1 default)', () => {
    // Day 30: 14 is only 30% below 20 — response lost 19 days after day 11.
    const r = measuredTimeToRelapse({
      instrument: 'phq9',
      pastCourses: [{ startedAt: day(0), sessionStarts: sessions }],
      assessments: [...responded, { at: day(30), score: 14 }],
    });
    expect(r).toEqual({ days: 19, courseStartedAt: day(0) });
    // That figure, not the 18-day median, sets the next booster.
    const booster = suggestBoosterDueDate({ lastInfusionDate: '2026-03-01', measuredDaysToRelapse: r!.days });
    expect(booster).toMatchObject({ basis: 'patient-measured', dueDate: '2026-03-20' });
  });

  it('is unknown without a relapse, without a response, or when the next course began first', () => {
    expect(
      measuredTimeToRelapse({
        instrument: 'phq9',
        pastCourses: [{ startedAt: day(0), sessionStarts: sessions }],
        assessments: responded,
      }),
    ).toBeNull();
    expect(
      measuredTimeToRelapse({
        instrument: 'phq9',
        pastCourses: [{ startedAt: day(0), sessionStarts: sessions }],
        assessments: [
          { at: day(-1), score: 20 },
          { at: day(12), score: 15 },
          { at: day(30), score: 19 },
        ],
      }),
    ).toBeNull();
    // A re-induction on day 25 ends follow-up before the day-30 loss of response: censored, not measured.
    expect(
      measuredTimeToRelapse({
        instrument: 'phq9',
        pastCourses: [
          { startedAt: day(0), sessionStarts: sessions },
          { startedAt: day(25), sessionStarts: [day(25)] },
        ],
        assessments: [...responded, { at: day(30), score: 14 }],
      }),
    ).toBeNull();
  });

  it('uses the most recent measured relapse', () => {
    const later = [60, 62, 64, 67, 69, 71].map(day);
    const r = measuredTimeToRelapse({
      instrument: 'phq9',
      pastCourses: [
        { startedAt: day(0), sessionStarts: sessions },
        { startedAt: day(60), sessionStarts: later },
      ],
      assessments: [
        ...responded,
        { at: day(30), score: 14 }, // first course: 19 days
        { at: day(59), score: 20 }, // baseline of the second course
        { at: day(72), score: 6 },
        { at: day(96), score: 15 }, // second course: 25 days after day 71
      ],
    });
    expect(r?.days).toBe(25);
  });
});
