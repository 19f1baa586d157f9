import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAllowed, type Access } from '../access';
import { forbidden, HttpError, unauthenticated } from '../http-errors';

export const SESSION_COOKIE = 'rein_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function cookieOptions(request: FastifyRequest, secure: 'auto' | boolean) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secure === 'auto' ? request.protocol === 'https' : secure,
  };
}

/**
 * Resolves the session cookie and enforces each route's declared access, CSRF on state-changing
 * requests, the forced password change and a required two-factor set-up — in one place, before
 * any handler runs.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access: Access | undefined = request.routeOptions.config?.access;
    const url = request.routeOptions.url;
    if (!access) {
      // Only non-API routes (static files, docs, the SPA fallback) may omit an access rule.
      if (url?.startsWith('/api/') && !url.startsWith('/api/docs')) {
        throw new HttpError(403, 'forbidden', 'This route has no access rule.');
      }
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const found = await app.loginCache.resolve(token, app.now());
      if (found) {
        request.auth = {
          userId: found.user.id,
          clinicId: found.user.clinicId,
          role: found.user.role,
          clinicalLead: found.user.clinicalLead,
          email: found.user.email,
          name: found.user.name,
          sessionId: found.session.id,
          csrfToken: found.session.csrfToken,
          mustChangePassword: found.user.mustChangePassword,
          twoFactorEnrolmentPending: found.session.twoFactorEnrolmentPending,
          clinicCalendar: found.clinicCalendar,
        };
      }
    }
    if (access.kind === 'public') return;
    const auth = request.auth;
    if (!auth) throw unauthenticated();
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, auth.csrfToken)) {
        throw new HttpError(403, 'csrf', 'Missing or invalid CSRF token; reload the page and try again.');
      }
    }
    const finishesSignIn = access.kind === 'authenticated' && access.allowSignInPending;
    if (auth.mustChangePassword && !finishesSignIn) {
      throw new HttpError(403, 'password_change_required', 'Change your password before continuing.');
    }
    if (auth.twoFactorEnrolmentPending && !finishesSignIn) {
      throw new HttpError(
        403,
        'two_factor_enrolment_required',
        'Set up two-factor sign-in with an authenticator app before continuing.',
      );
    }
    if (!isAllowed(access, auth.role, auth.clinicalLead)) throw forbidden();
  });
}
