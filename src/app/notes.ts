/**
 * Clinical notes: start one (prefilled from the session record and the previous signed note of the
 * same kind), save the draft, sign and lock it, co-sign it where the clinic requires, add addenda,
 * list and print. Each step applies the core's rule (src/clinical/notes), writes and audits in the
 * caller's transaction. Audit details carry ids and field names, never the note's words.
 */
import { ClinicalInputError } from '../clinical/errors';
import {
  decideAddendum,
  decideCosign,
  decideEdit,
  decideSign,
  decideWrite,
  NOTE_TEMPLATES,
  noteFieldsSchema,
  noteSessionSummary,
  NoteRefusal,
  prefillNote,
  type NoteActor,
  type NoteFields,
} from '../clinical/notes';
import { NOTE_KIND_LABELS, type NoteKind } from '../clinical/vocabulary/notes';
import { notePdf } from '../interop/note-pdf';
import { ConflictError } from '../store/errors';
import { lockPatient } from '../store/locks';
import {
  cosign,
  getNoteRow,
  insertAddendum,
  insertNote,
  latestSignedNote,
  listNotes,
  signDraft,
  updateDraft,
  type ClinicalNoteRow,
  type StoredNote,
} from '../store/notes';
import { getPatient } from '../store/patients';
import { getClinic } from '../store/users';
import { recordAudit, type UseCaseContext } from './context';
import { getSessionSettings } from './session-settings';
import { loadSession } from './sessions/load';
import { clinicDateFormatOrDefault } from '../clinical/vocabulary/date-format';

export { NoteRefusal };
export type { StoredNote };

/** The acting clinician as the note rules see them; the CLI and system actors write no notes. */
function noteActor(ctx: UseCaseContext): NoteActor {
  const { userId, role } = ctx.actor;
  if (!userId || role === null || role === 'cli' || role === 'system' || role === 'patient') {
    throw new NoteRefusal('forbidden', 'actor', 'notes are written and signed by a staff user');
  }
  return { userId, role };
}

/** A refusal because of the note's state is the store's conflict (409); one of the actor stays forbidden. */
function decided<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NoteRefusal && err.reason === 'conflict')
      throw new ConflictError(err.field, err.message);
    throw err;
  }
}

/** The session summary from the session's record, checked against the template's modality. */
async function summaryFor(ctx: UseCaseContext, kind: NoteKind, patientId: string, sessionId: string) {
  const s = await loadSession(ctx, { patientId, sessionId });
  const wanted = NOTE_TEMPLATES[kind].modality;
  if (wanted !== null && s.modality !== wanted) {
    throw new ClinicalInputError('kind', `this session is ${s.modality}: write the note of that kind`);
  }
  return noteSessionSummary(s.state, s.session);
}

async function one(ctx: UseCaseContext, patientId: string, noteId: string): Promise<StoredNote> {
  const [note] = await listNotes(ctx.tx, ctx.actor.clinicId, patientId, { noteId });
  return note!;
}

export interface StartNoteInput {
  patientId: string;
  kind: NoteKind;
  sessionId?: string | undefined;
}

/** A new draft, prefilled: the session summary from the record and the previous note's plan. */
export async function startNote(ctx: UseCaseContext, input: StartNoteInput): Promise<StoredNote> {
  const actor = noteActor(ctx);
  decided(() => decideWrite(input.kind, actor));
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  if (NOTE_TEMPLATES[input.kind].needsSession && !input.sessionId) {
    throw new ClinicalInputError('sessionId', 'an administration note documents a session: choose it');
  }
  const session = input.sessionId
    ? await summaryFor(ctx, input.kind, input.patientId, input.sessionId)
    : null;
  const previous = await latestSignedNote(ctx.tx, ctx.actor.clinicId, input.patientId, input.kind);
  const prefill = prefillNote(
    input.kind,
    session,
    previous ? { id: previous.id, fields: noteFieldsSchema.parse(previous.fields) } : null,
  );
  const row = await insertNote(
    ctx.tx,
    ctx.actor.clinicId,
    {
      patientId: input.patientId,
      sessionId: input.sessionId ?? null,
      kind: input.kind,
      fields: prefill.fields,
      text: prefill.text,
      authorId: actor.userId,
      authorRole: actor.role === 'patient' ? 'staff' : actor.role,
    },
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'note.create',
    resourceType: 'clinical_note',
    resourceId: row.id,
    details: {
      patientId: input.patientId,
      kind: input.kind,
      sessionId: input.sessionId ?? null,
      carriedFrom: prefill.fields.carriedFromNoteId,
    },
  });
  return one(ctx, input.patientId, row.id);
}

export interface NoteDraftInput {
  patientId: string;
  noteId: string;
  version: number;
  text: string;
  assessment: string;
  plan: string;
}

const draftFields = (current: NoteFields, input: NoteDraftInput): NoteFields => ({
  ...current,
  assessment: input.assessment,
  plan: input.plan,
});

/**
 * The shape every change to an existing note shares: lock the note's row, let the core decide on
 * it, write, audit and read it back. `decide` returns what `write` needs (or throws the refusal);
 * `write` returns the audit details besides the patient.
 */
async function lockedNote<D>(
  ctx: UseCaseContext,
  input: { patientId: string; noteId: string },
  action: 'note.update' | 'note.sign' | 'note.cosign',
  decide: (note: ClinicalNoteRow, actor: NoteActor) => D,
  write: (note: ClinicalNoteRow, actor: NoteActor, decision: D) => Promise<Record<string, unknown> | void>,
): Promise<StoredNote> {
  const actor = noteActor(ctx);
  const current = await getNoteRow(ctx.tx, ctx.actor.clinicId, input.patientId, input.noteId, {
    forUpdate: true,
  });
  const decision = decided(() => decide(current, actor));
  const details = await write(current, actor, decision);
  await recordAudit(ctx, {
    action,
    resourceType: 'clinical_note',
    resourceId: input.noteId,
    details: { patientId: input.patientId, ...details },
  });
  return one(ctx, input.patientId, input.noteId);
}

/** Saves the author's draft. */
export function saveNoteDraft(ctx: UseCaseContext, input: NoteDraftInput): Promise<StoredNote> {
  return lockedNote(
    ctx,
    input,
    'note.update',
    (note, actor) => decideEdit(note, actor),
    async (note) => {
      await updateDraft(
        ctx.tx,
        ctx.actor.clinicId,
        input.noteId,
        {
          expectedVersion: input.version,
          fields: draftFields(noteFieldsSchema.parse(note.fields), input),
          text: input.text,
        },
        ctx.now,
      );
    },
  );
}

/**
 * Signs the draft as it is saved (`version`), with the session summary taken again from the
 * session's record so the signed note matches the record at signing. After this the note is locked.
 */
export async function signNote(
  ctx: UseCaseContext,
  input: { patientId: string; noteId: string; version: number },
): Promise<StoredNote> {
  const settings = await getSessionSettings(ctx.tx, ctx.actor.clinicId);
  return lockedNote(
    ctx,
    input,
    'note.sign',
    (note, actor) => decideSign(note, actor, settings.notes),
    async (note, _actor, cosignRequired) => {
      const fields = noteFieldsSchema.parse(note.fields);
      if (note.sessionId) {
        fields.session = await summaryFor(ctx, note.kind, input.patientId, note.sessionId);
      }
      await signDraft(
        ctx.tx,
        ctx.actor.clinicId,
        input.noteId,
        { expectedVersion: input.version, fields, text: note.text, cosignRequired },
        ctx.now,
      );
      return { cosignRequired };
    },
  );
}

export function cosignNote(
  ctx: UseCaseContext,
  input: { patientId: string; noteId: string },
): Promise<StoredNote> {
  return lockedNote(
    ctx,
    input,
    'note.cosign',
    (note, actor) => decideCosign(note, actor),
    async (_note, actor) => {
      await cosign(ctx.tx, ctx.actor.clinicId, input.noteId, actor.userId, ctx.now);
    },
  );
}

export async function addNoteAddendum(
  ctx: UseCaseContext,
  input: { patientId: string; noteId: string; text: string },
): Promise<StoredNote> {
  const actor = noteActor(ctx);
  // Addenda of one patient's notes are appended one at a time, so their order is the order written.
  await lockPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const current = await getNoteRow(ctx.tx, ctx.actor.clinicId, input.patientId, input.noteId);
  decided(() => decideAddendum(current));
  await insertAddendum(
    ctx.tx,
    ctx.actor.clinicId,
    { noteId: input.noteId, text: input.text, authorId: actor.userId },
    ctx.now,
  );
  await recordAudit(ctx, {
    action: 'note.addendum',
    resourceType: 'clinical_note',
    resourceId: input.noteId,
    details: { patientId: input.patientId },
  });
  return one(ctx, input.patientId, input.noteId);
}

export async function listPatientNotes(
  ctx: UseCaseContext,
  input: { patientId: string; sessionId?: string | undefined },
): Promise<StoredNote[]> {
  await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  const notes = await listNotes(ctx.tx, ctx.actor.clinicId, input.patientId, { sessionId: input.sessionId });
  await recordAudit(ctx, {
    action: 'note.list',
    resourceType: 'patient',
    resourceId: input.patientId,
    details: { returned: notes.length, bySession: Boolean(input.sessionId) },
  });
  return notes;
}

/** The note as a printable PDF (a draft is printed marked as such). */
export async function notePrintout(
  ctx: UseCaseContext,
  input: { patientId: string; noteId: string },
): Promise<Buffer> {
  const patient = await getPatient(ctx.tx, ctx.actor.clinicId, input.patientId);
  await getNoteRow(ctx.tx, ctx.actor.clinicId, input.patientId, input.noteId);
  const note = await one(ctx, input.patientId, input.noteId);
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  // Printed dates are written as the clinic's screens write them.
  const dates = clinicDateFormatOrDefault(clinic.locale);
  const at = (d: Date) => dates.dateTime(d, clinic.timeZone);
  await recordAudit(ctx, {
    action: 'note.pdf',
    resourceType: 'clinical_note',
    resourceId: input.noteId,
    details: { patientId: input.patientId },
  });
  return notePdf({
    clinicName: clinic.name,
    patient: {
      fullName: `${patient.givenName} ${patient.familyName}`,
      dateOfBirth: dates.date(patient.dateOfBirth),
      mrn: patient.mrn,
    },
    title: NOTE_KIND_LABELS[note.kind],
    status: note.status,
    fields: noteFieldsSchema.parse(note.fields),
    text: note.text,
    author: note.authorName,
    createdAt: at(note.createdAt),
    signedAt: note.signedAt ? at(note.signedAt) : null,
    cosign: {
      required: note.cosignRequired,
      by: note.cosignerName,
      at: note.cosignedAt ? at(note.cosignedAt) : null,
    },
    addenda: note.addenda.map((a) => ({ author: a.authorName, at: at(a.createdAt), text: a.text })),
    printedOn: at(ctx.now),
  });
}
