import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { inClinicAs } from '../../app/context';
import { exportPatientFhir, FhirImportRejected, importFhirBundle } from '../../app/fhir';
import { CLINICAL_WRITE } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  bundleDto,
  importBundleSchema,
  importFailedDto,
  importResultDto,
  patientParams,
} from '../schemas/fhir';
import { EXPORT_ACCESS } from './exports';

export async function fhirRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/fhir/import',
    {
      config: { access: CLINICAL_WRITE },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['fhir'],
        summary:
          'Import Patients, MedicationStatements, PHQ-9/GAD-7 Observations (with item answers), AllergyIntolerances, Conditions and prior treatment trials from a FHIR R4 Bundle: all or nothing, with per-resource errors',
        body: importBundleSchema,
        response: { 200: importResultDto, 422: importFailedDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      try {
        return await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
          importFhirBundle(ctx, request.body),
        );
      } catch (e) {
        if (!(e instanceof FhirImportRejected)) throw e;
        return reply.code(422).send({ imported: false as const, issues: e.issues, skipped: e.skipped });
      }
    },
  );

  app.get(
    '/api/patients/:patientId/fhir',
    {
      config: { access: EXPORT_ACCESS },
      schema: {
        tags: ['fhir'],
        summary:
          "The patient's record as a FHIR R4 collection Bundle (Patient, Observation, QuestionnaireResponse, MedicationStatement, AllergyIntolerance, Condition, Encounter, MedicationAdministration, CarePlan)",
        params: patientParams,
        response: { 200: bundleDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const bundle = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        exportPatientFhir(ctx, {
          patientId: request.params.patientId,
          fhirBase: `${request.protocol}://${request.host}/fhir`,
        }),
      );
      return reply
        .header('content-type', 'application/fhir+json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(bundle as unknown as z.infer<typeof bundleDto>);
    },
  );
}
