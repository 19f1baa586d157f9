import { describe, expect, it } from 'vitest';
import { taperDecisionDue } from './decision-due';
import { planTaper } from './plan';

// Sertraline 100 mg, 25 % cuts every 28 days from 5 January: reductions on 2 February, 2 March, …
const plan = planTaper({
  drug: 'sertraline',
  startDoseMg: 100,
  mode: 'proportional',
  stepPct: 25,
  intervalDays: 28,
  startDate: '2026-01-05',
});
const due = (today: string, decisionDates: string[] = [], status = 'active' as const) =>
  taperDecisionDue({ status, plan, decisionDates, today });

describe('taper decision due', () => {
  it('is not due before the first reduction', () => {
    expect(due('2026-01-04')).toBeNull();
    expect(due('2026-01-05')).toBeNull();
    expect(due('2026-02-01')).toBeNull();
  });

  it('is due on the day of a reduction and stays due until a decision is recorded', () => {
    const step = plan.steps[1]!;
    expect(step.date).toBe('2026-02-02');
    expect(due('2026-02-02')).toMatchObject({ stepIndex: 1, stepDate: '2026-02-02', daysOverdue: 0 });
    expect(due('2026-02-05')).toMatchObject({
      stepIndex: 1,
      daysOverdue: 3,
      fromDoseMg: plan.steps[0]!.doseMg,
      toDoseMg: step.doseMg,
    });
    expect(due('2026-02-05', ['2026-02-03'])).toBeNull();
  });

  it('a decision made on or before the previous change does not answer the next reduction', () => {
    expect(due('2026-02-02', ['2026-01-05'])).not.toBeNull();
    expect(due('2026-03-02', ['2026-02-02'])).toMatchObject({ stepIndex: 2, stepDate: '2026-03-02' });
  });

  it('a decision dated after today does not count', () => {
    expect(due('2026-02-02', ['2026-02-10'])).not.toBeNull();
  });

  it('paused, completed and cancelled plans ask for nothing', () => {
    for (const status of ['paused', 'completed', 'cancelled'] as const) {
      expect(taperDecisionDue({ status, plan, decisionDates: [], today: '2026-02-05' })).toBeNull();
    }
  });
});
