/** Request contracts of the mechanism route. */
import { z } from 'zod';
import { mechanismFromRegimenRequestSchema } from '../../clinical/mechanism/fromRegimen';

export { mechanismFromRegimenResponseSchema } from '../../clinical/mechanism/fromRegimen';

/**
 * The request of the pure pipeline, plus an optional `patientId`: the patient's latest recorded
 * weight (and height, sex at birth and age) fill in whatever the body leaves out.
 */
export const mechanismSimulateBody = mechanismFromRegimenRequestSchema.extend({
  weightKg: mechanismFromRegimenRequestSchema.shape.weightKg.optional(),
  patientId: z.uuid({ error: 'must be a patient id (UUID)' }).optional(),
});
export type MechanismSimulateBody = z.infer<typeof mechanismSimulateBody>;
