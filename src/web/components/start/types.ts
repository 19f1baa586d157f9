import type { paths } from '../../api/schema';

export type DayBoard = paths['/api/day-board']['get']['responses'][200]['content']['application/json'];
export type BoardSession = DayBoard['rooms'][number]['sessions'][number];
export type BoardPhase = NonNullable<BoardSession['status']>['phase'];

/** How far a session has come, in the clinic's words. */
export const PHASE_LABEL: Record<BoardPhase, string> = {
  scheduled: 'Not arrived',
  'checked-in': 'Checked in',
  'checklist-done': 'Checklist done',
  'dose-planned': 'Dose planned',
  dosing: 'Dosing',
  discharged: 'Discharged',
};

export const PHASE_COLOR: Record<BoardPhase, string> = {
  scheduled: 'gray',
  'checked-in': 'blue',
  'checklist-done': 'blue',
  'dose-planned': 'indigo',
  dosing: 'orange',
  discharged: 'teal',
};

/** The phase shown for a session: recovery is the dosing phase with the dosing over. */
export function phaseText(s: BoardSession): { label: string; color: string } | null {
  if (!s.status) return null;
  if (s.status.inRecovery) return { label: 'In recovery', color: 'grape' };
  return { label: PHASE_LABEL[s.status.phase], color: PHASE_COLOR[s.status.phase] };
}

export const sessionPath = (s: { patientId: string; sessionId: string }) =>
  `/patients/${s.patientId}/sessions/${s.sessionId}`;
