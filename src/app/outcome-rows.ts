/**
 * The outcome export rows computed from stored sessions and their events with the core's rules:
 * dose, vitals extremes and alarms, sedation, adverse events, decisions (the CSV export, the patient
 * record and the course facts read the same rows), and the dashboard header's activity counts.
 */
import { addDays, startOfWeek } from '../clinical/calendar';
import { frozenMemo } from '../clinical/frozen';
import type { Modality } from '../clinical/protocols/evidence';
import { readStoredPayload, type SessionSettings } from '../clinical/session';
import {
  evaluateSedation,
  resolveVitalsThresholds,
  sessionVitalsEvaluator,
  vitalsEvaluator,
  type VitalsThresholds,
} from '../clinical/protocols/vitals';
import type { AdverseEventExportRow, SessionCsvRow } from '../clinical/outcomes/export-rows';
import { getSessionSettings } from './session-settings';
import { countActivity, listExportEvents, listExportSessions, type SessionFilter } from '../store/outcomes';
import type { SessionEventRow } from '../store/sessions';
import type { SessionEventKind } from '../store/schema-sessions';
import type { Queryable } from '../store/tx';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function maxOf(a: number | null, b: number | null): number | null {
  if (b === null) return a;
  return a === null ? b : Math.max(a, b);
}

/** Does a post-dose reading carry a BP hold alert under these thresholds? */
export function isHypertensionAlert(payload: unknown, timeMin: number | null, t: VitalsThresholds): boolean {
  return hypertensionAlertCheck(t)(payload, timeMin);
}

/** `isHypertensionAlert` with the thresholds validated once (for many readings). */
function hypertensionAlertCheck(t: VitalsThresholds): (payload: unknown, timeMin: number | null) => boolean {
  const evaluate = vitalsEvaluator(t);
  return (payload, timeMin) => {
    if (timeMin === null || timeMin <= 0) return false;
    const p = readStoredPayload('vitals', payload) ?? {};
    try {
      return evaluate({ ...p, timeMin }).some((a) => a.id === 'VIT-SBP-HOLD' || a.id === 'VIT-DBP-HOLD');
    } catch {
      return false;
    }
  };
}

/**
 * Per modality, "does this post-dose reading carry a BP hold alert?" under the clinic's thresholds
 * (its own, or the defaults), each validated once.
 */
export function hypertensionChecks(
  settings: Pick<SessionSettings, 'thresholds'>,
): (m: Modality) => (payload: unknown, timeMin: number | null) => boolean {
  const checks = new Map<Modality, ReturnType<typeof hypertensionAlertCheck>>();
  return (m) => {
    let c = checks.get(m);
    if (!c) {
      const thresholds = resolveVitalsThresholds(m, settings.thresholds[m]);
      // Resolved from frozen settings, the thresholds are the same object every time: so is the check.
      c = checkOf(thresholds, null, () => hypertensionAlertCheck(thresholds));
      checks.set(m, c);
    }
    return c;
  };
}

const checkOf = frozenMemo<ReturnType<typeof hypertensionAlertCheck>>();

const SESSION_EXPORT_EVENT_KINDS: SessionEventKind[] = [
  'dose-plan',
  'dosing-start',
  'vitals',
  'moaas',
  'adverse-event',
  'alert-decision',
  'discharge',
];

/** Which export column counts a reading's alarm (a reading counts once per column). */
const ALARM_COLUMN: Record<
  string,
  'desaturationAlarms' | 'hypotensionAlarms' | 'bradycardiaAlarms' | 'respiratoryRateAlarms'
> = {
  'VIT-SPO2-LOW': 'desaturationAlarms',
  'VIT-SPO2-FALL': 'desaturationAlarms',
  'VIT-SBP-LOW': 'hypotensionAlarms',
  'VIT-SBP-FALL': 'hypotensionAlarms',
  'VIT-HR-LOW': 'bradycardiaAlarms',
  'VIT-RR-LOW': 'respiratoryRateAlarms',
};

const minOf = (a: number | null, b: number | null): number | null =>
  b === null ? a : a === null ? b : Math.min(a, b);

/** Sessions with their dose, vitals extremes and event counts. */
export async function exportSessions(
  db: Queryable,
  clinicId: string,
  opts: SessionFilter,
): Promise<SessionCsvRow[]> {
  const base = await listExportSessions(db, clinicId, opts);
  const settings = await getSessionSettings(db, clinicId);
  const htnCheck = hypertensionChecks(settings);
  const thresholds = new Map<Modality, VitalsThresholds>();
  const thresholdsOf = (m: Modality) => {
    let t = thresholds.get(m);
    if (!t) thresholds.set(m, (t = resolveVitalsThresholds(m, settings.thresholds[m])));
    return t;
  };
  const sessionAlarms = new Map<Modality, ReturnType<typeof sessionVitalsEvaluator>>();
  const alarmsOf = (m: Modality) => {
    let f = sessionAlarms.get(m);
    if (!f) sessionAlarms.set(m, (f = sessionVitalsEvaluator(thresholdsOf(m))));
    return f;
  };
  const events = await listExportEvents(
    db,
    clinicId,
    base.map((s) => s.sessionId),
    SESSION_EXPORT_EVENT_KINDS,
  );
  const bySession = new Map<string, SessionEventRow[]>();
  for (const e of events) {
    const list = bySession.get(e.sessionId) ?? [];
    list.push(e);
    bySession.set(e.sessionId, list);
  }
  return base.map((s) => {
    const row: SessionCsvRow = {
      ...s,
      doseMg: null,
      doseMgPerKg: null,
      weightKg: null,
      devices: null,
      lotNumber: null,
      dosingStartedAt: null,
      dischargeAtMin: null,
      vitalsReadings: 0,
      maxSbpMmHg: null,
      maxDbpMmHg: null,
      maxHeartRateBpm: null,
      minSpo2Pct: null,
      minSbpMmHg: null,
      minHeartRateBpm: null,
      minRespiratoryRatePerMin: null,
      minMoaasScore: null,
      hypertensionAlerts: 0,
      desaturationAlarms: 0,
      hypotensionAlarms: 0,
      bradycardiaAlarms: 0,
      respiratoryRateAlarms: 0,
      deepSedationAlarms: 0,
      adverseEvents: 0,
      seriousAdverseEvents: 0,
      pauseOrStopDecisions: 0,
    };
    const htn = htnCheck(s.modality);
    const readings: Record<string, unknown>[] = [];
    for (const e of bySession.get(s.sessionId) ?? []) {
      switch (e.kind) {
        case 'dose-plan': {
          // The latest plan wins (a re-plan is a new event).
          const p = readStoredPayload('dose-plan', e.payload) ?? {};
          row.doseMg = num(p.doseMg);
          row.doseMgPerKg = num(p.doseMgPerKg);
          row.weightKg = num(p.weightKg);
          row.devices = num(p.devices);
          row.lotNumber = str(p.lotNumber);
          break;
        }
        case 'dosing-start':
          row.dosingStartedAt ??= e.recordedAt;
          break;
        case 'vitals': {
          row.vitalsReadings++;
          const p = readStoredPayload('vitals', e.payload) ?? {};
          row.maxSbpMmHg = maxOf(row.maxSbpMmHg, num(p.sbpMmHg));
          row.maxDbpMmHg = maxOf(row.maxDbpMmHg, num(p.dbpMmHg));
          row.maxHeartRateBpm = maxOf(row.maxHeartRateBpm, num(p.heartRateBpm));
          const spo2 = num(p.spo2Pct);
          if (spo2 !== null) row.minSpo2Pct = row.minSpo2Pct === null ? spo2 : Math.min(row.minSpo2Pct, spo2);
          row.minSbpMmHg = minOf(row.minSbpMmHg, num(p.sbpMmHg));
          row.minHeartRateBpm = minOf(row.minHeartRateBpm, num(p.heartRateBpm));
          row.minRespiratoryRatePerMin = minOf(row.minRespiratoryRatePerMin, num(p.respiratoryRatePerMin));
          if (htn(p, e.timeMin)) row.hypertensionAlerts++;
          if (e.timeMin !== null) readings.push({ ...p, timeMin: e.timeMin });
          break;
        }
        case 'moaas': {
          const score = num(readStoredPayload('moaas', e.payload)?.score);
          row.minMoaasScore = minOf(row.minMoaasScore, score);
          if (score !== null && evaluateSedation(score, thresholdsOf(s.modality)).length > 0) {
            row.deepSedationAlarms++;
          }
          break;
        }
        case 'adverse-event':
          row.adverseEvents++;
          if (readStoredPayload('adverse-event', e.payload)?.serious === true) row.seriousAdverseEvents++;
          break;
        case 'alert-decision': {
          const decision = readStoredPayload('alert-decision', e.payload)?.decision;
          if (decision === 'pause' || decision === 'stop') row.pauseOrStopDecisions++;
          break;
        }
        case 'discharge':
          // The discharge writer records the clinician's stated time as `atMin` (minutes after
          // dosing start); the event's own time is only a fallback for a payload without it.
          row.dischargeAtMin = num(readStoredPayload('discharge', e.payload)?.atMin) ?? e.timeMin;
          break;
        default:
          break;
      }
    }
    let alarms: ReturnType<ReturnType<typeof sessionVitalsEvaluator>> = [];
    try {
      alarms = alarmsOf(s.modality)(readings);
    } catch {
      // A stored reading outside today's plausible ranges: counted in the extremes, not judged.
    }
    for (const list of alarms) {
      for (const col of new Set(list.map((a) => ALARM_COLUMN[a.id]).filter((c) => c !== undefined))) {
        row[col]++;
      }
    }
    return row;
  });
}

export async function exportAdverseEvents(
  db: Queryable,
  clinicId: string,
  opts: SessionFilter,
): Promise<AdverseEventExportRow[]> {
  const base = await listExportSessions(db, clinicId, opts);
  const byId = new Map(base.map((s) => [s.sessionId, s]));
  const events = await listExportEvents(db, clinicId, [...byId.keys()], ['adverse-event']);
  return events.map((e) => {
    const s = byId.get(e.sessionId)!;
    const p = readStoredPayload('adverse-event', e.payload) ?? {};
    return {
      eventId: e.id,
      sessionId: s.sessionId,
      courseId: s.courseId,
      patientId: s.patientId,
      modality: s.modality,
      sessionDate: s.date,
      sessionSequence: s.sequence,
      timeMin: num(p.timeMin) ?? e.timeMin,
      onsetMin: num(p.onsetMin),
      category: str(p.category) ?? '',
      severity: str(p.severity) ?? '',
      serious: p.serious === true,
      escalation: str(p.escalation),
      actionTaken: str(p.actionTaken) ?? '',
      description: str(p.description),
      recordedAt: e.recordedAt,
      recordedBy: e.recordedBy,
    };
  });
}

/**
 * Activity counts for the dashboard header: patients with a dosed session in the 28 days before
 * `now`, and sessions scheduled in the week (Monday–Sunday) containing `today` (clinic-local date).
 * `now` is the present (no dosing start is recorded ahead of the server clock), not a date to look
 * back from.
 */
export async function activityCounts(
  db: Queryable,
  clinicId: string,
  now: Date,
  today: string,
): Promise<{ patientsInTreatment: number; sessionsThisWeek: number }> {
  const monday = startOfWeek(today, 'today');
  return countActivity(db, clinicId, {
    dosedSince: new Date(now.getTime() - 28 * 86_400_000),
    weekFrom: monday,
    weekTo: addDays(monday, 6),
  });
}
