/**
 * Suicidality alerts. The recording use case (src/app/assessments.ts) creates an alert in the SAME
 * transaction as the response that raised it, so there is never a positive response without its
 * alert. Alerts are never deleted: a clinician acknowledges one with a note and the action taken.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { CssrsRisk, SuicidalityTier } from '../clinical/instruments';
import { ConflictError, NotFoundError } from './errors';
import { patients } from './schema';
import {
  alerts,
  assessmentResponses,
  type AlertAction,
  type AlertKind,
  type AlertRow,
  type AssessmentResponseRow,
} from './schema-measurement';
import type { Queryable } from './tx';

export type Alert = AlertRow;

export async function createAlert(
  db: Queryable,
  clinicId: string,
  response: AssessmentResponseRow,
  alert: { kind: AlertKind; reason: string },
  now: Date,
): Promise<Alert> {
  const [row] = await db
    .insert(alerts)
    .values({
      clinicId,
      patientId: response.patientId,
      responseId: response.id,
      kind: alert.kind,
      reason: alert.reason,
      createdAt: now,
    })
    .returning();
  return row!;
}

export interface AlertListItem extends Alert {
  patientGivenName: string;
  patientFamilyName: string;
  patientMrn: string;
  patientDateOfBirth: string;
  /** The C-SSRS risk of the response that raised the alert (null for other instruments). */
  cssrsRisk: CssrsRisk | null;
  tier: SuicidalityTier;
}

export interface AlertGroup {
  patientId: string;
  /** The highest tier among the patient's listed alerts. */
  tier: SuicidalityTier;
  latestAt: Date;
  /** The patient's listed alerts under the filter; `alerts` holds the first ALERTS_PER_PATIENT_MAX. */
  alertCount: number;
  alerts: AlertListItem[];
}

/**
 * Bounded work per inbox page. A patient's group carries at most ALERTS_PER_PATIENT_MAX alerts
 * (highest risk, then newest; `alertCount` says how many there are — a long history under
 * status=all, whose acknowledged part pages through listAcknowledgedAlerts), and a page ends
 * before its alerts would exceed ALERTS_PER_PAGE_MAX, though it always holds one patient.
 */
export const ALERTS_PER_PATIENT_MAX = 500;
export const ALERTS_PER_PAGE_MAX = 1000;

export interface AlertPage {
  groups: AlertGroup[];
  /** Every listed alert and patient under the filter, not only this page's. */
  totalAlerts: number;
  totalPatients: number;
  /** Pass back as `cursor` for the next page of patients; null on the last page. */
  nextCursor: string | null;
}

/** An alert as stored, with what the inbox shows of its patient and the raising response's risk. */
export type StoredAlertItem = Omit<AlertListItem, 'tier'>;

/** A page of the inbox as stored: each patient group carries its rank (0 = read first). */
export interface StoredAlertPage {
  groups: {
    patientId: string;
    rank: number;
    latestAt: Date;
    alertCount: number;
    alerts: StoredAlertItem[];
  }[];
  totalAlerts: number;
  totalPatients: number;
  /** Where the next page starts; null on the last page. */
  next: AlertPageStart | null;
}

/** The last patient group of a page: the next page starts after it. */
export interface AlertPageStart {
  rank: number;
  latestAt: string;
  patientId: string;
}

/**
 * How alerts rank (0 = read first) by the C-SSRS risk of the response that raised them, and the
 * rank of an alert raised by another instrument: the core's suicidality tiers, decided by the use case.
 */
export type AlertRanks = Readonly<Record<CssrsRisk, number>> & { readonly unrated: number };

/** The rank of each alert, by the raising response's C-SSRS risk. */
const rankSqlOf = (ranks: AlertRanks) =>
  sql<number>`case ${assessmentResponses.cssrsRisk} ${sql.join(
    (['high', 'moderate', 'low', 'none'] as const).map(
      (r) => sql`when ${r} then ${sql.raw(String(Math.trunc(ranks[r])))}`,
    ),
    sql` `,
  )} else ${sql.raw(String(Math.trunc(ranks.unrated)))} end`;

/**
 * The alert inbox, grouped per patient: patients whose highest-risk alert is highest come first,
 * then the patient with the newest alert; within a patient, highest risk then newest. Pages are
 * of patients (`limit` patients, all of their listed alerts), so a patient's alerts are never
 * split and a new alert is never hidden behind a row cap: it sorts to the top of its tier.
 */
export async function listAlerts(
  db: Queryable,
  clinicId: string,
  ranks: AlertRanks,
  opts: { status?: 'open' | 'all'; patientId?: string; limit?: number; after?: AlertPageStart } = {},
): Promise<StoredAlertPage> {
  const limit = opts.limit ?? 50;
  const rankSql = rankSqlOf(ranks);
  const conditions = [eq(alerts.clinicId, clinicId)];
  if (opts.status !== 'all') conditions.push(isNull(alerts.acknowledgedAt));
  if (opts.patientId) conditions.push(eq(alerts.patientId, opts.patientId));
  const where = and(...conditions);
  const responseJoin = and(
    eq(assessmentResponses.clinicId, alerts.clinicId),
    eq(assessmentResponses.id, alerts.responseId),
  );

  const minRank = sql<number>`min(${rankSql})::int`;
  const latest = sql<Date>`max(${alerts.createdAt})`;
  const having = [];
  if (opts.after) {
    const c = opts.after;
    const at = sql`${new Date(c.latestAt).toISOString()}::timestamptz`;
    const pid = sql`${c.patientId}::uuid`;
    having.push(
      sql`(${minRank} > ${c.rank} or (${minRank} = ${c.rank} and (${latest} < ${at} or (${latest} = ${at} and ${alerts.patientId} > ${pid}))))`,
    );
  }
  const groupRows = await db
    .select({
      patientId: alerts.patientId,
      rank: minRank,
      latestAt: latest,
      alertCount: sql<number>`count(*)::int`,
    })
    .from(alerts)
    .innerJoin(assessmentResponses, responseJoin)
    .where(where)
    .groupBy(alerts.patientId)
    .having(having[0])
    .orderBy(asc(minRank), desc(latest), asc(alerts.patientId))
    .limit(limit + 1);
  const page: typeof groupRows = [];
  let listed = 0;
  for (const g of groupRows.slice(0, limit)) {
    const shown = Math.min(g.alertCount, ALERTS_PER_PATIENT_MAX);
    if (page.length > 0 && listed + shown > ALERTS_PER_PAGE_MAX) break;
    page.push(g);
    listed += shown;
  }
  const [totals] = await db
    .select({
      alerts: sql<number>`count(*)::int`,
      patients: sql<number>`count(distinct ${alerts.patientId})::int`,
    })
    .from(alerts)
    .where(where);

  const pagePatients = inArray(
    alerts.patientId,
    page.map((g) => g.patientId),
  );
  const ranked = db
    .select({
      id: sql<string>`${alerts.id}`.as('ranked_id'),
      n: sql<number>`row_number() over (partition by ${alerts.patientId} order by ${rankSql}, ${alerts.createdAt} desc, ${alerts.id} desc)`.as(
        'n',
      ),
    })
    .from(alerts)
    .innerJoin(assessmentResponses, responseJoin)
    .where(and(where, pagePatients))
    .as('ranked');
  const rows =
    page.length === 0
      ? []
      : await db
          .select({
            alert: alerts,
            cssrsRisk: assessmentResponses.cssrsRisk,
            givenName: patients.givenName,
            familyName: patients.familyName,
            mrn: patients.mrn,
            dateOfBirth: patients.dateOfBirth,
          })
          .from(alerts)
          .innerJoin(assessmentResponses, responseJoin)
          .innerJoin(patients, and(eq(patients.clinicId, alerts.clinicId), eq(patients.id, alerts.patientId)))
          .innerJoin(ranked, and(eq(ranked.id, alerts.id), lte(ranked.n, ALERTS_PER_PATIENT_MAX)))
          .where(and(where, pagePatients))
          .orderBy(asc(rankSql), desc(alerts.createdAt), desc(alerts.id));

  const groups: StoredAlertPage['groups'] = page.map((g) => ({
    patientId: g.patientId,
    rank: g.rank,
    latestAt: new Date(g.latestAt),
    alertCount: g.alertCount,
    alerts: [],
  }));
  const byPatient = new Map(groups.map((g) => [g.patientId, g]));
  for (const r of rows) {
    const cssrsRisk = (r.cssrsRisk ?? null) as CssrsRisk | null;
    byPatient.get(r.alert.patientId)!.alerts.push({
      ...r.alert,
      patientGivenName: r.givenName,
      patientFamilyName: r.familyName,
      patientMrn: r.mrn,
      patientDateOfBirth: r.dateOfBirth,
      cssrsRisk,
    });
  }
  const last = page.at(-1);
  return {
    groups,
    totalAlerts: totals?.alerts ?? 0,
    totalPatients: totals?.patients ?? 0,
    next:
      groupRows.length > page.length && last
        ? { rank: last.rank, latestAt: new Date(last.latestAt).toISOString(), patientId: last.patientId }
        : null,
  };
}

/** A page of acknowledged alerts as stored, newest acknowledgement first. */
export interface StoredAcknowledgedPage {
  items: StoredAlertItem[];
  /** Every acknowledged alert of the clinic, not only this page's. */
  total: number;
  /** Where the next page starts; null on the last page. */
  next: AcknowledgedPageStart | null;
}

/** The last alert of a page of acknowledged alerts: the next page starts after it. */
export interface AcknowledgedPageStart {
  acknowledgedAt: string;
  id: string;
}

/**
 * Acknowledged alerts, newest acknowledgement first, a page of `limit` at a time (keyset on
 * acknowledgement time and id, so a page never repeats or skips an alert acknowledged meanwhile).
 */
export async function listAcknowledgedAlerts(
  db: Queryable,
  clinicId: string,
  opts: { limit: number; after?: AcknowledgedPageStart | undefined },
): Promise<StoredAcknowledgedPage> {
  const acknowledged = and(eq(alerts.clinicId, clinicId), isNotNull(alerts.acknowledgedAt));
  const conditions = [acknowledged];
  if (opts.after) {
    const c = opts.after;
    const at = sql`${new Date(c.acknowledgedAt).toISOString()}::timestamptz`;
    conditions.push(
      sql`(${alerts.acknowledgedAt} < ${at} or (${alerts.acknowledgedAt} = ${at} and ${alerts.id} < ${c.id}::uuid))`,
    );
  }
  const rows = await db
    .select({
      alert: alerts,
      cssrsRisk: assessmentResponses.cssrsRisk,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
      dateOfBirth: patients.dateOfBirth,
    })
    .from(alerts)
    .innerJoin(
      assessmentResponses,
      and(eq(assessmentResponses.clinicId, alerts.clinicId), eq(assessmentResponses.id, alerts.responseId)),
    )
    .innerJoin(patients, and(eq(patients.clinicId, alerts.clinicId), eq(patients.id, alerts.patientId)))
    .where(and(...conditions))
    .orderBy(desc(alerts.acknowledgedAt), desc(alerts.id))
    .limit(opts.limit + 1);
  const [totals] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alerts)
    .where(acknowledged);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1)?.alert;
  return {
    items: page.map((r) => ({
      ...r.alert,
      patientGivenName: r.givenName,
      patientFamilyName: r.familyName,
      patientMrn: r.mrn,
      patientDateOfBirth: r.dateOfBirth,
      cssrsRisk: (r.cssrsRisk ?? null) as CssrsRisk | null,
    })),
    total: totals?.n ?? 0,
    next:
      rows.length > opts.limit && last?.acknowledgedAt
        ? { acknowledgedAt: last.acknowledgedAt.toISOString(), id: last.id }
        : null,
  };
}

export async function countOpenAlerts(db: Queryable, clinicId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(alerts)
    .where(and(eq(alerts.clinicId, clinicId), isNull(alerts.acknowledgedAt)));
  return row?.n ?? 0;
}

/** Acknowledges an open alert (once): who, when, the note and the action taken. */
export async function acknowledgeAlert(
  db: Queryable,
  clinicId: string,
  alertId: string,
  userId: string,
  input: { note: string; action: AlertAction },
  now: Date,
): Promise<Alert> {
  const [row] = await db
    .update(alerts)
    .set({
      acknowledgedAt: now,
      acknowledgedBy: userId,
      acknowledgementNote: input.note,
      actionTaken: input.action,
    })
    .where(and(eq(alerts.clinicId, clinicId), eq(alerts.id, alertId), isNull(alerts.acknowledgedAt)))
    .returning();
  if (row) return row;
  const [existing] = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.clinicId, clinicId), eq(alerts.id, alertId)));
  if (!existing) throw new NotFoundError('alert');
  throw new ConflictError('alert', 'this alert has already been acknowledged');
}
