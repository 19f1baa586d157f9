import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clinicIdentity, clinicOverview, updateClinicIdentity } from '../../app/clinic';
import { loadDemoClinic } from '../../demo/load';
import { inClinicAs } from '../../app/context';
import { securitySettings, updateSecuritySettings } from '../../app/two-factor';
import { securitySettingsBody } from '../schemas/auth';
import { ADMIN_ONLY, ANY_STAFF } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  clinicIdentityResponse,
  clinicIdentitySchema,
  clinicOverviewResponse,
  demoSummaryResponse,
} from '../schemas/clinic';

export async function clinicRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/clinic',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['clinic'],
        summary: "The caller's clinic and what its start page needs",
        response: { 200: clinicOverviewResponse, ...errorResponses },
      },
    },
    async (request) => inClinicAs(app.store.db, actorOf(request), app.now(), clinicOverview),
  );

  app.get(
    '/api/clinic/identity',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['clinic'],
        summary: "The clinic's name, address, phone, time zone and today's date there",
        response: { 200: clinicIdentityResponse, ...errorResponses },
      },
    },
    async (request) => inClinicAs(app.store.db, actorOf(request), app.now(), clinicIdentity),
  );

  app.put(
    '/api/clinic/identity',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary:
          "Change the clinic's name, address, phone and IANA time zone (stored times keep their instant)",
        body: clinicIdentitySchema,
        response: { 200: clinicIdentityResponse, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const view = await inClinicAs(app.store.db, actor, app.now(), (ctx) =>
        updateClinicIdentity(ctx, request.body),
      );
      // Committed: this server's cached sessions carry the old time zone (others hear of it from the database).
      app.loginCache.invalidateClinic(actor.clinicId);
      return view;
    },
  );

  app.post(
    '/api/clinic/demo',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary:
          'Load the synthetic demo into this (empty) clinic: demo staff, patients, courses, sessions, assessments',
        response: { 201: demoSummaryResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const summary = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        loadDemoClinic(ctx),
      );
      return reply.status(201).send(summary);
    },
  );

  app.get(
    '/api/clinic/security',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary: 'Which staff roles must sign in with an authenticator app (default: prescribers and admins)',
        response: { 200: securitySettingsBody, ...errorResponses },
      },
    },
    async (request) => inClinicAs(app.store.db, actorOf(request), app.now(), securitySettings),
  );

  app.put(
    '/api/clinic/security',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['clinic'],
        summary: 'Change which staff roles must sign in with an authenticator app (from their next sign-in)',
        body: securitySettingsBody,
        response: { 200: securitySettingsBody, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        updateSecuritySettings(ctx, request.body),
      ),
  );
}
