import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { DEFAULT_SCHEDULE_RULES, dueAssessments, overdueAssessments, type ScheduleSession } from './schedule';

const d = (iso: string) => new Date(iso);

// Induction-like course: Mon, Thu, then a gap of 18 days. Sessions last 40 min.
const sessions: ScheduleSession[] = [
  { id: 'S1', startAt: d('2026-01-05T10:00:00Z'), endAt: d('2026-01-05T10:40:00Z') },
  { id: 'S2', startAt: d('2026-01-08T10:00:00Z'), endAt: d('2026-01-08T10:40:00Z') },
  { id: 'S3', startAt: d('2026-01-26T10:00:00Z'), endAt: d('2026-01-26T10:40:00Z') },
];
const now = d('2026-01-16T12:00:00Z');
const completed = [
  { instrument: 'phq9' as const, completedAt: d('2026-01-04T18:00:00Z') },
  { instrument: 'cssrs-screener' as const, completedAt: d('2026-01-05T09:30:00Z') },
  { instrument: 'phq9' as const, itemIds: ['9'], completedAt: d('2026-01-05T14:30:00Z') },
  { instrument: 'phq9' as const, itemIds: ['9'], completedAt: d('2026-01-08T09:00:00Z') },
  { instrument: 'phq9' as const, itemIds: ['9'], completedAt: d('2026-01-08T14:00:00Z') },
  { instrument: 'ssi' as const, sessionId: 'S2', completedAt: d('2026-01-09T11:00:00Z') },
  { instrument: 'gad7' as const, completedAt: d('2026-01-15T09:00:00Z') },
];

describe('assessment schedule', () => {
  const list = dueAssessments({ sessions, now, completed });
  const find = (ruleId: string, dueIso: string) =>
    list.find((x) => x.ruleId === ruleId && x.dueAt.toISOString() === dueIso);

  it('generates the expected slots (counted by hand: 2 baseline + 6 pre + 3 +4 h + 3 +24 h + 4 weekly)', () => {
    expect(list).toHaveLength(18);
    expect(
      list.filter((x) => x.context === 'weekly').map((x) => `${x.ruleId} ${x.dueAt.toISOString()}`),
    ).toEqual([
      'weekly-gad7 2026-01-15T10:40:00.000Z',
      'weekly-phq9 2026-01-15T10:40:00.000Z',
      'weekly-gad7 2026-01-22T10:40:00.000Z',
      'weekly-phq9 2026-01-22T10:40:00.000Z',
    ]);
  });

  it('anchors +4 h and +24 h on the end of the session with their windows', () => {
    const p4 = find('post-4h-si', '2026-01-05T14:40:00.000Z')!;
    expect(p4.windowStart.toISOString()).toBe('2026-01-05T13:40:00.000Z');
    expect(p4.windowEnd.toISOString()).toBe('2026-01-05T15:40:00.000Z');
    expect(p4.sessionId).toBe('S1');
    expect(p4.status).toBe('done'); // PHQ-9 item 9 at 14:30
    expect(find('post-24h-si', '2026-01-06T10:40:00.000Z')!.status).toBe('overdue');
    expect(find('post-24h-si', '2026-01-09T10:40:00.000Z')!.status).toBe('done'); // SSI linked to S2
  });

  it('lets one PHQ-9 serve baseline and the first pre-session, but not a partial one', () => {
    expect(find('baseline-phq9', '2026-01-05T10:00:00.000Z')!.status).toBe('done');
    expect(find('pre-session-phq9', '2026-01-05T10:00:00.000Z')!.status).toBe('done');
    expect(find('baseline-cssrs', '2026-01-05T10:00:00.000Z')!.status).toBe('done');
    // Only item 9 was answered before S2: the pre-session PHQ-9 is still missing.
    expect(find('pre-session-phq9', '2026-01-08T10:00:00.000Z')!.status).toBe('overdue');
  });

  it('marks due, upcoming and done weekly items', () => {
    expect(find('weekly-phq9', '2026-01-15T10:40:00.000Z')!.status).toBe('due');
    expect(find('weekly-gad7', '2026-01-15T10:40:00.000Z')!.status).toBe('done');
    expect(find('weekly-phq9', '2026-01-22T10:40:00.000Z')!.status).toBe('upcoming');
    expect(find('pre-session-phq9', '2026-01-26T10:00:00.000Z')!.status).toBe('upcoming');
  });

  it('lists the overdue items, oldest first', () => {
    expect(overdueAssessments({ sessions, now, completed }).map((x) => `${x.ruleId} ${x.sessionId}`)).toEqual(
      ['post-24h-si S1', 'pre-session-cssrs S2', 'pre-session-phq9 S2'],
    );
  });

  it('does not count a completion linked to another session', () => {
    const other = completed.map((c) => (c.instrument === 'ssi' ? { ...c, sessionId: 'S1' } : c));
    const r = dueAssessments({ sessions, now, completed: other });
    expect(r.find((x) => x.ruleId === 'post-24h-si' && x.sessionId === 'S2')!.status).toBe('overdue');
  });

  it('rejects bad sessions and rules, naming the field', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(ClinicalInputError);
        return (err as ClinicalInputError).field;
      }
      return 'no error';
    };
    expect(field(() => dueAssessments({ sessions: [{ id: 'A', startAt: d('x') }], now }))).toBe(
      'sessions.0.startAt',
    );
    expect(
      field(() =>
        dueAssessments({ sessions: [{ id: 'A', startAt: now, endAt: d('2026-01-01T00:00:00Z') }], now }),
      ),
    ).toBe('sessions.0.endAt');
    const badRule = { ...DEFAULT_SCHEDULE_RULES[4]!, offsetMin: undefined };
    expect(field(() => dueAssessments({ sessions, now, rules: [badRule] }))).toBe('rules.0.offsetMin');
    const badItem = {
      ...DEFAULT_SCHEDULE_RULES[4]!,
      anyOf: [{ instrument: 'phq9' as const, itemIds: ['12'] }],
    };
    expect(field(() => dueAssessments({ sessions, now, rules: [badItem] }))).toBe('rules.0.anyOf.0.itemIds');
  });

  it('invariants hold for random session calendars (property)', () => {
    const base = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 * 24 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 90 * 24 }),
        (startHours, nowHour) => {
          const ss = startHours.map((h, i) => ({ id: `s${i}`, startAt: new Date(base + h * 3_600_000) }));
          const nowAt = new Date(base + nowHour * 3_600_000);
          const r = dueAssessments({ sessions: ss, now: nowAt });
          const starts = ss.map((s) => s.startAt.getTime()).sort((a, b) => a - b);
          for (const x of r) {
            expect(x.windowStart.getTime()).toBeLessThanOrEqual(x.dueAt.getTime());
            expect(x.dueAt.getTime()).toBeLessThanOrEqual(x.windowEnd.getTime());
            expect(x.status === 'overdue').toBe(nowAt.getTime() > x.windowEnd.getTime());
            if (x.context === 'weekly') {
              // "Between sessions": no session started in the 7 days before a weekly due time,
              // and at least one session came before it.
              const t = x.dueAt.getTime();
              expect(starts.some((s) => s > t - 7 * 86_400_000 && s <= t)).toBe(false);
              expect(starts.some((s) => s < t)).toBe(true);
            }
          }
          // Two pre-session and one each of +4 h and +24 h per session.
          expect(r.filter((x) => x.context === 'pre-session')).toHaveLength(2 * ss.length);
          expect(r.filter((x) => x.context === 'post-4h')).toHaveLength(ss.length);
        },
      ),
      { numRuns: 50 },
    );
  });
});
