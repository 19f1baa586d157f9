/** Request and response schemas of the clinician alert inbox. Pure zod. */
import { z } from 'zod';
import { SUICIDALITY_TIERS } from '../../clinical/instruments';
import { SUICIDALITY_ALERT_KINDS } from '../../clinical/instruments/recording';
// The action vocabulary is defined with the alerts table (its check constraint lists the same values).
import { ALERT_ACTIONS } from '../../clinical/vocabulary';
import { note } from './assessments';

export const alertActionSchema = z.enum(ALERT_ACTIONS);

export const alertAcknowledgeSchema = z.object({
  note: note(2000),
  action: alertActionSchema,
});
export type AlertAcknowledge = z.infer<typeof alertAcknowledgeSchema>;

export const alertParams = z.object({ alertId: z.uuid({ error: 'must be an alert id (UUID)' }) });

export const alertInboxQuery = z.object({
  status: z.enum(['open', 'all']).default('open'),
  patientId: z.uuid().optional(),
  /**
   * Patients per page, each with up to 500 of their listed alerts; a page also ends before it
   * would list more than 1000 alerts (it always holds one patient).
   */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

/** The alert history: acknowledged alerts, newest acknowledgement first, a page at a time. */
export const acknowledgedAlertsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const alertDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  responseId: z.uuid(),
  kind: z.enum(SUICIDALITY_ALERT_KINDS),
  reason: z.string(),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.uuid().nullable(),
  acknowledgementNote: z.string().nullable(),
  actionTaken: z.enum(ALERT_ACTIONS).nullable(),
});
export const alertListItemDto = alertDto.extend({
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
export const alertGroupDto = z.object({
  patient: z.object({
    id: z.uuid(),
    givenName: z.string(),
    familyName: z.string(),
    mrn: z.string(),
    ageYears: z.int(),
  }),
  tier: z.enum(SUICIDALITY_TIERS),
  latestAt: z.string(),
  /** All of the patient's listed alerts; `alerts` carries at most the first 500 (highest risk, newest). */
  alertCount: z.int(),
  alerts: z.array(alertListItemDto),
});

export const alertInboxDto = z.object({
  /** The page's alerts in reading order (the groups' alerts, one after another). */
  items: z.array(alertListItemDto),
  groups: z.array(alertGroupDto),
  total: z.object({ alerts: z.int(), patients: z.int() }),
  nextCursor: z.string().nullable(),
});

export const acknowledgedAlertPageDto = z.object({
  items: z.array(alertListItemDto),
  /** Every acknowledged alert of the clinic, not only this page's. */
  total: z.int(),
  nextCursor: z.string().nullable(),
});
