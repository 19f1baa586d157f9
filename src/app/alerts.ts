/**
 * The clinician alert inbox. Alerts are raised by the recording use case (src/app/assessments.ts)
 * in the transaction of the response; here clinicians list them and acknowledge them with a note
 * and the action taken.
 */
import { ageInYears } from '../clinical/calendar';
import {
  acknowledgeAlert as persistAcknowledgement,
  listAlerts,
  type Alert,
  type AlertGroup,
  type AlertListItem,
  type AlertPage,
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

/** One page of the inbox; ages are on the clinic's local date. */
export async function alertInbox(ctx: UseCaseContext, query: AlertInboxQuery): Promise<AlertInboxPage> {
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
  return {
    ...page,
    groups: page.groups.map((g) => ({
      ...g,
      alerts: g.alerts.map((a) => ({ ...a, patientAgeYears: ageInYears(a.patientDateOfBirth, today) })),
    })),
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
