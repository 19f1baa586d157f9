/**
 * Patients, their weight and height history and their medication list over HTTP: adapters over the
 * use cases in src/app/{patients,measurements,medications}.ts, which audit every read and write.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldsInBody } from '../body-fields';
import { inClinicAs, type UseCaseContext } from '../../app/context';
import {
  bodyMeasurementHistory,
  markMeasurementEnteredInError,
  recordBodyMeasurement,
  withBmi as pairBmi,
  type BodyMeasurement,
  type MeasurementWithBmi,
} from '../../app/measurements';
import {
  changeMedication,
  markMedicationInError,
  medicationList,
  recordMedication,
} from '../../app/medications';
import { changePatient, findPatients, readPatient, registerPatient } from '../../app/patients';
import { CLINICAL_READ, CLINICAL_WRITE, PATIENT_READ, PATIENT_WRITE } from '../access';
import { actorOf } from '../context';
import {
  bodyMeasurementDto,
  bodyMeasurementHistoryDto,
  confirmableErrorResponses,
  errorResponses,
  medicationDto,
  patientDto,
  toBodyMeasurementDto,
  toMedicationDto,
  toPatientDto,
  type BodyMeasurementDto,
} from '../dto';
import {
  bodyMeasurementCreateSchema,
  enteredInErrorSchema,
  measurementParams,
  medicationCreateSchema,
  medicationParams,
  medicationUpdateSchema,
  patientCreateSchema,
  patientListQuery,
  patientParams,
  patientUpdateSchema,
} from '../schemas/patients';

const toMeasurementDto = (m: MeasurementWithBmi): BodyMeasurementDto =>
  toBodyMeasurementDto(m.measurement, m.bmi);

/** Weights paired with the latest earlier height, as response rows (the rule is the use case's). */
export function withBmi(measurements: BodyMeasurement[]): BodyMeasurementDto[] {
  return pairBmi(measurements).map(toMeasurementDto);
}

/** The date of birth is a body field: its refusal names it as the request schema would. */
function dateOfBirthInBody<T>(fn: () => Promise<T>): Promise<T> {
  return fieldsInBody(['dateOfBirth'], fn);
}

export async function patientRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const run = <T>(request: Parameters<typeof actorOf>[0], fn: (ctx: UseCaseContext) => Promise<T>) =>
    inClinicAs(app.store.db, actorOf(request), app.now(), fn);

  app.get(
    '/api/patients',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['patients'],
        summary: 'List patients, searching by name or MRN (prefix, case-insensitive), paginated',
        querystring: patientListQuery,
        response: {
          200: z.object({ items: z.array(patientDto), total: z.int(), limit: z.int(), offset: z.int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await run(request, (ctx) => findPatients(ctx, request.query));
      return { items: page.items.map(toPatientDto), total: page.total, limit, offset };
    },
  );

  app.post(
    '/api/patients',
    {
      config: { access: PATIENT_WRITE },
      schema: {
        tags: ['patients'],
        summary: 'Register a patient',
        body: patientCreateSchema,
        response: { 201: patientDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const patient = await dateOfBirthInBody(() =>
        run(request, (ctx) => registerPatient(ctx, request.body)),
      );
      return reply.status(201).send(toPatientDto(patient));
    },
  );

  app.get(
    '/api/patients/:patientId',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['patients'],
        summary: 'Read a patient',
        params: patientParams,
        response: { 200: patientDto, ...errorResponses },
      },
    },
    async (request) => toPatientDto(await run(request, (ctx) => readPatient(ctx, request.params.patientId))),
  );

  app.patch(
    '/api/patients/:patientId',
    {
      config: { access: PATIENT_WRITE },
      schema: {
        tags: ['patients'],
        summary: 'Update a patient (the previous version is kept; send `version` to refuse stale edits)',
        params: patientParams,
        body: patientUpdateSchema,
        response: { 200: patientDto, ...errorResponses },
      },
    },
    async (request) => {
      const patient = await dateOfBirthInBody(() =>
        run(request, (ctx) =>
          changePatient(ctx, { patientId: request.params.patientId, update: request.body }),
        ),
      );
      return toPatientDto(patient);
    },
  );

  app.get(
    '/api/patients/:patientId/body-measurements',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['patients'],
        summary:
          "A patient's weight and height history, oldest first, with BMI; entries marked entered in error are included with their status",
        params: patientParams,
        response: { 200: bodyMeasurementHistoryDto, ...errorResponses },
      },
    },
    async (request) => {
      const { items, latest } = await run(request, (ctx) =>
        bodyMeasurementHistory(ctx, request.params.patientId),
      );
      return {
        items: items.map(toMeasurementDto),
        latest: { ...latest, weighedAt: latest.weighedAt?.toISOString() ?? null },
      };
    },
  );

  app.post(
    '/api/patients/:patientId/body-measurements',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['patients'],
        summary: 'Record a weight and/or height',
        params: patientParams,
        body: bodyMeasurementCreateSchema,
        response: { 201: bodyMeasurementDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await fieldsInBody(['measuredAt'], () =>
        run(request, (ctx) =>
          recordBodyMeasurement(ctx, { patientId: request.params.patientId, measurement: request.body }),
        ),
      );
      return reply.status(201).send(toMeasurementDto(created));
    },
  );

  app.post(
    '/api/patients/:patientId/body-measurements/:measurementId/entered-in-error',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['patients'],
        summary:
          'Mark a weight/height entered in error (a new version with the reason; it no longer counts as the latest or drives doses)',
        params: measurementParams,
        body: enteredInErrorSchema,
        response: { 200: bodyMeasurementDto, ...errorResponses },
      },
    },
    async (request) => {
      const row = await run(request, (ctx) =>
        markMeasurementEnteredInError(ctx, { ...request.params, reason: request.body.reason }),
      );
      return toBodyMeasurementDto(row, null);
    },
  );

  app.get(
    '/api/patients/:patientId/medications',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['patients'],
        summary: "A patient's medication list, including entries marked entered in error (with their status)",
        params: patientParams,
        response: { 200: z.object({ items: z.array(medicationDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await run(request, (ctx) => medicationList(ctx, request.params.patientId));
      return { items: rows.map(toMedicationDto) };
    },
  );

  app.post(
    '/api/patients/:patientId/medications',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['patients'],
        summary:
          'Add a medication to the list (a dose above the labelled maximum answers 422 until confirmAboveMaximum is sent)',
        params: patientParams,
        body: medicationCreateSchema,
        response: { 201: medicationDto, ...confirmableErrorResponses },
      },
    },
    async (request, reply) => {
      const med = await run(request, (ctx) =>
        recordMedication(ctx, { patientId: request.params.patientId, medication: request.body }),
      );
      return reply.status(201).send(toMedicationDto(med));
    },
  );

  app.patch(
    '/api/patients/:patientId/medications/:medicationId',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['patients'],
        summary:
          'Change a medication (dose, stop date…); the previous version is kept. Stopping requires a reason; a dose above the labelled maximum requires confirmAboveMaximum',
        params: medicationParams,
        body: medicationUpdateSchema,
        response: { 200: medicationDto, ...confirmableErrorResponses },
      },
    },
    async (request) => {
      const medication = await run(request, (ctx) =>
        changeMedication(ctx, { ...request.params, update: request.body }),
      );
      return toMedicationDto(medication);
    },
  );

  app.post(
    '/api/patients/:patientId/medications/:medicationId/entered-in-error',
    {
      config: { access: CLINICAL_WRITE },
      schema: {
        tags: ['patients'],
        summary:
          'Mark a medication entered in error (a new version with the reason; it no longer counts in flags, REMS or exports)',
        params: medicationParams,
        body: enteredInErrorSchema,
        response: { 200: medicationDto, ...errorResponses },
      },
    },
    async (request) => {
      const medication = await run(request, (ctx) =>
        markMedicationInError(ctx, { ...request.params, enteredInError: request.body }),
      );
      return toMedicationDto(medication);
    },
  );
}
