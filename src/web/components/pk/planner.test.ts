import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { PickedPatient } from './PatientPicker';
import { doseIndexOfError, findObservation, PLANNER_DEFAULTS, plannerSnapshot, pumpDoseOf } from './planner';
import type { ModelInfo, SimulateResult } from './types';

const picked = (weightKg: number | null) =>
  ({
    patient: { id: 'p1', familyName: 'Planner-Test', givenName: 'Rowan', mrn: 'PK-0001' },
    weightKg,
  }) as unknown as PickedPatient;

const err = (message: string, fields?: { path: string; message: string }[]) =>
  new ApiError(400, {
    error: { code: 'validation', message, ...(fields ? { fields } : {}) },
    requestId: 'r',
  });

describe('infusion planner', () => {
  it('asks for what is missing, in order', () => {
    expect(plannerSnapshot({ ...PLANNER_DEFAULTS, doses: ['  '] }, null).error).toBe(
      'Enter at least one dose.',
    );
    expect(plannerSnapshot({ ...PLANNER_DEFAULTS, models: [] }, null).error).toBe(
      'Choose at least one model.',
    );
    expect(plannerSnapshot(PLANNER_DEFAULTS, null).error).toBe(
      'Choose a patient, or enter a weight manually.',
    );
    expect(plannerSnapshot(PLANNER_DEFAULTS, picked(null)).error).toBe('The patient has no recorded weight.');
    expect(plannerSnapshot({ ...PLANNER_DEFAULTS, mode: 'manual' }, null).error).toBe(
      'Enter the weight in kg.',
    );
  });

  it('snapshots a patient on record with a printable label, or the entered size', () => {
    const fromRecord = plannerSnapshot(PLANNER_DEFAULTS, picked(80)).snapshot!;
    expect(fromRecord.size).toEqual({ patientId: 'p1' });
    expect(fromRecord.patientLabel).toBe('Planner-Test, Rowan · MRN PK-0001');
    const manual = plannerSnapshot(
      {
        ...PLANNER_DEFAULTS,
        mode: 'manual',
        weightKg: 70,
        sex: 'F',
        heightCm: '',
        doses: [' 20 mg at 0 min ', ''],
      },
      null,
    ).snapshot!;
    expect(manual.size).toEqual({ weightKg: 70, sex: 'F' });
    expect(manual.doses).toEqual(['20 mg at 0 min']);
    expect(manual.patientLabel).toBeNull();
    expect(manual.pump).toEqual({
      vialMgPerMl: 50,
      bagMl: 100,
      pumpResolutionMlPerH: 0.1,
      maxMgPerKgPerSession: 1,
    });
  });

  it('programs the pump for the first infusion of the regimen', () => {
    expect(pumpDoseOf(['20 mg at 0 min', '0.5 mg/kg over 40 min'])).toBe('0.5 mg/kg over 40 min');
    expect(pumpDoseOf(['56 mg intranasal at 0 min'])).toBeUndefined();
  });

  it('puts a regimen error under its dose: by path when given, else by the quoted dose', () => {
    const sent = ['0.5 mg/kg ovr 40 min'];
    expect(doseIndexOfError(err('x', [{ path: 'body.doses.0', message: 'bad' }]), sent, sent)).toBe(0);
    const quoted = err('dose token "ovr": expected "over" in "0.5 mg/kg ovr 40 min"', [
      { path: 'dose token "ovr"', message: 'expected "over"' },
    ]);
    expect(doseIndexOfError(quoted, sent, sent)).toBe(0);
    // The input has changed since: the error no longer describes it.
    expect(doseIndexOfError(quoted, sent, ['0.5 mg/kg over 40 min'])).toBeNull();
    expect(doseIndexOfError(err("weightKg: the patient's record has no weight"), sent, sent)).toBeNull();
    expect(doseIndexOfError(new TypeError('offline'), sent, sent)).toBeNull();
  });

  it('compares with a published mean only for exactly that single regimen', () => {
    const model = {
      drug: 'ketamine',
      observations: [
        {
          timeMin: 40,
          valueNgPerMl: 185,
          regimen: '0.5 mg/kg over 40 min',
          description: 'end of infusion',
          source: 'S',
        },
      ],
    } as unknown as ModelInfo;
    const curves = [{ model, result: {} as SimulateResult }];
    expect(findObservation(curves, ['0.5  MG/kg over 40 min']).observation?.valueNgPerMl).toBe(185);
    expect(findObservation(curves, ['0.5 mg/kg over 40 min', '20 mg at 60 min']).observation).toBeNull();
    expect(findObservation(curves, ['1 mg/kg over 40 min']).drug).toBeNull();
  });
});
