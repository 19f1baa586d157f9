/**
 * Request and response schemas of measurement-based care (recording, correcting, trajectory, due
 * lists). Pure zod, shared by the server's routes and the web's forms. Answer ranges are checked by
 * the clinical core's scoreInstrument, which names the bad item.
 */
import { z } from 'zod';
import { answersSchema, instrumentIdSchema } from '../../clinical/instruments/schemas';
import { ASSESSMENT_CONTEXTS } from '../../clinical/instruments/schemas';
import { instrumentDefinitionSchema, scoreResultSchema } from '../../clinical/instruments';
import { SUICIDALITY_ALERT_KINDS } from '../../clinical/instruments/recording';
import { RATERS } from '../../clinical/instruments/recording';
import { TRAJECTORY_INSTRUMENTS } from '../../clinical/instruments/trajectory';

export const note = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

export const assessmentContextSchema = z.enum(ASSESSMENT_CONTEXTS);

/** A clinician (or staff entering a paper form) records one completed instrument. */
export const assessmentCreateSchema = z.object({
  instrument: instrumentIdSchema,
  /** Definition version the form showed; a mismatch is refused so answers are never mis-scored. */
  version: z.string().min(1).max(20),
  context: assessmentContextSchema,
  /** The linked treatment session, when there is one (it must be one of the patient's sessions). */
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

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
export const responseParams = patientParams.extend({
  responseId: z.uuid({ error: 'must be an assessment id (UUID)' }),
});

export const itemAnswerDto = z.object({
  itemId: z.string(),
  value: z.number().int().nullable(),
  suicideItem: z.boolean(),
  positive: z.boolean().nullable(),
});

export const assessmentDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  instrument: instrumentIdSchema,
  instrumentVersion: z.string(),
  context: z.enum(ASSESSMENT_CONTEXTS),
  sessionId: z.uuid().nullable(),
  administeredAt: z.string(),
  respondent: z.enum(RATERS),
  enteredBy: z.uuid().nullable(),
  /** Who entered it (the staff member's name): on reads; null for portal answers and in a write's reply. */
  enteredByName: z.string().nullable(),
  portalLinkId: z.uuid().nullable(),
  totalScore: z.number().int().nullable(),
  severity: z.string().nullable(),
  cssrsRisk: z.enum(['none', 'low', 'moderate', 'high']).nullable(),
  flags: z.array(z.string()),
  suicidality: z.boolean(),
  /** Null for the whole instrument; else the only items asked (no total then). */
  partialItemIds: z.array(z.string()).nullable(),
  version: z.int(),
  rootId: z.uuid(),
  supersedesId: z.uuid().nullable(),
  correctionReason: z.string().nullable(),
  current: z.boolean(),
  createdAt: z.string(),
  items: z.array(itemAnswerDto),
});
export type AssessmentDto = z.infer<typeof assessmentDto>;

export const alertRefDto = z
  .object({ id: z.uuid(), kind: z.enum(SUICIDALITY_ALERT_KINDS), reason: z.string() })
  .nullable();

export const recordedDto = z.object({
  assessment: assessmentDto,
  score: scoreResultSchema,
  alert: alertRefDto,
});

export const dueDto = z.object({
  ruleId: z.string(),
  context: z.enum(ASSESSMENT_CONTEXTS),
  instruments: z.array(z.object({ instrument: instrumentIdSchema, itemIds: z.array(z.string()).optional() })),
  dueAt: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  sessionId: z.string().nullable(),
  status: z.enum(['done', 'due', 'overdue', 'upcoming']),
  /** Due now, or overdue recently enough to still act on. */
  actionable: z.boolean(),
  completedAt: z.string().nullable(),
});
export type DueDto = z.infer<typeof dueDto>;

export { TRAJECTORY_INSTRUMENTS };

export const seriesDto = z.object({
  instrument: z.enum(TRAJECTORY_INSTRUMENTS),
  title: z.string(),
  totalRange: z.object({ min: z.int(), max: z.int() }).nullable(),
  points: z.array(
    z.object({
      responseId: z.uuid(),
      at: z.string(),
      total: z.int(),
      severity: z.string().nullable(),
      context: z.string(),
    }),
  ),
  baseline: z.object({ responseId: z.uuid(), at: z.string(), total: z.int() }).nullable(),
  /** Score at or below which the fall from baseline is a response (core: assessResponse). */
  responseLine: z.number().nullable(),
  responseMinFallPercent: z.int(),
  remission: z.object({ comparator: z.enum(['<', '<=']), value: z.number(), source: z.string() }).nullable(),
  latest: z
    .object({
      total: z.int(),
      fallPercent: z.number().nullable(),
      response: z.boolean().nullable(),
      remission: z.boolean().nullable(),
    })
    .nullable(),
});

export const suicidalityPointDto = z.object({
  responseId: z.uuid(),
  at: z.string(),
  instrument: instrumentIdSchema,
  itemId: z.string(),
  value: z.int(),
  positive: z.boolean(),
});

export const trajectoryDto = z.object({
  series: z.array(seriesDto),
  suicidality: z.array(suicidalityPointDto),
  /** Scheduled treatment sessions, to mark on the chart. */
  sessions: z.array(z.object({ id: z.uuid(), startAt: z.string() })),
});

/** Patients per page of the clinic due list (overdue first), as the patient list pages. */
export const clinicDueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** By due time (earliest first, the default), by patient name, or by instrument. */
  sort: z.enum(['due', 'patient', 'instrument']).default('due'),
  /** Only lines asking for this instrument. */
  instrument: instrumentIdSchema.optional(),
  /** Only overdue lines. */
  overdueOnly: z.enum(['true', 'false']).optional(),
});

export const clinicDueDto = z.object({
  /** One line per patient and instrument: the earliest item due for it. */
  items: z.array(
    z.object({
      patientId: z.uuid(),
      givenName: z.string(),
      familyName: z.string(),
      mrn: z.string(),
      overdue: z.boolean(),
      /** The instruments (or items) the line asks for, as one key, e.g. "phq9" or "phq9:9|ssi". */
      instrumentKey: z.string(),
      item: dueDto,
      /** Further items of the same instrument the line stands for (one answer serves them). */
      merged: z.int(),
    }),
  ),
  /** Lines with anything due under the clinic's rules and the filters, not only this page's. */
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});

/** The instruments Rein scores, with items, options and licence status (for forms). */
export const instrumentListDto = z.object({ items: z.array(instrumentDefinitionSchema) });
