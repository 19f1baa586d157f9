import type { paths } from '../../api/schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : paths[P][M] extends { responses: { 201: { content: { 'application/json': infer T } } } }
    ? T
    : never;

export type SessionState = Json<'/api/patients/{patientId}/sessions/{sessionId}', 'get'>;
/** A vitals reading's answer: the parts of the session state a reading changes. */
export type SessionReading = Json<'/api/patients/{patientId}/sessions/{sessionId}/vitals', 'post'>;
export type Course = Json<'/api/patients/{patientId}/courses/{courseId}', 'get'>;
export type Screening = Json<'/api/patients/{patientId}/eligibility', 'get'>[number];
export type TemplateInfo = Json<'/api/course-templates', 'get'>[number];
export type Suggestions = Json<'/api/patients/{patientId}/courses/{courseId}/suggestions', 'get'>;
export type Curve = Json<'/api/patients/{patientId}/sessions/{sessionId}/curve', 'get'>;
export type Rems = Json<'/api/patients/{patientId}/sessions/{sessionId}/rems', 'get'>;

export function clock(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export const STATE_COLOR: Record<string, string> = {
  pass: 'teal',
  caution: 'yellow',
  fail: 'red',
  'not-applicable': 'gray',
  ready: 'teal',
  review: 'yellow',
  blocked: 'red',
};

/**
 * A session is over once discharged, or once its day has passed without a discharge: its charts
 * cover its own window and nothing on them is "now".
 */
export function sessionClosed(state: SessionState): boolean {
  return state.discharge !== null || state.session.date < state.today;
}

/** The end of the session's own window in minutes since dosing start: discharge, else the last entry. */
export function sessionEndMin(state: SessionState): number | null {
  if (state.discharge) return state.discharge.atMin;
  if (!sessionClosed(state)) return state.nowMin;
  const times = [...state.vitals, ...state.observations, ...state.adverseEvents].map((e) => e.timeMin);
  return times.length > 0 ? Math.max(...times) : null;
}

const PHASE_WORDS: Record<SessionState['phase'], string> = {
  scheduled: 'Scheduled',
  'checked-in': 'Checked in',
  'checklist-done': 'Checklist complete',
  'dose-planned': 'Dose planned',
  dosing: 'Dosing',
  discharged: 'Discharged',
};

/** How far the session has come, in words; a recorded but blocked checklist is never "done". */
export function phaseInWords(state: Pick<SessionState, 'phase' | 'checklist'>): string {
  if (state.phase === 'checklist-done' && state.checklist?.overall === 'blocked') return 'Checklist blocked';
  return PHASE_WORDS[state.phase];
}
