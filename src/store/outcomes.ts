/**
 * Read queries for outcome exports and the clinic dashboard. Every query filters by clinic;
 * nothing here writes. Session events are read, never modified (an append-only log).
 */
import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import { addDays, startOfWeek } from '../clinical/calendar';
import type { Modality } from '../clinical/protocols/evidence';
import { readStoredPayload } from '../clinical/session';
import {
  evaluateSedation,
  resolveVitalsThresholds,
  sessionVitalsEvaluator,
  vitalsEvaluator,
  type VitalsThresholds,
} from '../clinical/protocols/vitals';
import { getSessionSettings } from './courses';
import type { SessionSettings } from './inputs-sessions';
import { users } from './schema';
import { assessmentItemAnswers, assessmentResponses } from './schema-measurement';
import { courseOutcomeFacts } from './schema-outcomes';
import { courses, sessionEvents, treatmentSessions } from './schema-sessions';
import type {
  AdverseEventExportRow,
  ScoreExportRow,
  SessionCsvRow,
  SessionExportRow,
} from '../clinical/outcomes/export-rows';
import type { Queryable } from './tx';

export type { AdverseEventExportRow, ScoreExportRow, SessionCsvRow, SessionExportRow };

/** Inclusive-from, exclusive-to UTC range. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

const CHUNK = 1000;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scores

const isCurrent = sql`not exists (select 1 from ${assessmentResponses} as newer where newer.clinic_id = ${assessmentResponses.clinicId} and newer.supersedes_id = ${assessmentResponses.id})`;

type ScoreFilter = TimeRange & { instrument?: string; patientId?: string; patientIds?: string[] };

function scoreConditions(clinicId: string, opts: ScoreFilter) {
  const conds = [eq(assessmentResponses.clinicId, clinicId), isCurrent];
  if (opts.from) conds.push(gte(assessmentResponses.administeredAt, opts.from));
  if (opts.to) conds.push(lt(assessmentResponses.administeredAt, opts.to));
  if (opts.instrument) conds.push(eq(assessmentResponses.instrument, opts.instrument));
  if (opts.patientId) conds.push(eq(assessmentResponses.patientId, opts.patientId));
  if (opts.patientIds) conds.push(inArray(assessmentResponses.patientId, opts.patientIds));
  return conds;
}

/** How many rows exportScores would return (counted before anything is loaded). */
export async function countScores(db: Queryable, clinicId: string, opts: ScoreFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(assessmentResponses)
    .where(and(...scoreConditions(clinicId, opts)));
  return row?.n ?? 0;
}

/** Current versions (corrections applied) of every assessment in the range, oldest first. */
export async function exportScores(
  db: Queryable,
  clinicId: string,
  opts: TimeRange & { instrument?: string; patientId?: string; patientIds?: string[]; withItems?: boolean },
): Promise<ScoreExportRow[]> {
  const conds = scoreConditions(clinicId, opts);
  const rows = await db
    .select()
    .from(assessmentResponses)
    .where(and(...conds))
    .orderBy(asc(assessmentResponses.administeredAt), asc(assessmentResponses.id));
  const out: ScoreExportRow[] = rows.map((r) => ({
    responseId: r.id,
    rootId: r.rootId,
    version: r.version,
    patientId: r.patientId,
    instrument: r.instrument,
    instrumentVersion: r.instrumentVersion,
    context: r.context,
    sessionId: r.sessionId,
    administeredAt: r.administeredAt,
    respondent: r.respondent,
    totalScore: r.totalScore,
    severity: r.severity,
    cssrsRisk: r.cssrsRisk,
    suicidality: r.suicidality,
    flags: r.flags,
    partialItemIds: r.partialItemIds,
    items: {},
  }));
  if (opts.withItems && out.length > 0) {
    const byId = new Map(out.map((r) => [r.responseId, r]));
    for (const ids of chunks([...byId.keys()])) {
      const answers = await db
        .select({
          responseId: assessmentItemAnswers.responseId,
          itemId: assessmentItemAnswers.itemId,
          value: assessmentItemAnswers.value,
        })
        .from(assessmentItemAnswers)
        .where(
          and(eq(assessmentItemAnswers.clinicId, clinicId), inArray(assessmentItemAnswers.responseId, ids)),
        );
      for (const a of answers) byId.get(a.responseId)!.items[a.itemId] = a.value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sessions and adverse events

type SessionBase = {
  sessionId: string;
  courseId: string;
  patientId: string;
  modality: Modality;
  sequence: number;
  phaseId: string;
  phaseLabel: string;
  date: string;
  startMin: number;
  endMin: number;
};

export interface SessionFilter {
  fromDate?: string;
  toDate?: string;
  patientId?: string;
  /** At most a few thousand ids (one query parameter each). */
  patientIds?: string[];
}

/** Sessions whose local date is in [fromDate, toDate] (YYYY-MM-DD, inclusive). */
function sessionConditions(clinicId: string, opts: SessionFilter) {
  const conds = [eq(treatmentSessions.clinicId, clinicId)];
  if (opts.fromDate) conds.push(gte(treatmentSessions.date, opts.fromDate));
  if (opts.toDate) conds.push(lte(treatmentSessions.date, opts.toDate));
  if (opts.patientId) conds.push(eq(treatmentSessions.patientId, opts.patientId));
  if (opts.patientIds) conds.push(inArray(treatmentSessions.patientId, opts.patientIds));
  return conds;
}

/** How many sessions the session and adverse-event exports would read (counted before loading). */
export async function countSessionsInRange(
  db: Queryable,
  clinicId: string,
  opts: SessionFilter,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(treatmentSessions)
    .where(and(...sessionConditions(clinicId, opts)));
  return row?.n ?? 0;
}

async function sessionsInRange(db: Queryable, clinicId: string, opts: SessionFilter): Promise<SessionBase[]> {
  const conds = sessionConditions(clinicId, opts);
  const rows = await db
    .select({
      sessionId: treatmentSessions.id,
      courseId: treatmentSessions.courseId,
      patientId: treatmentSessions.patientId,
      modality: courses.modality,
      sequence: treatmentSessions.sequence,
      phaseId: treatmentSessions.phaseId,
      phaseLabel: treatmentSessions.phaseLabel,
      date: treatmentSessions.date,
      startMin: treatmentSessions.startMin,
      endMin: treatmentSessions.endMin,
    })
    .from(treatmentSessions)
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(and(...conds))
    .orderBy(asc(treatmentSessions.date), asc(treatmentSessions.startMin), asc(treatmentSessions.id));
  return rows.map((r) => ({ ...r, modality: r.modality as Modality }));
}

type EventRow = typeof sessionEvents.$inferSelect;

async function eventsFor(
  db: Queryable,
  clinicId: string,
  sessionIds: string[],
  kinds: EventRow['kind'][],
): Promise<EventRow[]> {
  const out: EventRow[] = [];
  for (const ids of chunks(sessionIds)) {
    out.push(
      ...(await db
        .select()
        .from(sessionEvents)
        .where(
          and(
            eq(sessionEvents.clinicId, clinicId),
            inArray(sessionEvents.sessionId, ids),
            inArray(sessionEvents.kind, kinds),
          ),
        )
        .orderBy(asc(sessionEvents.recordedAt), asc(sessionEvents.id))),
    );
  }
  return out;
}

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
      c = hypertensionAlertCheck(resolveVitalsThresholds(m, settings.thresholds[m]));
      checks.set(m, c);
    }
    return c;
  };
}

const SESSION_EXPORT_EVENT_KINDS: EventRow['kind'][] = [
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
  const base = await sessionsInRange(db, clinicId, opts);
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
  const events = await eventsFor(
    db,
    clinicId,
    base.map((s) => s.sessionId),
    SESSION_EXPORT_EVENT_KINDS,
  );
  const bySession = new Map<string, EventRow[]>();
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
  const base = await sessionsInRange(db, clinicId, opts);
  const byId = new Map(base.map((s) => [s.sessionId, s]));
  const events = await eventsFor(db, clinicId, [...byId.keys()], ['adverse-event']);
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

// ---------------------------------------------------------------------------------------------
// Dashboard header (the outcome figures come from outcome-facts.ts)

/**
 * Activity counts for the dashboard header: patients with a dosed session in the 28 days before
 * `now`, and sessions scheduled in the week (Monday–Sunday) containing `today` (clinic-local date).
 * The first reads each course's latest dosing time from the course facts (outcome-facts.ts), kept
 * current by every dosing start, instead of every dosing start of the last four weeks; `now` is the
 * present (no dosing start is recorded ahead of the server clock), not a date to look back from.
 */
export async function activityCounts(
  db: Queryable,
  clinicId: string,
  now: Date,
  today: string,
): Promise<{ patientsInTreatment: number; sessionsThisWeek: number }> {
  const since = new Date(now.getTime() - 28 * 86_400_000);
  const f = courseOutcomeFacts;
  const [treated] = await db
    .select({ n: sql<number>`count(distinct ${f.patientId})::int` })
    .from(f)
    .where(and(eq(f.clinicId, clinicId), gte(f.lastDosedAt, since)));
  const monday = startOfWeek(today, 'today');
  const sunday = addDays(monday, 6);
  const [week] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(treatmentSessions)
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        gte(treatmentSessions.date, monday),
        lte(treatmentSessions.date, sunday),
      ),
    );
  return { patientsInTreatment: Number(treated?.n ?? 0), sessionsThisWeek: Number(week?.n ?? 0) };
}

/** Staff who created courses in the clinic (the dashboard's prescriber filter), by name. */
export async function coursePrescribers(
  db: Queryable,
  clinicId: string,
): Promise<{ id: string; name: string }[]> {
  // One index probe per staff member (courses_created_by_idx), not a pass over every course.
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.clinicId, clinicId),
        sql`exists (select 1 from ${courses} c where c.clinic_id = ${users.clinicId} and c.created_by = ${users.id})`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
}
