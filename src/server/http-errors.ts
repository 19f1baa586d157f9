/** Errors a route raises to answer with a specific status; the one error handler renders them. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: 401 | 403 | 404 | 409 | 413 | 415 | 423 | 429 | 502 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'Log in to continue.');
export const forbidden = (message = 'Your role does not allow this.') =>
  new HttpError(403, 'forbidden', message);

/** Too many failed password or code attempts: try again after the lock. */
export const lockedError = (seconds: number) =>
  new HttpError(
    423,
    'locked',
    `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  );
