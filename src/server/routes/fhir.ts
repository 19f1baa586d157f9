import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { patientBundle, type FhirCourseInput } from '../../interop/fhir/patient-bundle';
import { zonedToUtc } from '../../store/assessments';
import { listCourses } from '../../store/courses';
import { listMedications } from '../../store/medications';
import { exportScores, exportSessions } from '../../store/outcomes';
import { getPatient } from '../../store/patients';
import { listTaperPlans } from '../../store/tapers';
import { inClinic } from '../../store/tx';
import { getClinic } from '../../store/users';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';
import { EXPORT_ACCESS } from './exports';

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });

/** Outline of the Bundle for the OpenAPI document; the full resources pass through unchanged. */
const bundleDto = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  timestamp: z.string().optional(),
  entry: z
    .array(
      z.looseObject({
        fullUrl: z.string().optional(),
        resource: z.looseObject({ resourceType: z.string() }).optional(),
      }),
    )
    .optional(),
});

export async function fhirRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/patients/:patientId/fhir',
    {
      config: { access: EXPORT_ACCESS },
      schema: {
        tags: ['fhir'],
        summary:
          "The patient's record as a FHIR R4 collection Bundle (Patient, Observation, QuestionnaireResponse, MedicationStatement, Encounter, MedicationAdministration, CarePlan)",
        params: patientParams,
        response: { 200: bundleDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId } = request.params;
      const now = new Date();
      const bundle = await inClinic(app.store.db, me.clinicId, async (tx) => {
        const patient = await getPatient(tx, me.clinicId, patientId);
        const clinic = await getClinic(tx, me.clinicId);
        const [medications, scores, courseRows, sessions, tapers] = [
          await listMedications(tx, me.clinicId, patientId),
          await exportScores(tx, me.clinicId, { patientId, withItems: true }),
          await listCourses(tx, me.clinicId, patientId),
          await exportSessions(tx, me.clinicId, { patientId }),
          await listTaperPlans(tx, me.clinicId, patientId),
        ];
        const courses: FhirCourseInput[] = [...courseRows].reverse().map((c) => ({
          id: c.id,
          templateKey: c.templateKey,
          modality: c.modality,
          startDate: c.startDate,
          sessions: sessions
            .filter((s) => s.courseId === c.id)
            .sort((a, b) => a.sequence - b.sequence)
            .map((s) => ({
              ...s,
              scheduledStart: zonedToUtc(s.date, s.startMin, clinic.timeZone),
              scheduledEnd: zonedToUtc(s.date, s.endMin, clinic.timeZone),
            })),
        }));
        const out = patientBundle({
          patient,
          medications,
          scores,
          courses,
          tapers: tapers.map((t) => ({
            id: t.plan.id,
            drug: t.plan.drug,
            status: t.plan.status,
            createdAt: t.plan.createdAt,
          })),
          generatedAt: now,
          fhirBase: `${request.protocol}://${request.host}/fhir`,
        });
        await audit(tx, request, {
          action: 'patient.fhir_export',
          resourceType: 'patient',
          resourceId: patientId,
          details: { resources: out.entry?.length ?? 0 },
        });
        return out;
      });
      return reply
        .header('content-type', 'application/fhir+json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(bundle as unknown as z.infer<typeof bundleDto>);
    },
  );
}
