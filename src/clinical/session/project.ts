/**
 * Projections of a session's state for readers outside the session screen: the REMS Patient
 * Monitoring Form and whether the treatment took place. They read the same state as the session
 * screen, so the form, the exports and the screen cannot disagree.
 */
import { z } from 'zod';
import {
  buildRemsMonitoringForm,
  infusionDoses,
  infusionStatus,
  REMS_FORM_SEX,
  remsObservations,
  remsSexFor,
  type Medication,
  type RemsBuildResult,
} from '../protocols';
import { bpReadings, type SessionState } from './state';
import type { SessionRecord } from './fold';
import { formatRegimen, type Dose } from '../pk';
import { esketamineDoses, plannedDoses } from './rules';

export interface RemsFormFacts {
  patient: { givenName: string; familyName: string; dateOfBirth: string; sexAtBirth: string };
  /** The patient's current medications, as the interaction rules read them. */
  medications: Medication[];
  sessionDate: string;
  /** The first esketamine treatment of the course. */
  firstTreatment: boolean;
  remsSetting: { name: string; address: string };
  remsMonitoringHcp: { name: string; phone: string; email: string };
}

/** The REMS Patient Monitoring Form from the session's records (missing fields listed, never guessed). */
export function sessionRemsForm(state: SessionState, facts: RemsFormFacts): RemsBuildResult {
  const r = state.record;
  const plan = r.dosePlan?.payload ?? null;
  const discharge = r.discharge?.payload ?? null;
  const sex = remsSexFor(facts.patient.sexAtBirth);
  const missing: string[] = [];
  if (!sex)
    missing.push(`patient.sex (the form offers ${REMS_FORM_SEX.join(', ')}; the record says unknown)`);
  if (!plan) missing.push('dose (no dose recorded)');
  if (!plan?.lotNumber) missing.push('treatment.lotNumber');
  if (!discharge) missing.push('discharge (monitoring end)');
  const setting = facts.remsSetting;
  const hcp = facts.remsMonitoringHcp;
  if (!setting.name || !setting.address)
    missing.push('setting (clinic settings: REMS setting name and address)');
  if (!hcp.name || !hcp.phone || !z.email().safeParse(hcp.email).success) {
    missing.push('monitoringHcp (clinic settings: name, phone, email)');
  }
  if (missing.length > 0 || !sex || !plan?.lotNumber || !discharge) return { ok: false, missing };
  const beforeAlerts = state.vitals.filter((v) => v.timeMin <= 0).flatMap((v) => v.alerts);
  const lastReading = state.vitals.filter((v) => v.timeMin <= discharge.atMin).at(-1);
  const observed = remsObservations({
    moaas: state.observations.filter((o) => o.kind === 'moaas'),
    cadss6: state.observations.filter((o) => o.kind === 'cadss6'),
    alerts: [
      ...state.vitals.flatMap((v) => v.alerts.map((a) => ({ ...a, timeMin: v.timeMin }))),
      ...state.observations.flatMap((o) => o.alerts.map((a) => ({ ...a, timeMin: o.timeMin }))),
    ],
    adverseEvents: state.adverseEvents.map((a) => ({
      category: a.event.payload.category,
      description: a.event.payload.description ?? null,
      serious: a.event.payload.serious,
      timeMin: a.timeMin,
    })),
  });
  return buildRemsMonitoringForm({
    patient: {
      firstName: facts.patient.givenName,
      lastName: facts.patient.familyName,
      dateOfBirth: facts.patient.dateOfBirth,
      sex,
      firstTreatment: facts.firstTreatment,
      enrolledInRems: r.checklist?.payload.input.remsPatientEnrolled === true,
    },
    medications: facts.medications,
    monitoringHcp: hcp,
    setting,
    sessionDate: facts.sessionDate,
    // What was given: a stop before the last device leaves fewer devices used than planned.
    doseMg: state.dosing?.amountGivenMg ?? plan.doseMg,
    lotNumber: plan.lotNumber,
    monitoringEndMin: Math.max(1, Math.round(discharge.atMin)),
    readyToLeaveMinFromStart: Math.round(discharge.readyToLeaveMinFromStart ?? discharge.atMin),
    bpReadings: bpReadings(state),
    vitalSignsAcceptableBeforeAdministration: !beforeAlerts.some((a) => a.severity === 'hold'),
    vitalSignsAcceptableBeforeCompletion: lastReading
      ? !lastReading.alerts.some((a) => a.severity === 'hold')
      : false,
    ...observed,
    pulseOximetryMonitored: state.vitals.some((v) => v.values.spo2Pct !== undefined),
  });
}

/**
 * A treatment took place once a discharge is recorded (REMS forms and course progress count
 * these). The kind alone decides, so a discharge stored in an older shape still counts.
 */
export function sessionCompleted(record: Pick<SessionRecord, 'discharge'>): boolean {
  return record.discharge !== null;
}

/** The sessions among `rows` with a discharge recorded (the same rule as sessionCompleted). */
export function completedSessionIds(rows: readonly { sessionId: string; kind: string }[]): Set<string> {
  return new Set(rows.filter((r) => r.kind === 'discharge').map((r) => r.sessionId));
}

/** The mg/kg given in a completed session (the latest plan), for titration; null otherwise. */
export function completedDoseMgPerKg(record: Pick<SessionRecord, 'discharge' | 'dosePlan'>): number | null {
  return sessionCompleted(record) ? (record.dosePlan?.payload.doseMgPerKg ?? null) : null;
}

/**
 * What the PK curve simulates: before dosing starts, the plan; once it has, what the dosing clock
 * says was (and, while running, will be) given, so a pause or stop shows on the curve. Null
 * without a plan.
 */
export function sessionDoses(state: SessionState): Dose[] | null {
  const plan = state.record.dosePlan?.payload;
  if (!plan) return null;
  if (state.modality === 'esketamine') {
    return esketamineDoses(state.dosing?.devicesGiven ?? plan.devices ?? 1);
  }
  if (!state.dosing) return plannedDoses(plan);
  return infusionDoses(
    infusionStatus(
      { doseMg: plan.doseMg, durationMin: plan.dosingEndMin },
      state.dosing.history.map((h) => ({ action: h.action, atMin: h.atMin })),
      state.nowMin ?? 0,
    ),
  );
}

/** The curve's doses in the regimen language, for display; null without a plan. */
export function sessionRegimen(state: SessionState): string[] | null {
  const doses = sessionDoses(state);
  return doses === null ? null : formatRegimen(doses);
}

/** The curve shows at least the first 3 hours after dosing start (an infusion and its observation). */
export const CURVE_MIN_WINDOW_MIN = 180;
/**
 * And at most 6 hours: beyond that ketamine and esketamine concentrations are far below the
 * dissociative band, and an open session left for days must not make a request simulate every
 * minute since (clinic display choice, not a clinical figure).
 */
export const CURVE_MAX_WINDOW_MIN = 360;

/**
 * The minutes after dosing start the curve covers: the session's own window, to 30 minutes past
 * discharge (or past now while the session is open), never less than 3 h nor more than 6 h.
 */
export function curveWindowMin(state: Pick<SessionState, 'record' | 'nowMin'>): number {
  const endMin = state.record.discharge?.payload.atMin ?? state.nowMin ?? 0;
  return Math.min(CURVE_MAX_WINDOW_MIN, Math.max(CURVE_MIN_WINDOW_MIN, Math.ceil(endMin + 30)));
}
