import { z } from 'zod';

/** What a clinician may record as an adverse event during or after a session. */
export const ADVERSE_EVENT_CATEGORIES = [
  'nausea',
  'vomiting',
  'hypertension',
  'hypotension',
  'bradycardia',
  'tachycardia',
  'desaturation-hypoxia',
  'respiratory-depression',
  'emergence-reaction',
  'agitation-anxiety-panic',
  'hallucinations',
  'sedation',
  'dissociation',
  'headache',
  'dizziness',
  'allergic-reaction',
  'other',
] as const;
export const adverseEventCategorySchema = z.enum(ADVERSE_EVENT_CATEGORIES);
export type AdverseEventCategory = z.infer<typeof adverseEventCategorySchema>;

/** Categories that mean the patient's breathing or oxygenation is affected. */
export const RESPIRATORY_ADVERSE_EVENT_CATEGORIES: readonly AdverseEventCategory[] = [
  'respiratory-depression',
  'desaturation-hypoxia',
];

export const ADVERSE_EVENT_SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type AdverseEventSeverity = (typeof ADVERSE_EVENT_SEVERITIES)[number];

export const ADVERSE_EVENT_ACTIONS = [
  'none',
  'observed',
  'paused',
  'stopped',
  'medication-given',
  'escalated-emergency',
] as const;
export type AdverseEventAction = (typeof ADVERSE_EVENT_ACTIONS)[number];

/** Who the event was escalated to, beyond the treating team. */
export const ADVERSE_EVENT_ESCALATIONS = [
  'none',
  'prescriber-notified',
  'emergency-services-called',
  'transferred-to-hospital',
] as const;
export const adverseEventEscalationSchema = z.enum(ADVERSE_EVENT_ESCALATIONS);
export type AdverseEventEscalation = z.infer<typeof adverseEventEscalationSchema>;
