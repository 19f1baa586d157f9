import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ClinicalInputError } from '../errors';
import {
  alertsAwaitingDecision,
  defaultVitalsCadence,
  defaultVitalsThresholds,
  evaluateVitals,
  nextVitalsDue,
} from './vitals';

const esk = defaultVitalsThresholds('esketamine');
const iv = defaultVitalsThresholds('iv-ketamine');
const ids = (r: unknown, t = esk, b?: unknown) => evaluateVitals(r, t, b).map((a) => a.id);

describe('evaluateVitals', () => {
  it('esketamine label caution is strictly above 140/90: exactly 140/90 raises nothing', () => {
    expect(ids({ timeMin: 0, sbpMmHg: 140, dbpMmHg: 90 })).toEqual([]);
    expect(ids({ timeMin: -5, sbpMmHg: 141, dbpMmHg: 90 })).toEqual(['VIT-PRE-SBP-CAUTION']);
    expect(ids({ timeMin: -5, sbpMmHg: 140, dbpMmHg: 91 })).toEqual(['VIT-PRE-DBP-CAUTION']);
  });

  it('the esketamine 140/90 caution is [V]; the IV default is [U]; hold defaults are [U] everywhere', () => {
    const [a] = evaluateVitals({ timeMin: 0, sbpMmHg: 150, dbpMmHg: 80 }, esk);
    expect(a!.threshold.status).toBe('V');
    const [b] = evaluateVitals({ timeMin: 0, sbpMmHg: 150, dbpMmHg: 80 }, iv);
    expect(b!.threshold.status).toBe('U');
    expect(esk.holdSbpAboveMmHg.status).toBe('U');
    expect(esk.spo2BelowPct.status).toBe('U');
  });

  it('hold thresholds are strict: 180/100 and HR 110 do not alert, 181/101/111 do and need a decision', () => {
    expect(ids({ timeMin: 20, sbpMmHg: 180, dbpMmHg: 100, heartRateBpm: 110 })).toEqual([]);
    const alerts = evaluateVitals({ timeMin: 20, sbpMmHg: 181, dbpMmHg: 101, heartRateBpm: 111 }, iv);
    expect(alerts.map((a) => a.id)).toEqual(['VIT-SBP-HOLD', 'VIT-DBP-HOLD', 'VIT-HR-HOLD']);
    expect(alerts.every((a) => a.requiresDecision && a.severity === 'hold')).toBe(true);
  });

  it('pre-dose caution applies only at or before dosing', () => {
    expect(ids({ timeMin: 30, sbpMmHg: 150, dbpMmHg: 95 })).toEqual([]);
  });

  it('rise from baseline: +40 systolic alerts (>=), +39 does not', () => {
    const base = { timeMin: -5, sbpMmHg: 120, dbpMmHg: 70 };
    expect(ids({ timeMin: 40, sbpMmHg: 160, dbpMmHg: 70 }, esk, base)).toEqual(['VIT-SBP-RISE']);
    expect(ids({ timeMin: 40, sbpMmHg: 159, dbpMmHg: 94 }, esk, base)).toEqual([]);
    expect(ids({ timeMin: 40, sbpMmHg: 130, dbpMmHg: 95 }, esk, base)).toEqual(['VIT-DBP-RISE']);
  });

  it('SpO2 alerts by default, and at the clinic threshold when it sets one', () => {
    expect(ids({ timeMin: 10, spo2Pct: 85 })).toEqual(['VIT-SPO2-LOW']);
    const t = { ...esk, spo2BelowPct: { value: 94, status: 'clinic' as const, source: 'Clinic setting' } };
    expect(ids({ timeMin: 10, spo2Pct: 93 }, t)).toEqual(['VIT-SPO2-LOW']);
    expect(ids({ timeMin: 10, spo2Pct: 94 }, t)).toEqual([]);
  });

  it('rejects implausible readings naming the field', () => {
    try {
      evaluateVitals({ timeMin: 0, sbpMmHg: 400 }, esk);
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('reading.sbpMmHg');
    }
    expect.assertions(1);
  });

  it('property: an alert fires for SBP iff it is above the hold value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 300 }), (sbp) => {
        const fired = ids({ timeMin: 15, sbpMmHg: sbp }, iv).includes('VIT-SBP-HOLD');
        expect(fired).toBe(sbp > 180);
      }),
    );
  });
});

describe('nextVitalsDue', () => {
  const ivCad = defaultVitalsCadence('iv-ketamine');
  const eskCad = defaultVitalsCadence('esketamine');
  it('default cadence is every 10 min during and 15 min after; esketamine adds a 40-min checkpoint', () => {
    expect(ivCad).toEqual({ duringDosingEveryMin: 10, afterDosingEveryMin: 15, checkpointsMin: [] });
    expect(eskCad.checkpointsMin).toEqual([40]);
  });
  it('baseline is due first', () => {
    expect(nextVitalsDue({ readingTimesMin: [], dosingEndMin: 40, nowMin: -2, cadence: ivCad })).toEqual({
      nextDueMin: 0,
      overdueByMin: 0,
      reason: 'baseline',
    });
  });
  it('during infusion: last + 10; after: last + 15; overdue is measured from nowMin', () => {
    expect(
      nextVitalsDue({ readingTimesMin: [-5, 10], dosingEndMin: 40, nowMin: 25, cadence: ivCad }),
    ).toEqual({
      nextDueMin: 20,
      overdueByMin: 5,
      reason: 'during-dosing',
    });
    expect(
      nextVitalsDue({ readingTimesMin: [-5, 40], dosingEndMin: 40, nowMin: 41, cadence: ivCad }).nextDueMin,
    ).toBe(55);
  });
  it('esketamine: the 40-min checkpoint pre-empts the cadence', () => {
    const r = nextVitalsDue({ readingTimesMin: [-5, 35], dosingEndMin: 10, nowMin: 36, cadence: eskCad });
    expect(r).toMatchObject({ nextDueMin: 40, reason: 'checkpoint' });
  });
  it('nothing is due after the end of monitoring', () => {
    const r = nextVitalsDue({
      readingTimesMin: [-5, 110],
      dosingEndMin: 10,
      nowMin: 111,
      cadence: eskCad,
      monitoringEndMin: 120,
    });
    expect(r).toEqual({ nextDueMin: null, overdueByMin: 0, reason: 'monitoring-ended' });
  });
  it('property: the next due time is after the last reading and at most one interval later', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 120 }),
        (ts, end) => {
          const r = nextVitalsDue({
            readingTimesMin: [-1, ...ts],
            dosingEndMin: end,
            nowMin: 0,
            cadence: eskCad,
          });
          const last = Math.max(-1, ...ts);
          expect(r.nextDueMin!).toBeGreaterThan(last);
          expect(r.nextDueMin! - last).toBeLessThanOrEqual(last < end ? 10 : 15);
        },
      ),
    );
  });
});

describe('alertsAwaitingDecision', () => {
  it('a hold alert stays open until a decision for that alert and reading is recorded', () => {
    const raised = evaluateVitals({ timeMin: 30, sbpMmHg: 190 }, iv).map((a) => ({
      ...a,
      readingTimeMin: 30,
    }));
    const notify = {
      ...raised[0]!,
      id: 'VIT-SBP-RISE',
      severity: 'notify' as const,
      requiresDecision: false,
    };
    expect(alertsAwaitingDecision([...raised, notify], []).map((a) => a.id)).toEqual(['VIT-SBP-HOLD']);
    const decision = {
      alertId: 'VIT-SBP-HOLD',
      readingTimeMin: 30,
      decision: 'pause' as const,
      decidedBy: 'dr-1',
      decidedAt: '2026-12-01T10:30:00Z',
    };
    expect(alertsAwaitingDecision(raised, [decision])).toEqual([]);
    expect(alertsAwaitingDecision(raised, [{ ...decision, readingTimeMin: 20 }])).toHaveLength(1);
  });
});
