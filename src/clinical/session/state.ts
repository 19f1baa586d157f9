/**
 * The session's state at an instant: its record (the fold) judged by the clinic's rules. Alerts on
 * every reading and entry, which entries await a decision, the dosing clock, when vitals are next
 * due and the earliest discharge. Pure: `now` and the settings are inputs.
 */
import {
  adverseEventAlert,
  alertDecisionOptions,
  defaultVitalsCadence,
  deviceDosingStatus,
  dosingActions,
  earliestDischargeMin,
  evaluateSedation,
  infusionStatus,
  nextVitalsDueWithDosing,
  readingsAwaitingDecision,
  preDoseBaseline,
  sessionReadingJudge,
  type AdverseEventAlert,
  type AlertDecisionChoice,
  type DischargeInput,
  type DosingState,
  type InfusionAction,
  type Modality,
  type VitalsAlert,
  type VitalsCadence,
  type VitalsThresholds,
} from '../protocols';
import { frozenMemo } from '../frozen';
import type { DischargeAnswers, SessionEventOf, VitalsValues } from './events';
import { minutesSinceDosingStart, sessionPhase, type SessionPhase, type SessionRecord } from './fold';
import {
  ESKETAMINE_DEVICE,
  plannedRegimen,
  sessionDischargeSettings,
  sessionThresholds,
  type SessionSettingsInput,
} from './rules';

export type DecisionEvent = SessionEventOf<'alert-decision'>;

export interface VitalsEntry {
  event: SessionEventOf<'vitals'>;
  timeMin: number;
  values: VitalsValues;
  alerts: VitalsAlert[];
  decision: DecisionEvent | null;
}

export interface ObservationEntry {
  event: SessionEventOf<'cadss6' | 'moaas'>;
  kind: 'cadss6' | 'moaas';
  timeMin: number;
  score: number | null;
  scoreMax: number | null;
  unverified: string[];
  /** MOAA/S: the deep-sedation alarm, when the score is at or below the clinic's. */
  alerts: VitalsAlert[];
  decision: DecisionEvent | null;
}

export interface AdverseEventEntry {
  event: SessionEventOf<'adverse-event'>;
  timeMin: number;
  /** A serious, severe or respiratory adverse event needs a decision like a vital-sign alarm. */
  alert: AdverseEventAlert | null;
  decision: DecisionEvent | null;
}

export interface OpenAlert {
  /** The entry that raised the alerts: a vitals reading, a MOAA/S entry or an adverse event. */
  entryId: string;
  source: 'vitals' | 'sedation' | 'adverse-event';
  alertIds: string[];
  message: string;
  timeMin: number;
}

export interface DosingStatus {
  kind: 'infusion' | 'devices';
  state: DosingState;
  plannedMg: number;
  /** IV: rate × running time; esketamine: devices used × 28 mg. */
  amountGivenMg: number;
  rateMgPerMin: number | null;
  runningMin: number | null;
  remainingMin: number | null;
  pausedMin: number | null;
  pausedSinceMin: number | null;
  remainingVtbiMl: number | null;
  devicesGiven: number | null;
  devicesPlanned: number | null;
  dosingEndMin: number | null;
  projectedEndMin: number | null;
  /** IV running intervals (the curve's regimen); empty for devices. */
  segments: { startMin: number; endMin: number }[];
  /** What can be recorded now: dosing actions, and the decisions offered on an alert. */
  actions: InfusionAction[];
  decisionOptions: AlertDecisionChoice[];
  history: { event: SessionEventOf<'dosing-action'>; action: InfusionAction; atMin: number }[];
}

export interface NextVitals {
  nextDueMin: number | null;
  overdueByMin: number;
  reason: string;
  cadence: VitalsCadence;
}

export interface SessionState {
  modality: Modality;
  record: SessionRecord;
  phase: SessionPhase;
  /** Minutes since dosing start (null before dosing). */
  nowMin: number | null;
  thresholds: VitalsThresholds;
  thresholdsSource: 'defaults' | 'clinic';
  /** Sorted by minute. */
  vitals: VitalsEntry[];
  observations: ObservationEntry[];
  adverseEvents: AdverseEventEntry[];
  /** One per entry awaiting a decision, by minute. */
  openAlerts: OpenAlert[];
  dosing: DosingStatus | null;
  nextVitals: NextVitals | null;
  /** Earliest discharge by the time rules (IV: end of dosing + observation; esketamine: 120 min). */
  earliestDischargeMin: number | null;
  /** The planned dose in the regimen language, for display (null before a dose plan). */
  plannedRegimen: string[] | null;
}

/**
 * Readings' alerts, remembered by what they are a function of: the reading's minute and values and
 * what it was judged against (the thresholds, and for a post-dose reading the pre-dose baseline). A
 * session is judged again on every read and append, and a long one holds thousands of readings;
 * equal inputs give equal alerts, whichever stored row or session they came from. Bounded: a miss
 * only judges again. The remembered alerts are frozen, as they are shared.
 */
const judged = new Map<string, Map<string, readonly VitalsAlert[]>>();
const JUDGED_MAX = 20_000;
let judgedCount = 0;

/** Judgements made against one basis (thresholds, and baseline for post-dose readings). */
function judgedAgainst(basis: string): Map<string, readonly VitalsAlert[]> {
  let kept = judged.get(basis);
  if (!kept) {
    kept = new Map();
    judged.set(basis, kept);
  }
  return kept;
}

/** Thresholds seen lately, by a short id (bounded: a miss only judges again). */
const thresholdIds = new Map<string, number>();
let nextThresholdId = 0;

/** Frozen thresholds (the resolved clinic settings and defaults) keep their id without re-keying. */
const frozenThresholdIds = frozenMemo<number>();

const thresholdsId = (thresholds: VitalsThresholds): number =>
  frozenThresholdIds(thresholds, null, () => {
    const key = JSON.stringify(thresholds);
    let id = thresholdIds.get(key);
    if (id === undefined) {
      if (thresholdIds.size >= 64) thresholdIds.clear();
      id = nextThresholdId++;
      thresholdIds.set(key, id);
    }
    return id;
  });

/**
 * The readings' alerts (sorted by minute), as sessionVitalsEvaluator judges them: post-dose readings
 * against the pre-dose baseline (each measure's latest pre-dose value).
 */
function readingAlerts(
  sorted: readonly SessionEventOf<'vitals'>[],
  thresholds: VitalsThresholds,
): VitalsAlert[][] {
  // Made at the first reading not judged before (it validates the thresholds): a remembered
  // judgement was made under these same thresholds, validated then.
  let judge: ReturnType<typeof sessionReadingJudge> | undefined;
  const readings = sorted.map((e) => ({ timeMin: e.timeMin ?? 0, ...e.payload }));
  const baseline = preDoseBaseline(readings);
  const basis = `${thresholdsId(thresholds)}`;
  const preDose = judgedAgainst(basis);
  // Keyed by the baseline only once a post-dose reading asks (before dosing there is none).
  let postDose: Map<string, readonly VitalsAlert[]> | undefined;
  return readings.map((r, i) => {
    // Exactly what the judge reads of a reading (vitalsReadingSchema).
    const key = `${r.timeMin}|${r.sbpMmHg}|${r.dbpMmHg}|${r.heartRateBpm}|${r.spo2Pct}|${r.respiratoryRatePerMin}`;
    const against =
      r.timeMin > 0 ? (postDose ??= judgedAgainst(`${basis}|${JSON.stringify(baseline ?? null)}`)) : preDose;
    const kept = against.get(key);
    if (kept) return kept as VitalsAlert[];
    judge ??= sessionReadingJudge(thresholds);
    const alerts = judge(r, i, baseline);
    for (const a of alerts) Object.freeze(a);
    if (++judgedCount > JUDGED_MAX) {
      judged.clear();
      judgedCount = 0;
    }
    against.set(key, Object.freeze(alerts));
    return alerts;
  });
}

/** The state of a session with this record, under these settings, at `now`. */
export function sessionState(
  record: SessionRecord,
  modality: Modality,
  settings: Pick<SessionSettingsInput, 'thresholds' | 'monitoring'>,
  now: Date,
): SessionState {
  const { thresholds, source } = sessionThresholds(settings, modality);
  const nowMin = minutesSinceDosingStart(record, now);

  const sortedVitals = [...record.vitals].sort((a, b) => (a.timeMin ?? 0) - (b.timeMin ?? 0));
  // The latest decision on each entry (decisionOn, for every entry at once).
  const decisions = new Map<string, DecisionEvent>();
  for (const d of record.alertDecisions) decisions.set(d.payload.vitalsEventId, d);
  const decisionOn = (id: string) => decisions.get(id) ?? null;
  const raised = readingAlerts(sortedVitals, thresholds);
  const vitals: VitalsEntry[] = sortedVitals.map((e, i) => ({
    event: e,
    timeMin: e.timeMin ?? 0,
    values: e.payload,
    alerts: raised[i]!,
    decision: decisionOn(e.id),
  }));
  const observations: ObservationEntry[] = record.observations.map((e) => {
    const score = e.payload.score;
    return {
      event: e,
      kind: e.kind,
      timeMin: e.timeMin ?? 0,
      score,
      scoreMax: e.payload.scoreMax,
      unverified: e.payload.unverified,
      alerts: e.kind === 'moaas' && score !== null ? evaluateSedation(score, thresholds) : [],
      decision: decisionOn(e.id),
    };
  });
  const adverseEvents: AdverseEventEntry[] = record.adverseEvents.map((e) => {
    const timeMin = e.timeMin ?? 0;
    return {
      event: e,
      timeMin,
      alert: adverseEventAlert({ ...e.payload, timeMin }),
      decision: decisionOn(e.id),
    };
  });

  const decided = new Set(record.alertDecisions.map((d) => d.payload.vitalsEventId));
  const entries = [
    ...vitals.map((v) => ({
      id: v.event.id,
      timeMin: v.timeMin,
      alerts: v.alerts,
      source: 'vitals' as const,
    })),
    ...observations.map((o) => ({
      id: o.event.id,
      timeMin: o.timeMin,
      alerts: o.alerts.map((a) => ({ ...a, requiresDecision: true })),
      source: 'sedation' as const,
    })),
    ...adverseEvents.map((ae) => ({
      id: ae.event.id,
      timeMin: ae.timeMin,
      alerts: ae.alert ? [ae.alert] : [],
      source: 'adverse-event' as const,
    })),
  ];
  const sourceOf = new Map(entries.map((e) => [e.id, e.source]));
  const openAlerts: OpenAlert[] = readingsAwaitingDecision(
    entries.map((e) => ({ vitalsEventId: e.id, timeMin: e.timeMin, alerts: e.alerts })),
    decided,
  )
    .map((r) => ({
      entryId: r.vitalsEventId,
      source: sourceOf.get(r.vitalsEventId)!,
      alertIds: r.alertIds,
      message: r.message,
      timeMin: r.timeMin,
    }))
    .sort((a, b) => a.timeMin - b.timeMin);

  const plan = record.dosePlan?.payload ?? null;
  const dosing =
    record.dosingStart && plan ? dosingStatus(modality, plan, record.dosingActions, nowMin ?? 0) : null;
  const cadence = defaultVitalsCadence(modality);
  const nextVitals =
    record.discharge || !dosing
      ? null
      : {
          ...nextVitalsDueWithDosing({
            readingTimesMin: vitals.map((v) => v.timeMin),
            state: dosing.state,
            dosingEndMin: dosing.dosingEndMin ?? dosing.projectedEndMin,
            nowMin: nowMin ?? 0,
            cadence,
            pausedRecheckEveryMin: settings.monitoring.pausedRecheckEveryMin,
          }),
          cadence,
        };

  const state: SessionState = {
    modality,
    record,
    phase: sessionPhase(record),
    nowMin,
    thresholds,
    thresholdsSource: source,
    vitals,
    observations,
    adverseEvents,
    openAlerts,
    dosing,
    nextVitals,
    earliestDischargeMin: null,
    plannedRegimen: record.dosePlan ? plannedRegimen(record.dosePlan.payload) : null,
  };
  if (dosing && !record.discharge) {
    state.earliestDischargeMin = earliestDischargeMin(
      modality,
      dosing.dosingEndMin,
      sessionDischargeSettings(settings, modality),
    );
  }
  return state;
}

type DosePlan = SessionEventOf<'dose-plan'>['payload'];

/** The dosing clock from the dose plan and the recorded pause / resume / stop entries. */
export function dosingStatus(
  modality: Modality,
  plan: DosePlan,
  actions: readonly SessionEventOf<'dosing-action'>[],
  nowMin: number,
): DosingStatus {
  const history = actions.map((e) => ({ event: e, action: e.payload.action, atMin: e.timeMin ?? 0 }));
  const replay = history.map((h) => ({ action: h.action, atMin: h.atMin }));
  let status: Omit<DosingStatus, 'actions' | 'decisionOptions' | 'history'>;
  if (modality === 'esketamine') {
    const d = deviceDosingStatus({
      devices: plan.devices ?? 1,
      ...ESKETAMINE_DEVICE,
      stopAtMin: replay.find((e) => e.action === 'stop')?.atMin ?? null,
      nowMin,
    });
    status = {
      kind: 'devices',
      state: d.state,
      plannedMg: plan.doseMg,
      amountGivenMg: d.amountGivenMg,
      rateMgPerMin: null,
      runningMin: null,
      remainingMin: null,
      pausedMin: null,
      pausedSinceMin: null,
      remainingVtbiMl: null,
      devicesGiven: d.devicesGiven,
      devicesPlanned: d.devicesPlanned,
      dosingEndMin: d.dosingEndMin,
      projectedEndMin: d.dosingEndMin === null ? d.plannedEndMin : null,
      segments: [],
    };
  } else {
    const i = infusionStatus(
      {
        doseMg: plan.doseMg,
        durationMin: plan.dosingEndMin,
        ...(plan.pump ? { vtbiMl: plan.pump.vtbiMl } : {}),
      },
      replay,
      nowMin,
    );
    status = {
      kind: 'infusion',
      state: i.state,
      plannedMg: i.plannedMg,
      amountGivenMg: i.amountGivenMg,
      rateMgPerMin: i.rateMgPerMin,
      runningMin: i.runningMin,
      remainingMin: i.remainingMin,
      pausedMin: i.pausedMin,
      pausedSinceMin: i.pausedSinceMin,
      remainingVtbiMl: i.remainingVtbiMl,
      devicesGiven: null,
      devicesPlanned: null,
      dosingEndMin: i.dosingEndMin,
      projectedEndMin: i.projectedEndMin,
      segments: i.segments,
    };
  }
  return {
    ...status,
    actions: dosingActions(modality, status.state),
    decisionOptions: alertDecisionOptions(modality, status.state),
    history,
  };
}

export type DischargeChecklistAnswers = Pick<
  DischargeAnswers,
  | 'sedationResolved'
  | 'dissociationResolved'
  | 'respiratoryDepressionResolved'
  | 'mentalStatusAtBaseline'
  | 'clinicallyStable'
  | 'escortPresent'
>;

/** Blood-pressure readings (both values present), by minute. */
export function bpReadings(state: Pick<SessionState, 'vitals'>) {
  return state.vitals
    .filter((v) => v.values.sbpMmHg !== undefined && v.values.dbpMmHg !== undefined)
    .map((v) => ({ timeMin: v.timeMin, sbpMmHg: v.values.sbpMmHg!, dbpMmHg: v.values.dbpMmHg! }));
}

/** The core's discharge input from the session state and the clinician's answers. */
export function dischargeInput(
  state: SessionState,
  b: DischargeChecklistAnswers,
  dischargeAtMin: number,
): DischargeInput {
  const obs = (kind: 'moaas' | 'cadss6') =>
    state.observations
      .filter((o) => o.kind === kind && o.score !== null)
      .map((o) => ({ timeMin: o.timeMin, score: o.score! }));
  return {
    modality: state.modality,
    dosingEndMin: state.dosing?.dosingEndMin ?? null,
    dischargeAtMin,
    bpReadings: bpReadings(state),
    vitalsReadings: state.vitals.map((v) => ({
      timeMin: v.timeMin,
      ...(v.values.heartRateBpm !== undefined ? { heartRateBpm: v.values.heartRateBpm } : {}),
      ...(v.values.spo2Pct !== undefined ? { spo2Pct: v.values.spo2Pct } : {}),
    })),
    moaas: obs('moaas'),
    cadss: obs('cadss6'),
    sedationResolved: b.sedationResolved,
    dissociationResolved: b.dissociationResolved,
    respiratoryDepressionResolved: b.respiratoryDepressionResolved,
    mentalStatusAtBaseline: b.mentalStatusAtBaseline,
    clinicallyStable: b.clinicallyStable,
    escortPresent: b.escortPresent,
  };
}
