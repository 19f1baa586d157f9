/**
 * The clinician alert inbox. Alerts are raised by recorded responses (same
 * transaction); here clinicians list them and acknowledge them with a note and the action taken.
 * Front-desk staff do not see the inbox: acting on suicidality is a clinical task.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  acknowledgeAlert,
  acknowledgedAlerts,
  alertInbox,
  type Alert,
  type AlertInboxItem,
} from '../../app/alerts';
import { inClinicAs } from '../../app/context';
import { CLINICAL_WRITE } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  acknowledgedAlertPageDto,
  acknowledgedAlertsQuery,
  alertAcknowledgeSchema,
  alertDto,
  alertInboxDto,
  alertInboxQuery,
  alertParams,
  type alertListItemDto,
} from '../schemas/alerts';

export { alertDto } from '../schemas/alerts';

const toAlertDto = (a: Alert): z.infer<typeof alertDto> => ({
  id: a.id,
  patientId: a.patientId,
  responseId: a.responseId,
  kind: a.kind,
  reason: a.reason,
  createdAt: a.createdAt.toISOString(),
  acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: a.acknowledgedBy,
  acknowledgementNote: a.acknowledgementNote,
  actionTaken: a.actionTaken,
});
const toListItem = (a: AlertInboxItem): z.infer<typeof alertListItemDto> => ({
  ...toAlertDto(a),
  tier: a.tier,
  cssrsRisk: a.cssrsRisk,
  patient: {
    givenName: a.patientGivenName,
    familyName: a.patientFamilyName,
    mrn: a.patientMrn,
    ageYears: a.patientAgeYears,
  },
});

export async function alertRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  app.get(
    '/api/alerts',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['alerts'],
        summary:
          'The alert inbox grouped per patient: highest risk first, then newest; pages of patients (cursor; at most 500 alerts a patient, 1000 a page)',
        querystring: alertInboxQuery,
        response: { 200: alertInboxDto, ...errorResponses },
      },
    },
    async (request) => {
      const page = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        alertInbox(ctx, request.query),
      );
      const groups = page.groups.map((g) => {
        const items = g.alerts.map(toListItem);
        return {
          patient: { id: g.patientId, ...items[0]!.patient },
          tier: g.tier,
          latestAt: g.latestAt.toISOString(),
          alertCount: g.alertCount,
          alerts: items,
        };
      });
      return {
        items: groups.flatMap((g) => g.alerts),
        groups,
        total: { alerts: page.totalAlerts, patients: page.totalPatients },
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/alerts/acknowledged',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledged alerts, newest acknowledgement first; pages of at most 200 (cursor)',
        querystring: acknowledgedAlertsQuery,
        response: { 200: acknowledgedAlertPageDto, ...errorResponses },
      },
    },
    async (request) => {
      const page = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        acknowledgedAlerts(ctx, request.query),
      );
      return {
        items: page.items.map(toListItem),
        total: page.total,
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/api/alerts/:alertId/acknowledge',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert with a note and the action taken (once; who and when are recorded)',
        params: alertParams,
        body: alertAcknowledgeSchema,
        response: { 200: alertDto, ...errorResponses },
      },
    },
    async (request) => {
      const alert = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        acknowledgeAlert(ctx, { alertId: request.params.alertId, ...request.body }),
      );
      return toAlertDto(alert);
    },
  );
}
