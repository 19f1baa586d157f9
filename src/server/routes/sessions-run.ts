/** What every session route shares: its roles and how it runs a use case as the caller. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inClinicAs, type UseCaseContext } from '../../app/context';
import { SessionRefusal } from '../../app/errors';
import { CLINICAL_READ, CLINICAL_WRITE } from '../access';
import { actorOf } from '../context';
import { forbidden } from '../http-errors';
import { fieldSentence } from '../schemas/messages';

export const SESSION_READ = CLINICAL_READ;
export const SESSION_WRITE = CLINICAL_WRITE;

/** Runs a session use case as the caller, in one clinic transaction; a refusal of the actor is 403. */
export async function runSessionUseCase<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  fn: (ctx: UseCaseContext) => Promise<T>,
): Promise<T> {
  try {
    return await inClinicAs(app.store.db, actorOf(request), app.now(), fn);
  } catch (err) {
    if (err instanceof SessionRefusal && err.reason === 'forbidden') {
      throw forbidden(fieldSentence(err.field, err.message));
    }
    throw err;
  }
}
