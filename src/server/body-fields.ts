/**
 * A use case names the fields of its input (`measuredAt`); a route receives them in the request
 * body, where the request schema's own errors name them `body.measuredAt`. This renames the core's
 * refusal of one of `fields` the same way, so a form shows both kinds of error on the same field.
 */
import { ClinicalInputError } from '../app/errors';

export async function fieldsInBody<T>(fields: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ClinicalInputError && fields.some((f) => e.field === f || e.field.startsWith(`${f}.`))) {
      throw new ClinicalInputError(`body.${e.field}`, e.message);
    }
    throw e;
  }
}
