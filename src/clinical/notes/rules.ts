/**
 * Who may write, sign and co-sign a note, and what a signed note still accepts.
 *
 * - Administration notes are written at the chair by clinicians (nurses included); the prescriber
 *   progress note by prescribers (and admins, who keep clinical access).
 * - Only the author edits a draft or signs it. Signing locks the note: nothing in it changes again.
 * - A note whose author's role is in the clinic's `notes.cosignAuthorRoles` (default: nurses) needs
 *   a co-signature: a prescriber or admin who is not the author, once, after signing. This is
 *   clinic policy, not a cited requirement; the clinic sets it (see docs/clinical-sources/notes.md).
 * - Corrections and later findings are addenda: appended, with who and when, never edits.
 */
import { z } from 'zod';
import type { Role } from '../vocabulary/roles';
import type { NoteKind, NoteStatus } from '../vocabulary/notes';

export const NOTE_AUTHOR_ROLES: Readonly<Record<NoteKind, readonly Role[]>> = {
  'iv-administration': ['admin', 'prescriber', 'nurse'],
  'esketamine-treatment': ['admin', 'prescriber', 'nurse'],
  'prescriber-progress': ['admin', 'prescriber'],
};

/** Who may co-sign: prescribing roles. */
export const NOTE_COSIGNER_ROLES: readonly Role[] = ['admin', 'prescriber'];

export const noteSettingsSchema = z.object({
  /** Authors whose signed notes need a co-signature (clinic policy). */
  cosignAuthorRoles: z.array(z.enum(['admin', 'prescriber', 'nurse'])).max(3),
});
export type NoteSettings = z.infer<typeof noteSettingsSchema>;
export const DEFAULT_NOTE_SETTINGS: NoteSettings = { cosignAuthorRoles: ['nurse'] };

/** Why a note action is refused: the note's state (conflict) or who is acting (forbidden). */
export class NoteRefusal extends Error {
  override readonly name = 'NoteRefusal';
  constructor(
    readonly reason: 'conflict' | 'forbidden',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface NoteForRules {
  kind: NoteKind;
  status: NoteStatus;
  authorId: string;
  cosignRequired: boolean;
  cosignedBy: string | null;
}

export interface NoteActor {
  userId: string;
  role: Role;
}

export function decideWrite(kind: NoteKind, actor: NoteActor): void {
  if (!NOTE_AUTHOR_ROLES[kind].includes(actor.role)) {
    throw new NoteRefusal('forbidden', 'kind', `a ${actor.role} does not write this kind of note`);
  }
}

/** A draft is changed by its author only; a signed note never. */
export function decideEdit(note: NoteForRules, actor: NoteActor): void {
  if (note.status === 'signed') {
    throw new NoteRefusal('conflict', 'status', 'the note is signed and locked; add an addendum instead');
  }
  if (note.authorId !== actor.userId) {
    throw new NoteRefusal('forbidden', 'author', 'only the author changes a draft note');
  }
}

/** Signing: the author, once. Returns whether the signed note will need a co-signature. */
export function decideSign(note: NoteForRules, actor: NoteActor, settings: NoteSettings): boolean {
  decideEdit(note, actor);
  return (settings.cosignAuthorRoles as readonly Role[]).includes(actor.role);
}

export function decideCosign(note: NoteForRules, actor: NoteActor): void {
  if (!NOTE_COSIGNER_ROLES.includes(actor.role)) {
    throw new NoteRefusal('forbidden', 'role', 'a co-signature is given by a prescriber or admin');
  }
  if (note.authorId === actor.userId) {
    throw new NoteRefusal('forbidden', 'author', 'the author cannot co-sign their own note');
  }
  if (note.status !== 'signed') {
    throw new NoteRefusal('conflict', 'status', 'the note is a draft: the author signs it first');
  }
  if (!note.cosignRequired) {
    throw new NoteRefusal('conflict', 'cosign', 'this note does not need a co-signature');
  }
  if (note.cosignedBy !== null) {
    throw new NoteRefusal('conflict', 'cosign', 'the note is already co-signed');
  }
}

/** Addenda go on signed notes only (a draft is still edited). */
export function decideAddendum(note: NoteForRules): void {
  if (note.status !== 'signed') {
    throw new NoteRefusal(
      'conflict',
      'status',
      'the note is a draft: edit it, or sign it and add an addendum',
    );
  }
}
