import type { DocumentReference } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirNote, NOTE_SESSION_ID } from './note-fixtures';
import { noteResources, REIN_NOTE_COSIGNATURE_EXT } from './note-resources';
import { loadFhirValidators, type FhirValidators } from './validation-test-support';

let validators: FhirValidators;
beforeAll(async () => {
  validators = await loadFhirValidators();
});

const PID = '01936f3e-0000-7000-8000-000000000201';
const sessions = new Set([NOTE_SESSION_ID]);
const decoded = (d: DocumentReference) =>
  Buffer.from(d.content[0]!.attachment.data!, 'base64').toString('utf8');
const expectValid = (d: DocumentReference) => {
  expect(validators.schemaErrors(d)).toEqual([]);
  expect(() => validators.validateStructure(d)).not.toThrow();
};

describe('clinical notes as DocumentReference', () => {
  it('a signed note is final, signed by its author, in its session, co-signature and words included', () => {
    const [doc, addendum] = noteResources(fhirNote(), PID, sessions);
    expectValid(doc!);
    expect(doc).toMatchObject({
      status: 'current',
      docStatus: 'final',
      type: { coding: [{ system: 'http://loinc.org', code: '28570-0', display: 'Procedure note' }] },
      subject: { reference: `Patient/${PID}` },
      date: '2026-03-02T09:40:00.000Z',
      author: [{ display: 'Nate Nurse' }],
      authenticator: { identifier: { value: '01936f3e-0000-7000-8000-0000000000u1' }, display: 'Nate Nurse' },
      context: { encounter: [{ reference: `Encounter/${NOTE_SESSION_ID}` }] },
    });
    expect(doc!.extension).toEqual([
      {
        url: REIN_NOTE_COSIGNATURE_EXT,
        extension: [
          {
            url: 'by',
            valueReference: {
              identifier: { system: 'urn:rein:user', value: '01936f3e-0000-7000-8000-0000000000u2' },
              display: 'Priya Prescriber',
            },
          },
          { url: 'at', valueDateTime: '2026-03-02T10:00:00.000Z' },
        ],
      },
    ]);
    expect(doc!.content[0]!.attachment.contentType).toBe('text/plain; charset=utf-8');
    expect(decoded(doc!)).toBe(
      'IV ketamine administration note\n\nAssessment:\nTolerated the infusion.\n\nPlan:\nContinue twice weekly.\n\nIV access: 22G left forearm.\n',
    );
    // The addendum appends the note, with its own author and time.
    expectValid(addendum!);
    expect(addendum).toMatchObject({
      docStatus: 'final',
      date: '2026-03-03T09:00:00.000Z',
      author: [{ display: 'Priya Prescriber' }],
      relatesTo: [{ code: 'appends', target: { reference: `DocumentReference/${doc!.id}` } }],
    });
    expect(decoded(addendum!)).toBe('Called the next day: slept well.\n');
  });

  it('a draft is preliminary with no authenticator; a progress note is typed 11506-3', () => {
    const [draft, ...rest] = noteResources(
      fhirNote({
        kind: 'prescriber-progress',
        status: 'draft',
        sessionId: null,
        signedAt: null,
        cosignRequired: false,
        cosignedBy: null,
        cosignerName: null,
        cosignedAt: null,
        addenda: [],
      }),
      PID,
      sessions,
    );
    expectValid(draft!);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({ docStatus: 'preliminary', date: '2026-03-02T09:40:00.000Z' });
    expect(draft!.type!.coding![0]!.code).toBe('11506-3');
    expect(draft!.authenticator).toBeUndefined();
    expect(draft!.extension).toBeUndefined();
    expect(draft!.context).toBeUndefined();
  });

  it('names no Encounter the bundle does not carry', () => {
    const [doc] = noteResources(fhirNote(), PID, new Set());
    expect(doc!.context).toBeUndefined();
  });
});
