import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { type Dose, formatRegimen } from '../pk/regimen';
import type { Modality, SourcedNumber } from './evidence';
import { SOURCES } from './evidence';
import type { VitalsCadence, VitalsDue } from './vitals';
import { nextVitalsDue } from './vitals';

/**
 * Dosing that takes effect: an IV infusion runs on its own clock, which stops while the infusion
 * is paused and ends when it is stopped or has run its planned time. What was given, the regimen
 * the concentration curve simulates and when vitals are next due all follow from that clock.
 * Esketamine is device-based: a device is either used or not, so dosing can only be stopped.
 *
 * Session times are minutes after dosing start (infusion start / first device).
 */

export const infusionActionSchema = z.enum(['pause', 'resume', 'stop']);
export type InfusionAction = z.infer<typeof infusionActionSchema>;

export const infusionEventSchema = z.object({
  action: infusionActionSchema,
  atMin: z.number().min(0),
});
export type InfusionEvent = z.infer<typeof infusionEventSchema>;
/** Built once: constructing a zod schema per call was a visible share of the demo generator's time. */
const infusionEventsSchema = z.array(infusionEventSchema);

export const infusionPlanSchema = z.object({
  doseMg: z.number().positive(),
  durationMin: z.number().positive(),
  /** Volume the pump is programmed to deliver (mL); optional. */
  vtbiMl: z.number().positive().optional(),
});
export type InfusionPlan = z.infer<typeof infusionPlanSchema>;

export type DosingState = 'running' | 'paused' | 'stopped' | 'complete';

export interface InfusionStatus {
  state: DosingState;
  /** Dose ÷ planned duration: the rate the pump delivers while running. */
  rateMgPerMin: number;
  /** The infusion clock: minutes the infusion has actually run by `nowMin`. */
  runningMin: number;
  /** Running time still to go (0 once stopped or complete). */
  remainingMin: number;
  /** Total minutes spent paused by `nowMin`. */
  pausedMin: number;
  /** Start of the current pause; null unless paused. */
  pausedSinceMin: number | null;
  /** Rate × running time. */
  amountGivenMg: number;
  plannedMg: number;
  /** Volume still to infuse; null when the plan has no VTBI. */
  remainingVtbiMl: number | null;
  /** When dosing ended (stop or completion); null while running or paused. */
  dosingEndMin: number | null;
  /** While running: when it will complete if not interrupted. Null otherwise. */
  projectedEndMin: number | null;
  /**
   * Running intervals. Past ones as they happened; a running one is projected to completion
   * (the curve predicts what the pump will deliver); nothing is projected while paused or stopped.
   */
  segments: { startMin: number; endMin: number }[];
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const EPS = 1e-9;

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
 * Replay pause / resume / stop entries (in the order recorded) against the plan, at `nowMin`.
 * An entry that cannot apply (pause while paused, resume while running, anything after the
 * infusion ended, an entry in the future or before the previous one) throws naming `action` or
 * `atMin`, so a writer can validate a new entry by replaying it with the others.
 */
export function infusionStatus(planInput: unknown, eventsInput: unknown, nowMin: number): InfusionStatus {
  const plan = parseOrThrow(infusionPlanSchema, planInput, 'plan');
  const events = parseOrThrow(infusionEventsSchema, eventsInput, 'events');
  if (!Number.isFinite(nowMin) || nowMin < 0) throw new ClinicalInputError('nowMin', 'must be minutes >= 0');
  const duration = plan.durationMin;
  const rate = plan.doseMg / duration;
  const segments: { startMin: number; endMin: number }[] = [];
  let ranBefore = 0; // running minutes before the current segment
  let segStart: number | null = 0; // start of the current running segment (null = not running)
  let pausedSince: number | null = null;
  let pausedMin = 0;
  let ended: { state: 'stopped' | 'complete'; atMin: number } | null = null;
  let lastAt = 0;

  /** Close the running segment at `t`, or at completion if the planned time runs out first. */
  const runUntil = (t: number) => {
    if (segStart === null) return;
    const completeAt = segStart + (duration - ranBefore);
    if (completeAt <= t + EPS) {
      segments.push({ startMin: segStart, endMin: completeAt });
      ranBefore = duration;
      segStart = null;
      ended = { state: 'complete', atMin: completeAt };
    }
  };

  for (const ev of events) {
    if (ev.atMin > nowMin + EPS)
      throw new ClinicalInputError('atMin', `cannot be in the future (now is ${round(nowMin, 1)} min)`);
    if (ev.atMin < lastAt - EPS) {
      throw new ClinicalInputError(
        'atMin',
        `cannot be before the previous pause/resume/stop (${round(lastAt, 1)} min)`,
      );
    }
    lastAt = ev.atMin;
    runUntil(ev.atMin);
    if (ended) {
      const e = ended as { state: string; atMin: number };
      throw new ClinicalInputError(
        'action',
        `the infusion ${e.state === 'complete' ? 'completed' : 'was stopped'} at ${round(e.atMin, 1)} min; it cannot be ${ev.action === 'stop' ? 'stopped' : ev.action === 'pause' ? 'paused' : 'resumed'}`,
      );
    }
    if (ev.action === 'pause') {
      if (segStart === null) throw new ClinicalInputError('action', 'the infusion is already paused');
      segments.push({ startMin: segStart, endMin: ev.atMin });
      ranBefore += ev.atMin - segStart;
      segStart = null;
      pausedSince = ev.atMin;
    } else if (ev.action === 'resume') {
      if (segStart !== null)
        throw new ClinicalInputError(
          'action',
          'the infusion is running; only a paused infusion can be resumed',
        );
      pausedMin += ev.atMin - pausedSince!;
      pausedSince = null;
      segStart = ev.atMin;
    } else {
      if (segStart !== null) {
        segments.push({ startMin: segStart, endMin: ev.atMin });
        ranBefore += ev.atMin - segStart;
        segStart = null;
      } else {
        pausedMin += ev.atMin - pausedSince!;
        pausedSince = null;
      }
      ended = { state: 'stopped', atMin: ev.atMin };
    }
  }
  if (!ended) runUntil(nowMin);

  let state: DosingState;
  let runningMin: number;
  let projectedEndMin: number | null = null;
  const fin = ended as { state: 'stopped' | 'complete'; atMin: number } | null;
  if (fin) {
    state = fin.state;
    runningMin = ranBefore;
  } else if (segStart !== null) {
    state = 'running';
    runningMin = ranBefore + (nowMin - segStart);
    projectedEndMin = segStart + (duration - ranBefore);
    segments.push({ startMin: segStart, endMin: projectedEndMin });
  } else {
    state = 'paused';
    runningMin = ranBefore;
    pausedMin += nowMin - pausedSince!;
  }
  const remainingMin = fin ? 0 : duration - runningMin;
  return {
    state,
    rateMgPerMin: rate,
    runningMin: round(runningMin),
    remainingMin: round(remainingMin),
    pausedMin: round(pausedMin),
    pausedSinceMin: state === 'paused' ? pausedSince : null,
    amountGivenMg: round(rate * runningMin, 2),
    plannedMg: plan.doseMg,
    remainingVtbiMl: plan.vtbiMl === undefined ? null : round((plan.vtbiMl * remainingMin) / duration, 1),
    dosingEndMin: fin ? fin.atMin : null,
    projectedEndMin: projectedEndMin === null ? null : round(projectedEndMin),
    segments: segments.filter((s) => s.endMin - s.startMin > 1e-4),
  };
}

/**
 * What the infusion gave (and, while running, will give) as PK doses: one constant-rate infusion
 * per running interval. Amounts and times are rounded to 4 decimals, as the dosing clock reports
 * them, so the curve simulates exactly the doses its label shows.
 */
export function infusionDoses(status: InfusionStatus): Dose[] {
  return status.segments.map((s) => {
    const len = s.endMin - s.startMin;
    return {
      doseMg: round(status.rateMgPerMin * len),
      route: 'iv',
      durationMin: round(len),
      startMin: round(s.startMin),
    };
  });
}

/** The same doses in the regimen language, for display. */
export function infusionRegimen(status: InfusionStatus): string[] {
  return formatRegimen(infusionDoses(status));
}

// ---------------------------------------------------------------------------------------------
// Esketamine: devices

export interface DeviceDosingStatus {
  state: 'running' | 'stopped' | 'complete';
  devicesPlanned: number;
  /** Devices due by `nowMin` (or by the stop), one every `minBetweenDevicesMin` from 0. */
  devicesGiven: number;
  amountGivenMg: number;
  /** Last device time, or the stop; null while devices remain. */
  dosingEndMin: number | null;
  /** Last planned device time (the label's schedule). */
  plannedEndMin: number;
}

export function deviceDosingStatus(args: {
  devices: number;
  mgPerDevice: number;
  minBetweenDevicesMin: number;
  /** Minute dosing was stopped (remaining devices not given); null if not stopped. */
  stopAtMin: number | null;
  nowMin: number;
}): DeviceDosingStatus {
  const plannedEnd = (args.devices - 1) * args.minBetweenDevicesMin;
  const until = args.stopAtMin ?? args.nowMin;
  // The first device is used at dosing start, then one every `minBetweenDevicesMin`.
  const given = Math.min(args.devices, Math.floor(Math.max(0, until) / args.minBetweenDevicesMin + EPS) + 1);
  const stopped = args.stopAtMin !== null && given < args.devices;
  const complete = !stopped && args.nowMin >= plannedEnd;
  return {
    state: stopped ? 'stopped' : complete ? 'complete' : 'running',
    devicesPlanned: args.devices,
    devicesGiven: given,
    amountGivenMg: given * args.mgPerDevice,
    dosingEndMin: stopped ? args.stopAtMin : complete ? plannedEnd : null,
    plannedEndMin: plannedEnd,
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions on alerts

export type AlertDecisionChoice = 'continue' | 'pause' | 'stop';

/**
 * The decisions that can take effect now. IV while running: continue, pause or stop; while
 * paused: continue (stay paused until a recorded resume) or stop; once dosing has ended only
 * "continue monitoring" applies. Esketamine has no infusion to pause: stop (no further devices)
 * while devices remain, otherwise continue.
 */
export function alertDecisionOptions(modality: Modality, state: DosingState): AlertDecisionChoice[] {
  if (state === 'stopped' || state === 'complete') return ['continue'];
  if (modality === 'esketamine') return ['continue', 'stop'];
  return state === 'paused' ? ['continue', 'stop'] : ['continue', 'pause', 'stop'];
}

/** The pause / resume / stop actions a clinician can record on the dosing now. */
export function dosingActions(modality: Modality, state: DosingState): InfusionAction[] {
  if (state === 'stopped' || state === 'complete') return [];
  if (modality === 'esketamine') return ['stop'];
  return state === 'paused' ? ['resume', 'stop'] : ['pause', 'stop'];
}

export interface ReadingAlerts {
  vitalsEventId: string;
  timeMin: number;
  alerts: { id: string; message: string; requiresDecision: boolean }[];
}

export interface OpenReading {
  vitalsEventId: string;
  timeMin: number;
  /** Every alert of the reading that needs a decision: one decision covers them all. */
  alertIds: string[];
  message: string;
}

/**
 * Readings with an alert needing a decision and no decision yet. One decision covers one reading:
 * SBP, DBP and any other alert raised by the same measurement are one clinical event.
 */
export function readingsAwaitingDecision(
  readings: readonly ReadingAlerts[],
  decidedReadingIds: ReadonlySet<string>,
): OpenReading[] {
  return readings
    .filter((r) => !decidedReadingIds.has(r.vitalsEventId))
    .map((r) => ({ r, needs: r.alerts.filter((a) => a.requiresDecision) }))
    .filter(({ needs }) => needs.length > 0)
    .map(({ r, needs }) => ({
      vitalsEventId: r.vitalsEventId,
      timeMin: r.timeMin,
      alertIds: needs.map((a) => a.id),
      message: needs.map((a) => a.message).join('; '),
    }));
}

// ---------------------------------------------------------------------------------------------
// Vitals while paused

export const PAUSED_RECHECK_DEFAULT: SourcedNumber = {
  value: 5,
  status: 'clinic',
  source: 'Clinic setting',
  note: `No source in the reference gives a recheck interval while an infusion is paused; half the 10-min in-infusion cadence (${SOURCES.rivaPosse2018}) is this default.`,
};

/**
 * When vitals are next due, given the dosing state: while an infusion is paused the recheck
 * interval shortens to `pausedRecheckEveryMin` (the reading that led to the pause is rechecked
 * before anyone decides to resume); otherwise the regular cadence around the (projected) end.
 */
export function nextVitalsDueWithDosing(args: {
  readingTimesMin: readonly number[];
  state: DosingState;
  /** Dosing end, or while running its projected end; null while paused. */
  dosingEndMin: number | null;
  nowMin: number;
  cadence: VitalsCadence;
  pausedRecheckEveryMin: number;
}): Omit<VitalsDue, 'reason'> & { reason: VitalsDue['reason'] | 'paused' } {
  if (!(args.pausedRecheckEveryMin > 0)) {
    throw new ClinicalInputError('pausedRecheckEveryMin', 'must be a number of minutes > 0');
  }
  if (args.state === 'paused') {
    const base = nextVitalsDue({ ...args, dosingEndMin: Number.MAX_SAFE_INTEGER });
    if (base.reason === 'baseline') return base;
    const last = Math.max(...args.readingTimesMin);
    const at = Math.min(base.nextDueMin ?? Infinity, last + args.pausedRecheckEveryMin);
    return { nextDueMin: at, overdueByMin: Math.max(0, args.nowMin - at), reason: 'paused' };
  }
  return nextVitalsDue({ ...args, dosingEndMin: args.dosingEndMin ?? 0 });
}

// ---------------------------------------------------------------------------------------------
// IV observation after dosing

export const IV_RECOVERY_SOURCES = {
  ketalarRecovery:
    'Ketalar (ketamine) US label: an outpatient is not released until recovery is complete (no minutes stated)',
  clinicFaq:
    'Clinic protocol page, ketamine-infusion.com FAQ "What is ketamine infusion treatment?": 40-50 min infusion "plus 30-60 minutes to recover"',
} as const;

/**
 * Minimum observation after IV dosing ends. No guideline gives minutes (the Ketalar label: not
 * released until recovery is complete; the 2017 APA consensus: monitor until effects resolve).
 * The longest figure published in the sources we hold is a clinic's "30-60 minutes to recover";
 * the 741-infusion cohort monitored 30 min after. The upper end, 60 min, is the default [U].
 */
export const IV_MIN_OBSERVATION_DEFAULT: SourcedNumber = {
  value: 60,
  status: 'U',
  source: `${IV_RECOVERY_SOURCES.clinicFaq}; ${SOURCES.cardiovascular135}: vitals 30 min after the infusion`,
  note: `No guideline states a number (${IV_RECOVERY_SOURCES.ketalarRecovery}; ${SOURCES.sanacora2017}: monitor until effects resolve). 60 min is the upper end of a published clinic protocol's 30-60 min recovery and twice the 30-min post-infusion monitoring of the 741-infusion cohort; the clinic confirms or changes it.`,
};

/** A clinic's setting as a sourced number: the cited default when unchanged, else 'clinic'. */
export function clinicSetting(value: number, cited: SourcedNumber): SourcedNumber {
  return value === cited.value ? cited : { value, status: 'clinic', source: 'Clinic setting' };
}
