/**
 * Request contracts of the PK routes: the engine's own request schemas with `patientId` added and
 * `weightKg` optional (it may come from the record). The engine re-validates the completed request
 * with its own schema, refinements included.
 */
import { z } from 'zod';
import { planRequestSchema, simulateRequestSchema, tciRequestSchema } from '../../clinical/pk';
import { DEFAULT_TCI_UPDATE_INTERVAL_MIN } from '../../clinical/pk/tci';

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

/**
 * Bounded work per request. The engine accepts up to 2 million time points for offline use (the
 * CLI); one HTTP request simulates at most `PK_MAX_TIME_POINTS` points over at most
 * `PK_MAX_HORIZON_MIN` (the planner's longest "show until"), and a TCI plan at most
 * `TCI_MAX_UPDATES` rate updates, so no request can hold a worker for long or answer megabytes.
 */
export const PK_MAX_TIME_POINTS = 10_000;
/** 14 days in minutes. */
export const PK_MAX_HORIZON_MIN = 14 * 24 * 60;
export const TCI_MAX_UPDATES = 5_000;
export const TCI_MAX_TARGETS = 200;

const horizon = (what: string) =>
  z
    .number()
    .finite()
    .min(0)
    .max(PK_MAX_HORIZON_MIN, `${what} must be at most ${PK_MAX_HORIZON_MIN} min (14 days) per request`);

export const simulateBody = z
  .object({
    ...simulateRequestSchema.shape,
    weightKg: simulateRequestSchema.shape.weightKg.optional(),
    timesMin: z
      .array(horizon('a time'))
      .min(1)
      .max(PK_MAX_TIME_POINTS, `at most ${PK_MAX_TIME_POINTS} time points per request`)
      .optional(),
    untilMin: horizon('untilMin').optional(),
    patientId,
  })
  .refine(
    (r) =>
      r.stepMin === undefined ||
      r.untilMin === undefined ||
      Math.floor(r.untilMin / r.stepMin + 1e-9) + 1 <= PK_MAX_TIME_POINTS,
    {
      message: `stepMin and untilMin give more than ${PK_MAX_TIME_POINTS} time points; choose a longer step`,
      path: ['stepMin'],
    },
  );
export const tciBody = z
  .object({
    ...tciRequestSchema.shape,
    weightKg: tciRequestSchema.shape.weightKg.optional(),
    targets: tciRequestSchema.shape.targets.unwrap().max(TCI_MAX_TARGETS).optional(),
    patientId,
  })
  .refine(
    (r) => r.durationMin / (r.updateIntervalMin ?? DEFAULT_TCI_UPDATE_INTERVAL_MIN) <= TCI_MAX_UPDATES,
    {
      message: `durationMin and updateIntervalMin give more than ${TCI_MAX_UPDATES} rate updates; choose a longer interval`,
      path: ['updateIntervalMin'],
    },
  );
export const planBody = z.object({
  ...planRequestSchema.shape,
  weightKg: planRequestSchema.shape.weightKg.optional(),
  patientId,
});
