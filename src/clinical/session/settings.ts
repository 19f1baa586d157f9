/**
 * The clinic's scheduling and session settings: which values a clinic may set, and the defaults a
 * clinic without settings (or an older settings row lacking a later field) gets. Clinical payloads
 * reuse the protocol schemas so every writer refuses bad settings the same way.
 */
import { DEFAULT_NOTE_SETTINGS, noteSettingsSchema } from '../notes/rules';
import { z } from 'zod';
import {
  IV_MIN_OBSERVATION_DEFAULT,
  PAUSED_RECHECK_DEFAULT,
  openingIntervalSchema,
  storedVitalsThresholdsSchema,
  checklistRulesSchema,
  DEFAULT_CHECKLIST_RULES,
  DEFAULT_SCREENING_VALID_DAYS,
  sourcedNumberSchema,
} from '../protocols';
import { localDateSchema } from '../calendar';
import { DEFAULT_CRISIS_RESOURCES } from '../instruments';
import { MIN_DAYS_BETWEEN_DOSES_DEFAULT, SCHEDULED_DAY_WINDOW_DEFAULT } from './dosing-day';

export const closureSchema = z.object({
  date: localDateSchema,
  name: z.string().trim().min(1, 'name the closure (e.g. the holiday)').max(100),
});
export const closuresSchema = z
  .array(closureSchema)
  .max(500)
  .refine((c) => new Set(c.map((x) => x.date)).size === c.length, 'each date may be closed only once');

/**
 * Operational, not clinical: how many minutes a session may start away from its booked time before
 * the session screen warns (docs/clinical-sources/protocols.md, "Scheduling": clinic policy).
 */
export const START_DRIFT_WARN_MIN_DEFAULT = 60;

const DEFAULT_DOSING_DAYS = {
  scheduledDayWindowDays: SCHEDULED_DAY_WINDOW_DEFAULT.value,
  minDaysBetweenDoses: {
    'iv-ketamine': MIN_DAYS_BETWEEN_DOSES_DEFAULT['iv-ketamine'].value,
    esketamine: MIN_DAYS_BETWEEN_DOSES_DEFAULT.esketamine.value,
  },
};

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
  /** Unnamed closed dates (the older form); named closures below are what the clinic page edits. */
  closedDates: z.array(localDateSchema).default([]),
  /**
   * Days the clinic is closed (holidays, training days), each with its name. The course scheduler
   * and rescheduling skip them. Added later: older settings rows get none.
   */
  closures: closuresSchema.default([]),
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
  /**
   * When a session may be dosed (clinical/session/dosing-day.ts): days either side of its
   * scheduled date without a recorded reason, and the minimum whole days between two doses of a
   * modality for a patient. Added later: older settings rows get the defaults.
   */
  dosingDays: z
    .object({
      scheduledDayWindowDays: z.int().min(0).max(14),
      minDaysBetweenDoses: z.object({
        'iv-ketamine': z.int().min(0).max(60),
        esketamine: z.int().min(0).max(60),
      }),
    })
    .default(DEFAULT_DOSING_DAYS),
  /** Scheduling policy (operational settings, not clinical figures). Added later: defaults apply. */
  scheduling: z
    .object({ startDriftWarnMin: z.int().min(5).max(720) })
    .default({ startDriftWarnMin: START_DRIFT_WARN_MIN_DEFAULT }),
  /**
   * Session orders (clinical/session/orders.ts): whether a second person must verify the drawn-up
   * dose before dosing starts. Off by default: a clinic policy, not a sourced clinical figure
   * (docs/clinical-sources/orders.md). Added later: older settings rows get the default.
   */
  orders: z.object({ secondPersonVerification: z.boolean() }).default({ secondPersonVerification: false }),
  /**
   * Clinical notes (clinical/notes/rules.ts): whose signed notes need a co-signature. Clinic
   * policy, default nurses. Added later: older settings rows get the default.
   */
  notes: noteSettingsSchema.default(DEFAULT_NOTE_SETTINGS),
});
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

/** Every date the clinic is closed: the named closures and the older unnamed dates. */
export function clinicClosures(settings: Pick<SessionSettings, 'closedDates' | 'closures'>) {
  const named = new Set(settings.closures.map((c) => c.date));
  return [
    ...settings.closures,
    ...settings.closedDates.filter((d) => !named.has(d)).map((date) => ({ date, name: 'Closed' })),
  ].sort((a, b) => a.date.localeCompare(b.date));
}

const weekday = [{ openMin: 8 * 60, closeMin: 17 * 60 }];
export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  clinicHours: [[], weekday, weekday, weekday, weekday, weekday, []],
  rooms: ['Room 1', 'Room 2'],
  closedDates: [],
  closures: [],
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
  dosingDays: DEFAULT_DOSING_DAYS,
  scheduling: { startDriftWarnMin: START_DRIFT_WARN_MIN_DEFAULT },
  orders: { secondPersonVerification: false },
  notes: DEFAULT_NOTE_SETTINGS,
};
