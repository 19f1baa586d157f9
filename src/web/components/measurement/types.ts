import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type PortalView = Json<paths['/api/portal/{token}']['get']['responses'][200]>;
export type InstrumentDef = Json<paths['/api/instruments']['get']['responses'][200]>['items'][number];
export type Assessment = Json<
  paths['/api/patients/{patientId}/assessments']['get']['responses'][200]
>['items'][number];
export type Trajectory = Json<paths['/api/patients/{patientId}/trajectory']['get']['responses'][200]>;
export type DueItem = Json<paths['/api/patients/{patientId}/due']['get']['responses'][200]>['items'][number];
export type AlertItem = Json<paths['/api/alerts']['get']['responses'][200]>['items'][number];
export type AlertGroup = Json<paths['/api/alerts']['get']['responses'][200]>['groups'][number];
export type PortalCrisis = NonNullable<
  Json<paths['/api/portal/{token}/responses']['post']['responses'][201]>['crisis']
>;

export const TIER_LABELS: Record<string, string> = {
  high: 'C-SSRS high risk',
  moderate: 'C-SSRS moderate risk',
  'positive-item': 'Suicidality item positive',
};
export type PortalLinkItem = Json<
  paths['/api/patients/{patientId}/portal-links']['get']['responses'][200]
>['items'][number];

export const CONTEXT_LABELS: Record<string, string> = {
  baseline: 'Baseline',
  'pre-session': 'Before session',
  'post-4h': '+4 h after session',
  'post-24h': '+24 h after session',
  weekly: 'Weekly',
  'ad-hoc': 'Ad hoc',
};

export const INSTRUMENT_SHORT: Record<string, string> = {
  phq9: 'PHQ-9',
  phq2: 'PHQ-2',
  gad7: 'GAD-7',
  'qids-sr16': 'QIDS-SR16',
  madrs: 'MADRS',
  'cssrs-screener': 'C-SSRS screener',
  cadss: 'CADSS',
  cadss6: 'CADSS-6',
  ssi: 'SSI',
};

export const ACTION_LABELS: Record<string, string> = {
  'contacted-patient': 'Contacted the patient',
  'safety-plan-reviewed': 'Safety plan reviewed',
  'same-day-assessment': 'Same-day assessment arranged',
  'crisis-referral': 'Referred to crisis team',
  'emergency-services': 'Emergency services called',
  'reviewed-no-action-needed': 'Reviewed, no further action needed',
  other: 'Other (see note)',
};
