/** The kinds of entry a treatment session's append-only record holds (one payload schema each). */
export const SESSION_EVENT_KINDS = [
  'check-in',
  'checklist',
  'dose-plan',
  'dosing-start',
  'vitals',
  'alert-decision',
  'dosing-action',
  'cadss6',
  'moaas',
  'adverse-event',
  'discharge',
  'rems-submitted',
  'note',
  'order-signed',
  'dose-verified',
  'rescue-given',
] as const;
export type SessionEventKind = (typeof SESSION_EVENT_KINDS)[number];
