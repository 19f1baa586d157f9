import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inClinicAs } from '../../app/context';
import {
  createClinicUser,
  listClinicUsers,
  resetUserPassword,
  unlockUser,
  updateClinicUser,
} from '../../app/users';
import { resetTwoFactor } from '../../app/two-factor';
import { ADMIN_ONLY } from '../access';
import { actorOf } from '../context';
import { errorResponses, toUserDto } from '../dto';
import {
  temporaryPasswordResponse,
  unlockResponse,
  userCreateBody,
  userCreatedResponse,
  userDto,
  userParams,
  userUpdateSchema,
} from '../schemas/users';

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
      const users = await inClinicAs(db(), actorOf(request), app.now(), listClinicUsers);
      return { items: users.map(toUserDto) };
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary: 'Create a user; they must change the password at first login',
        body: userCreateBody,
        response: { 201: userCreatedResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, temporaryPassword } = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        createClinicUser(ctx, request.body),
      );
      return reply
        .status(201)
        .send({ user: toUserDto(user), ...(temporaryPassword ? { temporaryPassword } : {}) });
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
      const { userId } = request.params;
      const updated = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        updateClinicUser(ctx, { userId, patch: request.body }),
      );
      // A role change or disabling applies to the user's very next request.
      app.loginCache.invalidateUser(userId);
      return toUserDto(updated);
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
        response: { 200: temporaryPasswordResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const result = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        resetUserPassword(ctx, { userId }),
      );
      app.loginCache.invalidateUser(userId);
      return result;
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
        response: { 200: unlockResponse, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        unlockUser(ctx, { userId: request.params.userId }),
      ),
  );

  app.post(
    '/api/users/:userId/reset-two-factor',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['users'],
        summary:
          "Remove the user's authenticator and recovery codes (a lost phone); their sessions end and they set it up again",
        params: userParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      await inClinicAs(db(), actorOf(request), app.now(), (ctx) => resetTwoFactor(ctx, { userId }));
      app.loginCache.invalidateUser(userId);
      return reply.status(204).send(null);
    },
  );
}
