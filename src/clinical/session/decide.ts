/**
 * Decisions: a command plus the session's state plus the clinic's settings become the events to
 * append, or a refusal. Each session rule is stated here once (the dose rules, the esketamine
 * device rule, the adverse-event rule, the time and discharge rules); the application layer only
 * loads, asks, appends and audits.
 *
 * Refusals: `ClinicalInputError` (bad input, naming the field) or `SessionRefusal` (the session is
 * not in a state that allows the command, or the actor may not do it).
 */
import { ClinicalInputError } from '../errors';
import { scoreInstrument } from '../instruments';
import { planDose } from '../pk';
import {
  adverseEventAlert,
  adverseEventSchema,
  defaultPreSessionSettings,
  deviceDosingStatus,
  evaluateDischarge,
  evaluatePreSessionChecklist,
  infusionStatus,
  type AdverseEventCategory,
  type ChecklistResult,
  type DischargeResult,
  type DoseSpec,
  type InfusionAction,
} from '../protocols';
import type { ChecklistAnswers, DischargeAnswers, NewSessionEvent, VitalsValues } from './events';
import {
  ESKETAMINE_DEVICE,
  esketamineDevices,
  esketamineDosingEndMin,
  sessionDischargeSettings,
  sessionThresholds,
  type SessionSettingsInput,
} from './rules';
import { dischargeInput, type SessionState } from './state';
import type { DosingDay } from './dosing-day';
import { orderAtStart, type OrderCheckAtStart } from './orders';

/** Why a command does not apply to the session now (conflict) or to this actor (forbidden). */
export class SessionRefusal extends Error {
  override readonly name = 'SessionRefusal';
  constructor(
    readonly reason: 'conflict' | 'forbidden',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const conflict = (field: string, message: string) => new SessionRefusal('conflict', field, message);

export interface Decided<D = Record<string, unknown>> {
  events: NewSessionEvent[];
  /** What the audit row records about the decision. */
  details?: D;
}

/** Nothing is recorded in a session once the patient has been discharged (adverse events aside). */
export function refuseIfDischarged(state: SessionState): void {
  if (state.record.discharge) {
    throw conflict('session', 'the patient has been discharged; this session is closed');
  }
}

// ------------------------------------------------------------------------------------------------

export function decideCheckIn(
  state: SessionState,
  cmd: { note?: string | undefined },
  screening: { ok: boolean; message: string },
): Decided {
  refuseIfDischarged(state);
  if (state.record.checkIn) throw conflict('session', 'already checked in');
  if (!screening.ok) throw conflict('screening', screening.message);
  return { events: [{ kind: 'check-in', timeMin: null, payload: { note: cmd.note ?? null } }] };
}

export interface ChecklistFacts {
  /** The clinic's today (YYYY-MM-DD). */
  today: string;
  patient: { sexAtBirth: string; ageYears: number };
  /** The patient's weights on record, oldest first (clinic-local measurement dates). */
  weights: readonly { weightKg: number; measuredOn: string }[];
  /** Latest PHQ-9 / C-SSRS screener dates up to today (the assessments store). */
  assessmentsLatest: { phq9: string | null; cssrs: string | null };
}

const BASELINE_KEYS = ['sbpMmHg', 'dbpMmHg', 'heartRateBpm', 'spo2Pct'] as const;

/**
 * The pre-session checklist. Today's weight, when entered and not already measured today, is to
 * be recorded as a body measurement (`weightKgToRecord`); a baseline reading is appended as the
 * pre-dose vitals reading unless the same values were already recorded.
 */
export function decideChecklist(
  state: SessionState,
  answers: ChecklistAnswers,
  facts: ChecklistFacts,
  settings: Pick<SessionSettingsInput, 'thresholds' | 'checklist'>,
): Decided<{ overall: ChecklistResult['overall']; weightRecorded: boolean }> & {
  weightKgToRecord: number | null;
  result: ChecklistResult;
} {
  refuseIfDischarged(state);
  if (!state.record.checkIn) throw conflict('session', 'check the patient in first');
  if (state.record.dosingStart) {
    throw conflict('session', 'dosing has started; the pre-session checklist is closed');
  }
  const b = answers;
  // A resubmitted checklist with the weight already measured today reuses that measurement
  // instead of recording the same weight twice.
  const weightToday = facts.weights.filter((w) => w.measuredOn === facts.today).at(-1);
  let weight = weightToday ?? facts.weights.at(-1);
  let weightKgToRecord: number | null = null;
  if (b.weightKg !== undefined && weightToday?.weightKg !== b.weightKg) {
    weight = { weightKg: b.weightKg, measuredOn: facts.today };
    weightKgToRecord = b.weightKg;
  }
  const baselineValues: VitalsValues = {
    ...(b.baselineSbpMmHg !== undefined ? { sbpMmHg: b.baselineSbpMmHg } : {}),
    ...(b.baselineDbpMmHg !== undefined ? { dbpMmHg: b.baselineDbpMmHg } : {}),
    ...(b.baselineHeartRateBpm !== undefined ? { heartRateBpm: b.baselineHeartRateBpm } : {}),
    ...(b.baselineSpo2Pct !== undefined ? { spo2Pct: b.baselineSpo2Pct } : {}),
  };
  const hasBaseline =
    b.baselineSbpMmHg !== undefined ||
    b.baselineHeartRateBpm !== undefined ||
    b.baselineSpo2Pct !== undefined;
  const result = evaluatePreSessionChecklist(
    {
      modality: state.modality,
      sessionDate: facts.today,
      identityConfirmed: b.identityConfirmed,
      ...(weight ? { weight } : {}),
      ...(hasBaseline ? { baselineVitals: { timeMin: 0, ...baselineValues } } : {}),
      ...(b.lastFoodMinBeforeDose !== undefined ? { lastFoodMinBeforeDose: b.lastFoodMinBeforeDose } : {}),
      ...(b.lastLiquidMinBeforeDose !== undefined
        ? { lastLiquidMinBeforeDose: b.lastLiquidMinBeforeDose }
        : {}),
      escortArranged: b.escortArranged,
      pregnancyTest: b.pregnancyTest,
      patient: facts.patient,
      interactionReviewDone: b.interactionReviewDone,
      // Done only when the response is in the assessments store (the core applies the window).
      phq9AdministeredOn: facts.assessmentsLatest.phq9,
      cssrsAdministeredOn: facts.assessmentsLatest.cssrs,
      ...(b.remsPatientEnrolled !== undefined ? { remsPatientEnrolled: b.remsPatientEnrolled } : {}),
    },
    defaultPreSessionSettings(sessionThresholds(settings, state.modality).thresholds, settings.checklist),
  );
  const events: NewSessionEvent[] = [];
  // The same baseline submitted again is the same reading: append only a changed one.
  const previous = state.record.vitals.filter((e) => (e.timeMin ?? 0) <= 0).at(-1)?.payload;
  const same = previous !== undefined && BASELINE_KEYS.every((k) => previous[k] === baselineValues[k]);
  if (hasBaseline && !same) events.push({ kind: 'vitals', timeMin: 0, payload: baselineValues });
  events.push({ kind: 'checklist', timeMin: null, payload: { input: b, result } });
  return {
    events,
    weightKgToRecord,
    result,
    details: { overall: result.overall, weightRecorded: weightKgToRecord !== null },
  };
}

// ------------------------------------------------------------------------------------------------
// Dose plan

export interface DosePlanCommand {
  /** Esketamine: the prescriber's dose for this session (28-mg devices). Ignored for IV. */
  doseMg?: number | undefined;
  /** IV: override the course's mg/kg (within the clinic maximum). */
  doseMgPerKg?: number | undefined;
  lotNumber?: string | undefined;
  /** IV: the diluent; ignored for esketamine (nothing is diluted). */
  diluent?: string | undefined;
}

export interface DosePlanFacts {
  /** The session's dose as scheduled by its course phase. */
  dose: DoseSpec;
  /** A dose the schedule fixes for this session (esketamine day 1), else null. */
  fixedDoseMg: number | null;
  today: string;
  latestWeight: { weightKg: number; measuredOn: string } | null;
  /** Only a prescriber (or admin) may change the course's mg/kg or an esketamine session's ordered dose. */
  mayChangeCourseDose: boolean;
  /**
   * Esketamine: the dose this session is ordered at (esketamineOrderedDoseMg); null or absent when
   * there is no order yet, and the dose is chosen among the phase's options.
   */
  orderedDoseMg?: number | null | undefined;
}

/**
 * The dose for this session. IV: the course's mg/kg (or a prescriber's change) on today's weight,
 * never above the clinic's maximum, with the pump program. Esketamine: the chosen dose among the
 * phase's options (or the schedule's fixed dose), in whole 28-mg devices 5 minutes apart.
 */
export function decideDosePlan(
  state: SessionState,
  cmd: DosePlanCommand,
  facts: DosePlanFacts,
  settings: Pick<SessionSettingsInput, 'clinicMaxDoseMgPerKg' | 'vialMgPerMl' | 'bagMl'>,
): Decided {
  refuseIfDischarged(state);
  if (!state.record.checklist) throw conflict('session', 'record the pre-session checklist first');
  if (state.record.dosingStart) throw conflict('session', 'dosing has started; the dose plan is fixed');
  const lotNumber = cmd.lotNumber?.trim() ? cmd.lotNumber.trim() : null;
  const diluent = cmd.diluent?.trim() ? cmd.diluent.trim() : null;
  const dose = facts.dose;
  if (dose.kind === 'weight-based') {
    const w = facts.latestWeight;
    if (!w || w.measuredOn !== facts.today) {
      throw new ClinicalInputError('weightKg', "record today's weight in the pre-session checklist first");
    }
    const mgPerKg = cmd.doseMgPerKg ?? dose.doseMgPerKg;
    if (mgPerKg !== dose.doseMgPerKg && !facts.mayChangeCourseDose) {
      throw new SessionRefusal(
        'forbidden',
        'doseMgPerKg',
        `only a prescriber may change the course dose of ${dose.doseMgPerKg} mg/kg`,
      );
    }
    checkMaximumDose(mgPerKg, settings.clinicMaxDoseMgPerKg);
    const plan = planDose({
      weightKg: w.weightKg,
      dose: { doseMgPerKg: mgPerKg, route: 'iv', durationMin: dose.infusionDurationMin, startMin: 0 },
      vialMgPerMl: settings.vialMgPerMl,
      bagMl: settings.bagMl,
      maxMgPerKgPerSession: settings.clinicMaxDoseMgPerKg,
    });
    return {
      events: [
        {
          kind: 'dose-plan',
          timeMin: null,
          payload: {
            modality: 'iv-ketamine',
            doseMg: plan.doseMg,
            doseMgPerKg: mgPerKg,
            weightKg: w.weightKg,
            weightMeasuredOn: w.measuredOn,
            devices: null,
            lotNumber,
            diluent,
            dosingEndMin: plan.durationMin,
            pump: plan,
          },
        },
      ],
      details: { doseMgPerKg: mgPerKg },
    };
  }
  const fixed = facts.fixedDoseMg;
  const ordered = fixed === null ? (facts.orderedDoseMg ?? null) : null;
  // Changing an esketamine session's ordered dose is prescribing, as is changing the course's mg/kg.
  if (ordered !== null && cmd.doseMg !== undefined && cmd.doseMg !== ordered && !facts.mayChangeCourseDose) {
    throw new SessionRefusal(
      'forbidden',
      'doseMg',
      `only a prescriber may change this session's ordered dose of ${ordered} mg`,
    );
  }
  const doseMg = fixed ?? cmd.doseMg ?? ordered ?? undefined;
  if (doseMg === undefined) {
    throw new ClinicalInputError('doseMg', `choose the dose: ${dose.doseMgOptions.join(' or ')} mg`);
  }
  if (fixed !== null && cmd.doseMg !== undefined && cmd.doseMg !== fixed) {
    throw new ClinicalInputError(
      'doseMg',
      `this session's dose is fixed by the schedule at ${fixed} mg (label, day 1)`,
    );
  }
  if (!dose.doseMgOptions.includes(doseMg) && fixed === null) {
    throw new ClinicalInputError(
      'doseMg',
      `must be one of ${dose.doseMgOptions.join(', ')} mg for this phase`,
    );
  }
  const devices = esketamineDevices(doseMg);
  if (devices === null) {
    throw new ClinicalInputError(
      'doseMg',
      `must be a whole number of ${ESKETAMINE_DEVICE.mgPerDevice}-mg devices`,
    );
  }
  return {
    events: [
      {
        kind: 'dose-plan',
        timeMin: null,
        payload: {
          modality: 'esketamine',
          doseMg,
          doseMgPerKg: null,
          weightKg: facts.latestWeight?.weightKg ?? null,
          weightMeasuredOn: facts.latestWeight?.measuredOn ?? null,
          devices,
          lotNumber,
          diluent: null,
          dosingEndMin: esketamineDosingEndMin(devices),
          pump: null,
        },
      },
    ],
    details: ordered !== null && ordered !== doseMg ? { doseMg, orderedDoseMg: ordered } : { doseMg },
  };
}

/** The clinic's maximum IV dose per session (mg/kg): a plan above it is refused. */
export function checkMaximumDose(doseMgPerKg: number, clinicMaxDoseMgPerKg: number): void {
  if (doseMgPerKg > clinicMaxDoseMgPerKg) {
    throw new ClinicalInputError(
      'doseMgPerKg',
      `${doseMgPerKg} mg/kg is above the clinic maximum of ${clinicMaxDoseMgPerKg} mg/kg`,
    );
  }
}

// ------------------------------------------------------------------------------------------------
// Dosing

/** The clinic's default: no second-person verification (the signed order is always required). */
const DEFAULT_ORDER_CHECK: OrderCheckAtStart = { secondPersonVerification: false };

/**
 * Dosing starts only on a plan, once, never on a blocked checklist, and against the signed order
 * (orderAtStart: a plan that differs needs a reason; the clinic may require a second person).
 */
export function decideDosingStart(
  state: SessionState,
  cmd: { note?: string | undefined; deviationReason?: string | undefined },
  orders: OrderCheckAtStart = DEFAULT_ORDER_CHECK,
): Decided {
  refuseIfDischarged(state);
  const r = state.record;
  if (r.dosingStart) throw conflict('session', 'dosing has already started');
  if (!r.dosePlan) throw conflict('session', 'compute the dose plan first');
  if (r.checklist?.payload.result.overall === 'blocked') {
    const failed = r.checklist.payload.result.items.filter((i) => i.state === 'fail').map((i) => i.label);
    throw conflict('checklist', `the pre-session checklist is blocked: ${failed.join(', ')}`);
  }
  const order = orderAtStart(state, cmd.deviationReason, orders);
  return {
    events: [{ kind: 'dosing-start', timeMin: 0, payload: { note: cmd.note ?? null, ...order } }],
    ...(order.orderDeviation ? { details: { orderDeviation: true } } : {}),
  };
}

export interface ScheduledDosingStartCommand {
  note?: string | undefined;
  /** Why the session is dosed on a day outside the clinic's window around its scheduled date. */
  scheduleOverrideReason?: string | undefined;
  /** Why the dose plan differs from the signed order (required then). */
  deviationReason?: string | undefined;
}

/**
 * Dosing start on the session's day: the session must be ready (decideDosingStart), dosed within
 * the clinic's window around its scheduled date or with a reason (recorded in the event), and no
 * sooner than the clinic's minimum days after the patient's last dose of the modality (no reason
 * lifts that).
 */
export function decideScheduledDosingStart(
  state: SessionState,
  cmd: ScheduledDosingStartCommand,
  day: DosingDay,
  orders: OrderCheckAtStart = DEFAULT_ORDER_CHECK,
): Decided {
  const started = decideDosingStart(state, cmd, orders);
  const reason = cmd.scheduleOverrideReason?.trim() ?? '';
  const blocking = day.blockers.filter((b) => b.field !== 'scheduleOverrideReason' || reason === '');
  if (blocking.length > 0) {
    throw conflict(blocking[0]!.field, blocking.map((b) => b.message).join('; '));
  }
  if (day.onScheduledDay) return started;
  // Outside the window with a reason: the reason goes with the dosing start.
  const scheduleOverride = {
    reason,
    scheduledOn: day.scheduledOn,
    dosedOn: day.today,
    daysFromScheduled: day.daysFromScheduled,
  };
  const start = started.events[0] as Extract<NewSessionEvent, { kind: 'dosing-start' }>;
  return {
    events: [{ ...start, payload: { ...start.payload, scheduleOverride } }],
    // The audit row records that a reason was given, never its text.
    details: { ...started.details, scheduleOverride: true, daysFromScheduled: day.daysFromScheduled },
  };
}

export interface DosingActionCommand {
  action: InfusionAction;
  /** Minutes after dosing start; default now. */
  atMin?: number | undefined;
  note?: string | undefined;
  /** The entry whose alert decision caused it. */
  vitalsEventId?: string | undefined;
}

/**
 * A pause / resume / stop, checked by replaying the whole record with it: an entry that could not
 * take effect is refused, never stored. Esketamine devices can only be stopped, once, before the
 * last device.
 */
export function decideDosingAction(state: SessionState, a: DosingActionCommand): Decided {
  refuseIfDischarged(state);
  const plan = state.record.dosePlan?.payload;
  if (!state.dosing || !plan || state.nowMin === null) throw conflict('session', 'dosing has not started');
  const nowMin = state.nowMin;
  const atMin = a.atMin ?? nowMin;
  const prior = state.dosing.history.map((h) => ({ action: h.action, atMin: h.atMin }));
  let amountGivenMg: number;
  let runningMin: number | null;
  if (state.modality === 'esketamine') {
    if (a.action !== 'stop' || prior.length > 0) {
      throw new ClinicalInputError('action', `"${a.action}" does not apply to esketamine devices now`);
    }
    if (atMin > nowMin)
      throw new ClinicalInputError('atMin', `cannot be in the future (now is ${nowMin} min)`);
    const d = deviceDosingStatus({
      devices: plan.devices ?? 1,
      ...ESKETAMINE_DEVICE,
      stopAtMin: atMin,
      nowMin,
    });
    if (d.state !== 'stopped') {
      throw new ClinicalInputError(
        'action',
        'every device had been used by then: dosing was already complete',
      );
    }
    amountGivenMg = d.amountGivenMg;
    runningMin = null;
  } else {
    const i = infusionStatus(
      { doseMg: plan.doseMg, durationMin: plan.dosingEndMin },
      [...prior, { action: a.action, atMin }],
      nowMin,
    );
    amountGivenMg = i.amountGivenMg;
    runningMin = i.runningMin;
  }
  return {
    events: [
      {
        kind: 'dosing-action',
        timeMin: atMin,
        payload: {
          action: a.action,
          note: a.note ?? null,
          ...(a.vitalsEventId ? { vitalsEventId: a.vitalsEventId } : {}),
          // What had been given when the entry was made (stop: the amount given in total).
          amountGivenMg,
          runningMin,
        },
      },
    ],
    details: { action: a.action, atMin, amountGivenMg },
  };
}

// ------------------------------------------------------------------------------------------------
// Readings and entries

export type VitalsCommand = VitalsValues & { timeMin?: number | undefined };

/**
 * A vitals reading, by default now in whole minutes after dosing start (never later than a
 * discharge recorded after it; at least 0.1 so it is not read as pre-dose). Before dosing every
 * reading is pre-dose (<= 0 min); none may be in the future.
 */
export function decideVitals(state: SessionState, cmd: VitalsCommand): Decided<{ fields: string[] }> {
  refuseIfDischarged(state);
  const { timeMin: given, ...values } = cmd;
  const nowMin = state.nowMin;
  const timeMin = given ?? (nowMin === null ? 0 : Math.max(0.1, Math.floor(nowMin)));
  if (given !== undefined && nowMin !== null && given > nowMin) {
    throw new ClinicalInputError('timeMin', `cannot be in the future (now is ${Math.floor(nowMin)} min)`);
  }
  if (nowMin === null && timeMin > 0) {
    throw new ClinicalInputError('timeMin', 'dosing has not started: a reading now is pre-dose (<= 0 min)');
  }
  return { events: [{ kind: 'vitals', timeMin, payload: values }], details: { fields: Object.keys(values) } };
}

export interface AlertDecisionCommand {
  vitalsEventId: string;
  alertId?: string | undefined;
  decision: 'continue' | 'pause' | 'stop';
  note?: string | undefined;
}

/**
 * A decision on an entry's alerts: one decision covers every alert of the entry, once. Only the
 * decisions the dosing state allows apply; pause and stop act on the dosing at once, as if
 * recorded on the dosing itself.
 */
export function decideAlertDecision(state: SessionState, b: AlertDecisionCommand): Decided {
  refuseIfDischarged(state);
  const ae = state.adverseEvents.find((a) => a.event.id === b.vitalsEventId);
  const reading =
    state.vitals.find((v) => v.event.id === b.vitalsEventId) ??
    state.observations.find((o) => o.event.id === b.vitalsEventId) ??
    (ae ? { timeMin: ae.timeMin, alerts: ae.alert ? [ae.alert] : [], decision: ae.decision } : undefined);
  if (!reading) {
    throw new ClinicalInputError(
      'vitalsEventId',
      'no such vitals reading, MOAA/S entry or adverse event in this session',
    );
  }
  const alerts: { id: string; message: string; requiresDecision?: boolean }[] = reading.alerts;
  if (b.alertId !== undefined && !alerts.some((a) => a.id === b.alertId)) {
    throw new ClinicalInputError('alertId', 'this entry raised no such alert');
  }
  const covered = alerts.filter((a) => a.requiresDecision ?? true).map((a) => a.id);
  const alertId = b.alertId ?? covered[0] ?? alerts[0]?.id;
  if (alertId === undefined) throw new ClinicalInputError('vitalsEventId', 'this entry raised no alert');
  if (alerts.length > 0 && reading.decision !== null) {
    throw new SessionRefusal(
      'conflict',
      'alert',
      `a decision on the ${reading.timeMin}-min entry is already recorded`,
    );
  }
  const offered = state.dosing?.decisionOptions ?? ['continue'];
  if (!offered.includes(b.decision)) {
    throw new ClinicalInputError(
      'decision',
      `"${b.decision}" does not apply now (${state.dosing ? `dosing ${state.dosing.state}` : 'dosing not started'}); choose ${offered.join(' or ')}`,
    );
  }
  const events: NewSessionEvent[] = [
    {
      kind: 'alert-decision',
      timeMin: reading.timeMin,
      payload: {
        vitalsEventId: b.vitalsEventId,
        alertId,
        alertIds: covered,
        decision: b.decision,
        note: b.note ?? null,
      },
    },
  ];
  if (b.decision !== 'continue') {
    const action = decideDosingAction(state, {
      action: b.decision,
      note: `${b.decision === 'pause' ? 'Paused' : 'Stopped'} for the ${reading.timeMin}-min reading: ${alerts.map((a) => a.message).join('; ')}${b.note ? ` (${b.note})` : ''}`,
      vitalsEventId: b.vitalsEventId,
    });
    events.push(...action.events);
  }
  return { events, details: { alertId, alertIds: covered, decision: b.decision } };
}

export type ObservationCommand =
  | { kind: 'cadss6'; timeMin?: number | undefined; answers: Record<string, number> }
  | { kind: 'moaas'; timeMin?: number | undefined; score: number };

/**
 * A CADSS-6 (scored by the instruments core) or MOAA/S entry, by default now in whole minutes
 * rounded down, so an entry made now is never later than a discharge recorded right after it.
 */
export function decideObservation(state: SessionState, b: ObservationCommand): Decided {
  refuseIfDischarged(state);
  const timeMin = b.timeMin ?? Math.max(0, Math.floor(state.nowMin ?? 0));
  if (b.kind === 'cadss6') {
    const scored = scoreInstrument('cadss6', b.answers);
    return {
      events: [
        {
          kind: 'cadss6',
          timeMin,
          payload: {
            answers: b.answers,
            score: scored.total,
            scoreMax: scored.totalRange?.max ?? null,
            unverified: scored.unverified,
          },
        },
      ],
      details: { kind: b.kind },
    };
  }
  return {
    events: [{ kind: 'moaas', timeMin, payload: { score: b.score, scoreMax: 5, unverified: [] } }],
    details: { kind: b.kind },
  };
}

export interface AdverseEventCommand {
  category: AdverseEventCategory;
  description?: string | undefined;
  severity: 'mild' | 'moderate' | 'severe';
  actionTaken: 'none' | 'observed' | 'paused' | 'stopped' | 'medication-given' | 'escalated-emergency';
  timeMin?: number | undefined;
  onsetMin?: number | undefined;
  serious: boolean;
  escalation?:
    'none' | 'prescriber-notified' | 'emergency-services-called' | 'transferred-to-hospital' | undefined;
}

/**
 * An adverse event, recorded even after discharge (an event may be reported late). The adverse
 * event rule (serious, severe or respiratory → a decision is needed) is the core's
 * `adverseEventAlert`; the session state applies it to every recorded event.
 */
export function decideAdverseEvent(state: SessionState, b: AdverseEventCommand): Decided {
  if (b.category === 'other' && !b.description?.trim()) {
    throw new ClinicalInputError('description', "description is required when category is 'other'");
  }
  const timeMin = b.timeMin ?? Math.round(state.nowMin ?? 0);
  const checked = adverseEventSchema.safeParse({ ...b, timeMin });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'adverseEvent', issue.message);
  }
  const payload = {
    category: b.category,
    ...(b.description !== undefined ? { description: b.description } : {}),
    severity: b.severity,
    actionTaken: b.actionTaken,
    ...(b.onsetMin !== undefined ? { onsetMin: b.onsetMin } : {}),
    serious: b.serious,
    ...(b.escalation !== undefined ? { escalation: b.escalation } : {}),
    timeMin,
  };
  return {
    events: [{ kind: 'adverse-event', timeMin, payload }],
    details: {
      category: b.category,
      severity: b.severity,
      serious: b.serious,
      needsDecision: adverseEventAlert(checked.data) !== null,
    },
  };
}

/** Which answer or record each discharge check points the clinician to. */
const DISCHARGE_FIELD: Record<string, string> = {
  'DIS-ESK-MIN-MONITORING': 'dischargeAtMin',
  'DIS-IV-MIN-OBSERVATION': 'dischargeAtMin',
  'DIS-IV-INFUSION-ENDED': 'dischargeAtMin',
  'DIS-ESK-BP-PRE-DOSE': 'vitals',
  'DIS-ESK-BP-40-MIN': 'vitals',
  'DIS-BP-BEFORE-DISCHARGE': 'vitals',
  'DIS-ESK-BP-NOT-RISING': 'vitals',
  'DIS-BP-BELOW-HOLD': 'vitals',
  'DIS-HR-WITHIN-THRESHOLDS': 'vitals',
  'DIS-SPO2-WITHIN-THRESHOLDS': 'vitals',
  'DIS-MOAAS-BASELINE': 'observations',
  'DIS-CADSS-RESOLVED': 'observations',
  'DIS-IV-MENTAL-STATUS': 'mentalStatusAtBaseline',
  'DIS-EFFECTS-RESOLVED': 'sedationResolved',
  'DIS-CLINICALLY-STABLE': 'clinicallyStable',
  'DIS-ESCORT': 'escortPresent',
};

/**
 * Discharge: refused unless every discharge check passes and no entry awaits a decision. A
 * discharge time may be entered after the fact, never ahead of the clock: the monitoring-time
 * rules are checked against time that has actually passed.
 */
export function decideDischarge(
  state: SessionState,
  b: DischargeAnswers,
  settings: Pick<SessionSettingsInput, 'thresholds' | 'monitoring'>,
): Decided<{ atMin: number }> & { result: DischargeResult } {
  refuseIfDischarged(state);
  if (!state.record.dosingStart || !state.record.dosePlan || state.nowMin === null) {
    throw conflict('session', 'dosing has not started');
  }
  if (b.dischargeAtMin !== undefined && b.dischargeAtMin > state.nowMin) {
    throw new ClinicalInputError(
      'dischargeAtMin',
      `cannot be in the future (now is ${Math.floor(state.nowMin)} min after dosing start)`,
    );
  }
  const dischargeAtMin = b.dischargeAtMin ?? Math.floor(state.nowMin);
  const result = evaluateDischarge(
    dischargeInput(state, b, dischargeAtMin),
    sessionDischargeSettings(settings, state.modality),
  );
  // Undecided alerts come first: they need a decision before anything else, and the refusal
  // names them together with every unmet discharge criterion.
  if (state.openAlerts.length > 0) {
    const open = `record a decision on ${state.openAlerts.length} reading(s) with open alerts first`;
    throw new ClinicalInputError(
      'alerts',
      result.allowed ? open : `${open}; ${result.message.replace(/^Discharge refused: /, '')}`,
    );
  }
  if (!result.allowed) {
    const first = result.missing[0]!.id;
    throw new ClinicalInputError(DISCHARGE_FIELD[first] ?? 'discharge', result.message);
  }
  return {
    events: [
      {
        kind: 'discharge',
        timeMin: dischargeAtMin,
        payload: {
          atMin: dischargeAtMin,
          ...(b.readyToLeaveMinFromStart !== undefined
            ? { readyToLeaveMinFromStart: b.readyToLeaveMinFromStart }
            : {}),
          answers: b,
          result,
        },
      },
    ],
    result,
    details: { atMin: dischargeAtMin },
  };
}

/** The REMS Patient Monitoring Form applies to esketamine sessions only. */
export function refuseUnlessEsketamine(state: Pick<SessionState, 'modality'>): void {
  if (state.modality !== 'esketamine') {
    throw conflict('session', 'the REMS Patient Monitoring Form applies to esketamine sessions only');
  }
}

export function decideRemsSubmitted(state: SessionState, b: { submittedOn: string }): Decided {
  refuseUnlessEsketamine(state);
  return { events: [{ kind: 'rems-submitted', timeMin: null, payload: { submittedOn: b.submittedOn } }] };
}
