import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { addDays } from '../calendar';
import { overdueRemsForms, remsFormsDue } from './rems';

describe('remsFormsDue', () => {
  it('lists unsubmitted forms with the due date 7 days on, earliest due first; submitted ones drop out', () => {
    const due = remsFormsDue(
      [
        { sessionId: 'a', sessionDate: '2026-12-07' },
        { sessionId: 'b', sessionDate: '2026-11-28' },
        { sessionId: 'c', sessionDate: '2026-12-01', submittedOn: '2026-12-02' },
        { sessionId: 'd', sessionDate: '2026-12-01' },
      ],
      '2026-12-08',
    );
    expect(due).toEqual([
      { sessionId: 'b', sessionDate: '2026-11-28', dueDate: '2026-12-05', daysLeft: -3 },
      { sessionId: 'd', sessionDate: '2026-12-01', dueDate: '2026-12-08', daysLeft: 0 },
      { sessionId: 'a', sessionDate: '2026-12-07', dueDate: '2026-12-14', daysLeft: 6 },
    ]);
  });

  it('its late part is exactly the overdue list', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), (ages) => {
        const today = '2026-12-08';
        const forms = ages.map((d, i) => ({ sessionId: `s${i}`, sessionDate: addDays(today, -d) }));
        const late = remsFormsDue(forms, today).filter((f) => f.daysLeft < 0);
        const overdue = overdueRemsForms(forms, today);
        expect(late.map((f) => f.sessionId).sort()).toEqual(overdue.map((f) => f.sessionId).sort());
      }),
    );
  });

  it('names the field of a date that is not one', () => {
    expect(() => remsFormsDue([{ sessionId: 'x', sessionDate: '2026-02-30' }], '2026-12-08')).toThrow(
      ClinicalInputError,
    );
  });
});
