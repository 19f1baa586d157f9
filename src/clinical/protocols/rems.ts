import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { addDays, dayNumber, daysBetween, localDateSchema } from '../calendar';
import { SOURCES } from './evidence';
import type { Medication } from './interactions';
import { medicationSchema, withDerivedClassTags } from './interactions';
import { RESPIRATORY_ADVERSE_EVENT_CATEGORIES } from './session';

/**
 * SPRAVATO REMS Patient Monitoring Form. Field list from
 * clinical-protocols.md §3.5 [V] (Janssen 11/2021 form; opioids from the current training video).
 * Anything added to the form after 12/31/2024 is [U]; the pulse-oximetry / SAE fields follow the
 * reference's description and must be checked against the current form before release.
 */

const yn = z.boolean();

/**
 * The patient sex choices the Patient Monitoring Form offers: Male, Female, Other
 * (clinical-protocols.md §3.5 [V]; form copy at manualspro.net, "Spravato Patient Monitoring Form
 * Instructions", posted 5 June 2024). Cited in docs/clinical-sources/protocols.md.
 */
export const REMS_FORM_SEX = ['male', 'female', 'other'] as const;
export type RemsFormSex = (typeof REMS_FORM_SEX)[number];

/**
 * The form's sex box from the record's sex at birth: female and male as they are, intersex as
 * "Other". An unknown sex is not guessed: null, so the form lists it as missing.
 */
export function remsSexFor(sexAtBirth: string): RemsFormSex | null {
  if (sexAtBirth === 'female' || sexAtBirth === 'male') return sexAtBirth;
  if (sexAtBirth === 'intersex') return 'other';
  return null;
}
const bpSchema = z.object({
  sbpMmHg: z.number().int().min(40).max(300),
  dbpMmHg: z.number().int().min(20).max(200),
});
const observedSchema = z.object({ observed: yn, details: z.string().optional() });

export const remsPatientMonitoringFormSchema = z.object({
  patient: z.object({
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    middleInitial: z.string().max(1).optional(),
    dateOfBirth: localDateSchema,
    sex: z.enum(REMS_FORM_SEX),
    firstTreatment: yn,
    enrolledInRems: yn,
  }),
  concomitantMedications: z.object({
    benzodiazepines: yn,
    nonBenzodiazepineSedativeHypnotics: yn,
    psychostimulants: yn,
    maois: yn,
    /** Named in the current form version (J&J training video) [V]. */
    opioids: yn,
  }),
  monitoringHcp: z.object({ name: z.string().min(1), phone: z.string().min(1), email: z.email() }),
  setting: z.object({ name: z.string().min(1), address: z.string().min(1) }),
  treatment: z.object({
    date: localDateSchema,
    dose: z.enum(['56 mg', '84 mg', 'other']),
    otherDoseMg: z.number().positive().optional(),
    lotNumber: z.string().min(1),
    /** From the first device to the end of monitoring; the REMS requires >= 120. */
    totalDurationMin: z.number().int().positive(),
  }),
  /** "If there was not a 2-hour minimum monitoring requirement, when would this patient have been ready to leave?" */
  readyToLeaveMinFromStart: z.number().int().min(0),
  vitalSignsAcceptable: z.object({ beforeAdministration: yn, beforeTreatmentCompletion: yn }),
  bloodPressure: z.object({
    beforeAdministration: bpSchema,
    at40MinPostAdministration: bpSchema,
    beforeTreatmentCompletion: bpSchema,
  }),
  sedation: observedSchema,
  dissociation: observedSchema,
  respiratoryDepression: observedSchema,
  /** [U] exact wording on the current form. */
  pulseOximetryMonitored: yn,
  /** [U] exact wording on the current form. */
  seriousAdverseEventReported: yn,
});
export type RemsPatientMonitoringForm = z.infer<typeof remsPatientMonitoringFormSchema>;

/** Map a medication list onto the REMS concomitant-medication questions. */
export function remsConcomitantMedications(
  meds: readonly Medication[],
): RemsPatientMonitoringForm['concomitantMedications'] {
  const tagged = meds.map(withDerivedClassTags);
  const has = (tag: Medication['classTags'][number]) => tagged.some((m) => m.classTags.includes(tag));
  return {
    benzodiazepines: has('benzodiazepine'),
    nonBenzodiazepineSedativeHypnotics: has('sedative-hypnotic'),
    psychostimulants: has('stimulant'),
    maois: has('maoi'),
    opioids: has('opioid'),
  };
}

export const remsSessionDataSchema = z.object({
  patient: remsPatientMonitoringFormSchema.shape.patient,
  medications: z.array(medicationSchema),
  monitoringHcp: remsPatientMonitoringFormSchema.shape.monitoringHcp,
  setting: remsPatientMonitoringFormSchema.shape.setting,
  sessionDate: localDateSchema,
  doseMg: z.number().positive(),
  lotNumber: z.string().min(1),
  /** Minutes after the first device at which monitoring ended (discharge). */
  monitoringEndMin: z.number().int().positive(),
  readyToLeaveMinFromStart: z.number().int().min(0),
  /** Minutes relative to the first device. */
  bpReadings: z.array(
    z.object({ timeMin: z.number(), sbpMmHg: bpSchema.shape.sbpMmHg, dbpMmHg: bpSchema.shape.dbpMmHg }),
  ),
  vitalSignsAcceptableBeforeAdministration: yn,
  vitalSignsAcceptableBeforeCompletion: yn,
  sedation: observedSchema,
  dissociation: observedSchema,
  respiratoryDepression: observedSchema,
  pulseOximetryMonitored: yn,
  seriousAdverseEventReported: yn,
  /** Tolerance around 40 min for the post-administration BP (clinic setting; default 10). */
  postDoseBpToleranceMin: z.number().min(0).default(10),
});
export type RemsSessionData = z.input<typeof remsSessionDataSchema>;

/** What was observed during monitoring, as the session recorded it (alerts as raised by the core). */
export interface RemsMonitoringRecord {
  moaas: readonly { timeMin: number; score: number | null }[];
  cadss6: readonly { timeMin: number; score: number | null }[];
  /** Vital-sign and sedation alerts raised during the session (ids from evaluateVitals / evaluateSedation). */
  alerts: readonly { id: string; timeMin: number; message: string }[];
  adverseEvents: readonly {
    category: string;
    description: string | null;
    serious: boolean;
    timeMin: number;
  }[];
}

/** Alerts that mean respiratory depression was observed (low or falling SpO2, slow breathing). */
const RESPIRATORY_ALERT_IDS = new Set(['VIT-SPO2-LOW', 'VIT-SPO2-FALL', 'VIT-RR-LOW']);

/**
 * The form's sedation / dissociation / respiratory-depression and SAE answers from the session
 * record: sedation = any MOAA/S below 5 or a sedation adverse event; dissociation = any CADSS-6 item
 * above 0 or a dissociation event; respiratory depression = a respiratory adverse event or an SpO2
 * or respiratory-rate alarm. Details list what was seen and when.
 */
export function remsObservations(
  r: RemsMonitoringRecord,
): Pick<
  RemsSessionData,
  'sedation' | 'dissociation' | 'respiratoryDepression' | 'seriousAdverseEventReported'
> {
  const aes = (cats: readonly string[]) => r.adverseEvents.filter((a) => cats.includes(a.category));
  const aeText = (a: RemsMonitoringRecord['adverseEvents'][number]) =>
    `${a.category.replaceAll('-', ' ')}${a.description ? ` (${a.description})` : ''} at ${a.timeMin} min${a.serious ? ', serious' : ''}`;
  const observed = (details: string[]) => ({
    observed: details.length > 0,
    ...(details.length > 0 ? { details: details.join('; ') } : {}),
  });
  const sedation = [
    ...r.moaas
      .filter((o) => o.score !== null && o.score < 5)
      .map((o) => `MOAA/S ${o.score} at ${o.timeMin} min`),
    ...aes(['sedation']).map(aeText),
  ];
  const dissociation = [
    ...r.cadss6.filter((o) => (o.score ?? 0) > 0).map((o) => `CADSS-6 ${o.score} at ${o.timeMin} min`),
    ...aes(['dissociation']).map(aeText),
  ];
  const respiratory = [
    ...r.alerts.filter((a) => RESPIRATORY_ALERT_IDS.has(a.id)).map((a) => `${a.message} at ${a.timeMin} min`),
    ...aes(RESPIRATORY_ADVERSE_EVENT_CATEGORIES).map(aeText),
  ];
  return {
    sedation: observed(sedation),
    dissociation: observed(dissociation),
    respiratoryDepression: observed(respiratory),
    seriousAdverseEventReported: r.adverseEvents.some((a) => a.serious),
  };
}

export type RemsBuildResult =
  { ok: true; form: RemsPatientMonitoringForm; warnings: string[] } | { ok: false; missing: string[] };

/** REMS: monitor at least 2 h (label; REMS) [V]. */
export const REMS_MIN_MONITORING_MIN = 120;
/** REMS: BP ~40 min post-administration (form field) [V]. */
export const REMS_POST_DOSE_BP_MIN = 40;
/** REMS: submit the Patient Monitoring Form within 7 days of each outpatient treatment [V]. */
export const REMS_SUBMIT_WITHIN_DAYS = 7;

/** Build the Patient Monitoring Form from session data; lists what is missing instead of guessing. */
export function buildRemsMonitoringForm(input: RemsSessionData): RemsBuildResult {
  const parsed = remsSessionDataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'session', issue.message);
  }
  const s = parsed.data;
  const missing: string[] = [];
  const readings = [...s.bpReadings].sort((a, b) => a.timeMin - b.timeMin);
  const before = readings.filter((r) => r.timeMin <= 0).at(-1);
  const tol = s.postDoseBpToleranceMin;
  const near40 = readings
    .filter((r) => Math.abs(r.timeMin - REMS_POST_DOSE_BP_MIN) <= tol)
    .sort(
      (a, b) => Math.abs(a.timeMin - REMS_POST_DOSE_BP_MIN) - Math.abs(b.timeMin - REMS_POST_DOSE_BP_MIN),
    )[0];
  const completion = readings
    .filter((r) => r.timeMin > REMS_POST_DOSE_BP_MIN + tol && r.timeMin <= s.monitoringEndMin)
    .at(-1);
  if (!before) missing.push('bloodPressure.beforeAdministration');
  if (!near40) missing.push('bloodPressure.at40MinPostAdministration');
  if (!completion) missing.push('bloodPressure.beforeTreatmentCompletion');
  if (!before || !near40 || !completion) return { ok: false, missing };

  const warnings: string[] = [];
  if (s.monitoringEndMin < REMS_MIN_MONITORING_MIN) {
    warnings.push(
      `total duration ${s.monitoringEndMin} min is below the REMS minimum of ${REMS_MIN_MONITORING_MIN} min (${SOURCES.spravatoRems})`,
    );
  }
  const bp = (r: { sbpMmHg: number; dbpMmHg: number }) => ({ sbpMmHg: r.sbpMmHg, dbpMmHg: r.dbpMmHg });
  const dose = s.doseMg === 56 ? '56 mg' : s.doseMg === 84 ? '84 mg' : 'other';
  const form: RemsPatientMonitoringForm = {
    patient: s.patient,
    concomitantMedications: remsConcomitantMedications(s.medications),
    monitoringHcp: s.monitoringHcp,
    setting: s.setting,
    treatment: {
      date: s.sessionDate,
      dose,
      ...(dose === 'other' ? { otherDoseMg: s.doseMg } : {}),
      lotNumber: s.lotNumber,
      totalDurationMin: s.monitoringEndMin,
    },
    readyToLeaveMinFromStart: s.readyToLeaveMinFromStart,
    vitalSignsAcceptable: {
      beforeAdministration: s.vitalSignsAcceptableBeforeAdministration,
      beforeTreatmentCompletion: s.vitalSignsAcceptableBeforeCompletion,
    },
    bloodPressure: {
      beforeAdministration: bp(before),
      at40MinPostAdministration: bp(near40),
      beforeTreatmentCompletion: bp(completion),
    },
    sedation: s.sedation,
    dissociation: s.dissociation,
    respiratoryDepression: s.respiratoryDepression,
    pulseOximetryMonitored: s.pulseOximetryMonitored,
    seriousAdverseEventReported: s.seriousAdverseEventReported,
  };
  return { ok: true, form: remsPatientMonitoringFormSchema.parse(form), warnings };
}

export interface RemsFormStatus {
  sessionId: string;
  sessionDate: string;
  /** Local date the form was marked submitted, if it was. */
  submittedOn?: string;
}

export interface OverdueRemsForm {
  sessionId: string;
  sessionDate: string;
  dueDate: string;
  daysOverdue: number;
}

/**
 * Forms not marked submitted within 7 days of the session, as of `today` (a local date). The
 * session day is day 0 and day 7 is still in time. Sorted most overdue first.
 */
/**
 * A form is overdue once its due date (session date + REMS_SUBMIT_WITHIN_DAYS) has passed, so only
 * sessions dated before this day can be overdue on `today`.
 */
export function remsOverdueIfDatedBefore(today: string): string {
  return addDays(today, -REMS_SUBMIT_WITHIN_DAYS);
}

/** A REMS form not yet marked submitted: when it is due and how many days are left (negative: late). */
export interface RemsFormDue {
  sessionId: string;
  sessionDate: string;
  dueDate: string;
  daysLeft: number;
}

/**
 * Every form not marked submitted, as of `today`, with its due date (session date +
 * REMS_SUBMIT_WITHIN_DAYS, still in time on that day): the start page's "REMS forms due", earliest
 * due first. `overdueRemsForms` is the late part of the same list.
 */
export function remsFormsDue(forms: readonly RemsFormStatus[], today: string): RemsFormDue[] {
  dayNumber(today, 'today');
  return forms
    .filter((f) => f.submittedOn === undefined)
    .map((f, i) => {
      if (!localDateSchema.safeParse(f.sessionDate).success) {
        throw new ClinicalInputError(
          `forms.${i}.sessionDate`,
          `must be a real date YYYY-MM-DD, got "${f.sessionDate}"`,
        );
      }
      const dueDate = addDays(f.sessionDate, REMS_SUBMIT_WITHIN_DAYS);
      return {
        sessionId: f.sessionId,
        sessionDate: f.sessionDate,
        dueDate,
        daysLeft: daysBetween(today, dueDate),
      };
    })
    .sort((a, b) => a.daysLeft - b.daysLeft || a.sessionId.localeCompare(b.sessionId));
}

export function overdueRemsForms(forms: readonly RemsFormStatus[], today: string): OverdueRemsForm[] {
  dayNumber(today, 'today');
  const out: OverdueRemsForm[] = [];
  forms.forEach((f, i) => {
    if (!localDateSchema.safeParse(f.sessionDate).success) {
      throw new ClinicalInputError(
        `forms.${i}.sessionDate`,
        `must be a real date YYYY-MM-DD, got "${f.sessionDate}"`,
      );
    }
    const dueDate = addDays(f.sessionDate, REMS_SUBMIT_WITHIN_DAYS);
    if (f.submittedOn !== undefined) return;
    const late = daysBetween(dueDate, today);
    if (late > 0)
      out.push({ sessionId: f.sessionId, sessionDate: f.sessionDate, dueDate, daysOverdue: late });
  });
  return out.sort((a, b) => b.daysOverdue - a.daysOverdue || a.sessionId.localeCompare(b.sessionId));
}
