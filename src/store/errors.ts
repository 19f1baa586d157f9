/** Store-level errors; the server maps them to 404 and 409, the CLI to clear messages. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly resourceType: string) {
    super(`${resourceType} not found`);
  }
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A request the route admitted but the decision inside it does not allow the actor (e.g. an admin
 * who is not clinical lead granting the clinical-lead sign-off); the server answers 403.
 */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/**
 * A write that is allowed only after the user confirms a warning (e.g. a dose above the labelled
 * maximum); the server answers 422 `confirmation_required` naming the field.
 */
export class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequiredError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

interface PgLikeError {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

/** Finds the driver error (node-postgres or PGlite) inside Drizzle's wrapper. */
export function pgErrorOf(err: unknown): PgLikeError | null {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const e = current as PgLikeError;
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      return e;
    }
    current = e.cause;
  }
  return null;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgErrorOf(err);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
