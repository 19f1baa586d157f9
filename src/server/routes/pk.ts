/**
 * PK engine over HTTP: the model catalogue, simulation, pump planning and TCI. The engine is pure
 * (src/clinical/pk); these routes only validate, optionally fill body size from a patient's record,
 * and call it. Without a `patientId` no patient data is touched and nothing is audited.
 *
 * Access: clinicians only (admin, prescriber, nurse — the roles of CLINICAL_WRITE). Predicted
 * concentrations and pump programs are prescribing work, not front-desk work, and the routes can read
 * body size from a record. The routes compute only, so any clinician may call them without a patient.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ageInYears, clinicToday } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import {
  modelsCatalogue,
  modelsResponseSchema,
  planInfusion,
  planRequestSchema,
  planResponseSchema,
  planTci,
  simulate,
  simulateRequestSchema,
  simulateResponseSchema,
  tciRequestSchema,
  tciResponseSchema,
} from '../../clinical/pk';
import { listBodyMeasurements } from '../../store/body-measurements';
import { getSessionSettings } from '../../store/courses';
import { getPatient } from '../../store/patients';
import { getClinic } from '../../store/users';
import { inClinic } from '../../store/tx';
import { roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

export const PK_ACCESS = roles('admin', 'prescriber', 'nurse');

const patientId = z
  .uuid({ error: 'must be a patient id (UUID)' })
  .optional()
  .describe(
    "Take weight (latest recorded), height (latest), sex at birth and age from this patient's record " +
      'instead of the request; weightKg, heightCm, sex and ageYears must then be omitted.',
  );

/**
 * The engine's request schemas with `patientId` added and `weightKg` optional (it may come from the
 * record). The engine re-validates the completed request with its own schema, refinements included.
 */
const simulateBody = z.object({
  ...simulateRequestSchema.shape,
  weightKg: simulateRequestSchema.shape.weightKg.optional(),
  patientId,
});
const tciBody = z.object({
  ...tciRequestSchema.shape,
  weightKg: tciRequestSchema.shape.weightKg.optional(),
  patientId,
});
const planBody = z.object({
  ...planRequestSchema.shape,
  weightKg: planRequestSchema.shape.weightKg.optional(),
  patientId,
});

export interface PatientBodySize {
  weightKg: number;
  heightCm?: number;
  sex?: 'F' | 'M';
  ageYears?: number;
}

/** Whole years between a date of birth and the UTC date of `now`; routes use the clinic's today. */
export const ageOn = (dateOfBirth: string, now: Date): number =>
  ageInYears(dateOfBirth, clinicToday(now, 'UTC'));

const RECORD_FIELDS = ['weightKg', 'heightCm', 'sex', 'ageYears'] as const;

/** The caller's clinic settings (dosing defaults, session maximum). */
async function clinicSettings(request: FastifyRequest) {
  const me = caller(request);
  return inClinic(request.server.store.db, me.clinicId, (tx) => getSessionSettings(tx, me.clinicId));
}

export async function pkRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  /**
   * Reads a patient's body size inside the caller's clinic (another clinic's id → 404) and audits
   * the read. Details carry the operation and which fields were used, never their values.
   */
  async function bodySizeFromRecord(
    request: FastifyRequest,
    id: string,
    body: Record<string, unknown>,
    operation: 'simulate' | 'plan' | 'tci',
  ): Promise<PatientBodySize> {
    for (const field of RECORD_FIELDS) {
      if (body[field] !== undefined) {
        throw new ClinicalInputError(field, 'omit it when patientId is given (it comes from the record)');
      }
    }
    const me = caller(request);
    const read = await inClinic(app.store.db, me.clinicId, async (tx) => {
      const patient = await getPatient(tx, me.clinicId, id);
      const rows = await listBodyMeasurements(tx, me.clinicId, id);
      const weight = rows.findLast((r) => r.weightKg !== null)?.weightKg ?? null;
      const height = rows.findLast((r) => r.heightCm !== null)?.heightCm ?? null;
      const sex = patient.sexAtBirth === 'female' ? 'F' : patient.sexAtBirth === 'male' ? 'M' : undefined;
      const out: PatientBodySize = {
        weightKg: weight ?? Number.NaN,
        ...(height === null ? {} : { heightCm: height }),
        ...(sex === undefined ? {} : { sex }),
        ageYears: ageInYears(
          patient.dateOfBirth,
          clinicToday(app.now(), (await getClinic(tx, me.clinicId)).timeZone),
        ),
      };
      await audit(tx, request, {
        action: `pk.${operation}`,
        resourceType: 'patient',
        resourceId: id,
        details: {
          usedFields: Object.keys(out).filter((k) => !(k === 'weightKg' && weight === null)),
          ...(typeof body.model === 'string' ? { model: body.model } : {}),
        },
      });
      return out;
    });
    // Thrown after the transaction so the audited read is kept.
    if (Number.isNaN(read.weightKg)) {
      throw new ClinicalInputError('weightKg', "the patient's record has no weight; record one first");
    }
    return read;
  }

  app.get(
    '/api/pk/models',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Published ketamine/esketamine PK models: citation, population, status, parameters',
        response: { 200: modelsResponseSchema, ...errorResponses },
      },
    },
    async () => modelsCatalogue(),
  );

  app.post(
    '/api/pk/simulate',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Simulate plasma (and effect-site, metabolite) concentrations of a regimen with one model',
        description:
          'Doses use the regimen language, e.g. "0.5 mg/kg over 40 min", "20 mg at 60 min", ' +
          '"56 mg intranasal at 0 min". A bad token is refused with 400 naming it.',
        body: simulateBody,
        response: { 200: simulateResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { patientId: id, ...rest } = request.body;
      const size = id === undefined ? {} : await bodySizeFromRecord(request, id, rest, 'simulate');
      const { dosing } = await clinicSettings(request);
      return simulate({ weightBasis: dosing.weightBasis, ...rest, ...size });
    },
  );

  app.post(
    '/api/pk/plan',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Pump program for one infusion: dose, drug volume, rate rounded to pump resolution',
        description: 'Refuses (400 naming `dose`) a dose above the per-session maximum (default 1.0 mg/kg).',
        body: planBody,
        response: { 200: planResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { patientId: id, ...body } = request.body;
      // The clinic's session settings give the defaults and the binding session maximum.
      const settings = await clinicSettings(request);
      const clinicMax = settings.clinicMaxDoseMgPerKg;
      if (body.maxMgPerKgPerSession !== undefined && body.maxMgPerKgPerSession > clinicMax) {
        throw new ClinicalInputError(
          'maxMgPerKgPerSession',
          `${body.maxMgPerKgPerSession} mg/kg is above this clinic's session maximum of ${clinicMax} mg/kg (session settings)`,
        );
      }
      const rest = {
        weightBasis: settings.dosing.weightBasis,
        pumpResolutionMlPerH: settings.dosing.pumpResolutionMlPerH,
        maxMgPerKgPerSession: clinicMax,
        ...body,
      };
      if (id === undefined) return planInfusion(rest);
      // The pump plan needs weight (and height and sex for ideal/adjusted weight); not age.
      const { ageYears: _age, ...size } = await bodySizeFromRecord(request, id, rest, 'plan');
      return planInfusion({ ...rest, ...size });
    },
  );

  app.post(
    '/api/pk/tci',
    {
      config: { access: PK_ACCESS },
      schema: {
        tags: ['pk'],
        summary: 'Target-controlled infusion: bolus and stepwise rates to reach and hold a target',
        body: tciBody,
        response: { 200: tciResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { patientId: id, ...rest } = request.body;
      const size = id === undefined ? {} : await bodySizeFromRecord(request, id, rest, 'tci');
      return planTci({ ...rest, ...size });
    },
  );
}
