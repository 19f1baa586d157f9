/**
 * Suicidality alerts. The recording use case (src/app/assessments.ts) creates an alert in the SAME
 * transaction as the response that raised it, so there is never a positive response without its
 * alert. Alerts are never deleted: a clinician acknowledges one with a note and the action taken.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { ClinicalInputError } from '../clinical/errors';
import {
  SUICIDALITY_TIERS,
  suicidalityTier,
  suicidalityTierRank,
  type CssrsRisk,
  type SuicidalityTier,
} from '../clinical/instruments';
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

// The rule deciding whether a response raises an alert lives in the clinical core.
export { alertFor } from '../clinical/instruments/recording';

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

/** Rank of an alert (0 = read first), from the core's tiers and the raising response's C-SSRS risk. */
const rankSql = sql<number>`case ${assessmentResponses.cssrsRisk} ${sql.join(
  (['high', 'moderate', 'low', 'none'] as const).map(
    (r) => sql`when ${r} then ${sql.raw(String(suicidalityTierRank(suicidalityTier(r))))}`,
  ),
  sql` `,
)} else ${sql.raw(String(suicidalityTierRank(suicidalityTier(null))))} end`;

interface Cursor {
  rank: number;
  latestAt: string;
  patientId: string;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (
      Number.isInteger(c.rank) &&
      typeof c.latestAt === 'string' &&
      !Number.isNaN(Date.parse(c.latestAt)) &&
      typeof c.patientId === 'string' &&
      /^[0-9a-f-]{36}$/i.test(c.patientId)
    ) {
      return c;
    }
  } catch {
    // fall through
  }
  throw new ClinicalInputError('cursor', 'not a cursor this server gave out; start from the first page');
}

/**
 * The alert inbox, grouped per patient: patients whose highest-risk alert is highest come first,
 * then the patient with the newest alert; within a patient, highest risk then newest. Pages are
 * of patients (`limit` patients, all of their listed alerts), so a patient's alerts are never
 * split and a new alert is never hidden behind a row cap: it sorts to the top of its tier.
 */
export async function listAlerts(
  db: Queryable,
  clinicId: string,
  opts: { status?: 'open' | 'all'; patientId?: string; limit?: number; cursor?: string } = {},
): Promise<AlertPage> {
  const limit = opts.limit ?? 50;
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
  if (opts.cursor) {
    const c = decodeCursor(opts.cursor);
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

  const groups: AlertGroup[] = page.map((g) => ({
    patientId: g.patientId,
    tier: SUICIDALITY_TIERS[g.rank]!,
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
      tier: suicidalityTier(cssrsRisk),
    });
  }
  const last = page.at(-1);
  return {
    groups,
    totalAlerts: totals?.alerts ?? 0,
    totalPatients: totals?.patients ?? 0,
    nextCursor:
      groupRows.length > page.length && last
        ? encodeCursor({
            rank: last.rank,
            latestAt: new Date(last.latestAt).toISOString(),
            patientId: last.patientId,
          })
        : null,
  };
}

export interface AcknowledgedAlertPage {
  /** Newest acknowledgement first. */
  items: AlertListItem[];
  /** Every acknowledged alert of the clinic, not only this page's. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface AcknowledgedCursor {
  acknowledgedAt: string;
  id: string;
}
function decodeAcknowledgedCursor(cursor: string): AcknowledgedCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as AcknowledgedCursor;
    if (
      typeof c.acknowledgedAt === 'string' &&
      !Number.isNaN(Date.parse(c.acknowledgedAt)) &&
      typeof c.id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(c.id)
    ) {
      return c;
    }
  } catch {
    // fall through
  }
  throw new ClinicalInputError('cursor', 'not a cursor this server gave out; start from the first page');
}

/**
 * Acknowledged alerts, newest acknowledgement first, a page of `limit` at a time (keyset on
 * acknowledgement time and id, so a page never repeats or skips an alert acknowledged meanwhile).
 */
export async function listAcknowledgedAlerts(
  db: Queryable,
  clinicId: string,
  opts: { limit: number; cursor?: string | undefined },
): Promise<AcknowledgedAlertPage> {
  const acknowledged = and(eq(alerts.clinicId, clinicId), isNotNull(alerts.acknowledgedAt));
  const conditions = [acknowledged];
  if (opts.cursor) {
    const c = decodeAcknowledgedCursor(opts.cursor);
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
    items: page.map((r) => {
      const cssrsRisk = (r.cssrsRisk ?? null) as CssrsRisk | null;
      return {
        ...r.alert,
        patientGivenName: r.givenName,
        patientFamilyName: r.familyName,
        patientMrn: r.mrn,
        patientDateOfBirth: r.dateOfBirth,
        cssrsRisk,
        tier: suicidalityTier(cssrsRisk),
      };
    }),
    total: totals?.n ?? 0,
    nextCursor:
      rows.length > opts.limit && last?.acknowledgedAt
        ? Buffer.from(
            JSON.stringify({ acknowledgedAt: last.acknowledgedAt.toISOString(), id: last.id }),
          ).toString('base64url')
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
