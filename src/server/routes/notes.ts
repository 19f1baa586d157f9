/**
 * Clinical notes over HTTP: adapters over src/app/notes.ts. Clinicians read and write notes; the
 * use case decides who writes which kind, that only the author edits and signs, and the co-signer
 * (a prescriber or admin, never the author). A refusal of the actor is 403; of the note's state 409.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inClinicAs, type UseCaseContext } from '../../app/context';
import {
  addNoteAddendum,
  cosignNote,
  listPatientNotes,
  NoteRefusal,
  notePrintout,
  saveNoteDraft,
  signNote,
  startNote,
  type StoredNote,
} from '../../app/notes';
import { CLINICAL_READ, CLINICAL_WRITE, PRESCRIBE } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { forbidden } from '../http-errors';
import { fieldSentence } from '../schemas/messages';
import {
  noteAddendumSchema,
  noteCreateSchema,
  noteDraftSchema,
  noteDto,
  noteListQuery,
  noteParams,
  noteSignSchema,
  type NoteDto,
} from '../schemas/notes';
import { patientParams } from '../schemas/patients';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toNoteDto = (n: StoredNote): NoteDto => ({
  id: n.id,
  patientId: n.patientId,
  sessionId: n.sessionId,
  kind: n.kind,
  status: n.status,
  fields: n.fields,
  text: n.text,
  version: n.version,
  authorId: n.authorId,
  authorName: n.authorName,
  authorRole: n.authorRole,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
  signedAt: iso(n.signedAt),
  cosignRequired: n.cosignRequired,
  cosignedBy: n.cosignedBy,
  cosignerName: n.cosignerName,
  cosignedAt: iso(n.cosignedAt),
  addenda: n.addenda.map((a) => ({
    id: a.id,
    text: a.text,
    authorId: a.authorId,
    authorName: a.authorName,
    createdAt: a.createdAt.toISOString(),
  })),
});

export async function noteRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const run = async <T>(request: FastifyRequest, fn: (ctx: UseCaseContext) => Promise<T>): Promise<T> => {
    try {
      return await inClinicAs(app.store.db, actorOf(request), app.now(), fn);
    } catch (err) {
      if (err instanceof NoteRefusal && err.reason === 'forbidden')
        throw forbidden(fieldSentence('', err.message));
      throw err;
    }
  };
  const tags = ['notes'];

  app.get(
    '/api/patients/:patientId/notes',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags,
        summary:
          "The patient's clinical notes, newest first, with signatures and addenda (optionally one session's)",
        params: patientParams,
        querystring: noteListQuery,
        response: { 200: z.object({ items: z.array(noteDto) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (
        await run(request, (ctx) =>
          listPatientNotes(ctx, { patientId: request.params.patientId, sessionId: request.query.sessionId }),
        )
      ).map(toNoteDto),
    }),
  );

  app.post(
    '/api/patients/:patientId/notes',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary:
          'Start a note from its template, prefilled from the session record and the previous signed note of the same kind',
        params: patientParams,
        body: noteCreateSchema,
        response: { 201: noteDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const note = await run(request, (ctx) =>
        startNote(ctx, { patientId: request.params.patientId, ...request.body }),
      );
      return reply.status(201).send(toNoteDto(note));
    },
  );

  app.put(
    '/api/patients/:patientId/notes/:noteId',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary: 'Save a draft note (its author only; a signed note is locked)',
        params: noteParams,
        body: noteDraftSchema,
        response: { 200: noteDto, ...errorResponses },
      },
    },
    async (request) =>
      toNoteDto(await run(request, (ctx) => saveNoteDraft(ctx, { ...request.params, ...request.body }))),
  );

  app.post(
    '/api/patients/:patientId/notes/:noteId/sign',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary: 'Sign and lock a draft note (its author only); records whether it needs a co-signature',
        params: noteParams,
        body: noteSignSchema,
        response: { 200: noteDto, ...errorResponses },
      },
    },
    async (request) =>
      toNoteDto(await run(request, (ctx) => signNote(ctx, { ...request.params, ...request.body }))),
  );

  app.post(
    '/api/patients/:patientId/notes/:noteId/cosign',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary: 'Co-sign a signed note that needs it (a prescriber or admin who is not the author)',
        params: noteParams,
        response: { 200: noteDto, ...errorResponses },
      },
    },
    async (request) => toNoteDto(await run(request, (ctx) => cosignNote(ctx, request.params))),
  );

  app.post(
    '/api/patients/:patientId/notes/:noteId/addenda',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary: 'Add an addendum to a signed note (with who and when; never an edit)',
        params: noteParams,
        body: noteAddendumSchema,
        response: { 201: noteDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const note = await run(request, (ctx) => addNoteAddendum(ctx, { ...request.params, ...request.body }));
      return reply.status(201).send(toNoteDto(note));
    },
  );

  app.get(
    '/api/patients/:patientId/notes/:noteId/pdf',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags,
        summary: 'The note printed (application/pdf), with signatures and addenda',
        params: noteParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const pdf = await run(request, (ctx) => notePrintout(ctx, request.params));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="note-${request.params.noteId}.pdf"`)
        .send(pdf as never);
    },
  );
}
