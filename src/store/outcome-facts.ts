/**
 * The dashboard's pre-aggregated course facts (issue 9 item 5; table in schema-outcomes.ts).
 *
 * A course's facts are a function of the rows already stored (its dosed sessions and their events,
 * the patient's PHQ-9 responses, the clinic's remission and vitals thresholds), computed by the pure
 * core. Every write that can change them recomputes the patient's facts in the same transaction:
 * `recordAssessment`/`correctAssessment` (PHQ-9) and `appendSessionEvent` call
 * `refreshPatientOutcomeFacts`; the session-settings route calls `rebuildOutcomeFacts` when the
 * thresholds change; bulk loaders (the synthetic network) call `rebuildOutcomeFacts` after loading.
 * The dashboard then adds up at most one row per course (`outcomeFactCounts`).
 */
import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { clinicRemissionThresholds } from '../clinical/instruments';
import {
  courseFact,
  courseInputFromSessions,
  courseOutcome,
  type CourseFact,
  type FactCounts,
} from '../clinical/outcomes';
import type { Modality } from '../clinical/protocols/evidence';
import { getSessionSettings } from './courses';
import { exportScores, exportSessions } from './outcomes';
import { courseOutcomeFacts } from './schema-outcomes';
import { courses, sessionEvents, treatmentSessions } from './schema-sessions';
import type { Db } from './open';
import { clinics } from './schema';
import { inClinic, type Queryable } from './tx';

type FactRow = typeof courseOutcomeFacts.$inferInsert;

/** Computes the facts of every course of these patients (at most a few thousand per call). */
export async function computeOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientIds: readonly string[],
  now: Date,
): Promise<FactRow[]> {
  if (patientIds.length === 0) return [];
  const ids = [...patientIds];
  const courseRows = await db
    .select({
      id: courses.id,
      patientId: courses.patientId,
      modality: courses.modality,
      startDate: courses.startDate,
      createdBy: courses.createdBy,
    })
    .from(courses)
    .where(and(eq(courses.clinicId, clinicId), inArray(courses.patientId, ids)))
    .orderBy(asc(courses.id));
  if (courseRows.length === 0) return [];
  const remissionThresholds = clinicRemissionThresholds(
    (await getSessionSettings(db, clinicId)).outcomes.remissionThresholds,
  );
  const sessions = (await exportSessions(db, clinicId, { patientIds: ids })).filter(
    (s) => s.dosingStartedAt !== null,
  );
  const scores = await exportScores(db, clinicId, { patientIds: ids, instrument: 'phq9', withItems: true });

  const dosedByPatient = new Map<string, { at: Date; phaseId: string; courseId: string }[]>();
  const dosedByCourse = new Map<string, typeof sessions>();
  for (const s of sessions) {
    const p = dosedByPatient.get(s.patientId) ?? [];
    p.push({ at: s.dosingStartedAt!, phaseId: s.phaseId, courseId: s.courseId });
    dosedByPatient.set(s.patientId, p);
    const c = dosedByCourse.get(s.courseId) ?? [];
    c.push(s);
    dosedByCourse.set(s.courseId, c);
  }
  const phq9ByPatient = new Map<string, { at: Date; score: number; items: Record<string, number> }[]>();
  for (const s of scores) {
    if (s.totalScore === null) continue;
    const list = phq9ByPatient.get(s.patientId) ?? [];
    list.push({
      at: s.administeredAt,
      score: s.totalScore,
      items: Object.fromEntries(Object.entries(s.items).filter((e): e is [string, number] => e[1] !== null)),
    });
    phq9ByPatient.set(s.patientId, list);
  }

  const rows: FactRow[] = [];
  for (const c of courseRows) {
    const dosed = dosedByCourse.get(c.id) ?? [];
    if (dosed.length === 0) continue;
    const input = courseInputFromSessions({
      courseId: c.id,
      instrument: 'phq9',
      patientSessions: dosedByPatient.get(c.patientId) ?? [],
      assessments: phq9ByPatient.get(c.patientId) ?? [],
      now,
      settings: { remissionThresholds },
    });
    const fact: CourseFact = courseFact(input ? courseOutcome(input) : null, dosed);
    rows.push({
      clinicId,
      courseId: c.id,
      patientId: c.patientId,
      modality: c.modality,
      startDate: c.startDate,
      prescriberId: c.createdBy,
      ...fact,
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

/** Recomputes one patient's course facts (call in the transaction of the write that changed them). */
export async function refreshPatientOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<void> {
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
  return facts;
}

/**
 * Does the clinic have a dosed course without facts? True after an upgrade from a version without
 * the facts table (or a bulk load that did not rebuild); `rein serve` then rebuilds at start.
 */
export async function outcomeFactsMissing(db: Queryable, clinicId: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(sessionEvents)
    .innerJoin(
      treatmentSessions,
      and(
        eq(treatmentSessions.clinicId, sessionEvents.clinicId),
        eq(treatmentSessions.id, sessionEvents.sessionId),
      ),
    )
    .where(
      and(
        eq(sessionEvents.clinicId, clinicId),
        eq(sessionEvents.kind, 'dosing-start'),
        sql`not exists (select 1 from ${courseOutcomeFacts} f where f.clinic_id = ${treatmentSessions.clinicId} and f.course_id = ${treatmentSessions.courseId})`,
      ),
    )
    .limit(1);
  return rows.length > 0;
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
 * At server start: rebuilds the facts of every clinic that has a dosed course without them (a
 * database upgraded from a version without the facts table). Each clinic in its own transaction.
 */
export async function backfillOutcomeFacts(
  db: Db,
  now: Date,
): Promise<{ clinicId: string; facts: number }[]> {
  const rebuilt: { clinicId: string; facts: number }[] = [];
  for (const { id } of await db.select({ id: clinics.id }).from(clinics).orderBy(asc(clinics.id))) {
    const facts = await inClinic(db, id, async (tx) =>
      (await outcomeFactsMissing(tx, id)) ? rebuildOutcomeFacts(tx, id, now) : null,
    );
    if (facts !== null) rebuilt.push({ clinicId: id, facts });
  }
  return rebuilt;
}
