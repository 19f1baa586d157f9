import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeOwnPassword, currentUser, login, logout } from '../../app/auth';
import { clinicDay } from '../../app/clinic-day';
import { inClinicAs, type Actor } from '../../app/context';
import { CAPABILITIES, capabilitiesOf, PUBLIC } from '../access';
import { actorOf, caller } from '../context';
import { errorResponses, toUserDto } from '../dto';
import { HttpError } from '../http-errors';
import { cookieOptions, SESSION_COOKIE } from '../plugins/auth';
import { loginBody, meResponse as meBody, passwordChangeBody } from '../schemas/auth';

/** The caller with what they may do, under the same access rules the routes enforce. */
const meResponse = meBody.extend({
  capabilities: z.array(z.enum(CAPABILITIES)),
  /** The clinic's own calendar: its time zone and today's date there (what "today" means in forms). */
  clinic: z.object({ timeZone: z.string(), today: z.string() }),
});

export async function authRoutes(
  fastify: FastifyInstance,
  opts: { loginRateLimitPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const clinicOf = async (actor: Actor) => {
    const { today, timeZone } = await inClinicAs(app.store.db, actor, app.now(), clinicDay);
    return { today, timeZone };
  };

  app.post(
    '/api/auth/login',
    {
      config: {
        access: PUBLIC,
        rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token',
        body: loginBody,
        response: { 200: meResponse, ...errorResponses, 423: errorResponses[401], 429: errorResponses[401] },
      },
    },
    async (request, reply) => {
      const result = await login(app.store.db, {
        ...request.body,
        clientAddress: request.ip,
        requestId: request.id,
        now: app.now(),
      });
      if (result.kind === 'locked') {
        const seconds = result.retryAfterSeconds;
        reply.header('retry-after', String(seconds));
        throw new HttpError(
          423,
          'locked',
          `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        );
      }
      if (result.kind === 'invalid') {
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');
      }
      reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request, app.cookieSecure));
      return {
        user: toUserDto(result.user),
        csrfToken: result.csrfToken,
        capabilities: capabilitiesOf(app.routeTable, result.user.role, result.user.clinicalLead),
        clinic: await clinicOf({
          clinicId: result.user.clinicId,
          userId: result.user.id,
          role: result.user.role,
          requestId: request.id,
        }),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { kind: 'authenticated', allowPasswordChangePending: true } },
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
      config: { access: { kind: 'authenticated', allowPasswordChangePending: true } },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user and the CSRF token',
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const user = await currentUser(app.store.db, actorOf(request));
      return {
        user: toUserDto(user),
        csrfToken: caller(request).csrfToken,
        capabilities: capabilitiesOf(app.routeTable, user.role, user.clinicalLead),
        clinic: await clinicOf(actorOf(request)),
      };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: { kind: 'authenticated', allowPasswordChangePending: true } },
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
      return {
        user: toUserDto(result.user),
        csrfToken: me.csrfToken,
        capabilities: capabilitiesOf(app.routeTable, result.user.role, result.user.clinicalLead),
        clinic: await clinicOf(actorOf(request)),
      };
    },
  );
}
