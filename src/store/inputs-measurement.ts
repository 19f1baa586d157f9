/**
 * Validation of measurement-based-care writes, shared by the HTTP routes and any CLI.
 * Answer ranges are checked by the clinical core's scoreInstrument, which names the bad item.
 */
import { z } from 'zod';
import { answersSchema, instrumentIdSchema } from '../clinical/instruments/schemas';
import { ALERT_ACTIONS, ASSESSMENT_CONTEXTS } from './schema-measurement';

const note = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const assessmentContextSchema = z.enum(ASSESSMENT_CONTEXTS);

/** A clinician (or staff entering a paper form) records one completed instrument. */
export const assessmentCreateSchema = z.object({
  instrument: instrumentIdSchema,
  /** Definition version the form showed; a mismatch is refused so answers are never mis-scored. */
  version: z.string().min(1).max(20),
  context: assessmentContextSchema,
  /** The linked treatment session, when there is one (no sessions table yet: not checked). */
  sessionId: z.uuid({ error: 'must be a session id (UUID)' }).optional(),
  administeredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  answers: answersSchema,
  /** Only these (suicide) items were asked, e.g. ["9"] for PHQ-9 item 9 at +4 h; omit for the whole instrument. */
  itemIds: z.array(z.string().min(1).max(20)).min(1).max(30).optional(),
});
export type AssessmentCreate = z.infer<typeof assessmentCreateSchema>;

/** A correction: the full corrected answers and why; stored as a new version. */
export const assessmentCorrectionSchema = z.object({
  answers: answersSchema,
  reason: note(500),
  context: assessmentContextSchema.optional(),
  administeredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
});
export type AssessmentCorrection = z.infer<typeof assessmentCorrectionSchema>;

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

export const alertActionSchema = z.enum(ALERT_ACTIONS);

export const alertAcknowledgeSchema = z.object({
  note: note(2000),
  action: alertActionSchema,
});
export type AlertAcknowledge = z.infer<typeof alertAcknowledgeSchema>;
