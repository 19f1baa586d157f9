import type { z } from 'zod';
import { UsageError } from './errors';

/**
 * Validates CLI input with the same zod schema the API uses; a failure names the command-line
 * argument (`fieldToArg` maps schema fields to flags).
 */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldToArg: Record<string, string>,
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    throw new UsageError(fieldToArg[field] ?? (field || 'input'), issue.message);
  }
  return result.data;
}
