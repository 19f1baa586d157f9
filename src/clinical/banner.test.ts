import { describe, expect, it } from 'vitest';
import { activeCourse, scoreTrend, type BannerCourseSession } from './banner';

const s = (sequence: number, date: string, dosed = false, discharged = dosed): BannerCourseSession => ({
  id: `s${sequence}`,
  sequence,
  date,
  dosed,
  discharged,
});

describe('activeCourse', () => {
  it('is null when every session is done or missed in the past', () => {
    const done = {
      id: 'c1',
      startDate: '2026-01-05',
      sessions: [s(1, '2026-01-05', true), s(2, '2026-01-07')],
    };
    expect(activeCourse([done], '2026-02-01')).toBeNull();
  });

  it("names today's session as session n of N", () => {
    const c = {
      id: 'c1',
      startDate: '2026-03-02',
      sessions: [s(1, '2026-03-02', true), s(2, '2026-03-04'), s(3, '2026-03-06')],
    };
    const a = activeCourse([c], '2026-03-04');
    expect(a).toMatchObject({ total: 3, dosed: 1, current: { sequence: 2, date: '2026-03-04' } });
  });

  it('names the session in the chair (dosed, not discharged) before the next one', () => {
    const c = {
      id: 'c1',
      startDate: '2026-03-02',
      sessions: [s(1, '2026-03-02', true, false), s(2, '2026-03-04')],
    };
    expect(activeCourse([c], '2026-03-02')?.current?.sequence).toBe(1);
  });

  it('names the next session when none is today, and skips a missed one', () => {
    const c = {
      id: 'c1',
      startDate: '2026-03-02',
      sessions: [s(1, '2026-03-02'), s(2, '2026-03-09'), s(3, '2026-03-11')],
    };
    expect(activeCourse([c], '2026-03-05')?.current?.sequence).toBe(2);
  });

  it('prefers the course that started last among open ones', () => {
    const older = { id: 'old', startDate: '2026-01-01', sessions: [s(1, '2026-04-01')] };
    const newer = { id: 'new', startDate: '2026-03-01', sessions: [s(1, '2026-03-10')] };
    expect(activeCourse([newer, older], '2026-03-05')?.course.id).toBe('new');
  });
});

describe('scoreTrend', () => {
  it('is null without a score', () => {
    expect(scoreTrend([])).toBeNull();
  });
  it('has no direction with a single score', () => {
    expect(scoreTrend([{ at: 'a', total: 12 }])).toMatchObject({ change: null, direction: null });
  });
  it('gives the direction and change since the previous score', () => {
    const pts = [
      { at: 'a', total: 20 },
      { at: 'b', total: 14 },
      { at: 'c', total: 9 },
    ];
    expect(scoreTrend(pts)).toMatchObject({
      latest: { total: 9 },
      previous: { total: 14 },
      change: -5,
      direction: 'down',
    });
    expect(scoreTrend([...pts, { at: 'd', total: 11 }])?.direction).toBe('up');
    expect(scoreTrend([...pts, { at: 'd', total: 9 }])?.direction).toBe('same');
  });
});
