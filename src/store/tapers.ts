/**
 * Repository for medication taper plans. Every function takes the clinic id and filters
 * by it. The plan schedule is computed by the pure core (src/clinical/taper) in the caller; this
 * module stores it, never recomputes it, and never overwrites what was recorded: replans are new
 * versions, status changes keep the previous row in `revisions`, check-ins and decisions append.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors';
import type { DecisionSuggestion, Severity, TaperPlan, TaperPlanInput } from '../clinical/taper';
import { getPatient } from './patients';
import { patients, revisions, users } from './schema';
import {
  taperCheckIns,
  taperDecisions,
  taperPlans,
  taperPlanVersions,
  type TaperPlanStatus,
} from './schema-taper';
import type { Queryable } from './tx';

export type TaperPlanRow = typeof taperPlans.$inferSelect;
export type TaperPlanVersionRow = typeof taperPlanVersions.$inferSelect;
export type TaperCheckInRow = typeof taperCheckIns.$inferSelect;
export type TaperDecisionRow = typeof taperDecisions.$inferSelect;

/** A check-in as recorded: the patient's answers and the suggestion the core made from them. */
export interface TaperCheckInContent {
  date: string;
  answers: Readonly<Partial<Record<string, Severity>>>;
  tolerable: boolean;
  note?: string | undefined;
  suggestion: DecisionSuggestion;
}

/** A status change as recorded, with the row version the caller saw (optimistic concurrency). */
export interface TaperStatusContent {
  status: TaperPlanStatus;
  reason: string;
  version?: number | undefined;
}

/** What a version stores: the validated request and the planner's output. */
export interface TaperVersionContent {
  mode: 'occupancy' | 'proportional';
  startDate: string;
  startDoseMg: number;
  infusionDates: readonly string[];
  request: TaperPlanInput;
  plan: TaperPlan;
}

export async function createTaperPlan(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: { drug: string } & TaperVersionContent,
  createdBy: string,
): Promise<{ plan: TaperPlanRow; version: TaperPlanVersionRow }> {
  await getPatient(db, clinicId, patientId);
  // One open (active or paused) taper per drug per patient: two plans of one drug would give the
  // patient two schedules. The transaction lock makes the check hold under concurrent requests.
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`rein.taper:${clinicId}:${patientId}:${input.drug}`}, 0))`,
  );
  const [open] = await db
    .select()
    .from(taperPlans)
    .where(
      and(
        eq(taperPlans.clinicId, clinicId),
        eq(taperPlans.patientId, patientId),
        eq(taperPlans.drug, input.drug),
        inArray(taperPlans.status, ['active', 'paused']),
      ),
    )
    .limit(1);
  if (open) {
    throw new ConflictError(
      'drug',
      `this patient already has an ${open.status} ${input.drug} taper (plan ${open.id}, started ${open.createdAt.toISOString().slice(0, 10)}); complete or cancel it, or record a decision on it, before starting another`,
    );
  }
  const [plan] = await db
    .insert(taperPlans)
    .values({ clinicId, patientId, drug: input.drug, createdBy })
    .returning();
  const [version] = await db
    .insert(taperPlanVersions)
    .values({
      clinicId,
      planId: plan!.id,
      number: 1,
      mode: input.mode,
      startDate: input.startDate,
      startDoseMg: input.startDoseMg,
      infusionDates: [...input.infusionDates],
      request: input.request,
      plan: input.plan,
      createdBy,
    })
    .returning();
  return { plan: plan!, version: version! };
}

/** A patient's plans, newest first, each with its current (highest-numbered) version. */
export async function listTaperPlans(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<{ plan: TaperPlanRow; current: TaperPlanVersionRow }[]> {
  await getPatient(db, clinicId, patientId);
  const plans = await db
    .select()
    .from(taperPlans)
    .where(and(eq(taperPlans.clinicId, clinicId), eq(taperPlans.patientId, patientId)))
    .orderBy(desc(taperPlans.createdAt), desc(taperPlans.id));
  if (plans.length === 0) return [];
  const versions = await db
    .select()
    .from(taperPlanVersions)
    .where(
      and(
        eq(taperPlanVersions.clinicId, clinicId),
        inArray(
          taperPlanVersions.planId,
          plans.map((p) => p.id),
        ),
      ),
    )
    .orderBy(asc(taperPlanVersions.number));
  const latest = new Map<string, TaperPlanVersionRow>();
  for (const v of versions) latest.set(v.planId, v);
  return plans.map((plan) => ({ plan, current: latest.get(plan.id)! }));
}

/** One plan of one patient; 404 when it belongs to another patient or clinic. */
export async function getTaperPlan(
  db: Queryable,
  clinicId: string,
  patientId: string,
  planId: string,
): Promise<TaperPlanRow> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .select()
    .from(taperPlans)
    .where(
      and(eq(taperPlans.clinicId, clinicId), eq(taperPlans.patientId, patientId), eq(taperPlans.id, planId)),
    );
  if (!row) throw new NotFoundError('taper plan');
  return row;
}

/** All versions of a plan, oldest first (the last one is in effect). */
export async function listTaperVersions(
  db: Queryable,
  clinicId: string,
  planId: string,
): Promise<TaperPlanVersionRow[]> {
  return db
    .select()
    .from(taperPlanVersions)
    .where(and(eq(taperPlanVersions.clinicId, clinicId), eq(taperPlanVersions.planId, planId)))
    .orderBy(asc(taperPlanVersions.number));
}

export async function currentTaperVersion(
  db: Queryable,
  clinicId: string,
  planId: string,
): Promise<TaperPlanVersionRow> {
  const [row] = await db
    .select()
    .from(taperPlanVersions)
    .where(and(eq(taperPlanVersions.clinicId, clinicId), eq(taperPlanVersions.planId, planId)))
    .orderBy(desc(taperPlanVersions.number))
    .limit(1);
  if (!row) throw new NotFoundError('taper plan version');
  return row;
}

/** Adds a version after `previous` (a replan); the previous version is left as it was. */
export async function addTaperVersion(
  db: Queryable,
  clinicId: string,
  previous: TaperPlanVersionRow,
  content: TaperVersionContent & { reason: string; decisionId: string | null },
  createdBy: string,
): Promise<TaperPlanVersionRow> {
  try {
    const [row] = await db
      .insert(taperPlanVersions)
      .values({
        clinicId,
        planId: previous.planId,
        number: previous.number + 1,
        previousVersionId: previous.id,
        decisionId: content.decisionId,
        mode: content.mode,
        startDate: content.startDate,
        startDoseMg: content.startDoseMg,
        infusionDates: [...content.infusionDates],
        request: content.request,
        plan: content.plan,
        reason: content.reason,
        createdBy,
      })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'taper_plan_versions_number_unique')) {
      throw new ConflictError('version', 'this plan was replanned by someone else; reload and try again');
    }
    throw err;
  }
}

export async function addTaperCheckIn(
  db: Queryable,
  clinicId: string,
  planId: string,
  input: TaperCheckInContent,
  recordedBy: string,
): Promise<TaperCheckInRow> {
  const [row] = await db
    .insert(taperCheckIns)
    .values({
      clinicId,
      planId,
      checkInDate: input.date,
      answers: input.answers,
      tolerable: input.tolerable,
      note: input.note ?? null,
      suggestion: input.suggestion,
      recordedBy,
    })
    .returning();
  return row!;
}

export interface WithUserName {
  userName: string | null;
}

/** A plan's check-ins, oldest first, with the name of who recorded each. */
export async function listTaperCheckIns(
  db: Queryable,
  clinicId: string,
  planId: string,
): Promise<(TaperCheckInRow & WithUserName)[]> {
  const rows = await db
    .select({ c: taperCheckIns, userName: users.name })
    .from(taperCheckIns)
    .leftJoin(users, and(eq(users.clinicId, taperCheckIns.clinicId), eq(users.id, taperCheckIns.recordedBy)))
    .where(and(eq(taperCheckIns.clinicId, clinicId), eq(taperCheckIns.planId, planId)))
    .orderBy(asc(taperCheckIns.checkInDate), asc(taperCheckIns.id));
  return rows.map((r) => ({ ...r.c, userName: r.userName }));
}

export async function addTaperDecision(
  db: Queryable,
  clinicId: string,
  input: Omit<typeof taperDecisions.$inferInsert, 'clinicId' | 'id' | 'createdAt'>,
): Promise<TaperDecisionRow> {
  const [row] = await db
    .insert(taperDecisions)
    .values({ ...input, clinicId })
    .returning();
  return row!;
}

/** A plan's decisions, oldest first, with the name of who decided each. */
export async function listTaperDecisions(
  db: Queryable,
  clinicId: string,
  planId: string,
): Promise<(TaperDecisionRow & WithUserName)[]> {
  const rows = await db
    .select({ d: taperDecisions, userName: users.name })
    .from(taperDecisions)
    .leftJoin(users, and(eq(users.clinicId, taperDecisions.clinicId), eq(users.id, taperDecisions.decidedBy)))
    .where(and(eq(taperDecisions.clinicId, clinicId), eq(taperDecisions.planId, planId)))
    .orderBy(asc(taperDecisions.createdAt), asc(taperDecisions.id));
  return rows.map((r) => ({ ...r.d, userName: r.userName }));
}

/**
 * Writes a status change the caller has already allowed (the lifecycle rule is the core's
 * `canChangeTaperStatus`); the previous row is kept in `revisions` with who/why.
 */
export async function changeTaperStatus(
  db: Queryable,
  clinicId: string,
  current: TaperPlanRow,
  change: TaperStatusContent,
  changedBy: string,
): Promise<{ plan: TaperPlanRow; from: TaperPlanStatus }> {
  if (change.version !== undefined && change.version !== current.version) {
    throw new ConflictError('version', 'this plan was changed by someone else; reload and try again');
  }
  await db.insert(revisions).values({
    clinicId,
    resourceType: 'taper_plan',
    resourceId: current.id,
    version: current.version,
    data: current,
    changedBy,
    reason: change.reason,
  });
  const [row] = await db
    .update(taperPlans)
    .set({ status: change.status, version: current.version + 1, updatedAt: new Date() })
    .where(
      and(
        eq(taperPlans.clinicId, clinicId),
        eq(taperPlans.id, current.id),
        eq(taperPlans.version, current.version),
      ),
    )
    .returning();
  if (!row) throw new ConflictError('version', 'this plan was changed by someone else; reload and try again');
  return { plan: row, from: current.status };
}

/** Earlier rows of a plan (status history), oldest first. */
export async function listTaperStatusHistory(db: Queryable, clinicId: string, planId: string) {
  const rows = await db
    .select({ r: revisions, userName: users.name })
    .from(revisions)
    .leftJoin(users, and(eq(users.clinicId, revisions.clinicId), eq(users.id, revisions.changedBy)))
    .where(
      and(
        eq(revisions.clinicId, clinicId),
        eq(revisions.resourceType, 'taper_plan'),
        eq(revisions.resourceId, planId),
      ),
    )
    .orderBy(asc(revisions.version));
  return rows.map((x) => ({
    fromStatus: (x.r.data as { status: TaperPlanStatus }).status,
    changedAt: x.r.changedAt,
    changedBy: x.r.changedBy,
    userName: x.userName,
    reason: x.r.reason,
  }));
}

/** An active plan of the clinic with its patient, its version in effect and its decisions' dates. */
export interface ActiveTaperPlan {
  plan: TaperPlanRow;
  current: TaperPlanVersionRow;
  patient: { givenName: string; familyName: string; mrn: string };
  decisionDates: string[];
}

/** Every active plan of a clinic (for the start page), oldest first. */
export async function listActiveTaperPlans(db: Queryable, clinicId: string): Promise<ActiveTaperPlan[]> {
  const rows = await db
    .select({
      plan: taperPlans,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
    })
    .from(taperPlans)
    .innerJoin(
      patients,
      and(eq(patients.clinicId, taperPlans.clinicId), eq(patients.id, taperPlans.patientId)),
    )
    .where(and(eq(taperPlans.clinicId, clinicId), eq(taperPlans.status, 'active')))
    .orderBy(asc(taperPlans.createdAt), asc(taperPlans.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.plan.id);
  const versions = await db
    .select()
    .from(taperPlanVersions)
    .where(and(eq(taperPlanVersions.clinicId, clinicId), inArray(taperPlanVersions.planId, ids)))
    .orderBy(asc(taperPlanVersions.number));
  const latest = new Map<string, TaperPlanVersionRow>();
  for (const v of versions) latest.set(v.planId, v);
  const decisions = await db
    .select({ planId: taperDecisions.planId, date: taperDecisions.decisionDate })
    .from(taperDecisions)
    .where(and(eq(taperDecisions.clinicId, clinicId), inArray(taperDecisions.planId, ids)));
  return rows.map((r) => ({
    plan: r.plan,
    current: latest.get(r.plan.id)!,
    patient: { givenName: r.givenName, familyName: r.familyName, mrn: r.mrn },
    decisionDates: decisions.filter((d) => d.planId === r.plan.id).map((d) => d.date),
  }));
}
