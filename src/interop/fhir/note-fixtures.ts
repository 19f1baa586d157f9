/** Test fixtures: clinical notes as the FHIR export receives them. */
import type { FhirNoteInput } from './note-resources';

export const NOTE_SESSION_ID = '01936f3e-0000-7000-8000-0000000000c1';

export const fhirNote = (over: Partial<FhirNoteInput> = {}): FhirNoteInput => ({
  id: '01936f3e-0000-7000-8000-0000000000f1',
  kind: 'iv-administration',
  status: 'signed',
  sessionId: NOTE_SESSION_ID,
  assessment: 'Tolerated the infusion.',
  plan: 'Continue twice weekly.',
  text: 'IV access: 22G left forearm.',
  authorId: '01936f3e-0000-7000-8000-0000000000u1',
  authorName: 'Nate Nurse',
  createdAt: new Date('2026-03-02T09:30:00Z'),
  updatedAt: new Date('2026-03-02T09:40:00Z'),
  signedAt: new Date('2026-03-02T09:40:00Z'),
  cosignRequired: true,
  cosignedBy: '01936f3e-0000-7000-8000-0000000000u2',
  cosignerName: 'Priya Prescriber',
  cosignedAt: new Date('2026-03-02T10:00:00Z'),
  addenda: [
    {
      id: '01936f3e-0000-7000-8000-0000000000f2',
      text: 'Called the next day: slept well.',
      authorId: '01936f3e-0000-7000-8000-0000000000u2',
      authorName: 'Priya Prescriber',
      createdAt: new Date('2026-03-03T09:00:00Z'),
    },
  ],
  ...over,
});
