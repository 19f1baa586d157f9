/** The patient banner over HTTP: an adapter over src/app/banner.ts (one audited read, clinicians). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { patientBanner } from '../../app/banner';
import { inClinicAs } from '../../app/context';
import { CLINICAL_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { patientBannerDto } from '../schemas/banner';
import { patientParams } from '../schemas/patients';

export async function bannerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/patients/:patientId/banner',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['patients'],
        summary:
          'The patient banner: name, date of birth and age, allergies, latest weight, active course and session n of N, last PHQ-9 and its direction, open suicide-risk flag, REMS enrolment',
        params: patientParams,
        response: { 200: patientBannerDto, ...errorResponses },
      },
    },
    async (request) => {
      const b = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        patientBanner(ctx, request.params.patientId),
      );
      return {
        ...b,
        suicideRisk: b.suicideRisk
          ? { ...b.suicideRisk, latestAt: b.suicideRisk.latestAt.toISOString() }
          : null,
      };
    },
  );
}
