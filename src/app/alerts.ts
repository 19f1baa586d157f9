/**
 * The clinician alert inbox. Alerts are raised by the recording use case (src/app/assessments.ts)
 * in the transaction of the response; here clinicians list them and acknowledge them with a note
 * and the action taken.
 */
import { ageInYears } from '../clinical/calendar';
import { ClinicalInputError } from '../clinical/errors';
import {
  SUICIDALITY_TIERS,
  suicidalityTier,
  suicidalityTierRank,
  type SuicidalityTier,
} from '../clinical/instruments';
import {
  acknowledgeAlert as persistAcknowledgement,
  listAcknowledgedAlerts,
  listAlerts,
  type AcknowledgedPageStart,
  type Alert,
  type AlertGroup,
  type AlertListItem,
  type AlertPage,
  type AlertPageStart,
  type AlertRanks,
} from '../store/alerts';
import type { AlertAction } from '../store/schema-measurement';
import { recordAudit, type UseCaseContext } from './context';
import { clinicDay } from './clinic-day';

export type { Alert };

/** An alert in the inbox with the patient's age in whole years on the clinic's today. */
export type AlertInboxItem = AlertListItem & { patientAgeYears: number };
export type AlertInboxGroup = Omit<AlertGroup, 'alerts'> & { alerts: AlertInboxItem[] };
export type AlertInboxPage = Omit<AlertPage, 'groups'> & { groups: AlertInboxGroup[] };

export interface AlertInboxQuery {
  status: 'open' | 'all';
  patientId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Rank of an alert (0 = read first), from the core's tiers and the raising response's C-SSRS risk. */
const ALERT_RANKS: AlertRanks = {
  high: suicidalityTierRank(suicidalityTier('high')),
  moderate: suicidalityTierRank(suicidalityTier('moderate')),
  low: suicidalityTierRank(suicidalityTier('low')),
  none: suicidalityTierRank(suicidalityTier('none')),
  unrated: suicidalityTierRank(suicidalityTier(null)),
};

const encodeCursor = (c: AlertPageStart | AcknowledgedPageStart) =>
  Buffer.from(JSON.stringify(c)).toString('base64url');

/** A cursor this server gave out, checked field by field; anything else is a field error. */
function decodeCursor<T>(cursor: string, valid: (c: Record<string, unknown>) => boolean): T {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c !== null && typeof c === 'object' && valid(c)) return c as T;
  } catch {
    // fall through
  }
  throw new ClinicalInputError('cursor', 'not a cursor this server gave out; start from the first page');
}

const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isUuid = (v: unknown) => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);
const inboxStart = (cursor: string) =>
  decodeCursor<AlertPageStart>(
    cursor,
    (c) => Number.isInteger(c.rank) && isInstant(c.latestAt) && isUuid(c.patientId),
  );
const acknowledgedStart = (cursor: string) =>
  decodeCursor<AcknowledgedPageStart>(cursor, (c) => isInstant(c.acknowledgedAt) && isUuid(c.id));

/** The inbox page with each group's and alert's tier (the core's), and the next page's cursor. */
async function inboxPage(ctx: UseCaseContext, query: AlertInboxQuery): Promise<AlertPage> {
  const stored = await listAlerts(ctx.tx, ctx.actor.clinicId, ALERT_RANKS, {
    status: query.status,
    ...(query.patientId !== undefined ? { patientId: query.patientId } : {}),
    limit: query.limit,
    ...(query.cursor ? { after: inboxStart(query.cursor) } : {}),
  });
  return {
    groups: stored.groups.map((g) => ({
      patientId: g.patientId,
      tier: SUICIDALITY_TIERS[g.rank]!,
      latestAt: g.latestAt,
      alertCount: g.alertCount,
      alerts: g.alerts.map((a) => ({ ...a, tier: suicidalityTier(a.cssrsRisk) })),
    })),
    totalAlerts: stored.totalAlerts,
    totalPatients: stored.totalPatients,
    nextCursor: stored.next ? encodeCursor(stored.next) : null,
  };
}

/** One page of the inbox; ages are on the clinic's local date. */
export async function alertInbox(ctx: UseCaseContext, query: AlertInboxQuery): Promise<AlertInboxPage> {
  const { today } = await clinicDay(ctx);
  const page = await inboxPage(ctx, query);
  const returned = page.groups.reduce((n, g) => n + g.alerts.length, 0);
  await recordAudit(ctx, {
    action: 'alert.list',
    resourceType: 'alert',
    details: {
      status: query.status,
      byPatient: Boolean(query.patientId),
      returned,
      patients: page.groups.length,
      paged: Boolean(query.cursor),
    },
  });
  return {
    ...page,
    groups: page.groups.map((g) => ({
      ...g,
      alerts: g.alerts.map((a) => ({ ...a, patientAgeYears: ageInYears(a.patientDateOfBirth, today) })),
    })),
  };
}

/** One page of acknowledged alerts (the alert history), newest acknowledgement first. */
export interface AcknowledgedAlertPage {
  items: AlertInboxItem[];
  /** Every acknowledged alert of the clinic, not only this page's. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One page of acknowledged alerts, with tiers (the core's) and ages on the clinic's local date. */
export async function acknowledgedAlerts(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined },
): Promise<AcknowledgedAlertPage> {
  const { today } = await clinicDay(ctx);
  const stored = await listAcknowledgedAlerts(ctx.tx, ctx.actor.clinicId, {
    limit: query.limit,
    ...(query.cursor ? { after: acknowledgedStart(query.cursor) } : {}),
  });
  await recordAudit(ctx, {
    action: 'alert.list',
    resourceType: 'alert',
    details: { status: 'acknowledged', returned: stored.items.length, paged: Boolean(query.cursor) },
  });
  return {
    items: stored.items.map((a) => ({
      ...a,
      tier: suicidalityTier(a.cssrsRisk),
      patientAgeYears: ageInYears(a.patientDateOfBirth, today),
    })),
    total: stored.total,
    nextCursor: stored.next ? encodeCursor(stored.next) : null,
  };
}

/** Acknowledges an open alert once: who, when, the note and the action taken. */
export async function acknowledgeAlert(
  ctx: UseCaseContext,
  input: { alertId: string; note: string; action: AlertAction },
): Promise<Alert> {
  const { actor } = ctx;
  if (!actor.userId) throw new Error('acknowledgeAlert: an alert is acknowledged by a staff user');
  const alert = await persistAcknowledgement(
    ctx.tx,
    actor.clinicId,
    input.alertId,
    actor.userId,
    { note: input.note, action: input.action },
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'alert.acknowledge',
    resourceType: 'alert',
    resourceId: input.alertId,
    details: { patientId: alert.patientId, action: alert.actionTaken },
  });
  return alert;
}

/**
 * The patient's open suicide-risk flag for the banner: the highest tier among unacknowledged
 * alerts (the inbox's own ranking), how many are open and the newest. Audited by the caller.
 */
export async function openSuicidalityFlag(
  ctx: UseCaseContext,
  patientId: string,
): Promise<{ tier: SuicidalityTier; openCount: number; latestAt: Date } | null> {
  const page = await inboxPage(ctx, { status: 'open', patientId, limit: 1 });
  const group = page.groups[0];
  return group ? { tier: group.tier, openCount: group.alertCount, latestAt: group.latestAt } : null;
}
