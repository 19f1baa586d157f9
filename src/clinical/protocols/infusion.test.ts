import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import {
  alertDecisionOptions,
  clinicSetting,
  deviceDosingStatus,
  dosingActions,
  infusionRegimen,
  infusionStatus,
  IV_MIN_OBSERVATION_DEFAULT,
  nextVitalsDueWithDosing,
  readingsAwaitingDecision,
} from './infusion';
import { defaultVitalsCadence } from './vitals';

const plan = { doseMg: 40, durationMin: 40, vtbiMl: 100.8 };

describe('infusionStatus: the infusion clock', () => {
  it('runs with the session clock when nothing is recorded, and completes at the planned time', () => {
    const at25 = infusionStatus(plan, [], 25);
    expect(at25).toMatchObject({ state: 'running', runningMin: 25, remainingMin: 15, amountGivenMg: 25 });
    expect(at25.projectedEndMin).toBe(40);
    expect(at25.dosingEndMin).toBeNull();
    const at50 = infusionStatus(plan, [], 50);
    expect(at50).toMatchObject({ state: 'complete', runningMin: 40, amountGivenMg: 40, dosingEndMin: 40 });
    expect(infusionRegimen(at50)).toEqual(['40 mg over 40 min at 0 min']);
  });

  it('a pause stops the clock, the pump and the curve until a recorded resume', () => {
    const paused = infusionStatus(plan, [{ action: 'pause', atMin: 20 }], 35);
    expect(paused).toMatchObject({
      state: 'paused',
      runningMin: 20,
      remainingMin: 20,
      pausedMin: 15,
      pausedSinceMin: 20,
      amountGivenMg: 20,
      remainingVtbiMl: 50.4,
      dosingEndMin: null,
      projectedEndMin: null,
    });
    // Still paused an hour later: nothing more given, and no end.
    expect(infusionStatus(plan, [{ action: 'pause', atMin: 20 }], 95)).toMatchObject({
      state: 'paused',
      runningMin: 20,
      dosingEndMin: null,
    });
    // The curve's regimen has only what was given.
    expect(infusionRegimen(paused)).toEqual(['20 mg over 20 min at 0 min']);

    const resumed = infusionStatus(
      plan,
      [
        { action: 'pause', atMin: 20 },
        { action: 'resume', atMin: 30 },
      ],
      35,
    );
    expect(resumed).toMatchObject({ state: 'running', runningMin: 25, pausedMin: 10, projectedEndMin: 50 });
    expect(infusionRegimen(resumed)).toEqual(['20 mg over 20 min at 0 min', '20 mg over 20 min at 30 min']);
    const done = infusionStatus(
      plan,
      [
        { action: 'pause', atMin: 20 },
        { action: 'resume', atMin: 30 },
      ],
      60,
    );
    expect(done).toMatchObject({ state: 'complete', dosingEndMin: 50, amountGivenMg: 40 });
  });

  it('stop ends dosing and records rate × running time', () => {
    const s = infusionStatus(
      plan,
      [
        { action: 'pause', atMin: 12 },
        { action: 'resume', atMin: 17 },
        { action: 'stop', atMin: 23.5 },
      ],
      30,
    );
    // 1 mg/min × (12 + 6.5) min
    expect(s).toMatchObject({ state: 'stopped', runningMin: 18.5, amountGivenMg: 18.5, dosingEndMin: 23.5 });
    expect(s.remainingMin).toBe(0);
    expect(infusionRegimen(s)).toEqual(['12 mg over 12 min at 0 min', '6.5 mg over 6.5 min at 17 min']);
    // Stopping a paused infusion ends dosing at the stop; nothing given while paused.
    expect(
      infusionStatus(
        plan,
        [
          { action: 'pause', atMin: 10 },
          { action: 'stop', atMin: 15 },
        ],
        20,
      ),
    ).toMatchObject({ state: 'stopped', amountGivenMg: 10, dosingEndMin: 15 });
  });

  it('refuses entries that cannot apply, naming the field', () => {
    const err = (events: unknown, now: number) => {
      try {
        infusionStatus(plan, events, now);
      } catch (e) {
        return e instanceof ClinicalInputError ? `${e.field}: ${e.message}` : String(e);
      }
      return 'accepted';
    };
    expect(err([{ action: 'resume', atMin: 5 }], 10)).toMatch(/^action: the infusion is running/);
    expect(
      err(
        [
          { action: 'pause', atMin: 5 },
          { action: 'pause', atMin: 6 },
        ],
        10,
      ),
    ).toMatch(/^action: the infusion is already paused/);
    expect(err([{ action: 'pause', atMin: 45 }], 50)).toMatch(/^action: the infusion completed at 40 min/);
    expect(
      err(
        [
          { action: 'stop', atMin: 5 },
          { action: 'resume', atMin: 6 },
        ],
        10,
      ),
    ).toMatch(/was stopped at 5 min/);
    expect(err([{ action: 'pause', atMin: 12 }], 10)).toMatch(/^atMin: cannot be in the future/);
    expect(
      err(
        [
          { action: 'pause', atMin: 8 },
          { action: 'resume', atMin: 6 },
        ],
        10,
      ),
    ).toMatch(/^atMin: cannot be before/);
  });

  it('property: given never exceeds the dose, and running + paused time equals elapsed time until the end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 0, maxLength: 6 }),
        fc.integer({ min: 0, max: 200 }),
        (gaps, extra) => {
          const events: { action: 'pause' | 'resume'; atMin: number }[] = [];
          let t = 0;
          for (const [i, g] of gaps.entries()) {
            t += g;
            events.push({ action: i % 2 === 0 ? 'pause' : 'resume', atMin: t });
          }
          // Drop entries that fall after completion (the writer refuses them).
          let now = t + extra;
          let s;
          try {
            s = infusionStatus(plan, events, now);
          } catch {
            return;
          }
          expect(s.amountGivenMg).toBeLessThanOrEqual(40 + 1e-9);
          if (s.state !== 'complete') {
            now = Math.round(now * 1e4) / 1e4;
            expect(s.runningMin + s.pausedMin).toBeCloseTo(now, 6);
          }
          const regimenMg = infusionRegimen(s).reduce((sum, r) => sum + Number(r.split(' ')[0]), 0);
          expect(regimenMg).toBeLessThanOrEqual(40 + 1e-3);
        },
      ),
    );
  });
});

describe('esketamine devices', () => {
  const args = { devices: 3, mgPerDevice: 28, minBetweenDevicesMin: 5 };
  it('stop before the last device: the devices given and mg', () => {
    expect(deviceDosingStatus({ ...args, stopAtMin: 6, nowMin: 8 })).toMatchObject({
      state: 'stopped',
      devicesGiven: 2,
      amountGivenMg: 56,
      dosingEndMin: 6,
    });
    expect(deviceDosingStatus({ ...args, stopAtMin: null, nowMin: 12 })).toMatchObject({
      state: 'complete',
      devicesGiven: 3,
      amountGivenMg: 84,
      dosingEndMin: 10,
    });
  });
});

describe('decision options', () => {
  it('IV offers pause only while running; esketamine never offers pause', () => {
    expect(alertDecisionOptions('iv-ketamine', 'running')).toEqual(['continue', 'pause', 'stop']);
    expect(alertDecisionOptions('iv-ketamine', 'paused')).toEqual(['continue', 'stop']);
    expect(alertDecisionOptions('iv-ketamine', 'complete')).toEqual(['continue']);
    expect(alertDecisionOptions('esketamine', 'running')).toEqual(['continue', 'stop']);
    expect(alertDecisionOptions('esketamine', 'complete')).toEqual(['continue']);
    expect(dosingActions('iv-ketamine', 'running')).toEqual(['pause', 'stop']);
    expect(dosingActions('iv-ketamine', 'paused')).toEqual(['resume', 'stop']);
    expect(dosingActions('esketamine', 'running')).toEqual(['stop']);
    expect(dosingActions('iv-ketamine', 'stopped')).toEqual([]);
  });

  it('one decision covers one reading: SBP and DBP holds of 186/104 are one open item', () => {
    const readings = [
      {
        vitalsEventId: 'r1',
        timeMin: 25,
        alerts: [
          { id: 'VIT-SBP-HOLD', message: 'Systolic BP 186 is above 180', requiresDecision: true },
          { id: 'VIT-DBP-HOLD', message: 'Diastolic BP 104 is above 100', requiresDecision: true },
          { id: 'VIT-SBP-RISE', message: 'Systolic BP rose 60', requiresDecision: false },
        ],
      },
      { vitalsEventId: 'r2', timeMin: 30, alerts: [] },
    ];
    const open = readingsAwaitingDecision(readings, new Set());
    expect(open).toEqual([
      {
        vitalsEventId: 'r1',
        timeMin: 25,
        alertIds: ['VIT-SBP-HOLD', 'VIT-DBP-HOLD'],
        message: 'Systolic BP 186 is above 180; Diastolic BP 104 is above 100',
      },
    ]);
    expect(readingsAwaitingDecision(readings, new Set(['r1']))).toEqual([]);
  });
});

describe('vitals recheck while paused', () => {
  const cadence = defaultVitalsCadence('iv-ketamine');
  it('shortens the interval to the paused recheck and restores the cadence on resume', () => {
    const base = { readingTimesMin: [-5, 10, 20], nowMin: 21, cadence, pausedRecheckEveryMin: 5 };
    expect(nextVitalsDueWithDosing({ ...base, state: 'running', dosingEndMin: 40 })).toMatchObject({
      nextDueMin: 30,
      reason: 'during-dosing',
    });
    expect(nextVitalsDueWithDosing({ ...base, state: 'paused', dosingEndMin: null })).toMatchObject({
      nextDueMin: 25,
      reason: 'paused',
    });
    expect(
      nextVitalsDueWithDosing({ ...base, nowMin: 31, state: 'paused', dosingEndMin: null }),
    ).toMatchObject({ nextDueMin: 25, overdueByMin: 6 });
  });
});

describe('IV observation default and clinic settings', () => {
  it('is 60 min, unverified, with its sources', () => {
    expect(IV_MIN_OBSERVATION_DEFAULT.value).toBe(60);
    expect(IV_MIN_OBSERVATION_DEFAULT.status).toBe('U');
    expect(IV_MIN_OBSERVATION_DEFAULT.note).toMatch(/Ketalar/);
    expect(clinicSetting(60, IV_MIN_OBSERVATION_DEFAULT)).toBe(IV_MIN_OBSERVATION_DEFAULT);
    expect(clinicSetting(90, IV_MIN_OBSERVATION_DEFAULT)).toEqual({
      value: 90,
      status: 'clinic',
      source: 'Clinic setting',
    });
  });
});
