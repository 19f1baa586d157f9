import { ClinicalInputError } from '../app/errors';

/** Bad command-line input: printed as `rein: <argument>: <message>` and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Maps an error thrown by a command to its message and exit code. */
export function describeCliError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof UsageError) {
    return { message: `rein: ${err.argument}: ${err.message}`, exitCode: EXIT_USAGE };
  }
  if (err instanceof ClinicalInputError) {
    return { message: `rein: ${err.field}: ${err.message}`, exitCode: EXIT_USAGE };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `rein: ${message}`, exitCode: EXIT_FAILURE };
}
