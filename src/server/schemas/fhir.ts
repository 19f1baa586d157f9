/** Request and response schemas of the FHIR routes (pure zod). */
import { z } from 'zod';

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });

/** Outline of the Bundle for the OpenAPI document; the full resources pass through unchanged. */
export const bundleDto = z.looseObject({
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

/** What an import accepts: a Bundle of at most 5000 entries; the resources are checked one by one. */
export const importBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.unknown()).max(5000).optional(),
});

export const issueDto = z.object({
  entry: z.int(),
  resourceType: z.string(),
  path: z.string(),
  message: z.string(),
});
export const skippedDto = z.object({ entry: z.int(), resourceType: z.string(), reason: z.string() });
export const importResultDto = z.object({
  imported: z.literal(true),
  patients: z.array(z.object({ entry: z.int(), id: z.string() })),
  medications: z.int(),
  assessments: z.int(),
  allergies: z.int(),
  /** "No known allergies" statements (SNOMED CT 716186003) recorded. */
  noKnownAllergies: z.int(),
  diagnoses: z.int(),
  /** Prior treatment trials (MedicationStatements marked as such by Rein). */
  trials: z.int(),
  skipped: z.array(skippedDto),
});
export const importFailedDto = z.object({
  imported: z.literal(false),
  issues: z.array(issueDto),
  skipped: z.array(skippedDto),
});
