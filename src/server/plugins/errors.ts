import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, type z } from 'zod';
import {
  ClinicalInputError,
  ConfirmationRequiredError,
  ConflictError,
  DataDirLockedError,
  ForbiddenError,
  NotFoundError,
  pgErrorOf,
} from '../../app/errors';
import { HttpError } from '../http-errors';
import {
  domainFieldError,
  plainFieldErrors,
  plainMessage,
  plainWords,
  type PlainFieldError,
} from '../schemas/messages';

/** A field's refusal: `path` and `code` for programs, `message` a sentence for people. */
export type FieldError = PlainFieldError;

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
  requestId: string;
}

/** fastify-type-provider-zod's validation entries carry each zod issue apart; put it back together. */
function issueOf(v: {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}): z.core.$ZodIssue {
  return {
    ...(v.params ?? {}),
    code: v.keyword,
    path: v.instancePath.split('/').filter(Boolean),
    message: v.message ?? '',
  } as unknown as z.core.$ZodIssue;
}

/**
 * The one error handler: validation → 400 naming the field; 401/403/404/409 distinct;
 * anything unexpected → 500 with only a request id. Stack traces, SQL and driver messages never reach
 * a client, and are not logged either when they could carry patient data (query parameters).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    const requestId = request.id;
    const send = (status: number, code: string, message: string, fields?: FieldError[]) =>
      reply.status(status).send({ error: { code, message, ...(fields ? { fields } : {}) }, requestId });

    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as FastifyError).validationContext ?? 'body';
      const fields = plainFieldErrors(err.validation.map(issueOf), where);
      return send(400, 'validation', plainMessage(fields), fields);
    }
    if (err instanceof ZodError) {
      const fields = plainFieldErrors(err.issues);
      return send(400, 'validation', plainMessage(fields), fields);
    }
    if (err instanceof ClinicalInputError) {
      const field = domainFieldError(err.field, 'invalid', err.message);
      return send(400, 'validation', field.message, [field]);
    }
    if (err instanceof HttpError) {
      return send(err.statusCode, err.code, plainWords(err.message));
    }
    if (err instanceof ForbiddenError) {
      return send(403, 'forbidden', `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`);
    }
    if (err instanceof NotFoundError) {
      return send(404, 'not_found', `The ${err.resourceType} was not found.`);
    }
    if (err instanceof ConflictError) {
      const field = domainFieldError(err.field, 'conflict', err.message);
      return send(409, 'conflict', field.message, [field]);
    }
    if (err instanceof ConfirmationRequiredError) {
      const field = domainFieldError(err.field, 'confirmation_required', err.message);
      return send(422, 'confirmation_required', field.message, [field]);
    }
    if (err instanceof DataDirLockedError) {
      request.log.error({ errName: err.name }, 'database locked');
      return send(503, 'unavailable', 'The database is unavailable.');
    }
    const fastifyErr = err as FastifyError;
    const status = fastifyErr.statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type…
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status === 429
              ? 'rate_limited'
              : 'bad_request';
      const message =
        status === 413
          ? 'The request body is too large.'
          : status === 415
            ? 'Send the request body as application/json.'
            : status === 429
              ? 'Too many requests; wait a moment and try again.'
              : 'The request could not be understood (malformed JSON or parameters).';
      return send(status, code, message);
    }
    const pgErr = pgErrorOf(err);
    if (pgErr?.code === '22P02' || pgErr?.code === '22007' || pgErr?.code === '22008') {
      return send(400, 'validation', 'A value has the wrong format.');
    }
    // Log what went wrong without the message: driver messages embed query parameters (PHI).
    request.log.error(
      { errName: err.name, code: pgErr?.code ?? fastifyErr.code, stack: pgErr ? undefined : err.stack },
      'unhandled error',
    );
    return send(
      500,
      'internal',
      'Something went wrong on the server. Quote the request id when reporting it.',
    );
  });
}
