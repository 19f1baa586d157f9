import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getInstrument } from '../../clinical/instruments';
import { planImport, type ImportIssue } from '../../interop/fhir/import';
import { patientBundle } from '../../interop/fhir/patient-bundle';
import { recordAssessment } from '../../app/assessments';
import { ConflictError } from '../../store/errors';
import { medicationCreateSchema, patientCreateSchema } from '../schemas/patients';
import { addMedication } from '../../store/medications';
import { createPatient } from '../../store/patients';
import { inClinic } from '../../store/tx';
import { loadPatientRecord } from '../../store/patient-record';
import { CLINICAL_WRITE } from '../access';
import { actorOf, audit, caller } from '../context';
import { errorResponses } from '../dto';
import { EXPORT_ACCESS } from './exports';
import { localDate } from './courses';
import { getClinic } from '../../store/users';
import { assertDateOfBirthNotFuture } from '../../clinical/patient';
import { ClinicalInputError } from '../../clinical/errors';

/** The core's refusal of a future date of birth, as an import issue message (null when fine). */
function futureDateOfBirth(dateOfBirth: string, today: string): string | null {
  try {
    assertDateOfBirthNotFuture(dateOfBirth, today);
    return null;
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.message;
    throw e;
  }
}

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

const issueDto = z.object({
  entry: z.int(),
  resourceType: z.string(),
  path: z.string(),
  message: z.string(),
});
const skippedDto = z.object({ entry: z.int(), resourceType: z.string(), reason: z.string() });
const importResultDto = z.object({
  imported: z.literal(true),
  patients: z.array(z.object({ entry: z.int(), id: z.string() })),
  medications: z.int(),
  assessments: z.int(),
  skipped: z.array(skippedDto),
});
const importFailedDto = z.object({
  imported: z.literal(false),
  issues: z.array(issueDto),
  skipped: z.array(skippedDto),
});

/** Thrown inside the import transaction to roll everything back and report the resource. */
class ImportRejected extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
  }
}

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
          'Import Patients, MedicationStatements and PHQ-9/GAD-7 Observations (with item answers) from a FHIR R4 Bundle: all or nothing, with per-resource errors',
        body: z.looseObject({
          resourceType: z.literal('Bundle'),
          entry: z.array(z.unknown()).max(5000).optional(),
        }),
        response: { 200: importResultDto, 422: importFailedDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const plan = planImport(request.body);
      const issues: ImportIssue[] = [...plan.issues];
      const today = await inClinic(app.store.db, me.clinicId, async (tx) =>
        localDate(app.now(), (await getClinic(tx, me.clinicId)).timeZone),
      );
      const patientInputs = new Map<number, ReturnType<typeof patientCreateSchema.parse>>();
      for (const p of plan.patients) {
        const r = patientCreateSchema.safeParse(p.input);
        const dobProblem = r.success ? futureDateOfBirth(r.data.dateOfBirth, today) : null;
        if (dobProblem) {
          issues.push({ entry: p.entry, resourceType: 'Patient', path: 'birthDate', message: dobProblem });
        } else if (r.success) patientInputs.set(p.entry, r.data);
        else
          for (const e of r.error.issues)
            issues.push({
              entry: p.entry,
              resourceType: 'Patient',
              path: e.path.join('.'),
              message: e.message,
            });
      }
      const medInputs = plan.medications.map((m) => ({ m, r: medicationCreateSchema.safeParse(m.input) }));
      for (const { m, r } of medInputs) {
        if (!r.success)
          for (const e of r.error.issues)
            issues.push({
              entry: m.entry,
              resourceType: 'MedicationStatement',
              path: e.path.join('.'),
              message: e.message,
            });
      }
      const fail = (list: ImportIssue[]) =>
        reply.code(422).send({
          imported: false as const,
          issues: list.sort((a, b) => a.entry - b.entry),
          skipped: plan.skipped,
        });
      if (issues.length > 0) return fail(issues);
      try {
        const result = await inClinic(app.store.db, me.clinicId, async (tx) => {
          const ids = new Map<number, string>();
          for (const [entry, input] of patientInputs) {
            try {
              ids.set(entry, (await createPatient(tx, me.clinicId, input, today)).id);
            } catch (e) {
              if (e instanceof ConflictError) {
                throw new ImportRejected({
                  entry,
                  resourceType: 'Patient',
                  path: 'identifier',
                  message: e.message,
                });
              }
              throw e;
            }
          }
          for (const { m, r } of medInputs) {
            await addMedication(tx, me.clinicId, ids.get(m.patientEntry)!, r.data!, me.userId);
          }
          for (const a of plan.assessments) {
            await recordAssessment(
              { tx, actor: actorOf(request), now: app.now() },
              {
                patientId: ids.get(a.patientEntry)!,
                response: {
                  instrument: a.instrument,
                  version: getInstrument(a.instrument).version,
                  context: 'ad-hoc',
                  administeredAt: new Date(a.administeredAt),
                  answers: a.answers,
                },
                author: { kind: 'user', userId: me.userId },
              },
            );
          }
          await audit(tx, request, {
            action: 'fhir.import',
            resourceType: 'patient',
            details: {
              patients: ids.size,
              medications: medInputs.length,
              assessments: plan.assessments.length,
            },
          });
          return {
            imported: true as const,
            patients: [...ids].map(([entry, id]) => ({ entry, id })),
            medications: medInputs.length,
            assessments: plan.assessments.length,
            skipped: plan.skipped,
          };
        });
        return result;
      } catch (e) {
        if (e instanceof ImportRejected) return fail([e.issue]);
        throw e;
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
        const record = await loadPatientRecord(tx, me.clinicId, patientId);
        const out = patientBundle({
          ...record,
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
