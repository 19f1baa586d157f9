import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictError } from '../../store/errors';
import { emailSchema, passwordSchema, staffRoleSchema, userUpdateSchema } from '../../store/inputs';
import { revokeUserSessions } from '../../store/login-sessions';
import { generatePassword } from '../../store/passwords';
import { inClinic } from '../../store/tx';
import {
  countAdmins,
  createUser,
  getUserRow,
  unlockAccount,
  listUsers,
  setPassword,
  toUser,
  updateUser,
} from '../../store/users';
import { ADMIN_ONLY } from '../access';
import { audit, caller } from '../context';
import { errorResponses, toUserDto, userDto } from '../dto';

const userParams = z.object({ userId: z.uuid({ error: 'must be a user id (UUID)' }) });

const createBody = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: staffRoleSchema,
  /** Optional: without it a strong temporary password is generated and returned once. */
  password: passwordSchema.optional(),
});

export async function userRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  app.get(
    '/api/users',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: "The clinic's user accounts",
        response: { 200: z.object({ items: z.array(userDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      return { items: (await listUsers(db(), me.clinicId)).map(toUserDto) };
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: 'Create a user; they must change the password at first login',
        body: createBody,
        response: {
          201: z.object({ user: userDto, temporaryPassword: z.string().optional() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const generated = request.body.password ? undefined : generatePassword();
      const user = await inClinic(db(), me.clinicId, async (tx) => {
        const created = await createUser(
          tx,
          me.clinicId,
          { ...request.body, password: request.body.password ?? generated! },
          { mustChangePassword: true },
        );
        await audit(tx, request, {
          action: 'user.create',
          resourceType: 'user',
          resourceId: created.id,
          details: { role: created.role },
        });
        return created;
      });
      return reply
        .status(201)
        .send({ user: toUserDto(user), ...(generated ? { temporaryPassword: generated } : {}) });
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: "Change a user's name or role, or disable/enable the account",
        params: userParams,
        body: userUpdateSchema,
        response: { 200: userDto, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { userId } = request.params;
      const patch = request.body;
      const updated = await inClinic(db(), me.clinicId, async (tx) => {
        const current = toUser(await getUserRow(tx, me.clinicId, userId));
        const losesAdmin =
          current.role === 'admin' &&
          !current.disabled &&
          (patch.disabled === true || (patch.role && patch.role !== 'admin'));
        if (losesAdmin && (await countAdmins(tx, me.clinicId)) <= 1) {
          throw new ConflictError('role', 'the clinic must keep at least one active admin');
        }
        const updated = await updateUser(tx, me.clinicId, userId, patch);
        if (patch.disabled === true) await revokeUserSessions(tx, me.clinicId, userId, app.now());
        await audit(tx, request, {
          action: 'user.update',
          resourceType: 'user',
          resourceId: userId,
          details: { changedFields: Object.keys(patch) },
        });
        return toUserDto(updated);
      });
      // A role change or disabling applies to the user's very next request.
      app.loginCache.invalidateUser(userId);
      return updated;
    },
  );

  app.post(
    '/api/users/:userId/reset-password',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: 'Issue a new temporary password (shown once); the user must change it at next login',
        params: userParams,
        response: { 200: z.object({ temporaryPassword: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { userId } = request.params;
      const temporaryPassword = generatePassword();
      await inClinic(db(), me.clinicId, async (tx) => {
        await setPassword(tx, me.clinicId, userId, temporaryPassword, { mustChangePassword: true });
        await revokeUserSessions(tx, me.clinicId, userId, app.now());
        await audit(tx, request, {
          action: 'user.reset_password',
          resourceType: 'user',
          resourceId: userId,
        });
      });
      app.loginCache.invalidateUser(userId);
      return { temporaryPassword };
    },
  );

  app.post(
    '/api/users/:userId/unlock',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: 'Lift every login lock-out on the account (from any address) after failed attempts',
        params: userParams,
        response: { 200: z.object({ locksLifted: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { userId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const user = await getUserRow(tx, me.clinicId, userId);
        const locksLifted = await unlockAccount(tx, user.email);
        await audit(tx, request, {
          action: 'user.unlock',
          resourceType: 'user',
          resourceId: userId,
          details: { locksLifted },
        });
        return { locksLifted };
      });
    },
  );
}
