/**
 * Forms validated by the server's own request schemas, and the server's 400 answers mapped back
 * onto the fields by their paths (never by parsing message text).
 */
import type { z } from 'zod';
import { fieldSentence, plainFieldErrors } from '../server/schemas/messages';
import { ApiError, type ApiErrorBody } from './api/client';

/** Form errors keyed by field path (`answers.1`), as @mantine/form keys them. */
export type FieldErrors = Record<string, string>;

/** A number input's value: a number, or '' while empty. */
export type NumberField = number | string;

/** The number typed, or undefined when the field is empty (an optional request field is then left out). */
export function optionalNumber(value: NumberField): number | undefined {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  // A half-typed entry ("1e", "-") is sent as NaN so the schema refuses it rather than dropping it.
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Trimmed text, or undefined when blank. */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The object without its undefined entries (the API's optional fields are absent, not undefined). */
export function compact<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** The first message per path of a failed parse, in the same sentences the server would answer. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const f of plainFieldErrors(error.issues)) out[f.path] ??= f.message;
  return out;
}

/**
 * A @mantine/form `validate` function: converts the form's values to the request body and checks it
 * with the server's schema. `messages` replaces the schema's message for a field where the form
 * can say it better (an unanswered choice rather than "invalid option").
 */
export function validateWith<V, S extends z.ZodType>(
  schema: S,
  toRequest: (values: V) => unknown,
  messages: FieldErrors = {},
): (values: V) => FieldErrors {
  return (values) => {
    const result = schema.safeParse(toRequest(values));
    if (result.success) return {};
    const errors = zodFieldErrors(result.error);
    for (const path of Object.keys(errors)) if (messages[path]) errors[path] = messages[path];
    return errors;
  };
}

/** A server field path without its location: `body.weightKg` → `weightKg`. */
export function fieldKey(path: string): string {
  return path.replace(/^(body|querystring|params)(\.|$)/, '');
}

/**
 * The server's error split into what belongs to a field of this form and what does not: field
 * errors for `fields` go under the inputs; everything else (other fields, conflicts, network
 * failures) is one message for the form.
 */
export function serverErrors(
  err: unknown,
  fields: readonly string[],
): { fieldErrors: FieldErrors; message: string | null } {
  if (!(err instanceof ApiError)) return { fieldErrors: {}, message: 'Could not reach the server.' };
  const fieldErrors: FieldErrors = {};
  const rest: string[] = [];
  for (const f of (err.body as ApiErrorBody | null)?.error.fields ?? []) {
    const key = fieldKey(f.path);
    const owner = fields.find((name) => key === name || key.startsWith(`${name}.`));
    if (owner !== undefined) fieldErrors[owner] ??= f.message;
    // The server's message is already a sentence naming the field; an older phrase gets its label.
    else rest.push(/^[A-Z]/.test(f.message) ? f.message : fieldSentence(key, f.message));
  }
  const hasFields = Object.keys(fieldErrors).length > 0;
  if (rest.length > 0) return { fieldErrors, message: rest.join('; ') };
  return { fieldErrors, message: hasFields ? null : err.message };
}
