/**
 * The session screen's response: the session use cases' result (the core's state and the loaded
 * facts) written out in the API's shape. Presentation only: every judgement was made by the core.
 */
import type { VitalsAlert } from '../../clinical/protocols';
import type { DecisionEvent } from '../../clinical/session';
import { sessionOrders } from '../../app/sessions/orders';
import {
  latestAssessedOn,
  sessionInteractions,
  type LoadedSession,
  type SessionEventsView,
} from '../../app/sessions/load';
import type { SessionReadingDto, SessionStateDto } from '../schemas/sessions';
import { toSessionDto } from './courses';

const decisionView = (d: DecisionEvent | null) =>
  d
    ? {
        decision: d.payload.decision,
        note: d.payload.note ?? null,
        decidedBy: d.recordedByName,
        decidedAt: d.recordedAt.toISOString(),
      }
    : null;

const alertsView = (alerts: readonly VitalsAlert[], d: DecisionEvent | null) =>
  alerts.map((a) => ({ ...a, decision: decisionView(d) }));

export function sessionView(s: LoadedSession): SessionStateDto {
  const { state, today } = s;
  const r = state.record;
  const { flags, notes } = sessionInteractions(s);
  const plan = r.dosePlan;
  const discharge = r.discharge;
  return {
    session: toSessionDto(s.session, s.booking),
    course: {
      id: s.course.id,
      templateId: s.course.templateKey,
      templateName: (s.course.template as { name: string }).name,
      modality: s.modality,
    },
    patient: { id: s.patient.id, name: `${s.patient.givenName} ${s.patient.familyName}`, mrn: s.patient.mrn },
    ...sessionReadingView(s),
    thresholds: state.thresholds,
    thresholdsSource: state.thresholdsSource,
    checkedIn: r.checkIn ? { at: r.checkIn.recordedAt.toISOString(), by: r.checkIn.recordedByName } : null,
    checklist: r.checklist
      ? {
          overall: r.checklist.payload.result.overall,
          items: r.checklist.payload.result.items,
          input: r.checklist.payload.input,
          recordedAt: r.checklist.recordedAt.toISOString(),
          recordedBy: r.checklist.recordedByName,
        }
      : null,
    interactions: flags,
    interactionNotes: notes,
    assessmentsToday: {
      phq9: s.assessedOn.some((a) => a.instrument === 'phq9' && a.date === today),
      cssrs: s.assessedOn.some((a) => a.instrument === 'cssrs-screener' && a.date === today),
    },
    assessmentsLatest: { phq9: latestAssessedOn(s, 'phq9'), cssrs: latestAssessedOn(s, 'cssrs-screener') },
    screening: { ok: s.screening.ok, message: s.screening.message },
    latestWeight: s.weights.at(-1) ?? null,
    dosePlan: plan
      ? {
          ...plan.payload,
          weightMeasuredOn: plan.payload.weightMeasuredOn ?? null,
          diluent: plan.payload.diluent ?? null,
          regimen: state.plannedRegimen ?? [],
          recordedAt: plan.recordedAt.toISOString(),
          recordedBy: plan.recordedByName,
        }
      : null,
    dosingStartedAt: r.dosingStart ? r.dosingStart.recordedAt.toISOString() : null,
    scheduleOverride: r.dosingStart?.payload.scheduleOverride
      ? { ...r.dosingStart.payload.scheduleOverride, by: r.dosingStart.recordedByName }
      : null,
    dosingDay: s.dosingDay,
    orderedDoseMg: s.orderedDoseMg,
    observations: state.observations.map((o) => ({
      id: o.event.id,
      kind: o.kind,
      timeMin: o.timeMin,
      score: o.score,
      scoreMax: o.scoreMax,
      unverified: o.unverified,
      recordedBy: o.event.recordedByName,
      alerts: alertsView(o.alerts, o.decision),
    })),
    adverseEvents: state.adverseEvents.map((ae) => {
      const p = ae.event.payload;
      return {
        id: ae.event.id,
        category: p.category,
        description: p.description ?? null,
        severity: p.severity,
        actionTaken: p.actionTaken,
        timeMin: ae.timeMin,
        onsetMin: p.onsetMin ?? null,
        serious: p.serious,
        escalation: p.escalation ?? null,
        recordedBy: ae.event.recordedByName,
        alert: ae.alert ? { ...ae.alert, decision: decisionView(ae.decision) } : null,
      };
    }),
    discharge: discharge
      ? {
          atMin: discharge.payload.atMin,
          at: discharge.recordedAt.toISOString(),
          by: discharge.recordedByName,
          readyToLeaveMinFromStart: discharge.payload.readyToLeaveMinFromStart ?? null,
          result: {
            allowed: discharge.payload.result.allowed,
            message: discharge.payload.result.message,
            earliestDischargeMin: discharge.payload.result.earliestDischargeMin,
            checks: discharge.payload.result.checks,
          },
        }
      : null,
    remsSubmittedOn: r.remsSubmitted?.payload.submittedOn ?? null,
    orders: ordersView(s),
  };
}

/**
 * What a vitals reading can change in the session screen's response: the clock, the phase, the
 * readings with their alerts, the open alerts, the dosing and when vitals are next due (not the
 * thresholds the readings were judged against: only the clinic's settings change those).
 */
export function sessionReadingView(s: SessionEventsView): SessionReadingDto {
  const { state } = s;
  const dosing = state.dosing;
  return {
    now: s.now.toISOString(),
    today: s.today,
    nowMin: state.nowMin,
    phase: state.phase,
    vitals: state.vitals.map((v) => ({
      id: v.event.id,
      timeMin: v.timeMin,
      sbpMmHg: v.values.sbpMmHg ?? null,
      dbpMmHg: v.values.dbpMmHg ?? null,
      heartRateBpm: v.values.heartRateBpm ?? null,
      spo2Pct: v.values.spo2Pct ?? null,
      respiratoryRatePerMin: v.values.respiratoryRatePerMin ?? null,
      recordedAt: v.event.recordedAt.toISOString(),
      recordedBy: v.event.recordedByName,
      alerts: alertsView(v.alerts, v.decision),
    })),
    openAlerts: state.openAlerts.map((o) => ({
      vitalsEventId: o.entryId,
      source: o.source,
      alertId: o.alertIds[0]!,
      alertIds: o.alertIds,
      message: o.message,
      timeMin: o.timeMin,
    })),
    dosing: dosing
      ? {
          kind: dosing.kind,
          state: dosing.state,
          plannedMg: dosing.plannedMg,
          amountGivenMg: dosing.amountGivenMg,
          rateMgPerMin: dosing.rateMgPerMin,
          runningMin: dosing.runningMin,
          remainingMin: dosing.remainingMin,
          pausedMin: dosing.pausedMin,
          pausedSinceMin: dosing.pausedSinceMin,
          remainingVtbiMl: dosing.remainingVtbiMl,
          devicesGiven: dosing.devicesGiven,
          devicesPlanned: dosing.devicesPlanned,
          dosingEndMin: dosing.dosingEndMin,
          projectedEndMin: dosing.projectedEndMin,
          actions: dosing.actions,
          decisionOptions: dosing.decisionOptions,
          history: dosing.history.map((h) => ({
            action: h.action,
            atMin: h.atMin,
            note: h.event.payload.note ?? null,
            amountGivenMg: h.event.payload.amountGivenMg,
            by: h.event.recordedByName,
          })),
        }
      : null,
    earliestDischargeMin: state.earliestDischargeMin,
    nextVitals: state.nextVitals,
  };
}

function ordersView(s: LoadedSession): SessionStateDto['orders'] {
  const o = sessionOrders(s);
  const { mar } = o;
  return {
    order: mar.order ? { ...mar.order, signedAt: mar.order.signedAt.toISOString() } : null,
    standingOrder: o.standingOrder,
    rescueFormulary: o.rescueFormulary.map((e) => ({
      drug: e.drug,
      indication: e.indication,
      defaultLine: e.defaultLine
        ? { drug: e.drug, doseMg: e.defaultLine.doseMg, route: e.defaultLine.route, indication: e.indication }
        : null,
      citation: e.citation,
    })),
    secondPersonVerification: o.secondPersonVerification,
    doseVerifiedBy: o.doseVerifiedBy,
    mar: {
      treatment: mar.treatment
        ? { ...mar.treatment, steps: mar.treatment.steps.map((st) => ({ ...st, at: st.at.toISOString() })) }
        : null,
      rescues: mar.rescues.map((x) => ({ ...x, at: x.at.toISOString() })),
    },
  };
}
