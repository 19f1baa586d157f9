import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeOwnPassword, currentUser, login, logout } from '../../app/auth';
import {
  auditWrongEnrolmentCode,
  completeSecondFactor,
  confirmTwoFactorEnrolment,
  startTwoFactorEnrolment,
} from '../../app/two-factor';
import type { User } from '../../store/users';
import { ClinicalInputError } from '../../app/errors';
import { clinicDay } from '../../app/clinic-day';
import { inClinicAs, type Actor } from '../../app/context';
import { CAPABILITIES, capabilitiesOf, PUBLIC } from '../access';
import { actorOf, caller } from '../context';
import { errorResponses, toUserDto } from '../dto';
import { HttpError, lockedError } from '../http-errors';
import { cookieOptions, SESSION_COOKIE } from '../plugins/auth';
import {
  enrolmentConfirmBody,
  enrolmentStartResponse,
  loginBody,
  meResponse as meBody,
  passwordChangeBody,
  secondFactorBody,
} from '../schemas/auth';

/** The caller with what they may do, under the same access rules the routes enforce. */
const meResponse = meBody.extend({
  capabilities: z.array(z.enum(CAPABILITIES)),
  /**
   * The clinic's own calendar: its time zone, today's date there (what "today" means in forms) and
   * the locale whose one date pattern every screen writes and reads dates in.
   */
  clinic: z.object({
    timeZone: z.string(),
    today: z.string(),
    locale: z.string(),
    /** Whether Rein can send e-mail (REIN_SMTP_URL is set): screens offer "e-mail the link" then. */
    emailEnabled: z.boolean(),
  }),
  /** The clinic requires two-factor sign-in and the user has not set it up: only that is open. */
  twoFactorEnrolmentPending: z.boolean(),
});

/** The sign-in waits for an authenticator code (the challenge travels in an HttpOnly cookie). */
const secondFactorPending = z.object({ secondFactor: z.literal('code') });

/** The half-done sign-in's cookie, sent only to the login routes and gone after five minutes. */
const CHALLENGE_COOKIE = 'rein_sign_in';
const CHALLENGE_PATH = '/api/auth/login';

export async function authRoutes(
  fastify: FastifyInstance,
  opts: { loginRateLimitPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const clinicOf = async (actor: Actor) => {
    const { today, timeZone, locale } = await inClinicAs(app.store.db, actor, app.now(), clinicDay);
    return { today, timeZone, locale, emailEnabled: app.mailer !== null };
  };
  const meOf = async (
    user: User,
    csrfToken: string,
    twoFactorEnrolmentPending: boolean,
    requestId: string,
  ) => ({
    user: toUserDto(user),
    csrfToken,
    capabilities: capabilitiesOf(app.routeTable, user.role, user.clinicalLead),
    clinic: await clinicOf({ clinicId: user.clinicId, userId: user.id, role: user.role, requestId }),
    twoFactorEnrolmentPending,
  });

  app.post(
    '/api/auth/login',
    {
      config: {
        access: PUBLIC,
        rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary:
          'Log in; sets the HttpOnly session cookie and returns the CSRF token, or asks for the authenticator code when the account uses two-factor sign-in',
        body: loginBody,
        response: {
          200: z.union([meResponse, secondFactorPending]),
          ...errorResponses,
          423: errorResponses[401],
          429: errorResponses[401],
        },
      },
    },
    async (request, reply) => {
      const result = await login(app.store.db, {
        ...request.body,
        clientAddress: request.ip,
        requestId: request.id,
        now: app.now(),
        twoFactorRequired: app.twoFactorRequired,
      });
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        throw lockedError(result.retryAfterSeconds);
      }
      if (result.kind === 'invalid') {
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');
      }
      if (result.kind === 'second-factor') {
        reply.setCookie(CHALLENGE_COOKIE, result.challengeToken, {
          ...cookieOptions(request, app.cookieSecure),
          path: CHALLENGE_PATH,
          sameSite: 'strict',
          maxAge: 5 * 60,
        });
        return { secondFactor: 'code' as const };
      }
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request, app.cookieSecure));
      return meOf(result.user, result.csrfToken, result.twoFactorEnrolmentPending, request.id);
    },
  );

  app.post(
    '/api/auth/login/second-factor',
    {
      config: {
        access: PUBLIC,
        rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary:
          'Finish a sign-in with the code from the authenticator app or one recovery code; sets the session cookie',
        body: secondFactorBody,
        response: { 200: meResponse, ...errorResponses, 423: errorResponses[401], 429: errorResponses[401] },
      },
    },
    async (request, reply) => {
      const token = request.cookies[CHALLENGE_COOKIE];
      const expired = () =>
        new HttpError(
          401,
          'sign_in_expired',
          'Your sign-in has expired. Enter your email and password again.',
        );
      if (!token) throw expired();
      const result = await completeSecondFactor(app.store.db, {
        challengeToken: token,
        code: request.body.code,
        recoveryCode: request.body.recoveryCode,
        clientAddress: request.ip,
        requestId: request.id,
        now: app.now(),
      });
      if (result.kind === 'expired') {
        reply.clearCookie(CHALLENGE_COOKIE, { path: CHALLENGE_PATH });
        throw expired();
      }
      if (result.kind === 'locked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        throw lockedError(result.retryAfterSeconds);
      }
      if (result.kind === 'wrong-code') {
        throw new HttpError(
          401,
          'invalid_code',
          result.reason === 'replayed'
            ? 'This code was used already. Wait for the next code in your authenticator app.'
            : result.reason === 'unknown_recovery_code'
              ? 'This recovery code is not valid or was used already.'
              : 'The code is incorrect. Check the time on your phone and enter the current code.',
        );
      }
      reply.clearCookie(CHALLENGE_COOKIE, { path: CHALLENGE_PATH });
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request, app.cookieSecure));
      return meOf(result.user, result.csrfToken, false, request.id);
    },
  );

  app.post(
    '/api/auth/two-factor/enrolment',
    {
      config: { access: { kind: 'authenticated', allowSignInPending: true } },
      schema: {
        tags: ['auth'],
        summary:
          'Start setting up two-factor sign-in: a new authenticator secret (shown this once) and its QR code',
        response: { 200: enrolmentStartResponse, ...errorResponses },
      },
    },
    async (request) => inClinicAs(app.store.db, actorOf(request), app.now(), startTwoFactorEnrolment),
  );

  app.post(
    '/api/auth/two-factor/enrolment/confirm',
    {
      config: { access: { kind: 'authenticated', allowSignInPending: true } },
      schema: {
        tags: ['auth'],
        summary:
          'Confirm the authenticator with a code from it; returns the recovery codes (shown once) and the caller',
        body: enrolmentConfirmBody,
        response: {
          200: z.object({ recoveryCodes: z.array(z.string()), me: meResponse }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const actor = actorOf(request);
      const result = await inClinicAs(app.store.db, actor, app.now(), (ctx) =>
        confirmTwoFactorEnrolment(ctx, request.body),
      );
      if (result.kind === 'wrong-code') {
        await auditWrongEnrolmentCode(app.store.db, actor, app.now());
        throw new ClinicalInputError(
          'code',
          'the code is incorrect; check the time on your phone and enter the current code',
        );
      }
      app.loginCache.invalidateUser(me.userId);
      const user = await currentUser(app.store.db, actor);
      return { recoveryCodes: result.recoveryCodes, me: await meOf(user, me.csrfToken, false, request.id) };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { kind: 'authenticated', allowSignInPending: true } },
      schema: { tags: ['auth'], summary: 'Log out (revokes the session)', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const me = caller(request);
      await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        logout(ctx, { sessionId: me.sessionId }),
      );
      app.loginCache.invalidateUser(me.userId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { kind: 'authenticated', allowSignInPending: true } },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user and the CSRF token',
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const user = await currentUser(app.store.db, actorOf(request));
      const me = caller(request);
      return meOf(user, me.csrfToken, me.twoFactorEnrolmentPending, request.id);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: { kind: 'authenticated', allowSignInPending: true } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (required at first login with a generated password)',
        body: passwordChangeBody,
        response: { 200: meResponse, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const result = await changeOwnPassword(app.store.db, actorOf(request), app.now(), {
        sessionId: me.sessionId,
        ...request.body,
      });
      if (result.kind === 'wrong-current-password') {
        throw new HttpError(
          403,
          'invalid_credentials',
          'currentPassword: the current password is incorrect.',
        );
      }
      if (result.kind === 'unchanged') {
        throw new HttpError(409, 'conflict', 'newPassword: must differ from the current password.');
      }
      app.loginCache.invalidateUser(me.userId);
      return meOf(result.user, me.csrfToken, me.twoFactorEnrolmentPending, request.id);
    },
  );
}
