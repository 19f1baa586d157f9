import { describe, expect, it } from 'vitest';
import {
  adverseEventSubmitSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  vitalsEntrySchema,
} from '../../contracts';
import { validateWith } from '../../forms';
import {
  ADVERSE_EVENT_EMPTY,
  adverseEventRequest,
  cadssAnswers,
  checklistRequest,
  DISCHARGE_EMPTY,
  dischargeRequest,
  dosePlanRequest,
  VITALS_EMPTY,
  vitalsRequest,
  type ChecklistValues,
} from './requests';

const checklist: ChecklistValues = {
  weightKg: 80,
  baselineSbpMmHg: 122,
  baselineDbpMmHg: '',
  baselineHeartRateBpm: '',
  baselineSpo2Pct: '',
  lastFoodMinBeforeDose: '',
  lastLiquidMinBeforeDose: 60,
  pregnancyTest: 'negative',
  identityConfirmed: true,
  escortArranged: true,
  interactionReviewDone: false,
  remsPatientEnrolled: true,
};

describe('session forms → requests', () => {
  it('sends only what was entered, and the esketamine-only items only for esketamine', () => {
    const iv = checklistRequest(checklist, false);
    expect(iv).toEqual({
      identityConfirmed: true,
      escortArranged: true,
      interactionReviewDone: false,
      pregnancyTest: 'negative',
      weightKg: 80,
      baselineSbpMmHg: 122,
    });
    const esk = checklistRequest(checklist, true);
    expect(esk.remsPatientEnrolled).toBe(true);
    expect(esk.lastLiquidMinBeforeDose).toBe(60);
    expect(checklistSubmitSchema.safeParse(iv).success).toBe(true);
  });

  it('asks for the pregnancy result in the form’s words', () => {
    const validate = validateWith(checklistSubmitSchema, (v: ChecklistValues) => checklistRequest(v, false), {
      pregnancyTest: 'Choose the pregnancy test result',
    });
    expect(validate({ ...checklist, pregnancyTest: null })).toEqual({
      pregnancyTest: 'Choose the pregnancy test result',
    });
    expect(validate({ ...checklist, weightKg: 900 })).toHaveProperty('weightKg');
  });

  it('validates vitals with the server rules: at least one sign, BP as a pair', () => {
    const validate = validateWith(vitalsEntrySchema, vitalsRequest);
    expect(validate(VITALS_EMPTY)).toHaveProperty('sbpMmHg');
    expect(validate({ ...VITALS_EMPTY, sbpMmHg: 130 })).toHaveProperty('dbpMmHg');
    expect(validate({ ...VITALS_EMPTY, sbpMmHg: 130, dbpMmHg: 80 })).toEqual({});
    expect(vitalsRequest({ ...VITALS_EMPTY, spo2Pct: 97, timeMin: 0 })).toEqual({ spo2Pct: 97, timeMin: 0 });
  });

  it('sends the esketamine dose or the IV mg/kg, never both', () => {
    expect(
      dosePlanRequest({ doseMg: '56', doseMgPerKg: 0.5, lotNumber: ' L1 ', diluent: 'saline' }, true),
    ).toEqual({ doseMg: 56, lotNumber: 'L1' });
    expect(dosePlanRequest({ doseMg: '56', doseMgPerKg: 0.5, lotNumber: '', diluent: '' }, false)).toEqual({
      doseMgPerKg: 0.5,
    });
    // IV: the diluent is sent, trimmed; it is printed on the pump program.
    expect(
      dosePlanRequest({ doseMg: null, doseMgPerKg: 0.5, lotNumber: '', diluent: ' 0.9% NaCl ' }, false),
    ).toEqual({ doseMgPerKg: 0.5, diluent: '0.9% NaCl' });
    expect(
      dosePlanSubmitSchema.safeParse(
        dosePlanRequest({ doseMg: null, doseMgPerKg: 3, lotNumber: '', diluent: '' }, false),
      ).success,
    ).toBe(false);
  });

  it('builds adverse-event and discharge bodies the server accepts', () => {
    const ae = adverseEventRequest({ ...ADVERSE_EVENT_EMPTY, description: '  ', onsetMin: 5 });
    expect(ae).toEqual({
      category: 'nausea',
      severity: 'mild',
      actionTaken: 'observed',
      serious: false,
      escalation: 'none',
      onsetMin: 5,
    });
    expect(adverseEventSubmitSchema.safeParse(ae).success).toBe(true);
    const discharge = dischargeRequest({ ...DISCHARGE_EMPTY, escortPresent: true });
    expect(discharge).not.toHaveProperty('readyToLeaveMinFromStart');
    expect(dischargeSubmitSchema.safeParse(discharge).success).toBe(true);
  });

  it('records CADSS-6 only when every item is answered', () => {
    expect(cadssAnswers({ '1': 0, '2': 1, '6': 2, '7': 3, '15': 4 })).toBeNull();
    expect(cadssAnswers({ '1': 0, '2': 1, '6': 2, '7': 3, '15': 4, '22': 0 })).toEqual({
      '1': 0,
      '2': 1,
      '6': 2,
      '7': 3,
      '15': 4,
      '22': 0,
    });
  });
});
