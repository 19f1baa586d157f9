/**
 * Clinical notes in FHIR R4 as DocumentReference: the note's words as a text/plain attachment,
 * typed with the LOINC document type of its kind, authored and authenticated (signed) by Rein
 * users, in the context of the session's Encounter. An addendum is its own DocumentReference that
 * `appends` the note, with its own author and time. Codes and choices: docs/clinical-sources/notes.md §3.
 */
import type { DocumentReference, Extension, Practitioner, Reference } from '@medplum/fhirtypes';
import { NOTE_KIND_LABELS, type NoteKind } from '../../clinical/vocabulary/notes';

const LOINC = 'http://loinc.org';
const REIN_USER_SYSTEM = 'urn:rein:user';

/**
 * The LOINC document type of each kind (US Core Clinical Note Type value set, [S]): the
 * administration notes are procedure notes (the dose given is the procedure), the prescriber's is a
 * progress note.
 */
export const NOTE_LOINC: Readonly<Record<NoteKind, { code: string; display: string }>> = {
  'iv-administration': { code: '28570-0', display: 'Procedure note' },
  'esketamine-treatment': { code: '28570-0', display: 'Procedure note' },
  'prescriber-progress': { code: '11506-3', display: 'Progress note' },
};

/** The co-signature: R4 DocumentReference has one authenticator (the signer) and no attester. */
export const REIN_NOTE_COSIGNATURE_EXT = 'urn:rein:fhir:extension:note-cosignature';

export interface FhirNoteInput {
  id: string;
  kind: NoteKind;
  status: 'draft' | 'signed';
  sessionId: string | null;
  assessment: string;
  plan: string;
  text: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
  signedAt: Date | null;
  cosignRequired: boolean;
  cosignedBy: string | null;
  cosignerName: string | null;
  cosignedAt: Date | null;
  addenda: readonly { id: string; text: string; authorId: string; authorName: string; createdAt: Date }[];
}

/** A Rein user as a logical reference (Rein exports no Practitioner resources). */
const user = (id: string, name: string | null): Reference<Practitioner> => ({
  identifier: { system: REIN_USER_SYSTEM, value: id },
  ...(name ? { display: name } : {}),
});

const plainText = (text: string, title: string, creation: Date) => ({
  attachment: {
    contentType: 'text/plain; charset=utf-8',
    language: 'en',
    data: Buffer.from(text, 'utf8').toString('base64'),
    title,
    creation: creation.toISOString(),
  },
});

/** The note's words as one plain text: assessment and plan, then the free text under its headings. */
export function noteText(n: Pick<FhirNoteInput, 'kind' | 'assessment' | 'plan' | 'text'>): string {
  const parts = [NOTE_KIND_LABELS[n.kind]];
  if (n.assessment.trim()) parts.push(`Assessment:\n${n.assessment.trim()}`);
  if (n.plan.trim()) parts.push(`Plan:\n${n.plan.trim()}`);
  if (n.text.trim()) parts.push(n.text.trim());
  return `${parts.join('\n\n')}\n`;
}

/**
 * The note, then one DocumentReference per addendum. A signed note is `final` with its signer as
 * authenticator; a draft is `preliminary`. `encounterIds` are the sessions the bundle carries.
 */
export function noteResources(
  n: FhirNoteInput,
  patientId: string,
  encounterIds: ReadonlySet<string>,
): DocumentReference[] {
  const loinc = NOTE_LOINC[n.kind];
  const title = NOTE_KIND_LABELS[n.kind];
  const type = { coding: [{ system: LOINC, code: loinc.code, display: loinc.display }], text: title };
  const subject = { reference: `Patient/${patientId}` };
  const context =
    n.sessionId && encounterIds.has(n.sessionId)
      ? { context: { encounter: [{ reference: `Encounter/${n.sessionId}` }] } }
      : {};
  const cosign: Extension[] =
    n.cosignedBy && n.cosignedAt
      ? [
          {
            url: REIN_NOTE_COSIGNATURE_EXT,
            extension: [
              { url: 'by', valueReference: user(n.cosignedBy, n.cosignerName) },
              { url: 'at', valueDateTime: n.cosignedAt.toISOString() },
            ],
          },
        ]
      : [];
  const note: DocumentReference = {
    resourceType: 'DocumentReference',
    id: n.id,
    ...(cosign.length ? { extension: cosign } : {}),
    status: 'current',
    docStatus: n.status === 'signed' ? 'final' : 'preliminary',
    type,
    subject,
    date: (n.signedAt ?? n.updatedAt).toISOString(),
    author: [user(n.authorId, n.authorName)],
    ...(n.status === 'signed' ? { authenticator: user(n.authorId, n.authorName) } : {}),
    description: title,
    content: [plainText(noteText(n), title, n.signedAt ?? n.updatedAt)],
    ...context,
  };
  const addenda = n.addenda.map((a): DocumentReference => ({
    resourceType: 'DocumentReference',
    id: a.id,
    status: 'current',
    docStatus: 'final',
    type,
    subject,
    date: a.createdAt.toISOString(),
    author: [user(a.authorId, a.authorName)],
    authenticator: user(a.authorId, a.authorName),
    description: `Addendum to the ${title.toLowerCase().replace(/^iv /, 'IV ')}`,
    relatesTo: [{ code: 'appends', target: { reference: `DocumentReference/${n.id}` } }],
    content: [plainText(`${a.text.trim()}\n`, `Addendum: ${title}`, a.createdAt)],
    ...context,
  }));
  return [note, ...addenda];
}
