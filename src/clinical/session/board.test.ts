import { describe, expect, it } from 'vitest';
import { sessionBoardStatus } from './board';
import { foldSession } from './fold';
import { sessionState } from './state';
import type { NewSessionEvent } from './events';
import { checkIn, ivPlan, recorded, SETTINGS, start, T0, vitals } from './test-fixtures';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const board = (events: NewSessionEvent[], nowMin: number) =>
  sessionBoardStatus(
    sessionState(
      foldSession(events.map((e, i) => recorded(e, e.timeMin ?? i - events.length))),
      'iv-ketamine',
      SETTINGS,
      at(nowMin),
    ),
  );
const discharge = (atMin: number): NewSessionEvent => ({
  kind: 'discharge',
  timeMin: atMin,
  payload: {
    atMin,
    readyToLeaveMinFromStart: 100,
    answers: {
      sedationResolved: true,
      dissociationResolved: true,
      respiratoryDepressionResolved: true,
      mentalStatusAtBaseline: true,
      clinicallyStable: true,
      escortPresent: true,
    },
    result: { allowed: true, message: 'ok', checks: [], missing: [], earliestDischargeMin: 100 },
  },
});

describe('sessionBoardStatus', () => {
  it('a checked-in session is neither in recovery nor late for vitals', () => {
    expect(board([checkIn], 0)).toMatchObject({
      phase: 'checked-in',
      inRecovery: false,
      vitalsOverdueByMin: null,
      openAlerts: 0,
      minutesSinceDosingStart: null,
    });
  });

  it('a running infusion is not in recovery; a reading missed past its due minute is overdue', () => {
    const events = [checkIn, ivPlan(40, 40), start, vitals(0, { heartRateBpm: 70, sbpMmHg: 120 })];
    const onTime = board(events, 5);
    expect(onTime).toMatchObject({ phase: 'dosing', inRecovery: false, vitalsOverdueByMin: null });
    const late = board(events, 25);
    expect(late.inRecovery).toBe(false);
    expect(late.vitalsOverdueByMin).toBeGreaterThan(0);
    expect(late.minutesSinceDosingStart).toBe(25);
  });

  it('after the infusion has ended the patient is in recovery until discharged', () => {
    const events = [checkIn, ivPlan(40, 40), start, vitals(0, { heartRateBpm: 70, sbpMmHg: 120 })];
    const recovering = board(events, 50);
    expect(recovering.inRecovery).toBe(true);
    expect(recovering.earliestDischargeMin).not.toBeNull();
    const discharged = board([...events, discharge(110)], 115);
    expect(discharged).toMatchObject({ phase: 'discharged', inRecovery: false, vitalsOverdueByMin: null });
  });

  it('counts each entry whose alarm awaits a decision once', () => {
    const events = [checkIn, ivPlan(40, 40), start, vitals(0, { sbpMmHg: 120, dbpMmHg: 80 })];
    const high = vitals(10, { sbpMmHg: 190, dbpMmHg: 110 });
    expect(board([...events, high], 11).openAlerts).toBe(1);
  });
});
