/**
 * Zod inputs for courses and sessions, shared by the HTTP API (and a future CLI).
 * Clinical payloads reuse the pure core's schemas so every writer refuses bad input the same way.
 */
import { z } from 'zod';
import {
  adverseEventCategorySchema,
  adverseEventEscalationSchema,
  courseTemplateSchema,
  infusionActionSchema,
  IV_MIN_OBSERVATION_DEFAULT,
  PAUSED_RECHECK_DEFAULT,
  intakeAnswersSchema,
  openingIntervalSchema,
  storedVitalsThresholdsSchema,
  checklistRulesSchema,
  DEFAULT_CHECKLIST_RULES,
  DEFAULT_SCREENING_VALID_DAYS,
  sourcedNumberSchema,
} from '../clinical/protocols';
import { localDateSchema } from '../clinical/calendar';
import { DEFAULT_CRISIS_RESOURCES } from '../clinical/instruments';
import { PLAUSIBLE } from '../clinical/plausibility';
import { plausible } from './inputs';

/**
 * Clinic scheduling and session settings. Every default is a clinic scheduling choice, not a
 * clinical figure, except where the pure core supplies the sourced value (thresholds, cadence).
 */
export const sessionSettingsSchema = z.object({
  /** Index 0 = Sunday … 6 = Saturday; minutes from local midnight. Default Mon–Fri 08:00–17:00. */
  clinicHours: z.array(z.array(openingIntervalSchema)).length(7),
  rooms: z
    .array(z.string().trim().min(1).max(60))
    .min(1)
    .max(50)
    .refine((r) => new Set(r).size === r.length, 'room names must be unique'),
  closedDates: z.array(localDateSchema).default([]),
  /** Chair time booked per session (clinic setting): IV 40-min infusion + observation; esketamine >= 2 h. */
  sessionDurationMin: z.object({
    'iv-ketamine': z.number().int().min(30).max(600),
    esketamine: z.number().int().min(120).max(600),
  }),
  slotStepMin: z.number().int().min(5).max(120),
  /** Ketamine vial strength and diluent bag for the pump program (clinic pharmacy). */
  vialMgPerMl: z.number().positive().max(500),
  bagMl: z.number().min(0).max(1000),
  /** The clinic's maximum IV dose (titration suggestions stay within it). */
  clinicMaxDoseMgPerKg: z.number().positive().max(2),
  /** PK model for the live concentration curve. */
  pkModelIv: z.string().min(1),
  pkModelEsketamine: z.string().min(1),
  /**
   * Clinic-set thresholds overriding the core defaults (null = use the defaults with their status;
   * an alarm a stored row lacks takes its default: resolveVitalsThresholds).
   */
  thresholds: z.object({
    'iv-ketamine': storedVitalsThresholdsSchema.nullable(),
    esketamine: storedVitalsThresholdsSchema.nullable(),
  }),
  /** REMS Patient Monitoring Form: the treatment setting and the monitoring health-care provider. */
  remsSetting: z.object({ name: z.string(), address: z.string() }),
  remsMonitoringHcp: z.object({ name: z.string(), phone: z.string(), email: z.string() }),
  /**
   * Dose planning defaults: which body weight a mg/kg dose uses (default actual weight,
   * src/clinical/body.ts) and the pump's rate resolution. Added later: older settings rows get these.
   */
  dosing: z
    .object({
      weightBasis: z.enum(['actual', 'ideal', 'adjusted']),
      pumpResolutionMlPerH: z.number().positive().max(10),
    })
    .default({ weightBasis: 'actual', pumpResolutionMlPerH: 0.1 }),
  /**
   * Outcome definitions: per-instrument remission thresholds overriding the core's cited
   * defaults (clinical/instruments/outcomes.ts), e.g. MADRS <= 12 instead of <= 10. Empty = defaults.
   */
  outcomes: z
    .object({
      remissionThresholds: z
        .partialRecord(
          z.enum(['phq9', 'qids-sr16', 'madrs', 'gad7']),
          z.object({ comparator: z.enum(['<', '<=']), value: z.number().int().min(0).max(60) }),
        )
        .default({}),
    })
    .default({ remissionThresholds: {} }),
  /**
   * What a patient who reports suicidal thoughts on the portal sees at once: the clinic's phone and
   * a crisis line (core defaults: the US 988 Lifeline and 911; clinical/instruments/suicidality.ts).
   * Added later: older settings rows get the defaults.
   */
  crisisResources: z
    .object({
      clinicPhone: z.string().trim().max(40),
      crisisLineName: z.string().trim().min(1, 'name the crisis line').max(100),
      crisisLinePhone: z.string().trim().min(1, 'enter the number to call').max(40),
      crisisLineText: z.string().trim().max(40),
      crisisLineUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(200)]),
      emergencyNumber: z.string().trim().min(1, 'enter the emergency number').max(20),
    })
    .default(DEFAULT_CRISIS_RESOURCES),
  /**
   * Observation and rechecks: minutes of observation after IV dosing ends before discharge, and
   * the vitals recheck interval while an infusion is paused. Defaults are the core's cited values.
   */
  monitoring: z
    .object({
      ivMinObservationAfterDosingMin: z.number().int().min(0).max(480),
      pausedRecheckEveryMin: z.number().int().min(1).max(60),
    })
    .default({
      ivMinObservationAfterDosingMin: IV_MIN_OBSERVATION_DEFAULT.value,
      pausedRecheckEveryMin: PAUSED_RECHECK_DEFAULT.value,
    }),
  /**
   * Eligibility (clinical/protocols/eligibility.ts): how many days a screening stays current for
   * scheduling a course and checking a patient in. Added later: older settings rows get the default.
   */
  screening: z
    .object({
      validDays: sourcedNumberSchema.refine(
        (n) => Number.isInteger(n.value) && n.value >= 0 && n.value <= 730,
        { message: 'must be a whole number of days from 0 to 730', path: ['value'] },
      ),
    })
    .default({ validDays: DEFAULT_SCREENING_VALID_DAYS }),
  /** Pre-session checklist rules: PHQ-9 / C-SSRS windows and who needs a pregnancy test. */
  checklist: checklistRulesSchema.default(DEFAULT_CHECKLIST_RULES),
});
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

const weekday = [{ openMin: 8 * 60, closeMin: 17 * 60 }];
export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  clinicHours: [[], weekday, weekday, weekday, weekday, weekday, []],
  rooms: ['Room 1', 'Room 2'],
  closedDates: [],
  sessionDurationMin: { 'iv-ketamine': 120, esketamine: 150 },
  slotStepMin: 30,
  vialMgPerMl: 50,
  bagMl: 100,
  clinicMaxDoseMgPerKg: 1,
  pkModelIv: 'domino-1984',
  pkModelEsketamine: 'perez-ruixo-2021',
  thresholds: { 'iv-ketamine': null, esketamine: null },
  remsSetting: { name: '', address: '' },
  remsMonitoringHcp: { name: '', phone: '', email: '' },
  dosing: { weightBasis: 'actual', pumpResolutionMlPerH: 0.1 },
  outcomes: { remissionThresholds: {} },
  crisisResources: DEFAULT_CRISIS_RESOURCES,
  monitoring: {
    ivMinObservationAfterDosingMin: IV_MIN_OBSERVATION_DEFAULT.value,
    pausedRecheckEveryMin: PAUSED_RECHECK_DEFAULT.value,
  },
  screening: { validDays: DEFAULT_SCREENING_VALID_DAYS },
  checklist: DEFAULT_CHECKLIST_RULES,
};

export const screeningCreateSchema = z.object({ answers: intakeAnswersSchema });
export const signOffCreateSchema = z.object({
  decision: z.enum(['approve', 'decline']),
  note: z.string().trim().max(2000).optional(),
});

export const clinicTemplateCreateSchema = z.object({ template: courseTemplateSchema });

export const courseCreateSchema = z.object({
  templateId: z.string().min(1).max(200),
  startDate: localDateSchema,
  /** true: return the schedule and conflicts without saving. */
  preview: z.boolean().default(false),
});

// ------------------------------------------------------------------------------------------------
// Session entries

const timeMin = z
  .number()
  .min(-240)
  .max(24 * 60);

export const checkInSchema = z.object({ note: z.string().trim().max(500).optional() });

export const checklistSubmitSchema = z.object({
  identityConfirmed: z.boolean(),
  /** Today's weight; recorded as a body measurement (append-only). */
  weightKg: plausible(PLAUSIBLE.weightKg).optional(),
  baselineSbpMmHg: z.number().int().min(40).max(300).optional(),
  baselineDbpMmHg: z.number().int().min(20).max(200).optional(),
  baselineHeartRateBpm: z.number().int().min(20).max(250).optional(),
  baselineSpo2Pct: z.number().min(50).max(100).optional(),
  lastFoodMinBeforeDose: z.number().min(0).max(100_000).optional(),
  lastLiquidMinBeforeDose: z.number().min(0).max(100_000).optional(),
  escortArranged: z.boolean(),
  pregnancyTest: z.enum(['negative', 'positive', 'not-done', 'not-applicable']),
  interactionReviewDone: z.boolean(),
  // PHQ-9 and C-SSRS are not ticked here: they count only when the response is in the assessments
  // store within the clinic's window.
  remsPatientEnrolled: z.boolean().optional(),
});
export type ChecklistSubmit = z.infer<typeof checklistSubmitSchema>;

export const dosePlanSubmitSchema = z.object({
  /** Esketamine: the prescriber's dose for this session (28-mg devices). Ignored for IV. */
  doseMg: z.number().positive().max(112).optional(),
  /** IV: override the course's mg/kg (within the clinic maximum), e.g. after a titration decision. */
  doseMgPerKg: z.number().positive().max(2).optional(),
  lotNumber: z.string().trim().max(100).optional(),
});

export const dosingStartSchema = z.object({ note: z.string().trim().max(500).optional() });

export const vitalsEntrySchema = z
  .object({
    /** Minutes after dosing start; omitted = now (server clock). */
    timeMin: timeMin.optional(),
    sbpMmHg: z.number().int().min(40).max(300).optional(),
    dbpMmHg: z.number().int().min(20).max(200).optional(),
    heartRateBpm: z.number().int().min(20).max(250).optional(),
    spo2Pct: z.number().min(50).max(100).optional(),
    /** Breaths per minute, when counted. */
    respiratoryRatePerMin: z.number().int().min(0).max(80).optional(),
  })
  .refine(
    (v) =>
      [v.sbpMmHg, v.dbpMmHg, v.heartRateBpm, v.spo2Pct, v.respiratoryRatePerMin].some((x) => x !== undefined),
    {
      message: 'enter at least one vital sign',
      path: ['sbpMmHg'],
    },
  )
  .refine((v) => (v.sbpMmHg === undefined) === (v.dbpMmHg === undefined), {
    message: 'enter systolic and diastolic together',
    path: ['dbpMmHg'],
  });

/** One decision covers every alert of one reading; `alertId` (optional) names the alert shown. */
export const alertDecisionSubmitSchema = z.object({
  vitalsEventId: z.uuid(),
  alertId: z.string().min(1).max(60).optional(),
  decision: z.enum(['continue', 'pause', 'stop']),
  note: z.string().trim().max(1000).optional(),
});

/** Pause, resume or stop dosing (minutes after dosing start; default now). */
export const dosingActionSubmitSchema = z.object({
  action: infusionActionSchema,
  atMin: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional(),
  note: z.string().trim().max(1000).optional(),
});

export const observationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cadss6'),
    timeMin: timeMin.optional(),
    /** CADSS-6 item answers (0–4 each), scored by the instruments core. */
    answers: z.record(z.string(), z.number()),
  }),
  z.object({
    kind: z.literal('moaas'),
    timeMin: timeMin.optional(),
    /** Modified Observer's Assessment of Alertness/Sedation: 0 (no response) … 5 (alert). */
    score: z.number().int().min(0).max(5),
  }),
]);

/** An adverse event; validated again by the core's adverseEventSchema once timeMin is known. */
export const adverseEventSubmitSchema = z.object({
  category: adverseEventCategorySchema,
  description: z.string().trim().max(1000).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']),
  actionTaken: z.enum(['none', 'observed', 'paused', 'stopped', 'medication-given', 'escalated-emergency']),
  timeMin: timeMin.optional(),
  /** When the event began (minutes after dosing start); not after `timeMin`. */
  onsetMin: timeMin.optional(),
  serious: z.boolean().default(false),
  /** Escalation beyond the treating team (absent = not recorded). */
  escalation: adverseEventEscalationSchema.optional(),
});

export const dischargeSubmitSchema = z.object({
  /** Minutes after dosing start; omitted = now (server clock). */
  dischargeAtMin: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional(),
  sedationResolved: z.boolean(),
  dissociationResolved: z.boolean(),
  respiratoryDepressionResolved: z.boolean(),
  mentalStatusAtBaseline: z.boolean(),
  clinicallyStable: z.boolean(),
  escortPresent: z.boolean(),
  /** REMS: when would the patient have been ready to leave without the 2-h rule (minutes). */
  readyToLeaveMinFromStart: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  note: z.string().trim().max(1000).optional(),
});
export type DischargeSubmit = z.infer<typeof dischargeSubmitSchema>;

export const remsSubmittedSchema = z.object({ submittedOn: localDateSchema });
