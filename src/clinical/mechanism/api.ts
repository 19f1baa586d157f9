/**
 * Request/response schemas and the pure entry point for the mechanism model, for the HTTP API,
 * the CLI and the web client (the OpenAPI document can be generated from these schemas).
 * Bad input raises ClinicalInputError naming the field (zod path joined with '.').
 */
import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { simulateMechanism, type MechanismTimeCourse } from './pipeline';

const finiteNumber = z.number().finite();
const nonNegative = finiteNumber.min(0);

export const mechanismRequestSchema = z.object({
  drug: z.enum(['racemic-ketamine', 'esketamine']).optional(),
  timesMin: z.array(finiteNumber).min(2).max(200_000),
  plasmaNgPerMl: z.array(nonNegative).min(2).max(200_000),
  norketamineNgPerMl: z.array(nonNegative).min(2).max(200_000).optional(),
  receptorOverrides: z
    .object({
      fractionUnboundParent: finiteNumber,
      fractionUnboundNorketamine: finiteNumber,
      brainToPlasmaParent: finiteNumber,
      brainToPlasmaNorketamine: finiteNumber,
      unboundBrainToUnboundPlasma: finiteNumber,
      kiParentUm: finiteNumber,
      kiNorketamineUm: finiteNumber,
      hillCoefficient: finiteNumber,
      untrapTimeConstantH: finiteNumber,
      relativeActivity: finiteNumber,
    })
    .partial()
    .strict()
    .optional(),
  spineOverrides: z
    .object({
      meanDelayH: finiteNumber,
      delayStages: finiteNumber,
      formationGainPerH: finiteNumber,
      persistenceTimeConstantH: finiteNumber,
    })
    .partial()
    .strict()
    .optional(),
});
export type MechanismRequest = z.infer<typeof mechanismRequestSchema>;

const sourcedParameterSchema = z.object({
  id: z.string(),
  value: z.number(),
  unit: z.string(),
  source: z.string(),
  status: z.enum(['V', 'V abstract', 'S', 'U', 'C', 'illustrative', 'assumption', 'user-set']),
  note: z.string().optional(),
});

const series = z.array(z.number());

export const mechanismResponseSchema = z
  .object({
    banner: z.string(),
    drug: z.enum(['racemic-ketamine', 'esketamine']),
    timesMin: series,
    plasmaNgPerMl: series,
    norketamineNgPerMl: series.nullable(),
    freeBrainUm: series,
    totalBrainUm: series,
    occupancy: series,
    trappedBlock: series,
    burstSuppression: series,
    spineFormationIndex: series,
    spineComponent: series,
    summary: z.object({
      peakOccupancy: z.number(),
      peakOccupancyTimeMin: z.number(),
      peakTrappedBlock: z.number(),
      peakTrappedBlockTimeMin: z.number(),
      peakBurstSuppression: z.number(),
      trappedBlockAtEnd: z.number(),
      spineComponentAtEnd: z.number(),
    }),
    parameters: z.array(sourcedParameterSchema),
    assumptions: z.array(z.string()),
  })
  .strict();

/** Validate a request (zod, then the model's own checks) and run the chain. */
export function runMechanism(body: unknown, onProgress?: (fraction: number) => void): MechanismTimeCourse {
  const r = mechanismRequestSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
    throw new ClinicalInputError(field, issue.message);
  }
  const { drug, timesMin, plasmaNgPerMl, norketamineNgPerMl, receptorOverrides, spineOverrides } = r.data;
  return simulateMechanism(
    {
      timesMin,
      plasmaNgPerMl,
      ...(norketamineNgPerMl !== undefined ? { norketamineNgPerMl } : {}),
    },
    {
      ...(drug !== undefined ? { drug } : {}),
      ...(receptorOverrides !== undefined ? { receptorOverrides } : {}),
      ...(spineOverrides !== undefined ? { spineOverrides } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
    },
  );
}
