/** Request and response schemas of the self-report portal (staff links and the patient's pages). Pure zod. */
import { z } from 'zod';
import { answersSchema, instrumentIdSchema } from '../../clinical/instruments/schemas';
import { instrumentDefinitionSchema } from '../../clinical/instruments';
import { patientParams } from './assessments';

/** Portal links expire after 72 h by default; staff may choose 1 h – 7 days. */
export const PORTAL_LINK_DEFAULT_HOURS = 72;
export const PORTAL_LINK_MIN_HOURS = 1;
export const PORTAL_LINK_MAX_HOURS = 168;

export const portalLinkCreateSchema = z.object({
  expiresInHours: z
    .number()
    .int('must be a whole number of hours')
    .min(PORTAL_LINK_MIN_HOURS, `must be at least ${PORTAL_LINK_MIN_HOURS} hour`)
    .max(PORTAL_LINK_MAX_HOURS, `must be at most ${PORTAL_LINK_MAX_HOURS} hours (7 days)`)
    .default(PORTAL_LINK_DEFAULT_HOURS),
});
export type PortalLinkCreate = z.infer<typeof portalLinkCreateSchema>;

/** What the patient's phone sends for one instrument. Context comes from the due list, not the phone. */
export const portalSubmissionSchema = z.object({
  instrument: instrumentIdSchema,
  version: z.string().min(1).max(20),
  answers: answersSchema,
});
export type PortalSubmission = z.infer<typeof portalSubmissionSchema>;

export { patientParams };
export const linkParams = patientParams.extend({ linkId: z.uuid({ error: 'must be a link id (UUID)' }) });
export const tokenParams = z.object({ token: z.string().min(1).max(200) });

export const crisisDto = z.object({
  clinicName: z.string(),
  /** '' when the clinic has not entered a phone for patients. */
  clinicPhone: z.string(),
  crisisLineName: z.string(),
  crisisLinePhone: z.string(),
  crisisLineText: z.string(),
  crisisLineUrl: z.string(),
  emergencyNumber: z.string(),
});

export const portalLinkDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  useCount: z.int(),
  state: z.enum(['active', 'expired', 'revoked']),
});

export const createdPortalLinkDto = z.object({
  link: portalLinkDto,
  url: z.string(),
  qrCodeDataUrl: z.string(),
});

export const emailedPortalLinkDto = z.object({
  link: portalLinkDto,
  /** The patient's address on record the link was sent to. */
  sentTo: z.string(),
});

export const portalPageDto = z.object({
  clinicName: z.string(),
  expiresAt: z.string(),
  instruments: z.array(z.object({ context: z.string(), definition: instrumentDefinitionSchema })),
});

export const portalReceiptDto = z.object({
  received: z.literal(true),
  remaining: z.int(),
  /**
   * Present when the answers report suicidal thoughts (PHQ-9 item 9 above 0, any C-SSRS
   * item yes): the clinic's crisis resources, shown to the patient at once.
   */
  crisis: crisisDto.nullable(),
});
