import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { frozenMemo } from '../frozen';
import type { Citation, EvidenceStatus, SourcedNumber } from './evidence';
import { daysBetween, localDateSchema } from '../calendar';
import { modalitySchema, SOURCES, sourcedNumberSchema, type Modality } from './evidence';
import { IV_MIN_OBSERVATION_DEFAULT } from './infusion';
import type { VitalsThresholds } from './vitals';
import { evaluateVitals, vitalsReadingSchema, vitalsThresholdsSchema } from './vitals';

/** Pre-session checklist, adverse-event categories and discharge rules. */

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join('.');
    throw new ClinicalInputError(path ? `${field}.${path}` : field, issue.message);
  }
  return r.data;
}

/** Settings validated before, by identity and schema: frozen settings are validated once. */
const parsedSettings = frozenMemo<unknown>();

const parseSettings = <T>(schema: z.ZodType<T>, input: unknown): T =>
  parsedSettings(input, schema, () => parseOrThrow(schema, input, 'settings')) as T;

// ---------------------------------------------------------------------------------------------
// Pre-session checklist

export const preSessionInputSchema = z.object({
  modality: modalitySchema,
  sessionDate: localDateSchema,
  identityConfirmed: z.boolean(),
  weight: z.object({ weightKg: z.number().positive().max(500), measuredOn: localDateSchema }).optional(),
  baselineVitals: vitalsReadingSchema.optional(),
  /** Minutes from the last solid food to the planned dosing time (undefined = not asked). */
  lastFoodMinBeforeDose: z.number().min(0).optional(),
  lastLiquidMinBeforeDose: z.number().min(0).optional(),
  escortArranged: z.boolean(),
  pregnancyTest: z.enum(['negative', 'positive', 'not-done', 'not-applicable']),
  /** Who the patient is, for the clinic's pregnancy-test rule. */
  patient: z.object({
    sexAtBirth: z.enum(['female', 'male', 'intersex', 'unknown']),
    ageYears: z.number().int().min(0).max(130),
  }),
  interactionReviewDone: z.boolean(),
  /** Clinic-local date of the latest recorded PHQ-9 on or before the session date (null = none). */
  phq9AdministeredOn: localDateSchema.nullable(),
  /** Clinic-local date of the latest recorded C-SSRS screener on or before the session date. */
  cssrsAdministeredOn: localDateSchema.nullable(),
  /** Esketamine: patient enrolled in the SPRAVATO REMS. Ignored for IV. */
  remsPatientEnrolled: z.boolean().optional(),
});
export type PreSessionInput = z.infer<typeof preSessionInputSchema>;

/**
 * The clinic's own checklist rules. No source gives these values: the defaults are the
 * conservative choice and each is marked as a clinic setting.
 */
export const checklistRulesSchema = z.object({
  /** A PHQ-9 counts when recorded this many days before the session date or later (0 = same day). */
  phq9WithinDays: sourcedNumberSchema,
  /** Same for the C-SSRS screener. */
  cssrsWithinDays: sourcedNumberSchema,
  /** Who must have a pregnancy test result before dosing. */
  pregnancyTestRequiredFor: z.enum(['none', 'female', 'not-male', 'all']),
  /** Optional age limits (inclusive) on the rule above; null = any age. */
  pregnancyTestAgeYears: z
    .object({ from: z.number().int().min(0).max(130), to: z.number().int().min(0).max(130) })
    .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
    .nullable(),
});
export type ChecklistRules = z.infer<typeof checklistRulesSchema>;

const sameDay = (what: string): SourcedNumber => ({
  value: 0,
  status: 'clinic',
  source: 'Clinic setting',
  note: `No source gives a window; conservative default: the ${what} must be recorded on the session day.`,
});
export const DEFAULT_CHECKLIST_RULES: ChecklistRules = {
  phq9WithinDays: sameDay('PHQ-9'),
  cssrsWithinDays: sameDay('C-SSRS screener'),
  // Conservative: everyone not recorded male at birth, at any age, until the clinic narrows it.
  pregnancyTestRequiredFor: 'not-male',
  pregnancyTestAgeYears: null,
};

/** Whether the clinic's rule requires a pregnancy test for this patient. */
export function pregnancyTestRequired(
  patient: { sexAtBirth: 'female' | 'male' | 'intersex' | 'unknown'; ageYears: number },
  rules: Pick<ChecklistRules, 'pregnancyTestRequiredFor' | 'pregnancyTestAgeYears'>,
): boolean {
  const bySex =
    rules.pregnancyTestRequiredFor === 'all' ||
    (rules.pregnancyTestRequiredFor === 'female' && patient.sexAtBirth === 'female') ||
    (rules.pregnancyTestRequiredFor === 'not-male' && patient.sexAtBirth !== 'male');
  const range = rules.pregnancyTestAgeYears;
  return bySex && (range === null || (patient.ageYears >= range.from && patient.ageYears <= range.to));
}

export const preSessionSettingsSchema = z.object({
  thresholds: vitalsThresholdsSchema,
  /** Esketamine label: no food for >= 2 h before dosing [V]. */
  esketamineFoodFastMin: sourcedNumberSchema,
  /** Esketamine label: no liquids for >= 30 min before dosing [V]. */
  esketamineLiquidFastMin: sourcedNumberSchema,
  /** IV fasting minimum: no value in the reference, so null until the clinic sets one. */
  ivFoodFastMin: sourcedNumberSchema.nullable(),
  ...checklistRulesSchema.shape,
});
export type PreSessionSettings = z.infer<typeof preSessionSettingsSchema>;

export function defaultPreSessionSettings(
  thresholds: VitalsThresholds,
  rules: ChecklistRules = DEFAULT_CHECKLIST_RULES,
): PreSessionSettings {
  // Made once for frozen thresholds and rules (a clinic's parsed settings), as every session asks.
  const make = (): PreSessionSettings => ({
    ...rules,
    thresholds,
    esketamineFoodFastMin: {
      value: 120,
      status: 'V',
      source: `${SOURCES.spravatoLabelDosing}: avoid food >= 2 h`,
    },
    esketamineLiquidFastMin: {
      value: 30,
      status: 'V',
      source: `${SOURCES.spravatoLabelDosing}: avoid liquids >= 30 min`,
    },
    ivFoodFastMin: null,
  });
  return Object.isFrozen(rules) ? checklistSettingsOf(thresholds, rules, make) : make();
}

const checklistSettingsOf = frozenMemo<PreSessionSettings>();

export type ChecklistItemState = 'pass' | 'fail' | 'caution' | 'not-applicable';

export interface ChecklistItemResult {
  id: string;
  label: string;
  state: ChecklistItemState;
  message: string;
  status: EvidenceStatus;
  citations: Citation[];
}

export interface ChecklistResult {
  /** ready: all pass; review: cautions only (prescriber decides); blocked: at least one fail. */
  overall: 'ready' | 'review' | 'blocked';
  items: ChecklistItemResult[];
}

const CLINIC: Citation = { source: 'Clinic workflow', status: 'clinic' };

export function evaluatePreSessionChecklist(input: unknown, settingsInput: unknown): ChecklistResult {
  const s = parseOrThrow(preSessionInputSchema, input, 'checklist');
  const cfg = parseSettings(preSessionSettingsSchema, settingsInput);
  const esk = s.modality === 'esketamine';
  const items: ChecklistItemResult[] = [];
  const add = (
    id: string,
    label: string,
    state: ChecklistItemState,
    message: string,
    status: EvidenceStatus,
    citations: Citation[],
  ) => items.push({ id, label, state, message, status, citations });

  add(
    'CHK-IDENTITY',
    'Identity confirmed',
    s.identityConfirmed ? 'pass' : 'fail',
    s.identityConfirmed ? 'Identity confirmed' : 'Confirm patient identity',
    'clinic',
    [CLINIC],
  );

  if (esk) {
    add('CHK-WEIGHT-TODAY', "Today's weight", 'not-applicable', 'Fixed intranasal dose', 'clinic', [CLINIC]);
  } else if (!s.weight) {
    add('CHK-WEIGHT-TODAY', "Today's weight", 'fail', 'Record today’s weight (weight-based dose)', 'V', [
      { source: SOURCES.fava2018, status: 'V', note: 'Dose is 0.5 mg/kg.' },
    ]);
  } else if (s.weight.measuredOn !== s.sessionDate) {
    add(
      'CHK-WEIGHT-TODAY',
      "Today's weight",
      'fail',
      `Weight was measured on ${s.weight.measuredOn}, not today (${s.sessionDate})`,
      'V',
      [{ source: SOURCES.fava2018, status: 'V', note: 'Dose is 0.5 mg/kg.' }],
    );
  } else {
    add('CHK-WEIGHT-TODAY', "Today's weight", 'pass', `${s.weight.weightKg} kg today`, 'V', [
      { source: SOURCES.fava2018, status: 'V' },
    ]);
  }

  const bpCitations: Citation[] = [
    esk
      ? { source: SOURCES.spravatoLabelBp, status: 'V', note: 'Assess BP before dosing.' }
      : {
          source: SOURCES.sanacora2017,
          status: 'U',
          note: 'Clinic-set hold thresholds; defaults unverified.',
        },
  ];
  if (!s.baselineVitals || s.baselineVitals.sbpMmHg === undefined || s.baselineVitals.dbpMmHg === undefined) {
    add(
      'CHK-BASELINE-VITALS',
      'Baseline vitals',
      'fail',
      'Record baseline BP before dosing',
      esk ? 'V' : 'U',
      bpCitations,
    );
  } else {
    if (s.baselineVitals.timeMin > 0) {
      throw new ClinicalInputError(
        'checklist.baselineVitals.timeMin',
        'a baseline reading must be at or before dosing (<= 0)',
      );
    }
    const alerts = evaluateVitals(s.baselineVitals, cfg.thresholds);
    const hold = alerts.filter((a) => a.severity === 'hold');
    const caution = alerts.filter((a) => a.severity !== 'hold');
    const worst = hold.length > 0 ? hold : caution;
    const statuses = worst.map((a) => a.threshold.status);
    add(
      'CHK-BASELINE-VITALS',
      'Baseline vitals',
      hold.length > 0 ? 'fail' : caution.length > 0 ? 'caution' : 'pass',
      worst.length > 0
        ? worst.map((a) => a.message).join('; ') +
            (hold.length > 0
              ? ' — hold threshold: do not start without a prescriber decision'
              : esk
                ? ' — weigh the short-term BP rise against benefit; consider delaying (label)'
                : ' — prescriber review')
        : `BP ${s.baselineVitals.sbpMmHg}/${s.baselineVitals.dbpMmHg} within thresholds`,
      statuses.includes('U') || (!esk && worst.length === 0) ? 'U' : 'V',
      bpCitations,
    );
  }

  // Fasting
  if (esk) {
    const food = cfg.esketamineFoodFastMin;
    const liquid = cfg.esketamineLiquidFastMin;
    const missing = s.lastFoodMinBeforeDose === undefined || s.lastLiquidMinBeforeDose === undefined;
    const ok =
      !missing && s.lastFoodMinBeforeDose! >= food.value && s.lastLiquidMinBeforeDose! >= liquid.value;
    add(
      'CHK-FASTING',
      'Fasting',
      ok ? 'pass' : missing ? 'fail' : 'caution',
      missing
        ? 'Ask when the patient last ate and drank'
        : ok
          ? 'Fasting instructions met'
          : `Label: no food for ${food.value} min and no liquids for ${liquid.value} min before dosing (last food ${s.lastFoodMinBeforeDose} min, last liquid ${s.lastLiquidMinBeforeDose} min)`,
      'V',
      [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
    );
  } else if (cfg.ivFoodFastMin === null) {
    add(
      'CHK-FASTING',
      'Fasting',
      'not-applicable',
      'No IV fasting rule set by the clinic (none in the reference)',
      'clinic',
      [CLINIC],
    );
  } else {
    const rule = cfg.ivFoodFastMin;
    const v = s.lastFoodMinBeforeDose;
    add(
      'CHK-FASTING',
      'Fasting',
      v === undefined ? 'fail' : v >= rule.value ? 'pass' : 'caution',
      v === undefined
        ? 'Ask when the patient last ate'
        : `Last food ${v} min before dosing (clinic rule ${rule.value} min)`,
      rule.status,
      [{ source: rule.source, status: rule.status }],
    );
  }

  add(
    'CHK-ESCORT',
    'Escort / transport home arranged',
    s.escortArranged ? 'pass' : 'fail',
    s.escortArranged
      ? 'Transport arranged'
      : 'Arrange an escort or transport home; no driving until the next day',
    esk ? 'V' : 'U',
    esk
      ? [
          {
            source: SOURCES.spravatoLabelDosing,
            status: 'V',
            note: 'No driving until the next day; arrange transport.',
          },
        ]
      : [
          {
            source: SOURCES.sanacora2017,
            status: 'U',
            note: 'Responsible adult escort; full text not verified.',
          },
        ],
  );

  const pregnancyCitations: Citation[] = [
    {
      source: SOURCES.spravatoLabelWarnings,
      status: 'V',
      note: 'Embryo-fetal toxicity; not recommended in pregnancy.',
    },
    { source: 'Testing policy', status: 'clinic', note: 'Who is tested is a clinic policy.' },
  ];
  const pt = s.pregnancyTest;
  const testRequired = pregnancyTestRequired(s.patient, cfg);
  const ruleText = `the clinic's rule requires a test for this patient (${cfg.pregnancyTestRequiredFor}${
    cfg.pregnancyTestAgeYears
      ? `, ages ${cfg.pregnancyTestAgeYears.from}-${cfg.pregnancyTestAgeYears.to}`
      : ''
  })`;
  add(
    'CHK-PREGNANCY-TEST',
    'Pregnancy test (where applicable)',
    pt === 'negative' ? 'pass' : pt === 'positive' || testRequired ? 'fail' : 'not-applicable',
    pt === 'positive'
      ? 'Positive pregnancy test: do not proceed without prescriber review'
      : pt === 'negative'
        ? 'Negative'
        : testRequired
          ? `Pregnancy test ${pt === 'not-done' ? 'not done' : 'marked not applicable'}: ${ruleText}`
          : "Not required by the clinic's rule",
    'V',
    pregnancyCitations,
  );

  add(
    'CHK-INTERACTIONS',
    'Interaction review',
    s.interactionReviewDone ? 'pass' : 'fail',
    s.interactionReviewDone
      ? 'Medication interactions reviewed'
      : 'Review the medication list and interaction flags',
    'V',
    [{ source: SOURCES.spravatoLabelInteractions, status: 'V' }],
  );
  // Done only when the response is on record within the clinic's window before the session.
  const inWindow = (field: string, on: string | null, windowDays: SourcedNumber) => {
    if (on === null) return { ok: false, text: 'no response on record' };
    const age = daysBetween(on, s.sessionDate);
    if (age < 0) throw new ClinicalInputError(`checklist.${field}`, 'must be on or before the session date');
    return age <= windowDays.value
      ? { ok: true, text: `recorded ${on}` }
      : {
          ok: false,
          text: `latest response ${on} is ${age} day(s) old; the clinic window is ${windowDays.value === 0 ? 'the session day' : `${windowDays.value} day(s)`}`,
        };
  };
  const phq9 = inWindow('phq9AdministeredOn', s.phq9AdministeredOn, cfg.phq9WithinDays);
  add(
    'CHK-PHQ9',
    'Pre-session PHQ-9',
    phq9.ok ? 'pass' : 'fail',
    phq9.ok ? `Done (${phq9.text})` : `PHQ-9 not done: ${phq9.text}`,
    cfg.phq9WithinDays.status,
    [cite(cfg.phq9WithinDays)],
  );
  const cssrs = inWindow('cssrsAdministeredOn', s.cssrsAdministeredOn, cfg.cssrsWithinDays);
  add(
    'CHK-CSSRS',
    'Pre-session C-SSRS',
    cssrs.ok ? 'pass' : 'fail',
    cssrs.ok ? `Done (${cssrs.text})` : `C-SSRS not done: ${cssrs.text}`,
    cfg.cssrsWithinDays.status,
    [cite(cfg.cssrsWithinDays)],
  );
  if (esk) {
    const enrolled = s.remsPatientEnrolled === true;
    add(
      'CHK-REMS-ENROLLED',
      'SPRAVATO REMS patient enrolment',
      enrolled ? 'pass' : 'fail',
      enrolled ? 'Enrolled' : 'Patient must be enrolled in the REMS before the first outpatient treatment',
      'V',
      [{ source: SOURCES.spravatoRems, status: 'V' }],
    );
  }

  const overall = items.some((i) => i.state === 'fail')
    ? 'blocked'
    : items.some((i) => i.state === 'caution')
      ? 'review'
      : 'ready';
  return { overall, items };
}

// ---------------------------------------------------------------------------------------------
// Adverse events

export {
  adverseEventCategorySchema,
  adverseEventEscalationSchema,
  RESPIRATORY_ADVERSE_EVENT_CATEGORIES,
  type AdverseEventCategory,
} from '../vocabulary/adverse-events';
import {
  ADVERSE_EVENT_ACTIONS,
  ADVERSE_EVENT_SEVERITIES,
  adverseEventCategorySchema,
  adverseEventEscalationSchema,
  RESPIRATORY_ADVERSE_EVENT_CATEGORIES,
} from '../vocabulary/adverse-events';

export const adverseEventSchema = z
  .object({
    category: adverseEventCategorySchema,
    /** Required when category is 'other'. */
    description: z.string().trim().optional(),
    severity: z.enum(ADVERSE_EVENT_SEVERITIES),
    actionTaken: z.enum(ADVERSE_EVENT_ACTIONS),
    /** When it was recorded (minutes after dosing start). */
    timeMin: z.number(),
    /** When it began (minutes after dosing start); not after it was recorded. Absent in older records. */
    onsetMin: z.number().optional(),
    /** Serious adverse event (REMS asks for SAE reporting). */
    serious: z.boolean().default(false),
    escalation: adverseEventEscalationSchema.optional(),
  })
  .refine((e) => e.category !== 'other' || (e.description?.length ?? 0) > 0, {
    message: "description is required when category is 'other'",
    path: ['description'],
  })
  .refine((e) => e.onsetMin === undefined || e.onsetMin <= e.timeMin, {
    message: 'the onset cannot be after the time the event is recorded',
    path: ['onsetMin'],
  });
export type AdverseEvent = z.infer<typeof adverseEventSchema>;

export interface AdverseEventAlert {
  id: 'AE-NEEDS-DECISION';
  severity: 'hold';
  message: string;
  /** Why the event needs a decision: serious, severe and/or respiratory. */
  reasons: ('serious' | 'severe' | 'respiratory')[];
  requiresDecision: true;
}

/**
 * A serious or severe adverse event, or any respiratory one, needs a recorded pause/stop/continue
 * decision (clinic safety rule: the REMS exists to mitigate serious outcomes of sedation,
 * dissociation and respiratory depression). Null when the event needs none.
 */
export function adverseEventAlert(input: unknown): AdverseEventAlert | null {
  const e = parseOrThrow(adverseEventSchema, input, 'adverseEvent');
  const reasons: AdverseEventAlert['reasons'] = [];
  if (e.serious) reasons.push('serious');
  if (e.severity === 'severe') reasons.push('severe');
  if (RESPIRATORY_ADVERSE_EVENT_CATEGORIES.includes(e.category)) reasons.push('respiratory');
  if (reasons.length === 0) return null;
  const what = e.category === 'other' ? (e.description ?? 'other') : e.category.replaceAll('-', ' ');
  return {
    id: 'AE-NEEDS-DECISION',
    severity: 'hold',
    reasons,
    requiresDecision: true,
    message: `Adverse event (${reasons.join(', ')}): ${what}, ${e.severity}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Discharge

export const dischargeInputSchema = z.object({
  modality: modalitySchema,
  /**
   * End of dosing (minutes after dosing start): IV completion or stop, the last esketamine device
   * or its stop. Null while an infusion is running or paused.
   */
  dosingEndMin: z.number().min(0).nullable(),
  /** Proposed discharge time (minutes after dosing start = first device / infusion start). */
  dischargeAtMin: z.number(),
  bpReadings: z.array(
    z.object({
      timeMin: z.number(),
      sbpMmHg: z.number().int().min(40).max(300),
      dbpMmHg: z.number().int().min(20).max(200),
    }),
  ),
  /** Every vitals reading (HR and SpO2 before discharge are checked against the thresholds). */
  vitalsReadings: z.array(vitalsReadingSchema).default([]),
  /** MOAA/S scores (0-5); a reading at or before 0 min is the pre-dose score. */
  moaas: z.array(z.object({ timeMin: z.number(), score: z.number().int().min(0).max(5) })).default([]),
  /** CADSS-6 totals; a reading at or before 0 min is the pre-dose score. */
  cadss: z.array(z.object({ timeMin: z.number(), score: z.number().min(0) })).default([]),
  sedationResolved: z.boolean(),
  dissociationResolved: z.boolean(),
  respiratoryDepressionResolved: z.boolean(),
  mentalStatusAtBaseline: z.boolean(),
  /** The clinician's assessment that the patient is clinically stable and ready to leave. */
  clinicallyStable: z.boolean(),
  escortPresent: z.boolean(),
});
/** What a caller passes (the readiness lists default to empty, which refuses discharge). */
export type DischargeInput = z.input<typeof dischargeInputSchema>;
type ParsedDischarge = z.infer<typeof dischargeInputSchema>;

export const dischargeSettingsSchema = z.object({
  thresholds: vitalsThresholdsSchema,
  /** Esketamine: at least 120 min from the first device (label; REMS) [V]. */
  esketamineMinMonitoringMin: sourcedNumberSchema,
  /** Esketamine: BP about 40 min after dosing (label) [V]. */
  esketaminePostDoseBpAtMin: sourcedNumberSchema,
  /** How far from 40 min a reading may be and still count as "about 40 min" (clinic). */
  esketaminePostDoseBpToleranceMin: sourcedNumberSchema,
  /** A "before discharge" BP must be no older than this (clinic). */
  preDischargeBpWithinMin: sourcedNumberSchema,
  /** IV: minimum observation after the end of dosing (completion or stop); null = not enforced. */
  ivMinObservationAfterInfusionMin: sourcedNumberSchema.nullable(),
});
export type DischargeSettings = z.infer<typeof dischargeSettingsSchema>;

export function defaultDischargeSettings(thresholds: VitalsThresholds): DischargeSettings {
  // Made once for frozen thresholds (resolved from a clinic's parsed settings).
  return dischargeSettingsOf(thresholds, null, () => ({
    thresholds,
    esketamineMinMonitoringMin: {
      value: 120,
      status: 'V',
      source: `${SOURCES.spravatoLabelWarnings}; ${SOURCES.spravatoRems}: monitor >= 2 h`,
    },
    esketaminePostDoseBpAtMin: {
      value: 40,
      status: 'V',
      source: `${SOURCES.spravatoLabelBp}: ~40 min post-dose`,
    },
    esketaminePostDoseBpToleranceMin: {
      value: 10,
      status: 'clinic',
      source: 'Clinic setting',
      note: 'The label says "approximately 40 minutes"; the accepted window is a clinic choice.',
    },
    preDischargeBpWithinMin: {
      value: 15,
      status: 'clinic',
      source: 'Clinic setting',
      note: 'The REMS form records BP "before treatment completion"; how recent it must be is a clinic choice.',
    },
    ivMinObservationAfterInfusionMin: IV_MIN_OBSERVATION_DEFAULT,
  }));
}

const dischargeSettingsOf = frozenMemo<DischargeSettings>();

export interface DischargeCheck {
  id: string;
  met: boolean;
  message: string;
  status: EvidenceStatus;
  citations: Citation[];
}

export interface DischargeResult {
  allowed: boolean;
  /** A sentence for the UI: either confirmation or what is missing. */
  message: string;
  checks: DischargeCheck[];
  missing: DischargeCheck[];
  /** Earliest minute at which the time rule is met (esketamine: first device + 120). */
  earliestDischargeMin: number | null;
}

const cite = (n: SourcedNumber): Citation => ({
  source: n.source,
  status: n.status,
  ...(n.note ? { note: n.note } : {}),
});

type DischargeSettingsParsed = z.infer<typeof dischargeSettingsSchema>;

/** The time rule alone: esketamine's minimum monitoring; IV, the end of infusion plus observation. */
function earliestByTime(
  modality: Modality,
  dosingEndMin: number | null,
  cfg: DischargeSettingsParsed,
): number | null {
  if (modality === 'esketamine') return cfg.esketamineMinMonitoringMin.value;
  const obs = cfg.ivMinObservationAfterInfusionMin;
  return dosingEndMin !== null && obs ? dosingEndMin + obs.value : null;
}

/**
 * The earliest minute after dosing start at which the discharge time rule is met, as
 * evaluateDischarge reports it (it depends on nothing else): for showing before discharge.
 */
export function earliestDischargeMin(
  modality: Modality,
  dosingEndMin: number | null,
  settingsInput: unknown,
): number | null {
  return earliestByTime(modality, dosingEndMin, parseSettings(dischargeSettingsSchema, settingsInput));
}

/**
 * Decide whether discharge may be recorded at `dischargeAtMin`. Never partial: if any check fails,
 * `allowed` is false and `message` names every missing item.
 */
export function evaluateDischarge(input: unknown, settingsInput: unknown): DischargeResult {
  const d = parseOrThrow(dischargeInputSchema, input, 'discharge');
  const cfg = parseSettings(dischargeSettingsSchema, settingsInput);
  const checks: DischargeCheck[] = [];
  const check = (id: string, met: boolean, message: string, status: EvidenceStatus, citations: Citation[]) =>
    checks.push({ id, met, message, status, citations });
  const readings = [...d.bpReadings].sort((a, b) => a.timeMin - b.timeMin);
  const remsObjective: Citation = {
    source: SOURCES.spravatoRems,
    status: 'V',
    note: 'Monitor until resolution.',
  };
  const earliestDischargeMin = earliestByTime(d.modality, d.dosingEndMin, cfg);

  if (d.modality === 'esketamine') {
    const minMon = cfg.esketamineMinMonitoringMin;
    const elapsed = d.dischargeAtMin;
    check(
      'DIS-ESK-MIN-MONITORING',
      elapsed >= minMon.value,
      elapsed >= minMon.value
        ? `Monitored ${elapsed} min (>= ${minMon.value})`
        : `only ${elapsed} min since the first device; esketamine requires at least ${minMon.value} min of monitoring (${minMon.value - elapsed} min to go)`,
      minMon.status,
      [cite(minMon)],
    );
    const pre = readings.some((r) => r.timeMin <= 0);
    check(
      'DIS-ESK-BP-PRE-DOSE',
      pre,
      pre ? 'BP recorded before dosing' : 'no blood pressure recorded before dosing',
      'V',
      [{ source: SOURCES.spravatoLabelBp, status: 'V' }],
    );
    const at = cfg.esketaminePostDoseBpAtMin.value;
    const tol = cfg.esketaminePostDoseBpToleranceMin.value;
    const post40 = readings.filter((r) => Math.abs(r.timeMin - at) <= tol);
    check(
      'DIS-ESK-BP-40-MIN',
      post40.length > 0,
      post40.length > 0
        ? `BP recorded about ${at} min after dosing`
        : `no blood pressure recorded about ${at} min after dosing (between ${at - tol} and ${at + tol} min)`,
      'V',
      [cite(cfg.esketaminePostDoseBpAtMin), cite(cfg.esketaminePostDoseBpToleranceMin)],
    );
    const within = cfg.preDischargeBpWithinMin.value;
    const preDischarge = readings.filter(
      (r) => r.timeMin <= d.dischargeAtMin && r.timeMin >= d.dischargeAtMin - within && r.timeMin > at + tol,
    );
    const last = preDischarge[preDischarge.length - 1];
    check(
      'DIS-BP-BEFORE-DISCHARGE',
      last !== undefined,
      last
        ? `BP ${last.sbpMmHg}/${last.dbpMmHg} at ${last.timeMin} min`
        : `no blood pressure recorded before discharge (within ${within} min before it, after the ${at}-min reading)`,
      'V',
      [
        { source: SOURCES.spravatoRems, status: 'V', note: 'Form records BP before treatment completion.' },
        cite(cfg.preDischargeBpWithinMin),
      ],
    );
    if (last && post40.length > 0) {
      const ref = post40[post40.length - 1]!;
      const falling = last.sbpMmHg <= ref.sbpMmHg && last.dbpMmHg <= ref.dbpMmHg;
      check(
        'DIS-ESK-BP-NOT-RISING',
        falling,
        falling
          ? 'BP not rising since the ~40-min reading'
          : `BP ${last.sbpMmHg}/${last.dbpMmHg} is higher than at ${ref.timeMin} min (${ref.sbpMmHg}/${ref.dbpMmHg}): continue monitoring`,
        'V',
        [
          {
            source: SOURCES.spravatoLabelWarnings,
            status: 'V',
            note: 'Label: if BP is decreasing and the patient is stable, discharge at the end of monitoring; otherwise continue. "Not higher than the ~40-min (peak) reading" is this module’s operationalisation.',
          },
        ],
      );
    }
  } else {
    const obs = cfg.ivMinObservationAfterInfusionMin;
    const end = d.dosingEndMin;
    if (end === null || d.dischargeAtMin < end) {
      check(
        'DIS-IV-INFUSION-ENDED',
        false,
        'the infusion has not ended (complete it or record a stop)',
        'clinic',
        [CLINIC],
      );
    } else if (obs) {
      const since = Math.round((d.dischargeAtMin - end) * 10) / 10;
      check(
        'DIS-IV-MIN-OBSERVATION',
        since >= obs.value,
        since >= obs.value
          ? `Observed ${since} min after the infusion`
          : `only ${since} min since the infusion ended; the clinic requires ${obs.value} min (earliest discharge at ${earliestDischargeMin} min)`,
        obs.status,
        [cite(obs)],
      );
    }
    const within = cfg.preDischargeBpWithinMin.value;
    const recent = readings.filter(
      (r) => r.timeMin <= d.dischargeAtMin && r.timeMin >= d.dischargeAtMin - within,
    );
    const last = recent[recent.length - 1];
    check(
      'DIS-BP-BEFORE-DISCHARGE',
      last !== undefined,
      last
        ? `BP ${last.sbpMmHg}/${last.dbpMmHg} at ${last.timeMin} min`
        : `no blood pressure recorded within ${within} min before discharge`,
      'clinic',
      [cite(cfg.preDischargeBpWithinMin)],
    );
    check(
      'DIS-IV-MENTAL-STATUS',
      d.mentalStatusAtBaseline,
      d.mentalStatusAtBaseline ? 'Mental status at baseline' : 'mental status not back to baseline',
      'U',
      [
        { source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' },
        { source: 'Clinic protocols (e.g. zenpsychiatric.com)', status: 'S' },
      ],
    );
  }

  // Both modalities
  const lastReading = readings.filter((r) => r.timeMin <= d.dischargeAtMin).at(-1);
  if (lastReading) {
    const holds = evaluateVitals(
      {
        timeMin: Math.max(lastReading.timeMin, 1),
        sbpMmHg: lastReading.sbpMmHg,
        dbpMmHg: lastReading.dbpMmHg,
      },
      cfg.thresholds,
    ).filter((a) => a.severity === 'hold');
    check(
      'DIS-BP-BELOW-HOLD',
      holds.length === 0,
      holds.length === 0
        ? 'Last BP below hold thresholds'
        : `last BP above hold threshold: ${holds.map((h) => h.message).join('; ')}`,
      holds[0]?.threshold.status ?? cfg.thresholds.holdSbpAboveMmHg.status,
      [cite(cfg.thresholds.holdSbpAboveMmHg)],
    );
  }
  readinessChecks(d, cfg, check);
  const resolved = d.sedationResolved && d.dissociationResolved && d.respiratoryDepressionResolved;
  const unresolved = [
    d.sedationResolved ? null : 'sedation',
    d.dissociationResolved ? null : 'dissociation',
    d.respiratoryDepressionResolved ? null : 'respiratory depression',
  ].filter((x): x is string => x !== null);
  check(
    'DIS-EFFECTS-RESOLVED',
    resolved,
    resolved
      ? 'Sedation, dissociation and respiratory depression resolved'
      : `not resolved: ${unresolved.join(', ')}`,
    'V',
    [remsObjective],
  );
  check(
    'DIS-CLINICALLY-STABLE',
    d.clinicallyStable,
    d.clinicallyStable
      ? 'Clinician assessed as clinically stable'
      : 'clinician has not assessed the patient as clinically stable',
    'V',
    [
      {
        source: SOURCES.spravatoLabelWarnings,
        status: 'V',
        note: 'Assessment of clinical stability before leaving.',
      },
    ],
  );
  check(
    'DIS-ESCORT',
    d.escortPresent,
    d.escortPresent ? 'Escort / transport present' : 'no escort or transport home',
    d.modality === 'esketamine' ? 'V' : 'U',
    d.modality === 'esketamine'
      ? [
          {
            source: SOURCES.spravatoLabelDosing,
            status: 'V',
            note: 'No driving until the next day; arrange transport.',
          },
        ]
      : [{ source: SOURCES.sanacora2017, status: 'U' }],
  );

  const missing = checks.filter((c) => !c.met);
  const allowed = missing.length === 0;
  const message = allowed
    ? 'Discharge criteria met.'
    : `Discharge refused: ${missing.map((m) => m.message).join('; ')}.`;
  return { allowed, message, checks, missing, earliestDischargeMin };
}

/**
 * Recovery before discharge, both modalities: heart rate and SpO2 measured shortly before
 * discharge and raising no alarm, MOAA/S back to the pre-dose score (5, fully alert, when none was
 * taken) after dosing ended, and no dissociation left on the latest CADSS-6 (at or below the
 * pre-dose score). The clinician's statements are checked separately; a measurement that
 * contradicts them refuses discharge.
 */
function readinessChecks(
  d: ParsedDischarge,
  cfg: DischargeSettings,
  check: (id: string, met: boolean, message: string, status: EvidenceStatus, citations: Citation[]) => void,
): void {
  const within = cfg.preDischargeBpWithinMin.value;
  const byTime = [...d.vitalsReadings].sort((a, b) => a.timeMin - b.timeMin);
  const baseline = byTime.filter((r) => r.timeMin <= 0).at(-1);
  const recovery: Citation[] = [
    {
      source: SOURCES.spravatoRems,
      status: 'V',
      note: 'Monitor (pulse oximetry) until the patient is stable.',
    },
    { source: SOURCES.sanacora2017, status: 'U', note: 'Monitor until effects resolve.' },
  ];
  const vital = (id: string, what: string, unit: string, key: 'heartRateBpm' | 'spo2Pct') => {
    const last = byTime
      .filter(
        (r) =>
          r[key] !== undefined && r.timeMin <= d.dischargeAtMin && r.timeMin >= d.dischargeAtMin - within,
      )
      .at(-1);
    if (!last) {
      check(id, false, `no ${what} recorded within ${within} min before discharge`, 'V', [
        ...recovery,
        cite(cfg.preDischargeBpWithinMin),
      ]);
      return;
    }
    const value = last[key]!;
    const base = baseline?.[key];
    const alarms = evaluateVitals(
      { timeMin: Math.max(last.timeMin, 1), [key]: value },
      cfg.thresholds,
      base === undefined ? undefined : { timeMin: baseline!.timeMin, [key]: base },
    ).filter((a) => a.severity === 'hold' || a.requiresDecision);
    check(
      id,
      alarms.length === 0,
      alarms.length === 0
        ? `${what} ${value}${unit} at ${last.timeMin} min within thresholds`
        : `${what} not within thresholds: ${alarms.map((a) => a.message).join('; ')}`,
      alarms[0]?.threshold.status ?? 'V',
      [...recovery, ...alarms.map((a) => cite(a.threshold))],
    );
  };
  vital('DIS-HR-WITHIN-THRESHOLDS', 'heart rate', ' bpm', 'heartRateBpm');
  vital('DIS-SPO2-WITHIN-THRESHOLDS', 'SpO2', ' %', 'spo2Pct');

  const moaas = [...d.moaas].sort((a, b) => a.timeMin - b.timeMin);
  const preMoaas = moaas.filter((m) => m.timeMin <= 0).at(-1);
  const target = preMoaas?.score ?? 5;
  const targetText = preMoaas ? `the pre-dose score ${target}` : `${target} (no pre-dose score recorded)`;
  const end = d.dosingEndMin;
  const afterEnd =
    end === null ? undefined : moaas.filter((m) => m.timeMin >= end && m.timeMin <= d.dischargeAtMin).at(-1);
  const moaasCites: Citation[] = [
    { source: SOURCES.spravatoRems, status: 'V', note: 'Monitor for sedation until resolution.' },
    {
      source: 'MOAA/S back to the pre-dose score',
      status: 'clinic',
      note: 'Operationalises "sedation resolved".',
    },
  ];
  check(
    'DIS-MOAAS-BASELINE',
    afterEnd !== undefined && afterEnd.score >= target,
    afterEnd === undefined
      ? `no MOAA/S recorded after dosing ended (must be back to ${targetText})`
      : afterEnd.score >= target
        ? `MOAA/S ${afterEnd.score} at ${afterEnd.timeMin} min (back to ${targetText})`
        : `MOAA/S ${afterEnd.score} at ${afterEnd.timeMin} min is below ${targetText}`,
    'clinic',
    moaasCites,
  );

  const cadss = [...d.cadss].sort((a, b) => a.timeMin - b.timeMin);
  const preCadss = cadss.filter((c) => c.timeMin <= 0).at(-1)?.score ?? 0;
  const lastCadss = cadss.filter((c) => c.timeMin > 0 && c.timeMin <= d.dischargeAtMin).at(-1);
  if (lastCadss) {
    const ok = lastCadss.score <= preCadss;
    check(
      'DIS-CADSS-RESOLVED',
      ok,
      ok
        ? `CADSS-6 ${lastCadss.score} at ${lastCadss.timeMin} min (pre-dose ${preCadss})`
        : `dissociation not resolved: CADSS-6 ${lastCadss.score} at ${lastCadss.timeMin} min is above the pre-dose ${preCadss} (record a new CADSS-6 once resolved)`,
      'clinic',
      [
        { source: SOURCES.spravatoRems, status: 'V', note: 'Monitor for dissociation until resolution.' },
        { source: 'CADSS-6 back to the pre-dose score', status: 'clinic' },
      ],
    );
  }
}
