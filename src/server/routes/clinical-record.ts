/**
 * The clinical record over HTTP — allergies, the problem list, prior treatment trials and a
 * course's primary diagnosis: adapters over src/app/clinical-record.ts, which audits every read
 * and write. Clinicians read it (the front desk does not: minimum necessary); clinicians, nurses
 * included, record allergies; prescribers record diagnoses and trials.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inClinicAs, type UseCaseContext } from '../../app/context';
import {
  changeAllergy,
  changeDiagnosis,
  changeTreatmentTrial,
  chooseCoursePrimaryDiagnosis,
  readClinicalRecord,
  recordAllergy,
  recordDiagnosis,
  recordNoKnownAllergies,
  recordTreatmentTrial,
  type ClinicalRecord,
} from '../../app/clinical-record';
import type { AllergyRow, DiagnosisRow, TreatmentTrialRow } from '../../store/clinical-record';
import { CLINICAL_READ, CLINICAL_WRITE, PRESCRIBE } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  allergyCreateSchema,
  allergyDto,
  allergyParams,
  allergyUpdateSchema,
  clinicalRecordDto,
  coursePrimaryDiagnosisParams,
  coursePrimaryDiagnosisSchema,
  diagnosisCreateSchema,
  diagnosisDto,
  diagnosisParams,
  diagnosisUpdateSchema,
  noKnownAllergiesSchema,
  trialCreateSchema,
  trialDto,
  trialParams,
  trialUpdateSchema,
  type ClinicalRecordDto,
} from '../schemas/clinical-record';
import { patientParams } from '../schemas/patients';

const toAllergyDto = (a: AllergyRow): z.infer<typeof allergyDto> => ({
  id: a.id,
  patientId: a.patientId,
  substance: a.substance,
  substanceGeneric: a.substanceGeneric,
  substanceFreeText: a.substanceFreeText,
  reaction: a.reaction,
  severity: a.severity,
  source: a.source,
  status: a.status,
  statusReason: a.statusReason,
  notes: a.notes,
  version: a.version,
  recordedBy: a.createdBy,
  recordedAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

const toDiagnosisDto = (d: DiagnosisRow): z.infer<typeof diagnosisDto> => ({
  id: d.id,
  patientId: d.patientId,
  icd10cmCode: d.icd10cmCode,
  description: d.description,
  freeText: d.freeText,
  status: d.status,
  statusReason: d.statusReason,
  onsetDate: d.onsetDate,
  notes: d.notes,
  version: d.version,
  recordedBy: d.createdBy,
  recordedAt: d.createdAt.toISOString(),
});

const toTrialDto = (t: TreatmentTrialRow): z.infer<typeof trialDto> => ({
  id: t.id,
  patientId: t.patientId,
  drug: t.drug,
  doseMgPerDay: t.doseMgPerDay,
  durationWeeks: t.durationWeeks,
  adherence: t.adherence,
  response: t.response,
  reasonStopped: t.reasonStopped,
  currentEpisode: t.currentEpisode,
  adequateDose: t.adequateDose,
  adequateDuration: t.adequateDuration,
  startDate: t.startDate,
  notes: t.notes,
  status: t.status,
  statusReason: t.statusReason,
  version: t.version,
  recordedBy: t.createdBy,
  recordedAt: t.createdAt.toISOString(),
});

const toRecordDto = (r: ClinicalRecord): ClinicalRecordDto => ({
  allergyState: {
    kind: r.allergyState.kind,
    recordedBy: r.allergyState.kind === 'no-known-allergies' ? r.allergyState.recordedBy : null,
    recordedByName:
      r.allergyState.kind === 'no-known-allergies' ? (r.statement?.recordedByName ?? null) : null,
    recordedAt: r.allergyState.kind === 'no-known-allergies' ? r.allergyState.recordedAt.toISOString() : null,
    activeCount: r.allergyState.kind === 'list' ? r.allergyState.activeCount : 0,
  },
  allergies: r.allergies.map(toAllergyDto),
  diagnoses: r.diagnoses.map(toDiagnosisDto),
  trials: r.trials.map(toTrialDto),
  treatmentResistance: { ...r.treatmentResistance, definition: { ...r.treatmentResistance.definition } },
  courses: r.courses,
});

export async function clinicalRecordRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: Parameters<typeof actorOf>[0], fn: (ctx: UseCaseContext) => Promise<T>) =>
    inClinicAs(app.store.db, actorOf(request), app.now(), fn);
  const tags = ['clinical record'];

  app.get(
    '/api/patients/:patientId/clinical-record',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags,
        summary:
          'Allergies with the allergy state (unknown, no known allergies, list), the problem list, prior treatment trials with the treatment-resistance statement, and each course’s primary diagnosis',
        params: patientParams,
        response: { 200: clinicalRecordDto, ...errorResponses },
      },
    },
    async (request) =>
      toRecordDto(await run(request, (ctx) => readClinicalRecord(ctx, request.params.patientId))),
  );

  app.post(
    '/api/patients/:patientId/allergies',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary:
          'Record an allergy (the substance is matched to the drug dictionary, else flagged free text)',
        params: patientParams,
        body: allergyCreateSchema,
        response: { 201: allergyDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        recordAllergy(ctx, { patientId: request.params.patientId, allergy: request.body }),
      );
      return reply.status(201).send(toAllergyDto(row));
    },
  );

  app.patch(
    '/api/patients/:patientId/allergies/:allergyId',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary:
          'Change an allergy (status, reaction, severity…); the previous version is kept. Entered in error requires a reason',
        params: allergyParams,
        body: allergyUpdateSchema,
        response: { 200: allergyDto, ...errorResponses },
      },
    },
    async (request) =>
      toAllergyDto(
        await run(request, (ctx) => changeAllergy(ctx, { ...request.params, update: request.body })),
      ),
  );

  app.post(
    '/api/patients/:patientId/no-known-allergies',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags,
        summary: 'State "no known allergies" (who and when are recorded); refused while an allergy is active',
        params: patientParams,
        body: noKnownAllergiesSchema,
        response: { 201: z.object({ recordedBy: z.uuid(), recordedAt: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) => recordNoKnownAllergies(ctx, request.params.patientId));
      return reply.status(201).send({ recordedBy: row.recordedBy, recordedAt: row.recordedAt.toISOString() });
    },
  );

  app.post(
    '/api/patients/:patientId/diagnoses',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary:
          'Add a diagnosis to the problem list: an ICD-10-CM code of the clinic’s list, or free text (flagged)',
        params: patientParams,
        body: diagnosisCreateSchema,
        response: { 201: diagnosisDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        recordDiagnosis(ctx, { patientId: request.params.patientId, diagnosis: request.body }),
      );
      return reply.status(201).send(toDiagnosisDto(row));
    },
  );

  app.patch(
    '/api/patients/:patientId/diagnoses/:diagnosisId',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary:
          'Change a diagnosis (resolved, entered in error with a reason, onset, notes); the previous version is kept',
        params: diagnosisParams,
        body: diagnosisUpdateSchema,
        response: { 200: diagnosisDto, ...errorResponses },
      },
    },
    async (request) =>
      toDiagnosisDto(
        await run(request, (ctx) => changeDiagnosis(ctx, { ...request.params, update: request.body })),
      ),
  );

  app.post(
    '/api/patients/:patientId/treatment-trials',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary:
          'Record a prior treatment trial (drug, dose, duration, adherence, response, reason stopped, adequacy)',
        params: patientParams,
        body: trialCreateSchema,
        response: { 201: trialDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await run(request, (ctx) =>
        recordTreatmentTrial(ctx, { patientId: request.params.patientId, trial: request.body }),
      );
      return reply.status(201).send(toTrialDto(row));
    },
  );

  app.patch(
    '/api/patients/:patientId/treatment-trials/:trialId',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary:
          'Change a treatment trial (or mark it entered in error with a reason); the previous version is kept',
        params: trialParams,
        body: trialUpdateSchema,
        response: { 200: trialDto, ...errorResponses },
      },
    },
    async (request) =>
      toTrialDto(
        await run(request, (ctx) => changeTreatmentTrial(ctx, { ...request.params, update: request.body })),
      ),
  );

  app.put(
    '/api/patients/:patientId/courses/:courseId/primary-diagnosis',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags,
        summary: 'Set (or clear with null) the diagnosis a course treats, from the patient’s problem list',
        params: coursePrimaryDiagnosisParams,
        body: coursePrimaryDiagnosisSchema,
        response: {
          200: z.object({ courseId: z.uuid(), primaryDiagnosisId: z.uuid().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      run(request, (ctx) =>
        chooseCoursePrimaryDiagnosis(ctx, {
          patientId: request.params.patientId,
          courseId: request.params.courseId,
          choice: request.body,
        }),
      ),
  );
}
