/**
 * Clinical notes and their addenda. Conventions as in schema.ts. A draft is edited in place by its
 * author; once `signed_at` is set a trigger (migration 0024) refuses every change to the row except
 * the one co-signature, and refuses deletes of notes at any time. Addenda are append-only.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { NoteFields } from '../clinical/notes';
import { NOTE_KINDS, NOTE_STATUSES, type NoteKind, type NoteStatus } from '../clinical/vocabulary/notes';
import { STAFF_ROLES, type StaffRole } from '../clinical/vocabulary/roles';
import { clinicId, createdAt, id, inList } from './columns';
import { patients, users } from './schema';
import { treatmentSessions } from './schema-sessions';

export const clinicalNotes = pgTable(
  'clinical_notes',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    /** The session the note documents (required for administration notes). */
    sessionId: uuid('session_id'),
    kind: text('kind').$type<NoteKind>().notNull(),
    status: text('status').$type<NoteStatus>().notNull().default('draft'),
    fields: jsonb('fields').$type<NoteFields>().notNull(),
    text: text('text').notNull(),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role').$type<StaffRole>().notNull(),
    /** Bumped on every draft save; a stale version is refused. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    cosignRequired: boolean('cosign_required').notNull().default(false),
    cosignedBy: uuid('cosigned_by'),
    cosignedAt: timestamp('cosigned_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({
      columns: [t.clinicId, t.sessionId],
      foreignColumns: [treatmentSessions.clinicId, treatmentSessions.id],
    }),
    foreignKey({ columns: [t.clinicId, t.authorId], foreignColumns: [users.clinicId, users.id] }),
    foreignKey({ columns: [t.clinicId, t.cosignedBy], foreignColumns: [users.clinicId, users.id] }),
    index('clinical_notes_patient_idx').on(t.clinicId, t.patientId),
    index('clinical_notes_session_idx').on(t.clinicId, t.sessionId),
    check('clinical_notes_kind_check', inList('kind', NOTE_KINDS)),
    check('clinical_notes_status_check', inList('status', NOTE_STATUSES)),
    check('clinical_notes_author_role_check', inList('author_role', STAFF_ROLES)),
    check('clinical_notes_signed_check', sql`(status = 'signed') = (signed_at is not null)`),
    check('clinical_notes_cosigner_check', sql`cosigned_by is null or cosigned_by <> author_id`),
  ],
);

export const clinicalNoteAddenda = pgTable(
  'clinical_note_addenda',
  {
    clinicId: clinicId(),
    id: id(),
    noteId: uuid('note_id').notNull(),
    text: text('text').notNull(),
    authorId: uuid('author_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({
      columns: [t.clinicId, t.noteId],
      foreignColumns: [clinicalNotes.clinicId, clinicalNotes.id],
    }),
    foreignKey({ columns: [t.clinicId, t.authorId], foreignColumns: [users.clinicId, users.id] }),
    index('clinical_note_addenda_note_idx').on(t.clinicId, t.noteId),
  ],
);

export type ClinicalNoteRow = typeof clinicalNotes.$inferSelect;
export type ClinicalNoteAddendumRow = typeof clinicalNoteAddenda.$inferSelect;
