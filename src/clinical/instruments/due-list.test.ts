import { describe, expect, it } from 'vitest';
import { dueByInstrument, dueInstrumentKey } from './due-list';
import type { DueAssessment } from './schedule';

const at = (iso: string) => new Date(iso);
const item = (ruleId: string, anyOf: DueAssessment['anyOf'], dueAt: string): DueAssessment => ({
  ruleId,
  context: 'pre-session',
  anyOf,
  dueAt: at(dueAt),
  windowStart: at(dueAt),
  windowEnd: at(dueAt),
  status: 'due',
});

describe('due list by instrument', () => {
  it('keeps one line per instrument, the earliest due, counting the others', () => {
    const rows = dueByInstrument([
      item('weekly-phq9', [{ instrument: 'phq9' }], '2026-03-05T09:00:00Z'),
      item('baseline-phq9', [{ instrument: 'phq9' }], '2026-03-02T09:00:00Z'),
      item('pre-session-cssrs', [{ instrument: 'cssrs-screener' }], '2026-03-03T09:00:00Z'),
    ]);
    expect(rows.map((r) => [r.key, r.item.ruleId, r.merged])).toEqual([
      ['phq9', 'baseline-phq9', 1],
      ['cssrs-screener', 'pre-session-cssrs', 0],
    ]);
  });

  it('a single item of an instrument is not the whole instrument', () => {
    const item9 = [{ instrument: 'phq9' as const, itemIds: ['9'] }, { instrument: 'ssi' as const }];
    expect(dueInstrumentKey({ anyOf: item9 })).toBe('phq9:9|ssi');
    const rows = dueByInstrument([
      item('plus-4h', item9, '2026-03-02T13:00:00Z'),
      item('weekly-phq9', [{ instrument: 'phq9' }], '2026-03-05T09:00:00Z'),
    ]);
    expect(rows).toHaveLength(2);
  });
});
