/**
 * The clinician alert inbox (issue 4 item 6). Alerts are raised by recorded responses (same
 * transaction); here clinicians list them and acknowledge them with a note and the action taken.
 * Front-desk staff do not see the inbox: acting on suicidality is a clinical task.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acknowledgeAlert, listAlerts, type Alert, type AlertListItem } from '../../store/alerts';
import { alertAcknowledgeSchema } from '../../store/inputs-measurement';
import { ALERT_ACTIONS, ALERT_KINDS } from '../../store/schema-measurement';
import { inClinic } from '../../store/tx';
import { CLINICAL_WRITE } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

export const alertDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  responseId: z.uuid(),
  kind: z.enum(ALERT_KINDS),
  reason: z.string(),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.uuid().nullable(),
  acknowledgementNote: z.string().nullable(),
  actionTaken: z.enum(ALERT_ACTIONS).nullable(),
});
const alertListItemDto = alertDto.extend({
  patient: z.object({ givenName: z.string(), familyName: z.string(), mrn: z.string() }),
});

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
const toListItem = (a: AlertListItem): z.infer<typeof alertListItemDto> => ({
  ...toAlertDto(a),
  patient: { givenName: a.patientGivenName, familyName: a.patientFamilyName, mrn: a.patientMrn },
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
        summary: 'The alert inbox: unacknowledged alerts (oldest first), or all alerts',
        querystring: z.object({
          status: z.enum(['open', 'all']).default('open'),
          patientId: z.uuid().optional(),
        }),
        response: { 200: z.object({ items: z.array(alertListItemDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { status, patientId } = request.query;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listAlerts(tx, me.clinicId, { status, patientId });
        await audit(tx, request, {
          action: 'alert.list',
          resourceType: 'alert',
          details: { status, byPatient: Boolean(patientId), returned: rows.length },
        });
        return { items: rows.map(toListItem) };
      });
    },
  );

  app.post(
    '/api/alerts/:alertId/acknowledge',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert with a note and the action taken (once; who and when are recorded)',
        params: z.object({ alertId: z.uuid({ error: 'must be an alert id (UUID)' }) }),
        body: alertAcknowledgeSchema,
        response: { 200: alertDto, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { alertId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const alert = await acknowledgeAlert(tx, me.clinicId, alertId, me.userId, request.body, app.now());
        await audit(tx, request, {
          action: 'alert.acknowledge',
          resourceType: 'alert',
          resourceId: alertId,
          details: { patientId: alert.patientId, action: alert.actionTaken },
        });
        return toAlertDto(alert);
      });
    },
  );
}
