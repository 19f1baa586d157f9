import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDateOf } from '../../clinical/calendar';
import { bmi } from '../../clinical/body';
import { assertDateOfBirthNotFuture } from '../../clinical/patient';
import {
  addBodyMeasurement,
  listBodyMeasurements,
  markBodyMeasurementEnteredInError,
  type BodyMeasurement,
} from '../../store/body-measurements';
import {
  bodyMeasurementCreateSchema,
  enteredInErrorSchema,
  medicationCreateSchema,
  medicationUpdateSchema,
  patientCreateSchema,
  patientUpdateSchema,
} from '../../store/inputs';
import {
  addMedication,
  listMedications,
  markMedicationEnteredInError,
  updateMedication,
} from '../../store/medications';
import { createPatient, getPatient, listPatients, updatePatient } from '../../store/patients';
import { inClinic, type Tx } from '../../store/tx';
import { getClinic } from '../../store/users';
import { CLINICAL_WRITE, PATIENT_READ, PATIENT_WRITE } from '../access';
import { audit, caller } from '../context';
import {
  bodyMeasurementDto,
  confirmableErrorResponses,
  errorResponses,
  medicationDto,
  patientDto,
  toBodyMeasurementDto,
  toMedicationDto,
  toPatientDto,
  type BodyMeasurementDto,
} from '../dto';

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const medicationParams = patientParams.extend({
  medicationId: z.uuid({ error: 'must be a medication id (UUID)' }),
});
const measurementParams = patientParams.extend({
  measurementId: z.uuid({ error: 'must be a measurement id (UUID)' }),
});

/**
 * Pairs each weight with the latest height measured at or before it (heights change rarely).
 * Entries marked entered in error get no BMI and lend no height.
 */
export function withBmi(measurements: BodyMeasurement[]): BodyMeasurementDto[] {
  let lastHeightCm: number | null = null;
  return measurements.map((m) => {
    if (m.status !== 'active') return toBodyMeasurementDto(m, null);
    if (m.heightCm !== null) lastHeightCm = m.heightCm;
    const value = m.weightKg !== null && lastHeightCm !== null ? bmi(m.weightKg, lastHeightCm) : null;
    return toBodyMeasurementDto(m, value === null ? null : Math.round(value * 10) / 10);
  });
}

export async function patientRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;
  /** The clinic's local calendar date now (a date of birth after it is refused). */
  const clinicToday = async (tx: Tx, clinicId: string) =>
    localDateOf(app.now(), (await getClinic(tx, clinicId)).timeZone);

  app.get(
    '/api/patients',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['patients'],
        summary: 'List patients, searching by name or MRN (prefix, case-insensitive), paginated',
        querystring: z.object({
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({ items: z.array(patientDto), total: z.int(), limit: z.int(), offset: z.int() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const { q, limit, offset } = request.query;
      return inClinic(db(), me.clinicId, async (tx) => {
        const page = await listPatients(tx, me.clinicId, { q, limit, offset });
        await audit(tx, request, {
          action: 'patient.list',
          resourceType: 'patient',
          details: { search: Boolean(q?.trim()), returned: page.items.length, offset },
        });
        return { items: page.items.map(toPatientDto), total: page.total, limit, offset };
      });
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
      const me = caller(request);
      const patient = await inClinic(db(), me.clinicId, async (tx) => {
        const today = await clinicToday(tx, me.clinicId);
        assertDateOfBirthNotFuture(request.body.dateOfBirth, today, 'body.dateOfBirth');
        const created = await createPatient(tx, me.clinicId, request.body, today);
        await audit(tx, request, {
          action: 'patient.create',
          resourceType: 'patient',
          resourceId: created.id,
        });
        return created;
      });
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
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const patient = await getPatient(tx, me.clinicId, patientId);
        await audit(tx, request, { action: 'patient.read', resourceType: 'patient', resourceId: patientId });
        return toPatientDto(patient);
      });
    },
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
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const today = await clinicToday(tx, me.clinicId);
        if (request.body.dateOfBirth !== undefined) {
          assertDateOfBirthNotFuture(request.body.dateOfBirth, today, 'body.dateOfBirth');
        }
        const { patient, changedFields } = await updatePatient(
          tx,
          me.clinicId,
          patientId,
          request.body,
          me.userId,
          today,
        );
        await audit(tx, request, {
          action: 'patient.update',
          resourceType: 'patient',
          resourceId: patientId,
          details: { changedFields },
        });
        return toPatientDto(patient);
      });
    },
  );

  app.get(
    '/api/patients/:patientId/body-measurements',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['patients'],
        summary:
          "A patient's weight and height history, oldest first, with BMI; entries marked entered in error are included with their status",
        params: patientParams,
        response: { 200: z.object({ items: z.array(bodyMeasurementDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listBodyMeasurements(tx, me.clinicId, patientId, { includeEnteredInError: true });
        await audit(tx, request, {
          action: 'body_measurement.list',
          resourceType: 'patient',
          resourceId: patientId,
        });
        return { items: withBmi(rows) };
      });
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
      const me = caller(request);
      const { patientId } = request.params;
      const dto = await inClinic(db(), me.clinicId, async (tx) => {
        const created = await addBodyMeasurement(
          tx,
          me.clinicId,
          patientId,
          request.body,
          me.userId,
          app.now(),
        );
        await audit(tx, request, {
          action: 'body_measurement.create',
          resourceType: 'body_measurement',
          resourceId: created.id,
          details: { patientId },
        });
        const all = withBmi(await listBodyMeasurements(tx, me.clinicId, patientId));
        return all.find((m) => m.id === created.id)!;
      });
      return reply.status(201).send(dto);
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
      const me = caller(request);
      const { patientId, measurementId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const row = await markBodyMeasurementEnteredInError(
          tx,
          me.clinicId,
          patientId,
          measurementId,
          request.body.reason,
          me.userId,
          app.now(),
        );
        await audit(tx, request, {
          action: 'body_measurement.entered_in_error',
          resourceType: 'body_measurement',
          resourceId: measurementId,
          details: { patientId },
        });
        return toBodyMeasurementDto(row, null);
      });
    },
  );

  app.get(
    '/api/patients/:patientId/medications',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['patients'],
        summary: "A patient's medication list, including entries marked entered in error (with their status)",
        params: patientParams,
        response: { 200: z.object({ items: z.array(medicationDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listMedications(tx, me.clinicId, patientId, { includeEnteredInError: true });
        await audit(tx, request, {
          action: 'medication.list',
          resourceType: 'patient',
          resourceId: patientId,
        });
        return { items: rows.map(toMedicationDto) };
      });
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
      const me = caller(request);
      const { patientId } = request.params;
      const med = await inClinic(db(), me.clinicId, async (tx) => {
        const created = await addMedication(tx, me.clinicId, patientId, request.body, me.userId, app.now());
        await audit(tx, request, {
          action: 'medication.create',
          resourceType: 'medication',
          resourceId: created.id,
          details: { patientId, doseAboveMaximumConfirmed: created.doseAboveMaximum !== null },
        });
        return created;
      });
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
      const me = caller(request);
      const { patientId, medicationId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const { medication, changedFields } = await updateMedication(
          tx,
          me.clinicId,
          patientId,
          medicationId,
          request.body,
          me.userId,
          app.now(),
        );
        await audit(tx, request, {
          action: 'medication.update',
          resourceType: 'medication',
          resourceId: medicationId,
          details: {
            patientId,
            changedFields,
            ...(request.body.confirmAboveMaximum && medication.doseAboveMaximum
              ? { doseAboveMaximumConfirmed: true }
              : {}),
          },
        });
        return toMedicationDto(medication);
      });
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
      const me = caller(request);
      const { patientId, medicationId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const medication = await markMedicationEnteredInError(
          tx,
          me.clinicId,
          patientId,
          medicationId,
          request.body,
          me.userId,
        );
        await audit(tx, request, {
          action: 'medication.entered_in_error',
          resourceType: 'medication',
          resourceId: medicationId,
          details: { patientId },
        });
        return toMedicationDto(medication);
      });
    },
  );
}
