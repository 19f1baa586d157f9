/**
 * The clinician alert inbox. Alerts are raised by recorded responses (same
 * transaction); here clinicians list them and acknowledge them with a note and the action taken.
 * Front-desk staff do not see the inbox: acting on suicidality is a clinical task.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ageInYears, localDateOf } from '../../clinical/calendar';
import { SUICIDALITY_TIERS } from '../../clinical/instruments';
import { acknowledgeAlert, listAlerts, type Alert, type AlertListItem } from '../../store/alerts';
import { alertAcknowledgeSchema } from '../../store/inputs-measurement';
import { ALERT_ACTIONS, ALERT_KINDS } from '../../store/schema-measurement';
import { inClinic } from '../../store/tx';
import { getClinic } from '../../store/users';
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
  /** Risk tier for reading order: high, moderate (C-SSRS), or a positive suicide item. */
  tier: z.enum(SUICIDALITY_TIERS),
  cssrsRisk: z.enum(['none', 'low', 'moderate', 'high']).nullable(),
  patient: z.object({
    givenName: z.string(),
    familyName: z.string(),
    mrn: z.string(),
    /** Whole years on the clinic's local date. */
    ageYears: z.int(),
  }),
});
const alertGroupDto = z.object({
  patient: z.object({
    id: z.uuid(),
    givenName: z.string(),
    familyName: z.string(),
    mrn: z.string(),
    ageYears: z.int(),
  }),
  tier: z.enum(SUICIDALITY_TIERS),
  latestAt: z.string(),
  alerts: z.array(alertListItemDto),
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
const toListItem = (a: AlertListItem, today: string): z.infer<typeof alertListItemDto> => ({
  ...toAlertDto(a),
  tier: a.tier,
  cssrsRisk: a.cssrsRisk,
  patient: {
    givenName: a.patientGivenName,
    familyName: a.patientFamilyName,
    mrn: a.patientMrn,
    ageYears: ageInYears(a.patientDateOfBirth, today),
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
          'The alert inbox grouped per patient: highest risk first, then newest; pages of patients (cursor)',
        querystring: z.object({
          status: z.enum(['open', 'all']).default('open'),
          patientId: z.uuid().optional(),
          /** Patients per page; each with all of their listed alerts. */
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({
            /** The page's alerts in reading order (the groups' alerts, one after another). */
            items: z.array(alertListItemDto),
            groups: z.array(alertGroupDto),
            total: z.object({ alerts: z.int(), patients: z.int() }),
            nextCursor: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const { status, patientId, limit, cursor } = request.query;
      return inClinic(db(), me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const today = localDateOf(app.now(), clinic.timeZone);
        const page = await listAlerts(tx, me.clinicId, { status, patientId, limit, cursor });
        const groups = page.groups.map((g) => {
          const items = g.alerts.map((a) => toListItem(a, today));
          const first = items[0]!;
          return {
            patient: { id: g.patientId, ...first.patient },
            tier: g.tier,
            latestAt: g.latestAt.toISOString(),
            alerts: items,
          };
        });
        const items = groups.flatMap((g) => g.alerts);
        await audit(tx, request, {
          action: 'alert.list',
          resourceType: 'alert',
          details: {
            status,
            byPatient: Boolean(patientId),
            returned: items.length,
            patients: groups.length,
            paged: Boolean(cursor),
          },
        });
        return {
          items,
          groups,
          total: { alerts: page.totalAlerts, patients: page.totalPatients },
          nextCursor: page.nextCursor,
        };
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
