/**
 * Field schemas shared by the request schemas of several nouns. Pure zod.
 */
import { z } from 'zod';
import { plausibleNumber, type PlausibleRange } from '../../clinical/plausibility';

export const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** Optional free text: blank becomes null, so "cleared" and "never given" read the same. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .transform((v) => (v === '' ? null : v))
    .nullish();

/** A number inside a plausibility range; the message states the whole allowed range. */
export const plausible = (r: PlausibleRange) => plausibleNumber(r);

export const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an email address' }));

/**
 * The `Idempotency-Key` request header of a submission: one new key per form shown, the same key
 * on every retry of it. A repeat with the key gets the first answer and stores nothing; the same
 * key with a different body is refused (409). Keys are kept 24 hours per clinic and sender.
 */
export const idempotencyKeyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8, 'must be at least 8 characters (send a UUID)')
    .max(200, 'at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (send a UUID)')
    .optional()
    .describe(
      'A new key (e.g. a UUID) per form shown, reused on every retry of it: a repeat gets the first answer and stores nothing; the same key with a different request is refused (409). Kept 24 hours.',
    ),
});
