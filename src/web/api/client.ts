import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The CSRF token from login or /api/auth/me; sent on every state-changing request. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; code?: string; message: string }> };
  requestId: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(body?.error.message ?? `Request failed (${status})`);
  }
  get code(): string | undefined {
    return this.body?.error.code;
  }
  /** Field errors keyed by the field name (the last part of the path, e.g. `body.mrn` → `mrn`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.body?.error.fields ?? []) {
      const key = f.path.replace(/^(body|params|querystring)\./, '');
      out[key] ??= f.message;
    }
    return out;
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's message. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) {
    throw new ApiError(response.status, (error as ApiErrorBody | undefined) ?? null);
  }
  return data as T;
}
