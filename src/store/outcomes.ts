/**
 * Read queries for outcome exports and the clinic dashboard. Every query filters by clinic;
 * nothing here writes. Session events are read, never modified (an append-only log); the export
 * rows computed from them with the core are src/app/outcome-rows.ts.
 */
import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Modality } from '../clinical/protocols/evidence';
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

export type SessionBase = {
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

/** The sessions an export reads, by local date, in date and start order. */
export async function listExportSessions(
  db: Queryable,
  clinicId: string,
  opts: SessionFilter,
): Promise<SessionBase[]> {
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

/** The events of these kinds of many sessions, in the order they were recorded. */
export async function listExportEvents(
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

// ---------------------------------------------------------------------------------------------
// Dashboard header (the outcome figures come from outcome-facts.ts)

/**
 * Activity counts for the dashboard header: patients with a course dosed at or after `dosedSince`,
 * and sessions scheduled from `weekFrom` to `weekTo` (clinic-local dates, inclusive). The first
 * reads each course's latest dosing time from the course facts, kept current by every dosing
 * start, instead of every dosing start of the period.
 */
export async function countActivity(
  db: Queryable,
  clinicId: string,
  range: { dosedSince: Date; weekFrom: string; weekTo: string },
): Promise<{ patientsInTreatment: number; sessionsThisWeek: number }> {
  const f = courseOutcomeFacts;
  const [treated] = await db
    .select({ n: sql<number>`count(distinct ${f.patientId})::int` })
    .from(f)
    .where(and(eq(f.clinicId, clinicId), gte(f.lastDosedAt, range.dosedSince)));
  const [week] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(treatmentSessions)
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        gte(treatmentSessions.date, range.weekFrom),
        lte(treatmentSessions.date, range.weekTo),
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
