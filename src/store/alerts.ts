/**
 * Suicidality alerts (issue 4 item 6). An alert is created by recordAssessment in the SAME transaction
 * as the response that raised it, so there is never a positive response without its alert. Alerts are
 * never deleted: a clinician acknowledges one with a note and the action taken.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { getInstrument, type ScoreResult } from '../clinical/instruments';
import { ConflictError, NotFoundError } from './errors';
import type { AlertAcknowledge } from './inputs-measurement';
import { patients } from './schema';
import { alerts, type AlertKind, type AlertRow, type AssessmentResponseRow } from './schema-measurement';
import type { Queryable } from './tx';

export type Alert = AlertRow;

/** Why a scored response needs an alert, or null. C-SSRS moderate/high risk outranks a bare flag. */
export function alertFor(score: ScoreResult): { kind: AlertKind; reason: string } | null {
  const def = getInstrument(score.instrument);
  const positives = def.items
    .filter((i) => i.suicideItem)
    .map((i) => ({ item: i, value: score.items.find((a) => a.id === i.id)?.value ?? null }))
    .filter((a) => a.value !== null && a.value >= 1);
  const itemText = positives.map((p) => `item ${p.item.id} = ${p.value}`).join(', ');
  if (score.risk === 'moderate' || score.risk === 'high') {
    return {
      kind: 'cssrs-risk',
      reason: `${def.title}: ${score.risk} risk${itemText ? ` (${itemText})` : ''}`,
    };
  }
  if (score.flags.includes('suicidality')) {
    return { kind: 'suicidality', reason: `${def.title}: ${itemText || 'suicidality item positive'}` };
  }
  return null;
}

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
}

/** Alerts for the inbox: open ones (oldest first, so nothing waits longest) or all (newest first). */
export async function listAlerts(
  db: Queryable,
  clinicId: string,
  opts: { status?: 'open' | 'all'; patientId?: string; limit?: number } = {},
): Promise<AlertListItem[]> {
  const conditions = [eq(alerts.clinicId, clinicId)];
  if (opts.status !== 'all') conditions.push(isNull(alerts.acknowledgedAt));
  if (opts.patientId) conditions.push(eq(alerts.patientId, opts.patientId));
  const rows = await db
    .select({
      alert: alerts,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
    })
    .from(alerts)
    .innerJoin(patients, and(eq(patients.clinicId, alerts.clinicId), eq(patients.id, alerts.patientId)))
    .where(and(...conditions))
    .orderBy(
      opts.status === 'all' ? desc(alerts.createdAt) : asc(alerts.createdAt),
      opts.status === 'all' ? desc(alerts.id) : asc(alerts.id),
    )
    .limit(opts.limit ?? 200);
  return rows.map((r) => ({
    ...r.alert,
    patientGivenName: r.givenName,
    patientFamilyName: r.familyName,
    patientMrn: r.mrn,
  }));
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
  input: AlertAcknowledge,
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
