/**
 * Session forms' values and their conversion to request bodies: pure, so what a form sends is
 * tested without a browser. Field names are the request's, so the server's field paths name them.
 */
import type { paths } from '../../api/schema';
import { compact, optionalNumber, optionalText, type NumberField } from '../../forms';
import type { SessionState } from './types';

type Body<P extends keyof paths> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
type S = '/api/patients/{patientId}/sessions/{sessionId}';
export type ChecklistBody = Body<`${S}/checklist`>;
export type VitalsBody = Body<`${S}/vitals`>;
export type DosePlanBody = Body<`${S}/dose-plan`>;
export type AdverseEventBody = Body<`${S}/adverse-events`>;
export type DischargeBody = Body<`${S}/discharge`>;

export const PREGNANCY_RESULTS = ['negative', 'positive', 'not-done', 'not-applicable'] as const;

export type ChecklistValues = {
  weightKg: NumberField;
  baselineSbpMmHg: NumberField;
  baselineDbpMmHg: NumberField;
  baselineHeartRateBpm: NumberField;
  baselineSpo2Pct: NumberField;
  lastFoodMinBeforeDose: NumberField;
  lastLiquidMinBeforeDose: NumberField;
  /** No default: the nurse chooses the result every time (the clinic's rule decides who needs a test). */
  pregnancyTest: string | null;
  identityConfirmed: boolean;
  escortArranged: boolean;
  interactionReviewDone: boolean;
  remsPatientEnrolled: boolean;
};

/** The form as last recorded (a correction starts from it); today's weight if already measured. */
export function checklistInitial(state: SessionState): ChecklistValues {
  const prev = (state.checklist?.input ?? {}) as Partial<Record<keyof ChecklistValues, unknown>>;
  const num = (v: unknown): NumberField => (typeof v === 'number' ? v : '');
  return {
    weightKg: state.latestWeight?.measuredOn === state.today ? state.latestWeight.weightKg : '',
    baselineSbpMmHg: num(prev.baselineSbpMmHg),
    baselineDbpMmHg: num(prev.baselineDbpMmHg),
    baselineHeartRateBpm: num(prev.baselineHeartRateBpm),
    baselineSpo2Pct: num(prev.baselineSpo2Pct),
    lastFoodMinBeforeDose: num(prev.lastFoodMinBeforeDose),
    lastLiquidMinBeforeDose: num(prev.lastLiquidMinBeforeDose),
    pregnancyTest: typeof prev.pregnancyTest === 'string' ? prev.pregnancyTest : null,
    identityConfirmed: Boolean(prev.identityConfirmed),
    escortArranged: Boolean(prev.escortArranged),
    interactionReviewDone: Boolean(prev.interactionReviewDone),
    remsPatientEnrolled: Boolean(prev.remsPatientEnrolled),
  };
}

/** The REMS enrolment is asked only for esketamine. */
export function checklistRequest(v: ChecklistValues, esketamine: boolean): ChecklistBody {
  return compact({
    identityConfirmed: v.identityConfirmed,
    escortArranged: v.escortArranged,
    interactionReviewDone: v.interactionReviewDone,
    remsPatientEnrolled: esketamine ? v.remsPatientEnrolled : undefined,
    pregnancyTest: (v.pregnancyTest ?? undefined) as ChecklistBody['pregnancyTest'],
    weightKg: optionalNumber(v.weightKg),
    baselineSbpMmHg: optionalNumber(v.baselineSbpMmHg),
    baselineDbpMmHg: optionalNumber(v.baselineDbpMmHg),
    baselineHeartRateBpm: optionalNumber(v.baselineHeartRateBpm),
    baselineSpo2Pct: optionalNumber(v.baselineSpo2Pct),
    lastFoodMinBeforeDose: optionalNumber(v.lastFoodMinBeforeDose),
    lastLiquidMinBeforeDose: esketamine ? optionalNumber(v.lastLiquidMinBeforeDose) : undefined,
  });
}

export type VitalsValues = {
  sbpMmHg: NumberField;
  dbpMmHg: NumberField;
  heartRateBpm: NumberField;
  spo2Pct: NumberField;
  respiratoryRatePerMin: NumberField;
  /** Empty = now (the server's clock). */
  timeMin: NumberField;
};

export const VITALS_EMPTY: VitalsValues = {
  sbpMmHg: '',
  dbpMmHg: '',
  heartRateBpm: '',
  spo2Pct: '',
  respiratoryRatePerMin: '',
  timeMin: '',
};

export function vitalsRequest(v: VitalsValues): VitalsBody {
  return compact({
    sbpMmHg: optionalNumber(v.sbpMmHg),
    dbpMmHg: optionalNumber(v.dbpMmHg),
    heartRateBpm: optionalNumber(v.heartRateBpm),
    spo2Pct: optionalNumber(v.spo2Pct),
    respiratoryRatePerMin: optionalNumber(v.respiratoryRatePerMin),
    timeMin: optionalNumber(v.timeMin),
  });
}

export type DosePlanValues = {
  /** Esketamine: the chosen dose (a select's value). */
  doseMg: string | null;
  /** IV: the course's mg/kg, which a prescriber may change. */
  doseMgPerKg: NumberField;
  lotNumber: string;
  /** IV: the diluent, printed on the pump program. */
  diluent: string;
};

export function dosePlanRequest(v: DosePlanValues, esketamine: boolean): DosePlanBody {
  return compact({
    doseMg: esketamine && v.doseMg ? Number(v.doseMg) : undefined,
    doseMgPerKg: esketamine ? undefined : optionalNumber(v.doseMgPerKg),
    lotNumber: optionalText(v.lotNumber),
    diluent: esketamine ? undefined : optionalText(v.diluent),
  });
}

export type AdverseEventValues = {
  category: AdverseEventBody['category'];
  severity: AdverseEventBody['severity'];
  actionTaken: AdverseEventBody['actionTaken'];
  description: string;
  /** Minutes after dosing start; empty = now. */
  onsetMin: NumberField;
  serious: boolean;
  escalation: NonNullable<AdverseEventBody['escalation']>;
};

export const ADVERSE_EVENT_EMPTY: AdverseEventValues = {
  category: 'nausea',
  severity: 'mild',
  actionTaken: 'observed',
  description: '',
  onsetMin: '',
  serious: false,
  escalation: 'none',
};

export function adverseEventRequest(v: AdverseEventValues): AdverseEventBody {
  return compact({
    category: v.category,
    severity: v.severity,
    actionTaken: v.actionTaken,
    serious: v.serious,
    escalation: v.escalation,
    onsetMin: optionalNumber(v.onsetMin),
    description: optionalText(v.description),
  });
}

export type DischargeValues = {
  sedationResolved: boolean;
  dissociationResolved: boolean;
  respiratoryDepressionResolved: boolean;
  mentalStatusAtBaseline: boolean;
  clinicallyStable: boolean;
  escortPresent: boolean;
  /** Esketamine (REMS): when the patient would have been ready to leave without the 2-h rule. */
  readyToLeaveMinFromStart: NumberField;
};

export const DISCHARGE_EMPTY: DischargeValues = {
  sedationResolved: false,
  dissociationResolved: false,
  respiratoryDepressionResolved: false,
  mentalStatusAtBaseline: false,
  clinicallyStable: false,
  escortPresent: false,
  readyToLeaveMinFromStart: '',
};

export function dischargeRequest(v: DischargeValues): DischargeBody {
  return compact({ ...v, readyToLeaveMinFromStart: optionalNumber(v.readyToLeaveMinFromStart) });
}

/** The CADSS-6 item numbers (of the full CADSS), each answered 0–4. */
export const CADSS6 = ['1', '2', '6', '7', '15', '22'];

/** The CADSS-6 answers when every item is answered, else null (the button stays disabled). */
export function cadssAnswers(values: Record<string, number | string>): Record<string, number> | null {
  if (CADSS6.some((id) => typeof values[id] !== 'number')) return null;
  return Object.fromEntries(CADSS6.map((id) => [id, Number(values[id])]));
}
