import { describe, expect, it } from 'vitest';
import { readStoredPayload } from './events';
import { foldSession } from './fold';
import { completedDoseMgPerKg, completedSessionIds, sessionRegimen, sessionRemsForm } from './project';
import { sessionState } from './state';
import { eskPlan, ivPlan, recorded, SETTINGS, start, T0, vitals } from './test-fixtures';
import type { NewSessionEvent } from './events';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const answers = {
  sedationResolved: true,
  dissociationResolved: true,
  respiratoryDepressionResolved: true,
  mentalStatusAtBaseline: true,
  clinicallyStable: true,
  escortPresent: true,
};
const discharge = (atMin: number): NewSessionEvent => ({
  kind: 'discharge',
  timeMin: atMin,
  payload: {
    atMin,
    readyToLeaveMinFromStart: 100,
    answers,
    result: { allowed: true, message: 'ok', checks: [], missing: [], earliestDischargeMin: 120 },
  },
});
const facts = {
  patient: { givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1980-01-01', sexAtBirth: 'female' },
  medications: [],
  sessionDate: '2026-12-01',
  firstTreatment: true,
  remsSetting: { name: 'Clinic', address: '1 Main St' },
  remsMonitoringHcp: { name: 'Dr Who', phone: '555', email: 'dr@example.org' },
};

describe('sessionRemsForm', () => {
  it('lists what is missing instead of guessing', () => {
    const s = sessionState(
      foldSession([recorded(eskPlan(2)), recorded(start)]),
      'esketamine',
      SETTINGS,
      at(30),
    );
    const r = sessionRemsForm(s, { ...facts, patient: { ...facts.patient, sexAtBirth: 'unknown' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.missing.some((m) => m.startsWith('patient.sex'))).toBe(true);
      expect(r.missing).toContain('discharge (monitoring end)');
    }
  });

  it('builds the form from a discharged session: dose given, lot, monitoring end', () => {
    const events = [
      recorded(vitals(0, { sbpMmHg: 120, dbpMmHg: 80, spo2Pct: 98 }), -10),
      recorded(eskPlan(2), -5),
      recorded(start, 0),
      recorded(vitals(40, { sbpMmHg: 130, dbpMmHg: 85 }), 40),
      recorded(vitals(115, { sbpMmHg: 125, dbpMmHg: 80 }), 115),
      recorded(discharge(125), 125),
    ];
    const r = sessionRemsForm(sessionState(foldSession(events), 'esketamine', SETTINGS, at(126)), facts);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok)
      expect(r.form).toMatchObject({
        treatment: { dose: '56 mg', lotNumber: 'LOT1', totalDurationMin: 125 },
      });
  });
});

describe('sessionRegimen', () => {
  it('the plan before dosing; the devices used once dosing has begun', () => {
    expect(
      sessionRegimen(sessionState(foldSession([recorded(ivPlan(40, 40))]), 'iv-ketamine', SETTINGS, at(0))),
    ).toEqual(['40 mg over 40 min at 0 min']);
    const esk = sessionState(
      foldSession([recorded(eskPlan(3)), recorded(start)]),
      'esketamine',
      SETTINGS,
      at(6),
    );
    expect(sessionRegimen(esk)).toEqual(['28 mg intranasal at 0 min', '28 mg intranasal at 5 min']);
    expect(sessionRegimen(sessionState(foldSession([]), 'iv-ketamine', SETTINGS, at(0)))).toBeNull();
  });
});

describe('completion and stored payloads', () => {
  it('a discharge of any shape completes a session; the dose of a completed session only', () => {
    expect(
      completedSessionIds([
        { sessionId: 'a', kind: 'discharge' },
        { sessionId: 'b', kind: 'vitals' },
      ]),
    ).toEqual(new Set(['a']));
    const open = foldSession([recorded(ivPlan())]);
    expect(completedDoseMgPerKg(open)).toBeNull();
    expect(completedDoseMgPerKg(foldSession([recorded(ivPlan()), recorded(discharge(100))]))).toBe(0.5);
  });

  it('reads a partial stored payload field by field; a wrongly typed field is refused', () => {
    expect(readStoredPayload('discharge', { atMin: 95 })).toMatchObject({ atMin: 95 });
    expect(readStoredPayload('alert-decision', { decision: 'pause' })?.decision).toBe('pause');
    expect(readStoredPayload('vitals', { sbpMmHg: 'high' })).toBeNull();
    expect(readStoredPayload('dosing-start', null)).toEqual(expect.objectContaining({}));
  });
});
