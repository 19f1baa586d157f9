import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar';
import { overdueRemsForms, remsOverdueIfDatedBefore } from './rems';

describe('which sessions can have an overdue REMS form', () => {
  it('is exactly those dated before the cut-off day (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: -30, max: 30 }),
        (dayIndex, offset) => {
          const today = addDays('2020-01-01', dayIndex);
          const sessionDate = addDays(remsOverdueIfDatedBefore(today), offset);
          const overdue = overdueRemsForms([{ sessionId: 's', sessionDate }], today).length === 1;
          expect(overdue).toBe(sessionDate < remsOverdueIfDatedBefore(today));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is seven days before today (the REMS submission window)', () => {
    expect(remsOverdueIfDatedBefore('2026-03-11')).toBe('2026-03-04');
  });
});
