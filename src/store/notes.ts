/**
 * Persistence of clinical notes and addenda. Repositories only read and write: the use cases in
 * src/app/notes.ts apply the core's rules (src/clinical/notes). The database refuses changes to a
 * signed note and any change to an addendum (migration 0024), whatever the caller.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { NoteFields } from '../clinical/notes';
import type { NoteKind } from '../clinical/vocabulary/notes';
import { ConflictError, NotFoundError } from './errors';
import { users, type StaffRole } from './schema';
import { clinicalNoteAddenda, clinicalNotes, type ClinicalNoteRow } from './schema-notes';
import type { Queryable } from './tx';

export type { ClinicalNoteRow };

export interface NoteAddendum {
  id: string;
  noteId: string;
  text: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
}

export interface StoredNote extends ClinicalNoteRow {
  authorName: string;
  cosignerName: string | null;
  addenda: NoteAddendum[];
}

export async function insertNote(
  db: Queryable,
  clinicId: string,
  note: {
    patientId: string;
    sessionId: string | null;
    kind: NoteKind;
    fields: NoteFields;
    text: string;
    authorId: string;
    authorRole: StaffRole;
  },
  now: Date,
): Promise<ClinicalNoteRow> {
  const [row] = await db
    .insert(clinicalNotes)
    .values({ clinicId, ...note, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function getNoteRow(
  db: Queryable,
  clinicId: string,
  patientId: string,
  noteId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ClinicalNoteRow> {
  const q = db
    .select()
    .from(clinicalNotes)
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.patientId, patientId),
        eq(clinicalNotes.id, noteId),
      ),
    );
  const [row] = opts.forUpdate ? await q.for('no key update') : await q;
  if (!row) throw new NotFoundError('note');
  return row;
}

const stale = () =>
  new ConflictError('version', 'this note was changed since you opened it; reload and try again');

/** Saves a draft's text and fields; refused when the version is stale or the note is no longer a draft. */
export async function updateDraft(
  db: Queryable,
  clinicId: string,
  noteId: string,
  change: { expectedVersion: number; fields: NoteFields; text: string },
  now: Date,
): Promise<ClinicalNoteRow> {
  const [row] = await db
    .update(clinicalNotes)
    .set({ fields: change.fields, text: change.text, version: change.expectedVersion + 1, updatedAt: now })
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.id, noteId),
        eq(clinicalNotes.version, change.expectedVersion),
        eq(clinicalNotes.status, 'draft'),
      ),
    )
    .returning();
  if (!row) throw stale();
  return row;
}

/** Signs a draft: its final fields and text, the signing time and whether it needs a co-signature. */
export async function signDraft(
  db: Queryable,
  clinicId: string,
  noteId: string,
  sign: { expectedVersion: number; fields: NoteFields; text: string; cosignRequired: boolean },
  now: Date,
): Promise<ClinicalNoteRow> {
  const [row] = await db
    .update(clinicalNotes)
    .set({
      fields: sign.fields,
      text: sign.text,
      status: 'signed',
      signedAt: now,
      cosignRequired: sign.cosignRequired,
      version: sign.expectedVersion + 1,
      updatedAt: now,
    })
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.id, noteId),
        eq(clinicalNotes.version, sign.expectedVersion),
        eq(clinicalNotes.status, 'draft'),
      ),
    )
    .returning();
  if (!row) throw stale();
  return row;
}

export async function cosign(
  db: Queryable,
  clinicId: string,
  noteId: string,
  cosignerId: string,
  now: Date,
): Promise<ClinicalNoteRow> {
  const [row] = await db
    .update(clinicalNotes)
    .set({ cosignedBy: cosignerId, cosignedAt: now })
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.id, noteId),
        isNull(clinicalNotes.cosignedBy),
      ),
    )
    .returning();
  if (!row) throw new ConflictError('cosign', 'the note is already co-signed');
  return row;
}

export async function insertAddendum(
  db: Queryable,
  clinicId: string,
  addendum: { noteId: string; text: string; authorId: string },
  now: Date,
): Promise<void> {
  await db.insert(clinicalNoteAddenda).values({ clinicId, ...addendum, createdAt: now });
}

/** Notes of a patient (optionally of one session), newest first, with names and addenda. */
export async function listNotes(
  db: Queryable,
  clinicId: string,
  patientId: string,
  filter: { sessionId?: string | undefined; noteId?: string | undefined } = {},
): Promise<StoredNote[]> {
  const rows = await db
    .select()
    .from(clinicalNotes)
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.patientId, patientId),
        filter.sessionId ? eq(clinicalNotes.sessionId, filter.sessionId) : undefined,
        filter.noteId ? eq(clinicalNotes.id, filter.noteId) : undefined,
      ),
    )
    .orderBy(desc(clinicalNotes.createdAt), desc(clinicalNotes.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const addenda = await db
    .select()
    .from(clinicalNoteAddenda)
    .where(and(eq(clinicalNoteAddenda.clinicId, clinicId), inArray(clinicalNoteAddenda.noteId, ids)))
    .orderBy(asc(clinicalNoteAddenda.createdAt), asc(clinicalNoteAddenda.id));
  const people = new Set<string>([...rows.map((r) => r.authorId), ...addenda.map((a) => a.authorId)]);
  for (const r of rows) if (r.cosignedBy) people.add(r.cosignedBy);
  const names = new Map(
    (
      await db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(and(eq(users.clinicId, clinicId), inArray(users.id, [...people])))
    ).map((u) => [u.id, u.name]),
  );
  return rows.map((r) => ({
    ...r,
    authorName: names.get(r.authorId) ?? '',
    cosignerName: r.cosignedBy ? (names.get(r.cosignedBy) ?? '') : null,
    addenda: addenda
      .filter((a) => a.noteId === r.id)
      .map((a) => ({ ...a, authorName: names.get(a.authorId) ?? '' })),
  }));
}

/** The patient's latest signed note of a kind (the prefill carries its plan forward). */
export async function latestSignedNote(
  db: Queryable,
  clinicId: string,
  patientId: string,
  kind: NoteKind,
): Promise<ClinicalNoteRow | null> {
  const [row] = await db
    .select()
    .from(clinicalNotes)
    .where(
      and(
        eq(clinicalNotes.clinicId, clinicId),
        eq(clinicalNotes.patientId, patientId),
        eq(clinicalNotes.kind, kind),
        eq(clinicalNotes.status, 'signed'),
      ),
    )
    .orderBy(desc(clinicalNotes.signedAt), desc(clinicalNotes.id))
    .limit(1);
  return row ?? null;
}
