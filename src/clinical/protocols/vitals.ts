import { z } from 'zod';
import { ClinicalInputError } from '../errors';
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
  /** Alert below this SpO2. No value in the reference: null until the clinic sets one. */
  spo2BelowPct: sourcedNumberSchema.nullable(),
});
export type VitalsThresholds = z.infer<typeof vitalsThresholdsSchema>;

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
  return {
    preDoseCautionSbpAboveMmHg: caution(140),
    preDoseCautionDbpAboveMmHg: caution(90),
    holdSbpAboveMmHg: hold(180),
    holdDbpAboveMmHg: hold(100),
    holdHeartRateAboveBpm: hold(110),
    riseSbpFromBaselineMmHg: rise(40),
    riseDbpFromBaselineMmHg: rise(25),
    spo2BelowPct: null,
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
  const t = parseOrThrow(vitalsThresholdsSchema, thresholdsInput, 'thresholds');
  return (readingInput, baselineInput) => evaluateParsed(readingInput, t, baselineInput);
}

function evaluateParsed(
  readingInput: unknown,
  t: z.infer<typeof vitalsThresholdsSchema>,
  baselineInput?: unknown,
): VitalsAlert[] {
  const r = parseOrThrow(vitalsReadingSchema, readingInput, 'reading');
  const baseline =
    baselineInput === undefined ? undefined : parseOrThrow(vitalsReadingSchema, baselineInput, 'baseline');
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
  if (t.spo2BelowPct && r.spo2Pct !== undefined && r.spo2Pct < t.spo2BelowPct.value) {
    alerts.push({
      id: 'VIT-SPO2-LOW',
      severity: 'hold',
      measured: r.spo2Pct,
      threshold: t.spo2BelowPct,
      requiresDecision: true,
      message: `SpO2 ${r.spo2Pct} % is below ${t.spo2BelowPct.value} % [${t.spo2BelowPct.status}]`,
    });
  }
  return alerts;
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
