import { describe, expect, it } from 'vitest';
import { canChangeTaperStatus, isTaperPlanClosed, TAPER_PLAN_STATUSES } from './lifecycle';

describe('taper plan lifecycle', () => {
  it('pauses and resumes; completes or cancels from active or paused', () => {
    expect(canChangeTaperStatus('active', 'paused')).toBe(true);
    expect(canChangeTaperStatus('paused', 'active')).toBe(true);
    for (const from of ['active', 'paused'] as const) {
      expect(canChangeTaperStatus(from, 'completed')).toBe(true);
      expect(canChangeTaperStatus(from, 'cancelled')).toBe(true);
    }
  });

  it('never changes to the same status', () => {
    for (const s of TAPER_PLAN_STATUSES) expect(canChangeTaperStatus(s, s)).toBe(false);
  });

  it('completed and cancelled plans are closed and final', () => {
    for (const from of ['completed', 'cancelled'] as const) {
      expect(isTaperPlanClosed(from)).toBe(true);
      for (const to of TAPER_PLAN_STATUSES) expect(canChangeTaperStatus(from, to)).toBe(false);
    }
    expect(isTaperPlanClosed('active')).toBe(false);
    expect(isTaperPlanClosed('paused')).toBe(false);
  });
});
