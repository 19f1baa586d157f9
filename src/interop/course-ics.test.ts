import { describe, expect, it } from 'vitest';
import { courseIcs, localToUtc } from './course-ics';

describe('course ICS', () => {
  it('converts clinic local time to UTC across daylight saving', () => {
    // Berlin: UTC+1 in winter, UTC+2 in summer.
    expect(localToUtc('2026-01-15', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(localToUtc('2026-07-15', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(localToUtc('2026-07-15', 9 * 60, 'UTC').toISOString()).toBe('2026-07-15T09:00:00.000Z');
  });

  it('writes one event per session with UTC times and no patient name', () => {
    const ics = courseIcs(
      [
        {
          id: 'a',
          sequence: 1,
          phaseLabel: 'Induction',
          date: '2026-03-02',
          startMin: 480,
          endMin: 600,
          roomId: 'Room 1',
        },
        {
          id: 'b',
          sequence: 2,
          phaseLabel: 'Induction',
          date: '2026-03-05',
          startMin: 540,
          endMin: 660,
          roomId: 'Room 2',
        },
      ],
      { courseName: 'IV induction', timeZone: 'America/New_York' },
    );
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    // 08:00 EST = 13:00 UTC
    expect(ics).toContain('DTSTART:20260302T130000Z');
    expect(ics).toContain('DTEND:20260302T150000Z');
    expect(ics).toContain('UID:b@rein');
    expect(ics).toContain('LOCATION:Room 2');
  });
});
