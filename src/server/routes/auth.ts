import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { passwordSchema } from '../../store/inputs';
import { createLoginSession, revokeLoginSession, revokeUserSessions } from '../../store/login-sessions';
import { decoyPasswordHash, verifyPassword } from '../../store/passwords';
import { inClinic } from '../../store/tx';
import {
  findUserByEmail,
  getUserRow,
  clearFailedLogins,
  recordFailedLogin,
  throttledUntil,
  throttleKeys,
  setPassword,
  toUser,
} from '../../store/users';
import { CAPABILITIES, capabilitiesOf, PUBLIC } from '../access';
import { audit, caller } from '../context';
import { errorResponses, toUserDto, userDto } from '../dto';
import { HttpError } from '../http-errors';
import { cookieOptions, SESSION_COOKIE } from '../plugins/auth';

const loginBody = z.object({
  email: z.string().trim().min(1, 'must not be empty').max(254),
  password: z.string().min(1, 'must not be empty').max(256),
});

const meResponse = z.object({
  user: userDto,
  csrfToken: z.string(),
  /** What the caller may do, under the same access rules the routes enforce. */
  capabilities: z.array(z.enum(CAPABILITIES)),
});

export async function authRoutes(
  fastify: FastifyInstance,
  opts: { loginRateLimitPerMinute: number },
): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

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
      const now = app.now();
      const { email, password } = request.body;
      // Known and unknown emails take the same path and the same answers: a lock-out is counted per
      // email and client address, so neither the status nor the work done tells whether an account
      // exists, and nobody elsewhere can lock a clinician out.
      const keys = throttleKeys(email, request.ip);
      const lockedUntil = await throttledUntil(app.store.db, keys.subjectHash, now);
      const row = await findUserByEmail(app.store.db, email);
      if (lockedUntil) {
        const seconds = Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000);
        if (row) {
          await audit(app.store.db, request, {
            clinicId: row.clinicId,
            userId: row.id,
            actorRole: row.role,
            action: 'auth.login',
            resourceType: 'user',
            resourceId: row.id,
            outcome: 'denied',
            details: { reason: 'locked' },
          });
        }
        reply.header('retry-after', String(seconds));
        throw new HttpError(
          423,
          'locked',
          `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        );
      }
      const ok = row
        ? await verifyPassword(row.passwordHash, password)
        : // Same work as a real check, so response time does not reveal whether the email exists.
          await verifyPassword(await decoyPasswordHash(), password).then(() => false);
      if (!row || !ok || row.disabled) {
        if (!ok) await recordFailedLogin(app.store.db, keys, now);
        if (row) {
          await audit(app.store.db, request, {
            clinicId: row.clinicId,
            userId: row.id,
            actorRole: row.role,
            action: 'auth.login',
            resourceType: 'user',
            resourceId: row.id,
            outcome: 'denied',
            details: { reason: ok ? 'disabled' : 'bad_password' },
          });
        }
        throw new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');
      }
      await clearFailedLogins(app.store.db, keys.subjectHash);
      const session = await inClinic(app.store.db, row.clinicId, async (tx) => {
        const created = await createLoginSession(tx, row, now);
        await audit(tx, request, {
          clinicId: row.clinicId,
          userId: row.id,
          actorRole: row.role,
          action: 'auth.login',
          resourceType: 'user',
          resourceId: row.id,
        });
        return created;
      });
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(request, app.cookieSecure));
      return {
        user: toUserDto(toUser(row)),
        csrfToken: session.csrfToken,
        capabilities: capabilitiesOf(app.routeTable, row.role),
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
      await inClinic(app.store.db, me.clinicId, async (tx) => {
        await revokeLoginSession(tx, me.clinicId, me.sessionId, app.now());
        await audit(tx, request, {
          action: 'auth.logout',
          resourceType: 'user',
          resourceId: me.userId,
        });
      });
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
      const me = caller(request);
      const row = await getUserRow(app.store.db, me.clinicId, me.userId);
      return {
        user: toUserDto(toUser(row)),
        csrfToken: me.csrfToken,
        capabilities: capabilitiesOf(app.routeTable, row.role),
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
        body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }),
        response: { 200: meResponse, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { currentPassword, newPassword } = request.body;
      const row = await getUserRow(app.store.db, me.clinicId, me.userId);
      if (!(await verifyPassword(row.passwordHash, currentPassword))) {
        throw new HttpError(
          403,
          'invalid_credentials',
          'currentPassword: the current password is incorrect.',
        );
      }
      if (currentPassword === newPassword) {
        throw new HttpError(409, 'conflict', 'newPassword: must differ from the current password.');
      }
      const updated = await inClinic(app.store.db, me.clinicId, async (tx) => {
        await setPassword(tx, me.clinicId, me.userId, newPassword, { mustChangePassword: false });
        // Other sessions of this user end: whoever knew the old password is logged out.
        await revokeUserSessions(tx, me.clinicId, me.userId, app.now(), me.sessionId);
        await audit(tx, request, {
          action: 'auth.password_change',
          resourceType: 'user',
          resourceId: me.userId,
        });
        return getUserRow(tx, me.clinicId, me.userId);
      });
      app.loginCache.invalidateUser(me.userId);
      return {
        user: toUserDto(toUser(updated)),
        csrfToken: me.csrfToken,
        capabilities: capabilitiesOf(app.routeTable, updated.role),
      };
    },
  );
}
