import { api, call } from '../../api/client';

export function readNotes(patientId: string, sessionId?: string) {
  return call(
    api.GET('/api/patients/{patientId}/notes', {
      params: { path: { patientId }, query: sessionId ? { sessionId } : {} },
    }),
  );
}

export type NoteData = Awaited<ReturnType<typeof readNotes>>['items'][number];

/** Every list of a patient's notes (the patient page's and each session's) sits under this key. */
export const notesQueryKey = (patientId: string, sessionId?: string) =>
  sessionId
    ? (['patient', patientId, 'notes', sessionId] as const)
    : (['patient', patientId, 'notes'] as const);

export type NoteStatusWords = 'draft' | 'signed' | 'awaiting co-sign' | 'co-signed';

/** The note's state as the clinic says it: a signed note that needs a co-signature awaits it. */
export function noteStatusWords(
  n: Pick<NoteData, 'status' | 'cosignRequired' | 'cosignedAt'>,
): NoteStatusWords {
  if (n.status === 'draft') return 'draft';
  if (n.cosignedAt) return 'co-signed';
  return n.cosignRequired ? 'awaiting co-sign' : 'signed';
}

export const STATUS_COLOR: Record<NoteStatusWords, string> = {
  draft: 'gray',
  signed: 'teal',
  'awaiting co-sign': 'orange',
  'co-signed': 'teal',
};

export const notePdfHref = (n: Pick<NoteData, 'patientId' | 'id'>) =>
  `/api/patients/${n.patientId}/notes/${n.id}/pdf`;
