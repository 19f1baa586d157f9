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
