/** Clinical notes over HTTP: requests and the note as the web shows it. */
import { z } from 'zod';
import { noteFieldsSchema } from '../../clinical/notes/fields';
import { NOTE_STATUSES, noteKindSchema } from '../../clinical/vocabulary/notes';
import { patientParams } from './patients';

export const noteParams = patientParams.extend({ noteId: z.uuid({ error: 'must be a note id (UUID)' }) });

export const noteCreateSchema = z.object({
  kind: noteKindSchema,
  sessionId: z.uuid({ error: 'must be a session id (UUID)' }).optional(),
});
export type NoteCreate = z.infer<typeof noteCreateSchema>;

export const noteDraftSchema = z.object({
  version: z.int().min(1),
  text: z.string().max(20_000),
  assessment: z.string().max(5000),
  plan: z.string().max(5000),
});
export type NoteDraft = z.infer<typeof noteDraftSchema>;

export const noteSignSchema = z.object({ version: z.int().min(1) });
export const noteAddendumSchema = z.object({
  text: z.string().trim().min(1, 'write the addendum').max(10_000),
});

export const noteListQuery = z.object({
  sessionId: z.uuid({ error: 'must be a session id (UUID)' }).optional(),
});

export const noteDto = z.object({
  id: z.string(),
  patientId: z.string(),
  sessionId: z.string().nullable(),
  kind: noteKindSchema,
  status: z.enum(NOTE_STATUSES),
  fields: noteFieldsSchema,
  text: z.string(),
  version: z.int(),
  authorId: z.string(),
  authorName: z.string(),
  authorRole: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signedAt: z.string().nullable(),
  cosignRequired: z.boolean(),
  cosignedBy: z.string().nullable(),
  cosignerName: z.string().nullable(),
  cosignedAt: z.string().nullable(),
  addenda: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      authorId: z.string(),
      authorName: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type NoteDto = z.infer<typeof noteDto>;
