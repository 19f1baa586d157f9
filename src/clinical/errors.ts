/**
 * The one error type the clinical core raises for bad input. `field` names the offending input
 * (a form field, a CLI argument, a regimen token) so every shell can point the user at it:
 * the server maps it to HTTP 400, the CLI to exit code 2.
 */
export class ClinicalInputError extends Error {
  override readonly name = 'ClinicalInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
