import { describe, expect, it } from 'vitest';
import { courseInputFromSessions } from './cohort';
import { courseOutcome } from './course';

const d = (day: number) => new Date(Date.UTC(2026, 2, 2 + day, 9));

describe('courseInputFromSessions', () => {
  const sessions = [
    { courseId: 'c1', phaseId: 'induction', at: d(0) },
    { courseId: 'c1', phaseId: 'induction', at: d(3) },
    { courseId: 'c1', phaseId: 'induction', at: d(7) },
    { courseId: 'c2', phaseId: 'booster', at: d(40) },
  ];

  it('takes the induction sessions of the course and ends follow-up at the next other dosed session', () => {
    const input = courseInputFromSessions({
      courseId: 'c1',
      instrument: 'phq9',
      patientSessions: sessions,
      assessments: [],
      now: d(100),
    })!;
    expect(input.inductionSessions.map((s) => s.startedAt)).toEqual([d(0), d(3), d(7)]);
    expect(input.followUpEndsAt).toEqual(d(40));
  });

  it('censors at the analysis date when nothing follows, and skips courses with no dosed induction', () => {
    expect(
      courseInputFromSessions({
        courseId: 'c1',
        instrument: 'phq9',
        patientSessions: sessions.slice(0, 3),
        assessments: [],
        now: d(20),
      })!.followUpEndsAt,
    ).toEqual(d(20));
    expect(
      courseInputFromSessions({
        courseId: 'c2',
        instrument: 'phq9',
        patientSessions: sessions,
        assessments: [],
        now: d(100),
      }),
    ).toBeNull();
  });

  it('a relapse after the booster is not counted (booster = maintenance ends no-maintenance follow-up)', () => {
    const input = courseInputFromSessions({
      courseId: 'c1',
      instrument: 'phq9',
      patientSessions: sessions,
      assessments: [
        { at: d(-1), score: 20 },
        { at: d(8), score: 6 },
        { at: d(30), score: 8 },
        { at: d(45), score: 18 },
      ],
      now: d(100),
    })!;
    const o = courseOutcome(input);
    expect(o.relapse).toMatchObject({ relapsed: false, at: d(30) });
  });
});
