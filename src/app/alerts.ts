/**
 * The clinician alert inbox. Alerts are raised by the recording use case (src/app/assessments.ts)
 * in the transaction of the response; here clinicians list them and acknowledge them with a note
 * and the action taken.
 */
import {
  acknowledgeAlert as persistAcknowledgement,
  listAcknowledgedAlerts,
  listAlerts,
  type AcknowledgedAlertPage,
  type Alert,
  type AlertPage,
} from '../store/alerts';
import type { AlertAction } from '../store/schema-measurement';
import { recordAudit, type UseCaseContext } from './context';
import { clinicDay } from './clinic-day';

export interface AlertInboxQuery {
  status: 'open' | 'all';
  patientId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One page of the inbox, with the clinic's today (ages are shown on the clinic's local date). */
export async function alertInbox(
  ctx: UseCaseContext,
  query: AlertInboxQuery,
): Promise<{ page: AlertPage; today: string }> {
  const { today } = await clinicDay(ctx);
  const page = await listAlerts(ctx.tx, ctx.actor.clinicId, query);
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
  return { page, today };
}

/** One page of acknowledged alerts, newest acknowledgement first (the alert history). */
export async function acknowledgedAlerts(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ page: AcknowledgedAlertPage; today: string }> {
  const { today } = await clinicDay(ctx);
  const page = await listAcknowledgedAlerts(ctx.tx, ctx.actor.clinicId, query);
  await recordAudit(ctx, {
    action: 'alert.list',
    resourceType: 'alert',
    details: { status: 'acknowledged', returned: page.items.length, paged: Boolean(query.cursor) },
  });
  return { page, today };
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
