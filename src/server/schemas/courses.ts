/** Request and response schemas of settings, templates, eligibility screening and courses. Pure zod. */
import { z } from 'zod';
import { localDateSchema } from '../../clinical/calendar';
import { closuresSchema } from '../../clinical/session/settings';
import {
  BOOKING_CHANGE_KINDS,
  BOOKING_CHANGE_SCOPES,
  sessionStatusSchema,
} from '../../clinical/vocabulary/booking';
import { ELIGIBILITY_STATUSES, RULE_KINDS } from '../../clinical/vocabulary/eligibility';
import { SUGGESTION_KINDS } from '../../clinical/vocabulary/suggestions';
import {
  citationSchema,
  courseTemplateSchema,
  evidenceStatusSchema,
  intakeAnswersSchema,
  vitalsThresholdsSchema,
} from '../../clinical/protocols';

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
export const screeningParams = patientParams.extend({
  screeningId: z.uuid({ error: 'must be a screening id (UUID)' }),
});
export const courseParams = patientParams.extend({
  courseId: z.uuid({ error: 'must be a course id (UUID)' }),
});

export const screeningCreateSchema = z.object({ answers: intakeAnswersSchema });
export const signOffCreateSchema = z.object({
  decision: z.enum(['approve', 'decline']),
  note: z.string().trim().max(2000).optional(),
});

export const clinicTemplateCreateSchema = z.object({ template: courseTemplateSchema });

export const courseCreateSchema = z.object({
  templateId: z.string().min(1).max(200),
  startDate: localDateSchema,
  /** true: return the schedule and conflicts without saving. */
  preview: z.boolean().default(false),
});

export const reasonDto = z.object({
  ruleId: z.string(),
  kind: z.enum(RULE_KINDS),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
  unanswered: z.boolean(),
});
export const screeningDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  modality: z.enum(['iv-ketamine', 'esketamine']),
  status: z.enum(ELIGIBILITY_STATUSES),
  answers: z.record(z.string(), z.unknown()),
  reasons: z.array(reasonDto),
  notes: z.array(reasonDto),
  createdAt: z.string(),
  signOff: z
    .object({
      decision: z.enum(['approve', 'decline']),
      note: z.string().nullable(),
      signedBy: z.uuid(),
      signedByName: z.string(),
      signedAt: z.string(),
    })
    .nullable(),
});
export const templateDto = z.object({
  source: z.enum(['built-in', 'clinic']),
  plannedSessions: z.int(),
  template: courseTemplateSchema,
});

export const doseDto = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('weight-based'), doseMgPerKg: z.number(), infusionDurationMin: z.number() }),
  z.object({
    kind: z.literal('fixed-intranasal'),
    doseMgOptions: z.array(z.number()),
    firstSessionDoseMg: z.number().optional(),
  }),
]);
export const bookedSlotDto = z.object({
  date: z.string(),
  startMin: z.int(),
  endMin: z.int(),
  roomId: z.string(),
});
export const bookingChangeDto = z.object({
  id: z.uuid(),
  kind: z.enum(BOOKING_CHANGE_KINDS),
  scope: z.enum(BOOKING_CHANGE_SCOPES),
  reason: z.string(),
  from: bookedSlotDto,
  to: bookedSlotDto.nullable(),
  recordedAt: z.string(),
});
export const scheduledSessionDto = z.object({
  id: z.uuid().nullable(),
  sequence: z.int(),
  phaseId: z.string(),
  phaseLabel: z.string(),
  date: z.string(),
  startMin: z.int(),
  endMin: z.int(),
  roomId: z.string(),
  targetDate: z.string(),
  shiftedDays: z.int(),
  dose: doseDto,
  fixedDoseMg: z.number().nullable(),
  /** Derived from the session's events and booking changes (never stored). */
  status: sessionStatusSchema,
  /** When the session actually started (first check-in or dosing start) and ended (discharge). */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Minutes from the booked start to the actual start (positive = late); null before it starts. */
  startDriftMin: z.int().nullable(),
  /** The drift is beyond the clinic's `scheduling.startDriftWarnMin`. */
  startDriftWarn: z.boolean(),
  bookingChanges: z.array(bookingChangeDto),
});
export const conflictDto = z.object({
  sequence: z.int(),
  phaseId: z.string(),
  indexInPhase: z.int(),
  targetDate: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
  reason: z.string(),
});
export const courseDto = z.object({
  id: z.uuid().nullable(),
  patientId: z.uuid(),
  templateId: z.string(),
  template: courseTemplateSchema,
  modality: z.enum(['iv-ketamine', 'esketamine']),
  startDate: z.string(),
  createdAt: z.string().nullable(),
  sessions: z.array(scheduledSessionDto),
  conflicts: z.array(conflictDto),
  /** Set once the course was cancelled (its remaining booked sessions with it). */
  cancelled: z.object({ reason: z.string(), at: z.string() }).nullable(),
});
export type CourseDto = z.infer<typeof courseDto>;

export const suggestionDto = z.object({
  ruleId: z.string(),
  kind: z.enum(SUGGESTION_KINDS),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
  dueDate: z.string().nullable(),
});
export const suggestionsDto = z.object({
  completedSessions: z.int(),
  titration: suggestionDto.nullable(),
  titrationUnavailable: z.string().nullable(),
  booster: suggestionDto.nullable(),
  boosterUnavailable: z.string().nullable(),
});

export const thresholdsInForceDto = z.object({
  defaults: vitalsThresholdsSchema,
  inForce: vitalsThresholdsSchema,
  source: z.enum(['defaults', 'clinic']),
});
export const vitalsThresholdsInForceDto = z.object({
  'iv-ketamine': thresholdsInForceDto,
  esketamine: thresholdsInForceDto,
});

const reasonSchema = z
  .string()
  .trim()
  .min(1, 'give a reason for the change')
  .max(500, 'keep the reason under 500 characters');

/** Reschedule, cancel or mark a no-show one session, always with a reason. */
export const bookingChangeCreateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reschedule'),
    reason: reasonSchema,
    date: localDateSchema,
    /** Minutes from the clinic's local midnight; the session keeps its length. */
    startMin: z.int().min(0).max(1439),
    /** Another of the clinic's rooms; the same room when omitted. */
    roomId: z.string().trim().min(1).max(60).optional(),
  }),
  z.object({ kind: z.literal('cancel'), reason: reasonSchema }),
  z.object({ kind: z.literal('no-show'), reason: reasonSchema }),
]);
export type BookingChangeCreate = z.infer<typeof bookingChangeCreateSchema>;

export const courseCancelSchema = z.object({ reason: reasonSchema });
export const courseCancelDto = z.object({ cancelled: z.int() });

/** The clinic's closures (holidays and other closed days), each with its name. */
export const closuresBody = z.object({ closures: closuresSchema });
export const closuresDto = z.object({
  closures: z.array(z.object({ date: z.string(), name: z.string() })),
});
