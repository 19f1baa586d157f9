/**
 * The dashboard's pre-aggregated course facts (table in schema-outcomes.ts).
 *
 * A course's facts are a function of the rows already stored (its dosed sessions and their events,
 * the patient's PHQ-9 responses, the clinic's remission and vitals thresholds), computed by the pure
 * core. Every write that can change them recomputes the patient's facts in the same transaction,
 * explicitly, in its use case: recording or correcting a PHQ-9 (src/app/assessments.ts) and
 * appending a session event call `refreshPatientOutcomeFacts`; changing the session settings'
 * remission or vitals thresholds calls `rebuildOutcomeFacts` (src/app/courses.ts); bulk loaders (the
 * synthetic network) call `rebuildOutcomeFacts` after loading.
 * A new clinic is marked built (`markOutcomeFactsBuilt`, from createClinic); `rein serve` rebuilds
 * clinics whose marker is missing or older than `OUTCOME_FACTS_VERSION`.
 * The dashboard then adds up at most one row per course (`outcomeFactCounts`).
 */
import { readStoredPayload } from '../clinical/session';
import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { clinicRemissionThresholds } from '../clinical/instruments';
import {
  courseFact,
  courseInputFromSessions,
  courseOutcome,
  type CourseFact,
  type DosedSession,
  type FactCounts,
  type ScoredAssessment,
  type SessionSafetyCounts,
} from '../clinical/outcomes';
import type { Modality } from '../clinical/protocols/evidence';
import { getSessionSettings } from './courses';
import { hypertensionChecks } from './outcomes';
import { assessmentItemAnswers, assessmentResponses } from './schema-measurement';
import { courseOutcomeFacts, outcomeFactBuilds } from './schema-outcomes';
import { courses, sessionEvents, treatmentSessions } from './schema-sessions';
import type { Db } from './open';
import { clinics } from './schema';
import { inClinic, type Queryable } from './tx';

type FactRow = typeof courseOutcomeFacts.$inferInsert;

/**
 * The version of the fact computation. Bump it when `computeOutcomeFacts` or the core rules it
 * applies change what a fact holds: `rein serve` then rebuilds every clinic's facts at the next start.
 */
export const OUTCOME_FACTS_VERSION = 2; // 2: adds the latest dosing time of each course

/** The latest time a Date can hold: "no end of follow-up yet". */
const FOLLOW_UP_HORIZON = new Date(8.64e15);

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

/**
 * Computes the facts of every course of these patients (a few hundred per call). Reads only what
 * the facts depend on, with one array parameter per query: the patients' courses; their sessions'
 * dosing starts, vitals and adverse events; their current PHQ-9 totals and the suicide item
 * (the only item `courseOutcome` reads). A test compares the result with outcomes computed from the
 * full export rows.
 */
export async function computeOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientIds: readonly string[],
  now: Date,
): Promise<FactRow[]> {
  if (patientIds.length === 0) return [];
  const ids = uuidArray(patientIds);
  const courseRows = await rowsOf<{
    id: string;
    patient_id: string;
    modality: Modality;
    start_date: string;
    created_by: string;
  }>(
    db,
    sql`select id, patient_id, modality, start_date::text as start_date, created_by from ${courses}
        where clinic_id = ${clinicId} and patient_id = any(${ids}) order by id`,
  );
  if (courseRows.length === 0) return [];
  const settings = await getSessionSettings(db, clinicId);
  const remissionThresholds = clinicRemissionThresholds(settings.outcomes.remissionThresholds);
  const modalityOf = new Map(courseRows.map((c) => [c.id, c.modality]));

  const sessionRows = await rowsOf<{ id: string; course_id: string; patient_id: string; phase_id: string }>(
    db,
    sql`select id, course_id, patient_id, phase_id from ${treatmentSessions}
        where clinic_id = ${clinicId} and patient_id = any(${ids})`,
  );
  const eventRows =
    sessionRows.length === 0
      ? []
      : await rowsOf<{
          session_id: string;
          kind: (typeof FACT_EVENT_KINDS)[number];
          time_min: number | null;
          payload: unknown;
          at_ms: number | string;
        }>(
          db,
          sql`select session_id, kind, time_min, case when kind = 'dosing-start' then null else payload end as payload,
                extract(epoch from recorded_at) * 1000 as at_ms
              from ${sessionEvents}
              where clinic_id = ${clinicId} and session_id = any(${uuidArray(sessionRows.map((r) => r.id))})
                and kind in ('dosing-start', 'vitals', 'adverse-event')
              order by recorded_at, id`,
        );
  // Per session, as the session export counts them (src/store/outcomes.ts exportSessions).
  const htnCheck = hypertensionChecks(settings);
  const sessionById = new Map(
    sessionRows.map((r) => [
      r.id,
      {
        ...r,
        startedAt: null as Date | null,
        adverseEvents: 0,
        seriousAdverseEvents: 0,
        hypertensionAlerts: 0,
      },
    ]),
  );
  for (const e of eventRows) {
    const s = sessionById.get(e.session_id)!;
    if (e.kind === 'dosing-start') s.startedAt ??= new Date(Number(e.at_ms));
    else if (e.kind === 'adverse-event') {
      s.adverseEvents++;
      if (readStoredPayload('adverse-event', e.payload)?.serious === true) s.seriousAdverseEvents++;
    } else if (htnCheck(modalityOf.get(s.course_id)!)(e.payload, e.time_min)) s.hypertensionAlerts++;
  }
  const dosedByPatient = new Map<string, DosedSession[]>();
  const dosedByCourse = new Map<string, (SessionSafetyCounts & { startedAt: Date | null })[]>();
  for (const s of sessionById.values()) {
    if (s.startedAt === null) continue;
    const p = dosedByPatient.get(s.patient_id) ?? [];
    p.push({ at: s.startedAt, phaseId: s.phase_id, courseId: s.course_id });
    dosedByPatient.set(s.patient_id, p);
    const c = dosedByCourse.get(s.course_id) ?? [];
    c.push(s);
    dosedByCourse.set(s.course_id, c);
  }

  const scoreRows = await rowsOf<{
    id: string;
    patient_id: string;
    at_ms: number | string;
    total_score: number;
  }>(
    db,
    sql`select r.id, r.patient_id, extract(epoch from r.administered_at) * 1000 as at_ms, r.total_score
        from ${assessmentResponses} r
        where r.clinic_id = ${clinicId} and r.patient_id = any(${ids}) and r.instrument = 'phq9'
          and r.total_score is not null
          and not exists (select 1 from ${assessmentResponses} newer
                          where newer.clinic_id = r.clinic_id and newer.supersedes_id = r.id)`,
  );
  const suicideRows = await rowsOf<{ response_id: string; item_id: string; value: number }>(
    db,
    sql`select response_id, item_id, value from ${assessmentItemAnswers}
        where clinic_id = ${clinicId} and patient_id = any(${ids}) and suicide_item and value is not null`,
  );
  const itemsOf = new Map<string, Record<string, number>>();
  for (const a of suicideRows) {
    const items = itemsOf.get(a.response_id) ?? {};
    items[a.item_id] = a.value;
    itemsOf.set(a.response_id, items);
  }
  const phq9ByPatient = new Map<string, ScoredAssessment[]>();
  for (const r of scoreRows) {
    const list = phq9ByPatient.get(r.patient_id) ?? [];
    list.push({ at: new Date(Number(r.at_ms)), score: r.total_score, items: itemsOf.get(r.id) ?? {} });
    phq9ByPatient.set(r.patient_id, list);
  }

  const rows: FactRow[] = [];
  for (const c of courseRows) {
    const dosed = dosedByCourse.get(c.id) ?? [];
    if (dosed.length === 0) continue;
    const input = courseInputFromSessions({
      courseId: c.id,
      instrument: 'phq9',
      patientSessions: dosedByPatient.get(c.patient_id) ?? [],
      assessments: phq9ByPatient.get(c.patient_id) ?? [],
      // Follow-up ends at the next dosed session only, never at "now": stored facts must not depend
      // on when they were computed (an assessment timed a few minutes ahead of the server's clock is
      // accepted, and must count without waiting for the patient's next write).
      now: FOLLOW_UP_HORIZON,
      settings: { remissionThresholds },
    });
    const fact: CourseFact = courseFact(input ? courseOutcome(input) : null, dosed);
    const lastDosedAt = new Date(Math.max(...dosed.map((d) => d.startedAt!.getTime())));
    rows.push({
      clinicId,
      courseId: c.id,
      patientId: c.patient_id,
      modality: c.modality,
      startDate: c.start_date,
      prescriberId: c.created_by,
      ...fact,
      lastDosedAt,
      computedAt: now,
    });
  }
  return rows;
}

const INSERT_CHUNK = 500;

async function replaceFacts(db: Queryable, clinicId: string, patientIds: string[], rows: FactRow[]) {
  await db
    .delete(courseOutcomeFacts)
    .where(and(eq(courseOutcomeFacts.clinicId, clinicId), inArray(courseOutcomeFacts.patientId, patientIds)));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insert(courseOutcomeFacts).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

/**
 * Concurrent writes for one patient must not compute facts from each other's uncommitted rows (a
 * nurse's vitals and the patient's portal PHQ-9 at the same moment): a refresh holds the patient's
 * lock, and the clinic's lock shared; a full rebuild holds the clinic's lock exclusively. Each
 * statement after the lock (READ COMMITTED) sees what the other transaction committed. Transaction-
 * scoped advisory locks: nothing is written to hold them.
 */
async function lockForRefresh(db: Queryable, clinicId: string, patientId: string): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${`rein.facts:${clinicId}`}, 0)),
               pg_advisory_xact_lock(hashtextextended(${`rein.facts:${clinicId}:${patientId}`}, 0))`,
  );
}

async function lockForRebuild(db: Queryable, clinicId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`rein.facts:${clinicId}`}, 0))`);
}

/** Recomputes one patient's course facts (call in the transaction of the write that changed them). */
export async function refreshPatientOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<void> {
  await lockForRefresh(db, clinicId, patientId);
  await replaceFacts(db, clinicId, [patientId], await computeOutcomeFacts(db, clinicId, [patientId], now));
}

/** The patient a treatment session belongs to. */
export async function refreshSessionOutcomeFacts(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  const [row] = await db
    .select({ patientId: treatmentSessions.patientId })
    .from(treatmentSessions)
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(treatmentSessions.id, sessionId)));
  if (row) await refreshPatientOutcomeFacts(db, clinicId, row.patientId, now);
}

const REBUILD_BATCH = 500;

/**
 * Recomputes every course fact of a clinic, patients in batches (run inside `inClinic`, one
 * transaction: the dashboard never sees a half-rebuilt clinic). Returns the number of facts.
 */
export async function rebuildOutcomeFacts(
  db: Queryable,
  clinicId: string,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  await lockForRebuild(db, clinicId);
  await db.delete(courseOutcomeFacts).where(eq(courseOutcomeFacts.clinicId, clinicId));
  const patientRows = await db
    .selectDistinct({ patientId: courses.patientId })
    .from(courses)
    .where(eq(courses.clinicId, clinicId))
    .orderBy(asc(courses.patientId));
  const ids = patientRows.map((r) => r.patientId);
  let facts = 0;
  onProgress?.(0, ids.length);
  for (let i = 0; i < ids.length; i += REBUILD_BATCH) {
    const batch = ids.slice(i, i + REBUILD_BATCH);
    const rows = await computeOutcomeFacts(db, clinicId, batch, now);
    for (let j = 0; j < rows.length; j += INSERT_CHUNK) {
      await db.insert(courseOutcomeFacts).values(rows.slice(j, j + INSERT_CHUNK));
    }
    facts += rows.length;
    onProgress?.(Math.min(i + REBUILD_BATCH, ids.length), ids.length);
  }
  await markOutcomeFactsBuilt(db, clinicId, now);
  return facts;
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

/**
 * At server start: rebuilds the facts of every clinic whose facts were not built with the current
 * `OUTCOME_FACTS_VERSION` (a database from before the facts existed, or a release that changed how
 * they are computed). Each clinic in its own transaction.
 */
export async function backfillOutcomeFacts(
  db: Db,
  now: Date,
): Promise<{ clinicId: string; facts: number }[]> {
  const rebuilt: { clinicId: string; facts: number }[] = [];
  for (const { id } of await db.select({ id: clinics.id }).from(clinics).orderBy(asc(clinics.id))) {
    const facts = await inClinic(db, id, async (tx) =>
      (await outcomeFactsCurrent(tx, id)) ? null : rebuildOutcomeFacts(tx, id, now),
    );
    if (facts !== null) rebuilt.push({ clinicId: id, facts });
  }
  return rebuilt;
}
