import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ageInYears, clinicToday } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import {
  mechanismFromRegimen,
  mechanismFromRegimenRequestSchema,
  mechanismFromRegimenResponseSchema,
} from '../../clinical/mechanism/fromRegimen';
import { listBodyMeasurements } from '../../store/body-measurements';
import { getPatient } from '../../store/patients';
import { getClinic } from '../../store/users';
import { inClinic } from '../../store/tx';
import { roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

/** The mechanism view is for clinical staff (front desk has no use for it). */
const CLINICAL_STAFF = roles('admin', 'prescriber', 'nurse');

/**
 * The request of the pure pipeline, plus an optional `patientId`: the patient's latest recorded
 * weight (and height, sex at birth and age) fill in whatever the body leaves out.
 */
export const mechanismSimulateBody = mechanismFromRegimenRequestSchema.extend({
  weightKg: mechanismFromRegimenRequestSchema.shape.weightKg.optional(),
  patientId: z.uuid({ error: 'must be a patient id (UUID)' }).optional(),
});

export async function mechanismRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/mechanism/simulate',
    {
      config: { access: CLINICAL_STAFF },
      schema: {
        tags: ['mechanism'],
        summary:
          'Educational mechanism model for a regimen: plasma → NMDA-receptor occupancy and trapped block → ' +
          'lateral-habenula burst suppression → spine component, on one time axis (not a prediction for the individual)',
        description:
          'Compute only; nothing is stored. With `patientId`, the latest recorded weight (and height, sex at ' +
          'birth, age) of that patient of your clinic fill in fields the body leaves out; the read is audited.',
        body: mechanismSimulateBody,
        response: { 200: mechanismFromRegimenResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { patientId, ...body } = request.body;
      let filled = body;
      if (patientId !== undefined) {
        const me = caller(request);
        filled = await inClinic(app.store.db, me.clinicId, async (tx) => {
          const patient = await getPatient(tx, me.clinicId, patientId);
          const measurements = await listBodyMeasurements(tx, me.clinicId, patientId);
          const weight = measurements.findLast((m) => m.weightKg !== null)?.weightKg ?? undefined;
          const height = measurements.findLast((m) => m.heightCm !== null)?.heightCm ?? undefined;
          const sex = patient.sexAtBirth === 'female' ? 'F' : patient.sexAtBirth === 'male' ? 'M' : undefined;
          const fromRecord: string[] = [];
          const out = { ...body };
          if (out.weightKg === undefined && weight !== undefined) {
            out.weightKg = weight;
            fromRecord.push('weightKg');
          }
          if (out.heightCm === undefined && height !== undefined) {
            out.heightCm = height;
            fromRecord.push('heightCm');
          }
          if (out.sex === undefined && sex !== undefined) {
            out.sex = sex;
            fromRecord.push('sex');
          }
          if (out.ageYears === undefined) {
            const today = clinicToday(app.now(), (await getClinic(tx, me.clinicId)).timeZone);
            out.ageYears = ageInYears(patient.dateOfBirth, today);
            fromRecord.push('ageYears');
          }
          await audit(tx, request, {
            action: 'mechanism.simulate',
            resourceType: 'patient',
            resourceId: patientId,
            details: { fromRecord },
          });
          return out;
        });
        if (filled.weightKg === undefined)
          throw new ClinicalInputError('weightKg', 'no weight is recorded for this patient; give weightKg');
      }
      if (filled.weightKg === undefined)
        throw new ClinicalInputError(
          'weightKg',
          'required (kg), or give patientId to use the recorded weight',
        );
      return mechanismFromRegimen(filled);
    },
  );
}
