/**
 * Request contracts of the PK routes: the engine's own request schemas with `patientId` added and
 * `weightKg` optional (it may come from the record). The engine re-validates the completed request
 * with its own schema, refinements included.
 */
import { z } from 'zod';
import { planRequestSchema, simulateRequestSchema, tciRequestSchema } from '../../clinical/pk';

export {
  modelsResponseSchema,
  planResponseSchema,
  simulateResponseSchema,
  tciResponseSchema,
} from '../../clinical/pk';

const patientId = z
  .uuid({ error: 'must be a patient id (UUID)' })
  .optional()
  .describe(
    "Take weight (latest recorded), height (latest), sex at birth and age from this patient's record " +
      'instead of the request; weightKg, heightCm, sex and ageYears must then be omitted.',
  );

export const simulateBody = z.object({
  ...simulateRequestSchema.shape,
  weightKg: simulateRequestSchema.shape.weightKg.optional(),
  patientId,
});
export const tciBody = z.object({
  ...tciRequestSchema.shape,
  weightKg: tciRequestSchema.shape.weightKg.optional(),
  patientId,
});
export const planBody = z.object({
  ...planRequestSchema.shape,
  weightKg: planRequestSchema.shape.weightKg.optional(),
  patientId,
});
