import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type TaperReference = Json<paths['/api/tapers/reference']['get']['responses'][200]>;
export type TaperSummary = Json<
  paths['/api/patients/{patientId}/tapers']['get']['responses'][200]
>['items'][number];
export type TaperDetail = Json<paths['/api/patients/{patientId}/tapers/{taperId}']['get']['responses'][200]>;
export type TaperVersion = TaperDetail['versions'][number];
export type TaperSchedule = TaperVersion['schedule'];
export type TaperStepView = TaperSchedule['steps'][number];
export type TaperMonitoringView = Json<
  paths['/api/patients/{patientId}/tapers/{taperId}/monitoring']['get']['responses'][200]
>;
/** A current medication as a taper starting point (drug and mg a day as the server's core reads them). */
export type TaperStart = Json<
  paths['/api/patients/{patientId}/taper-starts']['get']['responses'][200]
>['items'][number];
export type TaperCreateBody = NonNullable<
  paths['/api/patients/{patientId}/tapers']['post']['requestBody']
>['content']['application/json'];

export const STATUS_COLOR: Record<string, string> = {
  active: 'teal',
  paused: 'yellow',
  completed: 'gray',
  cancelled: 'gray',
};

/** Evidence status tags of the reference: V verified, S secondary only, U unverified, D design choice. */
export const EVIDENCE_LABEL: Record<string, string> = {
  V: 'verified',
  S: 'secondary source, not yet verified',
  U: 'unverified',
  D: 'design default',
};

export function fmtMg(x: number | null): string {
  return x === null ? '—' : String(Number(x.toFixed(3)));
}
