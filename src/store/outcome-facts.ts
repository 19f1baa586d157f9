/**
 * The dashboard's pre-aggregated course facts (table in schema-outcomes.ts): what they are computed
 * from, how they are replaced, and the dashboard's reads of them. The facts themselves are computed
 * with the core by src/app/outcome-facts.ts, which every write that changes them calls in its own
 * transaction. A new clinic is marked built (`markOutcomeFactsBuilt`, from createClinic).
 * The dashboard then adds up at most one row per course (`outcomeFactCounts`).
 */
import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { FactCounts } from '../clinical/outcomes';
import type { Modality } from '../clinical/protocols/evidence';
import { courseOutcomeFacts, outcomeFactBuilds } from './schema-outcomes';
import { assessmentItemAnswers, assessmentResponses } from './schema-measurement';
import { courses, sessionEvents, treatmentSessions } from './schema-sessions';
import type { Db } from './open';
import { clinics } from './schema';
import type { Queryable } from './tx';

/** One course's facts as stored. */
export type OutcomeFactRow = typeof courseOutcomeFacts.$inferInsert;

/**
 * The version of the fact computation. Bump it when `computeOutcomeFacts` (src/app/outcome-facts.ts)
 * or the core rules it
 * applies change what a fact holds: `rein serve` then rebuilds every clinic's facts at the next start.
 */
export const OUTCOME_FACTS_VERSION = 2; // 2: adds the latest dosing time of each course

/** The session events a course's facts depend on (also the kinds whose writes refresh them). */
export const FACT_EVENT_KINDS = ['dosing-start', 'vitals', 'adverse-event'] as const;

/** A PostgreSQL uuid[] parameter (one bind value however many ids; UUIDs need no quoting). */
function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not a UUID: ${id}`);
  }
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}

async function rowsOf<T>(db: Queryable, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** What a course's facts are computed from, as stored (see `loadOutcomeFactInputs`). */
export interface OutcomeFactInputs {
  courseRows: {
    id: string;
    patient_id: string;
    modality: Modality;
    start_date: string;
    created_by: string;
  }[];
  sessionRows: { id: string; course_id: string; patient_id: string; phase_id: string }[];
  eventRows: {
    session_id: string;
    kind: (typeof FACT_EVENT_KINDS)[number];
    time_min: number | null;
    payload: unknown;
    at_ms: number | string;
  }[];
  scoreRows: { id: string; patient_id: string; at_ms: number | string; total_score: number }[];
  suicideRows: { response_id: string; item_id: string; value: number }[];
}

/**
 * Reads what the facts of these patients' courses depend on (a few hundred patients per call), with
 * one array parameter per query: their courses; their sessions' dosing starts, vitals and adverse
 * events; their current PHQ-9 totals and suicide-item answers. Null when they have no course.
 */
export async function loadOutcomeFactInputs(
  db: Queryable,
  clinicId: string,
  patientIds: readonly string[],
): Promise<OutcomeFactInputs | null> {
  if (patientIds.length === 0) return null;
  const ids = uuidArray(patientIds);
  const courseRows = await rowsOf<OutcomeFactInputs['courseRows'][number]>(
    db,
    sql`select id, patient_id, modality, start_date::text as start_date, created_by from ${courses}
        where clinic_id = ${clinicId} and patient_id = any(${ids}) order by id`,
  );
  if (courseRows.length === 0) return null;
  const sessionRows = await rowsOf<OutcomeFactInputs['sessionRows'][number]>(
    db,
    sql`select id, course_id, patient_id, phase_id from ${treatmentSessions}
        where clinic_id = ${clinicId} and patient_id = any(${ids})`,
  );
  const eventRows =
    sessionRows.length === 0
      ? []
      : await rowsOf<OutcomeFactInputs['eventRows'][number]>(
          db,
          sql`select session_id, kind, time_min, case when kind = 'dosing-start' then null else payload end as payload,
                extract(epoch from recorded_at) * 1000 as at_ms
              from ${sessionEvents}
              where clinic_id = ${clinicId} and session_id = any(${uuidArray(sessionRows.map((r) => r.id))})
                and kind in ('dosing-start', 'vitals', 'adverse-event')
              order by recorded_at, id`,
        );
  const scoreRows = await rowsOf<OutcomeFactInputs['scoreRows'][number]>(
    db,
    sql`select r.id, r.patient_id, extract(epoch from r.administered_at) * 1000 as at_ms, r.total_score
        from ${assessmentResponses} r
        where r.clinic_id = ${clinicId} and r.patient_id = any(${ids}) and r.instrument = 'phq9'
          and r.total_score is not null
          and not exists (select 1 from ${assessmentResponses} newer
                          where newer.clinic_id = r.clinic_id and newer.supersedes_id = r.id)`,
  );
  const suicideRows = await rowsOf<OutcomeFactInputs['suicideRows'][number]>(
    db,
    sql`select response_id, item_id, value from ${assessmentItemAnswers}
        where clinic_id = ${clinicId} and patient_id = any(${ids}) and suicide_item and value is not null`,
  );
  return { courseRows, sessionRows, eventRows, scoreRows, suicideRows };
}

const INSERT_CHUNK = 500;

/** Inserts computed facts, in chunks. */
export async function insertOutcomeFacts(db: Queryable, rows: OutcomeFactRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insert(courseOutcomeFacts).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

/** Replaces these patients' facts with freshly computed ones. */
export async function replacePatientFacts(
  db: Queryable,
  clinicId: string,
  patientIds: string[],
  rows: OutcomeFactRow[],
): Promise<void> {
  await db
    .delete(courseOutcomeFacts)
    .where(and(eq(courseOutcomeFacts.clinicId, clinicId), inArray(courseOutcomeFacts.patientId, patientIds)));
  await insertOutcomeFacts(db, rows);
}

/** Deletes every fact of a clinic (the start of a full rebuild, under `lockFactsForRebuild`). */
export async function clearClinicFacts(db: Queryable, clinicId: string): Promise<void> {
  await db.delete(courseOutcomeFacts).where(eq(courseOutcomeFacts.clinicId, clinicId));
}

/** Every patient of a clinic with a course, in id order (the worklist of a rebuild). */
export async function listFactPatientIds(db: Queryable, clinicId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ patientId: courses.patientId })
    .from(courses)
    .where(eq(courses.clinicId, clinicId))
    .orderBy(asc(courses.patientId));
  return rows.map((r) => r.patientId);
}

/** The patient a treatment session belongs to (null for an unknown session). */
export async function patientOfSession(
  db: Queryable,
  clinicId: string,
  sessionId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ patientId: treatmentSessions.patientId })
    .from(treatmentSessions)
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(treatmentSessions.id, sessionId)));
  return row?.patientId ?? null;
}

/** The course modality of a treatment session (null for an unknown session). */
export async function modalityOfSession(
  db: Queryable,
  clinicId: string,
  sessionId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ modality: courses.modality })
    .from(treatmentSessions)
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(treatmentSessions.id, sessionId)));
  return row?.modality ?? null;
}

/** Every clinic id, in order (the worklist of the start-up backfill). */
export async function listClinicIds(db: Db): Promise<string[]> {
  return (await db.select({ id: clinics.id }).from(clinics).orderBy(asc(clinics.id))).map((r) => r.id);
}

/**
 * Concurrent writes for one patient must not compute facts from each other's uncommitted rows (a
 * nurse's vitals and the patient's portal PHQ-9 at the same moment): a refresh holds the patient's
 * lock, and the clinic's lock shared; a full rebuild holds the clinic's lock exclusively. Each
 * statement after the lock (READ COMMITTED) sees what the other transaction committed. Transaction-
 * scoped advisory locks: nothing is written to hold them.
 */
export async function lockFactsForRefresh(db: Queryable, clinicId: string, patientId: string): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${`rein.facts:${clinicId}`}, 0)),
               pg_advisory_xact_lock(hashtextextended(${`rein.facts:${clinicId}:${patientId}`}, 0))`,
  );
}

export async function lockFactsForRebuild(db: Queryable, clinicId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`rein.facts:${clinicId}`}, 0))`);
}

/** Records that the clinic's facts are complete for this version (a new clinic; a full rebuild). */
export async function markOutcomeFactsBuilt(db: Queryable, clinicId: string, at: Date): Promise<void> {
  await db
    .insert(outcomeFactBuilds)
    .values({ clinicId, version: OUTCOME_FACTS_VERSION, builtAt: at })
    .onConflictDoUpdate({
      target: outcomeFactBuilds.clinicId,
      set: { version: OUTCOME_FACTS_VERSION, builtAt: at },
    });
}

/** Are the clinic's facts built with the current version? (False after an upgrade.) */
export async function outcomeFactsCurrent(db: Queryable, clinicId: string): Promise<boolean> {
  const [row] = await db
    .select({ version: outcomeFactBuilds.version })
    .from(outcomeFactBuilds)
    .where(eq(outcomeFactBuilds.clinicId, clinicId));
  return row?.version === OUTCOME_FACTS_VERSION;
}

// ---------------------------------------------------------------------------------------------
// Dashboard reads

export interface OutcomeFactFilters {
  /** Course start date range (YYYY-MM-DD, inclusive). */
  fromDate?: string;
  toDate?: string;
  modality?: Modality;
  /** The prescriber who created the course. */
  prescriberId?: string;
}

function filterConditions(clinicId: string, f: OutcomeFactFilters): SQL[] {
  const t = courseOutcomeFacts;
  const conds: SQL[] = [eq(t.clinicId, clinicId)];
  if (f.fromDate) conds.push(gte(t.startDate, f.fromDate));
  if (f.toDate) conds.push(lte(t.startDate, f.toDate));
  if (f.modality) conds.push(eq(t.modality, f.modality));
  if (f.prescriberId) conds.push(eq(t.prescriberId, f.prescriberId));
  return conds;
}

/** The sums of the filtered courses' facts (one aggregate row; the SQL twin of `countFacts`). */
export async function outcomeFactTotals(
  db: Queryable,
  clinicId: string,
  f: OutcomeFactFilters,
): Promise<Omit<FactCounts, 'durability'>> {
  const t = courseOutcomeFacts;
  const n = (cond: SQL) => sql<number>`(count(*) filter (where ${cond}))::int`;
  const sum = (col: AnyPgColumn) => sql<number>`coalesce(sum(${col}), 0)::int`;
  const paired = sql`${t.suicidalityChange} is not null`;
  const [r] = await db
    .select({
      courses: n(sql`${t.hasInduction}`),
      evaluable: n(sql`${t.evaluable}`),
      responders: n(sql`${t.evaluable} and ${t.response}`),
      remitters: n(sql`${t.evaluable} and ${t.remission}`),
      rapid4hN: n(sql`${t.rapidResponse4h} is not null`),
      rapid4h: n(sql`${t.rapidResponse4h}`),
      rapid24hN: n(sql`${t.rapidResponse24h} is not null`),
      rapid24h: n(sql`${t.rapidResponse24h}`),
      suicidalityBaselinePositive: n(sql`${paired} and ${t.suicidalityBaseline} >= 1`),
      suicidalityDecreasedAmongPositive: n(
        sql`${paired} and ${t.suicidalityBaseline} >= 1 and ${t.suicidalityDecreased}`,
      ),
      suicidalityPaired: n(paired),
      suicidalityIncreased: n(sql`${paired} and ${t.suicidalityIncreased}`),
      suicidalityChangeSum: sum(t.suicidalityChange),
      dosedSessions: sum(t.dosedSessions),
      sessionsWithAdverseEvent: sum(t.sessionsWithAdverseEvent),
      adverseEvents: sum(t.adverseEvents),
      sessionsWithSeriousAdverseEvent: sum(t.sessionsWithSeriousAdverseEvent),
      seriousAdverseEvents: sum(t.seriousAdverseEvents),
      sessionsWithHypertensionAlert: sum(t.sessionsWithHypertensionAlert),
      hypertensionAlerts: sum(t.hypertensionAlerts),
    })
    .from(t)
    .where(and(...filterConditions(clinicId, f)));
  const v = (x: unknown) => Number(x ?? 0);
  return {
    courses: v(r?.courses),
    evaluable: v(r?.evaluable),
    responders: v(r?.responders),
    remitters: v(r?.remitters),
    rapid4h: { n: v(r?.rapid4hN), responders: v(r?.rapid4h) },
    rapid24h: { n: v(r?.rapid24hN), responders: v(r?.rapid24h) },
    suicidalityBaselinePositive: v(r?.suicidalityBaselinePositive),
    suicidalityDecreasedAmongPositive: v(r?.suicidalityDecreasedAmongPositive),
    suicidalityPaired: v(r?.suicidalityPaired),
    suicidalityIncreased: v(r?.suicidalityIncreased),
    suicidalityChangeSum: v(r?.suicidalityChangeSum),
    dosedSessions: v(r?.dosedSessions),
    sessionsWithAdverseEvent: v(r?.sessionsWithAdverseEvent),
    adverseEvents: v(r?.adverseEvents),
    sessionsWithSeriousAdverseEvent: v(r?.sessionsWithSeriousAdverseEvent),
    seriousAdverseEvents: v(r?.seriousAdverseEvents),
    sessionsWithHypertensionAlert: v(r?.sessionsWithHypertensionAlert),
    hypertensionAlerts: v(r?.hypertensionAlerts),
  };
}

/** Responding courses grouped by whole durability day and outcome (the Kaplan–Meier input). */
export async function outcomeDurabilityGroups(
  db: Queryable,
  clinicId: string,
  f: OutcomeFactFilters,
): Promise<FactCounts['durability']> {
  const t = courseOutcomeFacts;
  // ceil() here is durabilityDay() of the core (whole days, rounded up).
  const day = sql<number>`ceil(${t.durabilityDays})::int`;
  const rows = await db
    .select({ day, relapsed: t.relapsed, courses: sql<number>`count(*)::int` })
    .from(t)
    .where(and(...filterConditions(clinicId, f), isNotNull(t.durabilityDays), isNotNull(t.relapsed)))
    .groupBy(day, t.relapsed)
    .orderBy(day, sql`${t.relapsed} desc`);
  return rows.map((r) => ({ day: Number(r.day), relapsed: r.relapsed === true, courses: Number(r.courses) }));
}

/** Both reads together: what `summariseCounts` needs. */
export async function outcomeFactCounts(
  db: Queryable,
  clinicId: string,
  f: OutcomeFactFilters,
): Promise<FactCounts> {
  const totals = await outcomeFactTotals(db, clinicId, f);
  return { ...totals, durability: await outcomeDurabilityGroups(db, clinicId, f) };
}

/** Every course fact of a clinic (tests and audits compare them with a fresh computation). */
export async function listOutcomeFacts(db: Queryable, clinicId: string) {
  return db
    .select()
    .from(courseOutcomeFacts)
    .where(eq(courseOutcomeFacts.clinicId, clinicId))
    .orderBy(asc(courseOutcomeFacts.courseId));
}
