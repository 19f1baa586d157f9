/** The patient banner's response: what every clinical page shows at its top. */
import { z } from 'zod';
import { MODALITIES } from '../../clinical/vocabulary/modalities';
import { SUICIDALITY_TIERS } from '../../clinical/instruments/suicidality';

const point = z.object({ at: z.string(), total: z.number() });

export const patientBannerDto = z.object({
  patientId: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  mrn: z.string(),
  dateOfBirth: z.string(),
  ageYears: z.number().int(),
  allergies: z.object({
    state: z.enum(['unknown', 'no-known-allergies', 'list']),
    active: z.array(
      z.object({ substance: z.string(), reaction: z.string().nullable(), severity: z.string().nullable() }),
    ),
  }),
  weight: z.object({ weightKg: z.number(), measuredOn: z.string() }).nullable(),
  course: z
    .object({
      courseId: z.string(),
      modality: z.enum(MODALITIES),
      templateKey: z.string(),
      total: z.number().int(),
      dosed: z.number().int(),
      current: z.object({ sessionId: z.string(), sequence: z.number().int(), date: z.string() }).nullable(),
    })
    .nullable(),
  phq9: z
    .object({
      latest: point,
      previous: point.nullable(),
      change: z.number().nullable(),
      direction: z.enum(['up', 'down', 'same']).nullable(),
      baseline: z.number().nullable(),
      fallPercent: z.number().nullable(),
      response: z.boolean().nullable(),
      remission: z.boolean().nullable(),
    })
    .nullable(),
  suicideRisk: z
    .object({ tier: z.enum(SUICIDALITY_TIERS), openCount: z.number().int(), latestAt: z.string() })
    .nullable(),
  rems: z.object({ enrolled: z.boolean(), confirmedOn: z.string().nullable() }).nullable(),
});
export type PatientBannerDto = z.infer<typeof patientBannerDto>;
