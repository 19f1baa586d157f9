import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { deepFreeze, frozenMemo } from '../frozen';
import type { Citation, Modality, SourcedNumber } from './evidence';
import { SOURCES, sourcedNumberSchema } from './evidence';

/**
 * Vital-sign thresholds, alerts and measurement cadence. Session times are minutes relative to the
 * start of dosing (first esketamine device, or start of the IV infusion): readings before dosing
 * have negative or zero `timeMin`.
 */

export const vitalsReadingSchema = z.object({
  timeMin: z.number(),
  sbpMmHg: z.number().int().min(40).max(300).optional(),
  dbpMmHg: z.number().int().min(20).max(200).optional(),
  heartRateBpm: z.number().int().min(20).max(250).optional(),
  spo2Pct: z.number().min(50).max(100).optional(),
  /** Breaths per minute, when counted (0 = apnoea). */
  respiratoryRatePerMin: z.number().int().min(0).max(80).optional(),
});
export type VitalsReading = z.infer<typeof vitalsReadingSchema>;

export const vitalsThresholdsSchema = z.object({
  /** Pre-dose caution: baseline SBP strictly above this → weigh risk/benefit, consider delaying. */
  preDoseCautionSbpAboveMmHg: sourcedNumberSchema,
  preDoseCautionDbpAboveMmHg: sourcedNumberSchema,
  /** Hold / stop: any reading strictly above these. */
  holdSbpAboveMmHg: sourcedNumberSchema,
  holdDbpAboveMmHg: sourcedNumberSchema,
  holdHeartRateAboveBpm: sourcedNumberSchema,
  /** Alert on a rise from baseline of at least this much (null = off). */
  riseSbpFromBaselineMmHg: sourcedNumberSchema.nullable(),
  riseDbpFromBaselineMmHg: sourcedNumberSchema.nullable(),
  /**
   * Respiratory, haemodynamic and sedation alarms (each needs a decision). The reference gives no
   * value for any of them: the defaults are conservative [U] choices the clinic must confirm.
   */
  /** SpO2 strictly below this (%). */
  spo2BelowPct: sourcedNumberSchema,
  /** SpO2 fall from the pre-dose reading of at least this many percentage points. */
  spo2FallFromBaselinePctPoints: sourcedNumberSchema,
  /** Hypotension: systolic BP strictly below this (mmHg). */
  hypotensionSbpBelowMmHg: sourcedNumberSchema,
  /** Hypotension: systolic BP fall from the pre-dose reading of at least this % of it. */
  hypotensionSbpFallFromBaselinePct: sourcedNumberSchema,
  /** Bradycardia: heart rate strictly below this (bpm). */
  bradycardiaHeartRateBelowBpm: sourcedNumberSchema,
  /** Respiratory rate strictly below this (breaths/min), when recorded. */
  respiratoryRateBelowPerMin: sourcedNumberSchema,
  /** Deep sedation: MOAA/S at or below this score (0–5). */
  deepSedationMoaasAtOrBelow: sourcedNumberSchema,
});
export type VitalsThresholds = z.infer<typeof vitalsThresholdsSchema>;

/** The alarms added after clinics could store their own thresholds (absent in older settings rows). */
const LATER_ALARMS = [
  'spo2BelowPct',
  'spo2FallFromBaselinePctPoints',
  'hypotensionSbpBelowMmHg',
  'hypotensionSbpFallFromBaselinePct',
  'bradycardiaHeartRateBelowBpm',
  'respiratoryRateBelowPerMin',
  'deepSedationMoaasAtOrBelow',
] as const;

/**
 * Thresholds as a clinic stores them. Rows saved before an alarm existed lack it (and the SpO2
 * alarm was once null, meaning "no value yet"): such an alarm takes its default, never "off".
 */
export const storedVitalsThresholdsSchema = vitalsThresholdsSchema.extend({
  spo2BelowPct: sourcedNumberSchema.nullable().optional(),
  spo2FallFromBaselinePctPoints: sourcedNumberSchema.optional(),
  hypotensionSbpBelowMmHg: sourcedNumberSchema.optional(),
  hypotensionSbpFallFromBaselinePct: sourcedNumberSchema.optional(),
  bradycardiaHeartRateBelowBpm: sourcedNumberSchema.optional(),
  respiratoryRateBelowPerMin: sourcedNumberSchema.optional(),
  deepSedationMoaasAtOrBelow: sourcedNumberSchema.optional(),
});
export type StoredVitalsThresholds = z.infer<typeof storedVitalsThresholdsSchema>;

/** The thresholds in force: the clinic's own (alarms it has not set take the default) or the defaults. */
export function resolveVitalsThresholds(
  modality: Modality,
  stored: StoredVitalsThresholds | null | undefined,
): VitalsThresholds {
  if (!stored) return frozenDefaults(modality);
  // What a frozen clinic setting resolves to is kept with it: readers that key their own memos by
  // the thresholds object (the alert judge) then find the same object.
  return resolvedOf(stored, modality, () => {
    const defaults = defaultVitalsThresholds(modality);
    const out: VitalsThresholds = { ...defaults, ...stored } as VitalsThresholds;
    for (const k of LATER_ALARMS) out[k] = stored[k] ?? defaults[k];
    return out;
  });
}

const resolvedOf = frozenMemo<VitalsThresholds>();
const defaultsOf: Partial<Record<Modality, VitalsThresholds>> = {};
const frozenDefaults = (modality: Modality): VitalsThresholds =>
  (defaultsOf[modality] ??= deepFreeze(defaultVitalsThresholds(modality)));

const SANACORA_BP_NOTE =
  'Commonly attributed to the 2017 APA consensus by secondary sources; whether the consensus states it is not verified.';

/**
 * Default thresholds. For esketamine the 140/90 pre-dose caution is the label's [V]; for IV it is
 * an unverified attribution to Sanacora 2017 [U]. The 180/100 and HR 110 hold values are [U] for
 * both modalities and must be confirmed by the clinic.
 */
export function defaultVitalsThresholds(modality: Modality): VitalsThresholds {
  const caution = (value: number): SourcedNumber =>
    modality === 'esketamine'
      ? { value, status: 'V', source: `${SOURCES.spravatoLabelBp}: >140 mmHg systolic or >90 mmHg diastolic` }
      : { value, status: 'U', source: SOURCES.sanacora2017, note: SANACORA_BP_NOTE };
  const hold = (value: number): SourcedNumber => ({
    value,
    status: 'U',
    source: SOURCES.sanacora2017,
    note: SANACORA_BP_NOTE,
  });
  const rise = (value: number): SourcedNumber => ({
    value,
    status: 'U',
    source: SOURCES.spravatoLabelBp,
    note: 'The label reports how often a rise of >=40 mmHg systolic and/or >=25 mmHg diastolic occurred (8-19 %); no source states it as an action threshold.',
  });
  const alarm = (value: number, note: string): SourcedNumber => ({
    value,
    status: 'U',
    source: 'Conservative default (no value in the reference); clinic must confirm',
    note,
  });
  return {
    preDoseCautionSbpAboveMmHg: caution(140),
    preDoseCautionDbpAboveMmHg: caution(90),
    holdSbpAboveMmHg: hold(180),
    holdDbpAboveMmHg: hold(100),
    holdHeartRateAboveBpm: hold(110),
    riseSbpFromBaselineMmHg: rise(40),
    riseDbpFromBaselineMmHg: rise(25),
    spo2BelowPct: alarm(
      92,
      `${SOURCES.spravatoRems} requires a pulse oximeter and monitoring for respiratory depression but sets no value. Below 90 % is the usual definition of hypoxaemia; 92 leaves a margin before it.`,
    ),
    spo2FallFromBaselinePctPoints: alarm(
      4,
      'A fall of >= 4 percentage points is the usual oxygen-desaturation event in sleep medicine; catches a fall that stays above the absolute limit.',
    ),
    hypotensionSbpBelowMmHg: alarm(90, 'Systolic < 90 mmHg is the conventional definition of hypotension.'),
    hypotensionSbpFallFromBaselinePct: alarm(
      20,
      'A fall of >= 20 % from the pre-dose systolic is the stricter of the relative limits commonly used for procedural hypotension.',
    ),
    bradycardiaHeartRateBelowBpm: alarm(
      50,
      'Below 50 bpm is where bradycardia is usually treated as clinically significant (resuscitation algorithms); < 60 would alarm on many healthy resting patients.',
    ),
    respiratoryRateBelowPerMin: alarm(
      10,
      'Respiratory depression: the label warns of it (boxed warning) without a number; < 10 /min is the stricter of the limits commonly used (8 or 10).',
    ),
    deepSedationMoaasAtOrBelow: alarm(
      2,
      `MOAA/S 2 = responds only to mild prodding or shaking (no response to voice). The label reports sedation by MOAA/S in 48-61 % and loss of consciousness (MOAA/S 0) in 0.3-0.4 % (${SOURCES.spravatoLabelWarnings}); 3 (responds to a loud voice) is common and expected.`,
    ),
  };
}

export type VitalsAlertSeverity = 'caution' | 'notify' | 'hold';

export interface VitalsAlert {
  id: string;
  severity: VitalsAlertSeverity;
  message: string;
  measured: number;
  threshold: SourcedNumber;
  /** True when a pause/stop/continue decision must be recorded. */
  requiresDecision: boolean;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join('.');
    throw new ClinicalInputError(path ? `${field}.${path}` : field, issue.message);
  }
  return r.data;
}

/**
 * Thresholds validated before, by identity: frozen thresholds (the defaults, or resolved from a
 * clinic's parsed settings) are validated once, and a session is judged many times against them.
 */
const parsedThresholds = frozenMemo<VitalsThresholds>();

const parseThresholds = (input: unknown): VitalsThresholds =>
  parsedThresholds(input, null, () => parseOrThrow(vitalsThresholdsSchema, input, 'thresholds'));

/**
 * Evaluate one reading. `baseline` is the pre-dose reading (omit when evaluating the baseline itself).
 * A reading at or before dosing start (timeMin <= 0) is checked against the pre-dose caution.
 */
export function evaluateVitals(
  readingInput: unknown,
  thresholdsInput: unknown,
  baselineInput?: unknown,
): VitalsAlert[] {
  return vitalsEvaluator(thresholdsInput)(readingInput, baselineInput);
}

/**
 * `evaluateVitals` with the thresholds validated once, for evaluating many readings against the same
 * thresholds (exports and the dashboard's course facts read every reading of a clinic).
 */
export function vitalsEvaluator(
  thresholdsInput: unknown,
): (readingInput: unknown, baselineInput?: unknown) => VitalsAlert[] {
  const t = parseThresholds(thresholdsInput);
  return (readingInput, baselineInput) =>
    evaluateParsed(
      parseOrThrow(vitalsReadingSchema, readingInput, 'reading'),
      t,
      baselineInput === undefined ? undefined : parseOrThrow(vitalsReadingSchema, baselineInput, 'baseline'),
    );
}

/**
 * The pre-dose reference for relative alarms: for each measure, its latest value at or before
 * dosing start (timeMin <= 0). Undefined when nothing was recorded before dosing.
 */
export function preDoseBaseline(readings: readonly VitalsReading[]): VitalsReading | undefined {
  const pre = readings.filter((r) => r.timeMin <= 0).sort((a, b) => a.timeMin - b.timeMin);
  if (pre.length === 0) return undefined;
  const out: VitalsReading = { timeMin: pre.at(-1)!.timeMin };
  for (const r of pre) {
    if (r.sbpMmHg !== undefined && r.dbpMmHg !== undefined) {
      out.sbpMmHg = r.sbpMmHg;
      out.dbpMmHg = r.dbpMmHg;
    }
    if (r.heartRateBpm !== undefined) out.heartRateBpm = r.heartRateBpm;
    if (r.spo2Pct !== undefined) out.spo2Pct = r.spo2Pct;
    if (r.respiratoryRatePerMin !== undefined) out.respiratoryRatePerMin = r.respiratoryRatePerMin;
  }
  return out;
}

/**
 * Every reading of one session evaluated against the same thresholds, post-dose readings against
 * the pre-dose baseline (`preDoseBaseline`). Alerts are returned in the readings' order.
 */
export function sessionVitalsEvaluator(
  thresholdsInput: unknown,
): (readingsInput: readonly unknown[]) => VitalsAlert[][] {
  const t = parseThresholds(thresholdsInput);
  return (readingsInput) => {
    const readings = readingsInput.map((r, i) => parseOrThrow(vitalsReadingSchema, r, `readings.${i}`));
    const baseline = preDoseBaseline(readings);
    return readings.map((r) => evaluateParsed(r, t, r.timeMin > 0 ? baseline : undefined));
  };
}

/**
 * A session's readings judged one at a time exactly as sessionVitalsEvaluator judges them together
 * (reading `index` of the readings sorted by minute, against `baseline`, their preDoseBaseline),
 * for a caller that remembers earlier judgements of the same readings.
 */
export function sessionReadingJudge(
  thresholdsInput: unknown,
): (readingInput: unknown, index: number, baseline: VitalsReading | undefined) => VitalsAlert[] {
  const t = parseThresholds(thresholdsInput);
  return (readingInput, index, baseline) => {
    const r = parseOrThrow(vitalsReadingSchema, readingInput, `readings.${index}`);
    return evaluateParsed(r, t, r.timeMin > 0 ? baseline : undefined);
  };
}

/** One reading judged; its inputs were validated by the caller (once per reading, not per use). */
function evaluateParsed(
  r: VitalsReading,
  t: z.infer<typeof vitalsThresholdsSchema>,
  baseline: VitalsReading | undefined,
): VitalsAlert[] {
  const alerts: VitalsAlert[] = [];
  const above = (
    id: string,
    severity: VitalsAlertSeverity,
    what: string,
    v: number | undefined,
    th: SourcedNumber,
  ) => {
    if (v !== undefined && v > th.value) {
      alerts.push({
        id,
        severity,
        measured: v,
        threshold: th,
        requiresDecision: severity === 'hold',
        message: `${what} ${v} is above ${th.value} [${th.status}]`,
      });
    }
  };
  const preDose = r.timeMin <= 0;
  if (preDose) {
    above('VIT-PRE-SBP-CAUTION', 'caution', 'Pre-dose systolic BP', r.sbpMmHg, t.preDoseCautionSbpAboveMmHg);
    above('VIT-PRE-DBP-CAUTION', 'caution', 'Pre-dose diastolic BP', r.dbpMmHg, t.preDoseCautionDbpAboveMmHg);
  }
  above('VIT-SBP-HOLD', 'hold', 'Systolic BP', r.sbpMmHg, t.holdSbpAboveMmHg);
  above('VIT-DBP-HOLD', 'hold', 'Diastolic BP', r.dbpMmHg, t.holdDbpAboveMmHg);
  above('VIT-HR-HOLD', 'hold', 'Heart rate', r.heartRateBpm, t.holdHeartRateAboveBpm);
  if (!preDose && baseline) {
    const rise = (id: string, what: string, now?: number, base?: number, th?: SourcedNumber | null) => {
      if (now === undefined || base === undefined || !th) return;
      const delta = now - base;
      if (delta >= th.value) {
        alerts.push({
          id,
          severity: 'notify',
          measured: delta,
          threshold: th,
          requiresDecision: false,
          message: `${what} rose ${delta} mmHg from baseline (alert at >= ${th.value} [${th.status}])`,
        });
      }
    };
    rise('VIT-SBP-RISE', 'Systolic BP', r.sbpMmHg, baseline.sbpMmHg, t.riseSbpFromBaselineMmHg);
    rise('VIT-DBP-RISE', 'Diastolic BP', r.dbpMmHg, baseline.dbpMmHg, t.riseDbpFromBaselineMmHg);
  }
  const alarm = (id: string, measured: number, threshold: SourcedNumber, message: string) =>
    alerts.push({
      id,
      severity: 'hold',
      measured,
      threshold,
      requiresDecision: true,
      message: `${message} [${threshold.status}]`,
    });
  const below = (id: string, what: string, unit: string, v: number | undefined, th: SourcedNumber) => {
    if (v !== undefined && v < th.value) alarm(id, v, th, `${what} ${v}${unit} is below ${th.value}${unit}`);
  };
  below('VIT-SPO2-LOW', 'SpO2', ' %', r.spo2Pct, t.spo2BelowPct);
  below('VIT-SBP-LOW', 'Systolic BP', ' mmHg', r.sbpMmHg, t.hypotensionSbpBelowMmHg);
  below('VIT-HR-LOW', 'Heart rate', ' bpm', r.heartRateBpm, t.bradycardiaHeartRateBelowBpm);
  below('VIT-RR-LOW', 'Respiratory rate', ' /min', r.respiratoryRatePerMin, t.respiratoryRateBelowPerMin);
  if (!preDose && baseline) {
    const spo2Fall = t.spo2FallFromBaselinePctPoints;
    if (r.spo2Pct !== undefined && baseline.spo2Pct !== undefined) {
      const fall = Math.round((baseline.spo2Pct - r.spo2Pct) * 10) / 10;
      if (baseline.spo2Pct - r.spo2Pct >= spo2Fall.value) {
        alarm(
          'VIT-SPO2-FALL',
          fall,
          spo2Fall,
          `SpO2 fell ${fall} points from the pre-dose ${baseline.spo2Pct} % to ${r.spo2Pct} % (alarm at >= ${spo2Fall.value})`,
        );
      }
    }
    const sbpFall = t.hypotensionSbpFallFromBaselinePct;
    if (r.sbpMmHg !== undefined && baseline.sbpMmHg !== undefined) {
      const exact = ((baseline.sbpMmHg - r.sbpMmHg) / baseline.sbpMmHg) * 100;
      const pct = Math.round(exact * 10) / 10;
      // 1e-9: 20 % of 115 is not exactly representable; a 23-mmHg fall from 115 is 20 %.
      if (exact >= sbpFall.value - 1e-9) {
        alarm(
          'VIT-SBP-FALL',
          pct,
          sbpFall,
          `Systolic BP fell ${pct} % from the pre-dose ${baseline.sbpMmHg} to ${r.sbpMmHg} mmHg (alarm at >= ${sbpFall.value} %)`,
        );
      }
    }
  }
  return alerts;
}

/** Deep sedation: a MOAA/S score (0 = no response … 5 = alert) at or below the clinic's score. */
/** Built once: a zod schema is costly to construct, and every session read judges each MOAA/S. */
const MOAAS_SCORE_SCHEMA = z.number().int().min(0).max(5);

export function evaluateSedation(moaasScore: unknown, thresholdsInput: unknown): VitalsAlert[] {
  const score = parseOrThrow(MOAAS_SCORE_SCHEMA, moaasScore, 'moaasScore');
  const t = parseThresholds(thresholdsInput);
  const th = t.deepSedationMoaasAtOrBelow;
  if (score > th.value) return [];
  return [
    {
      id: 'SED-MOAAS-DEEP',
      severity: 'hold',
      measured: score,
      threshold: th,
      requiresDecision: true,
      message: `Deep sedation: MOAA/S ${score} is at or below ${th.value} [${th.status}]`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Cadence

export const vitalsCadenceSchema = z.object({
  duringDosingEveryMin: z.number().positive(),
  afterDosingEveryMin: z.number().positive(),
  /** Fixed checkpoints (minutes after dosing start), e.g. esketamine ~40 min. */
  checkpointsMin: z.array(z.number().positive()).default([]),
});
export type VitalsCadence = z.infer<typeof vitalsCadenceSchema>;

export const VITALS_CADENCE_CITATIONS: Citation[] = [
  {
    source: SOURCES.rivaPosse2018,
    status: 'V',
    note: 'BP every 10 min during the infusion and every 15 min after (study practice, not a guideline).',
  },
  {
    source: SOURCES.spravatoLabelBp,
    status: 'V',
    note: 'Esketamine: BP before dosing and ~40 min after, then as clinically warranted.',
  },
];

/** Every 10 min during dosing, every 15 min after (Riva-Posse 2018) [V]; esketamine adds the ~40 min check [V]. */
export function defaultVitalsCadence(modality: Modality): VitalsCadence {
  return {
    duringDosingEveryMin: 10,
    afterDosingEveryMin: 15,
    checkpointsMin: modality === 'esketamine' ? [40] : [],
  };
}

export interface VitalsDue {
  /** Minute (relative to dosing start) the next reading is due; null when monitoring has ended. */
  nextDueMin: number | null;
  /** Minutes the next reading is overdue at `nowMin` (0 when not overdue). */
  overdueByMin: number;
  reason: 'baseline' | 'during-dosing' | 'after-dosing' | 'checkpoint' | 'monitoring-ended';
}

/**
 * When is the next vitals reading due? `dosingEndMin` is the end of the infusion (or of the last
 * esketamine device). With no reading at or before 0 the baseline is due at 0.
 */
export function nextVitalsDue(args: {
  readingTimesMin: readonly number[];
  dosingEndMin: number;
  nowMin: number;
  cadence: VitalsCadence;
  monitoringEndMin?: number;
}): VitalsDue {
  const cadence = parseOrThrow(vitalsCadenceSchema, args.cadence, 'cadence');
  if (!Number.isFinite(args.dosingEndMin) || args.dosingEndMin < 0) {
    throw new ClinicalInputError('dosingEndMin', 'must be a number of minutes >= 0');
  }
  if (!Number.isFinite(args.nowMin)) throw new ClinicalInputError('nowMin', 'must be a number');
  for (const t of args.readingTimesMin) {
    if (!Number.isFinite(t)) throw new ClinicalInputError('readingTimesMin', 'must be numbers');
  }
  const due = (at: number, reason: VitalsDue['reason']): VitalsDue => {
    if (args.monitoringEndMin !== undefined && at > args.monitoringEndMin) {
      return { nextDueMin: null, overdueByMin: 0, reason: 'monitoring-ended' };
    }
    return { nextDueMin: at, overdueByMin: Math.max(0, args.nowMin - at), reason };
  };
  if (!args.readingTimesMin.some((t) => t <= 0)) return due(0, 'baseline');
  const last = Math.max(...args.readingTimesMin);
  const during = last < args.dosingEndMin;
  let next = last + (during ? cadence.duringDosingEveryMin : cadence.afterDosingEveryMin);
  let reason: VitalsDue['reason'] = during ? 'during-dosing' : 'after-dosing';
  const checkpoint = [...cadence.checkpointsMin].sort((a, b) => a - b).find((c) => c > last);
  if (checkpoint !== undefined && checkpoint < next) {
    next = checkpoint;
    reason = 'checkpoint';
  }
  return due(next, reason);
}

// ---------------------------------------------------------------------------------------------
// Decisions on alerts (the record itself is stored by the server)

export const alertDecisionSchema = z.object({
  /** Id of the reading's alert (e.g. 'VIT-SBP-HOLD') together with the reading time. */
  alertId: z.string().min(1),
  readingTimeMin: z.number(),
  decision: z.enum(['continue', 'pause', 'stop']),
  decidedBy: z.string().min(1),
  /** ISO 8601 instant supplied by the caller. */
  decidedAt: z.string().min(1),
  note: z.string().optional(),
});
export type AlertDecision = z.infer<typeof alertDecisionSchema>;

export interface RaisedAlert extends VitalsAlert {
  readingTimeMin: number;
}

/** Alerts that need a pause/stop/continue decision and have none recorded yet. */
export function alertsAwaitingDecision(
  alerts: readonly RaisedAlert[],
  decisions: readonly AlertDecision[],
): RaisedAlert[] {
  return alerts.filter(
    (a) =>
      a.requiresDecision &&
      !decisions.some((d) => d.alertId === a.id && d.readingTimeMin === a.readingTimeMin),
  );
}
