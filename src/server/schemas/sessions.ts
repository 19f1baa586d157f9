/**
 * Request and response schemas of the treatment-session API (pure zod over the clinical core), so
 * the web validates its forms with the same schemas the server enforces. Clinical payloads reuse
 * the session core's schemas: every writer refuses bad input the same way.
 */
import { z } from 'zod';
import { planResponseSchema } from '../../clinical/pk';
import {
  citationSchema,
  evidenceStatusSchema,
  infusionActionSchema,
  sourcedNumberSchema,
  vitalsThresholdsSchema,
} from '../../clinical/protocols';
import { scheduledSessionDto } from './courses';
import { sessionOrdersDto } from './orders';

export const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
export const sessionParams = patientParams.extend({
  sessionId: z.uuid({ error: 'must be a session id (UUID)' }),
});

// Session entries: the session core's command schemas.
export {
  adverseEventSubmitSchema,
  alertDecisionSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  dosePlanSubmitSchema,
  dosingActionSubmitSchema,
  dosingStartSchema,
  observationSchema,
  remsSubmittedSchema,
  vitalsEntrySchema,
  type ChecklistSubmit,
  type DischargeSubmit,
} from '../../clinical/session';

// ------------------------------------------------------------------------------------------------
// Responses

const citations = z.array(citationSchema);
const checklistItemDto = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['pass', 'fail', 'caution', 'not-applicable']),
  message: z.string(),
  status: evidenceStatusSchema,
  citations,
});
export const interactionFlagDto = z.object({
  id: z.string(),
  severity: z.enum(['info', 'caution', 'warning']),
  message: z.string(),
  medications: z.array(z.string()),
  status: evidenceStatusSchema,
  citations,
});
const decisionDto = z
  .object({
    decision: z.enum(['continue', 'pause', 'stop']),
    note: z.string().nullable(),
    decidedBy: z.string(),
    decidedAt: z.string(),
  })
  .nullable();
const alertDto = z.object({
  id: z.string(),
  severity: z.enum(['caution', 'notify', 'hold']),
  message: z.string(),
  measured: z.number(),
  threshold: sourcedNumberSchema,
  requiresDecision: z.boolean(),
  decision: decisionDto,
});
/** A serious, severe or respiratory adverse event needs a decision like a vital-sign alarm. */
const adverseEventAlertDto = z.object({
  id: z.string(),
  severity: z.literal('hold'),
  message: z.string(),
  reasons: z.array(z.enum(['serious', 'severe', 'respiratory'])),
  requiresDecision: z.literal(true),
  decision: decisionDto,
});
const vitalsDto = z.object({
  id: z.uuid(),
  timeMin: z.number(),
  sbpMmHg: z.number().nullable(),
  dbpMmHg: z.number().nullable(),
  heartRateBpm: z.number().nullable(),
  spo2Pct: z.number().nullable(),
  respiratoryRatePerMin: z.number().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  alerts: z.array(alertDto),
});
const pumpDto = planResponseSchema;
export const dosePlanDto = z.object({
  modality: z.enum(['iv-ketamine', 'esketamine']),
  doseMg: z.number(),
  doseMgPerKg: z.number().nullable(),
  weightKg: z.number().nullable(),
  /** When the plan's weight was measured (null in plans recorded before the date was kept). */
  weightMeasuredOn: z.string().nullable(),
  devices: z.int().nullable(),
  lotNumber: z.string().nullable(),
  /** IV: the diluent recorded with the plan (null: not recorded). */
  diluent: z.string().nullable(),
  dosingEndMin: z.number(),
  /** The planned dose as the PK engine reads it (the mechanism view's doses). */
  regimen: z.array(z.string()),
  pump: pumpDto.nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});
const decisionChoice = z.enum(['continue', 'pause', 'stop']);
/** Dosing as it took effect: the infusion clock (IV) or the devices used (esketamine). */
export const dosingDto = z.object({
  kind: z.enum(['infusion', 'devices']),
  state: z.enum(['running', 'paused', 'stopped', 'complete']),
  plannedMg: z.number(),
  /** IV: rate × running time; esketamine: devices used × 28 mg. */
  amountGivenMg: z.number(),
  rateMgPerMin: z.number().nullable(),
  runningMin: z.number().nullable(),
  remainingMin: z.number().nullable(),
  pausedMin: z.number().nullable(),
  pausedSinceMin: z.number().nullable(),
  remainingVtbiMl: z.number().nullable(),
  devicesGiven: z.int().nullable(),
  devicesPlanned: z.int().nullable(),
  dosingEndMin: z.number().nullable(),
  projectedEndMin: z.number().nullable(),
  /** What can be recorded now: dosing actions, and the decisions offered on an alert. */
  actions: z.array(infusionActionSchema),
  decisionOptions: z.array(decisionChoice),
  history: z.array(
    z.object({
      action: infusionActionSchema,
      atMin: z.number(),
      note: z.string().nullable(),
      amountGivenMg: z.number(),
      by: z.string(),
    }),
  ),
});
const dischargeChecksDto = z.object({
  allowed: z.boolean(),
  message: z.string(),
  earliestDischargeMin: z.number().nullable(),
  checks: z.array(
    z.object({
      id: z.string(),
      met: z.boolean(),
      message: z.string(),
      status: evidenceStatusSchema,
      citations,
    }),
  ),
});

export const sessionStateDto = z.object({
  session: scheduledSessionDto,
  course: z.object({
    id: z.uuid(),
    templateId: z.string(),
    templateName: z.string(),
    modality: z.enum(['iv-ketamine', 'esketamine']),
  }),
  patient: z.object({ id: z.uuid(), name: z.string(), mrn: z.string() }),
  now: z.string(),
  today: z.string(),
  /** Minutes since dosing start (null before dosing). */
  nowMin: z.number().nullable(),
  phase: z.enum(['scheduled', 'checked-in', 'checklist-done', 'dose-planned', 'dosing', 'discharged']),
  checkedIn: z.object({ at: z.string(), by: z.string() }).nullable(),
  checklist: z
    .object({
      overall: z.enum(['ready', 'review', 'blocked']),
      items: z.array(checklistItemDto),
      input: z.record(z.string(), z.unknown()),
      recordedAt: z.string(),
      recordedBy: z.string(),
    })
    .nullable(),
  interactions: z.array(interactionFlagDto),
  interactionNotes: z.array(z.string()),
  /** PHQ-9 / C-SSRS screener recorded today in the assessments store. */
  assessmentsToday: z.object({ phq9: z.boolean(), cssrs: z.boolean() }),
  /** Clinic-local date of the latest PHQ-9 / C-SSRS screener on record up to today (the checklist uses these). */
  assessmentsLatest: z.object({ phq9: z.string().nullable(), cssrs: z.string().nullable() }),
  /** Whether the patient has a current eligible (or approved) screening for this course's modality. */
  screening: z.object({ ok: z.boolean(), message: z.string() }),
  latestWeight: z.object({ weightKg: z.number(), measuredOn: z.string() }).nullable(),
  dosePlan: dosePlanDto.nullable(),
  dosingStartedAt: z.string().nullable(),
  /** Dosed outside the clinic's window around the scheduled date: the recorded reason. */
  scheduleOverride: z
    .object({
      reason: z.string(),
      scheduledOn: z.string(),
      dosedOn: z.string(),
      daysFromScheduled: z.int(),
      by: z.string(),
    })
    .nullable(),
  /** Whether today is a day this session may be dosed; `blockers` name what a start would be refused for. */
  dosingDay: z.object({
    scheduledOn: z.string(),
    today: z.string(),
    daysFromScheduled: z.int(),
    windowDays: z.int(),
    onScheduledDay: z.boolean(),
    lastDose: z
      .object({ sessionId: z.uuid(), sequence: z.int(), dosedOn: z.string(), sameCourse: z.boolean() })
      .nullable(),
    minDaysBetweenDoses: z.int(),
    earliestDoseOn: z.string().nullable(),
    blockers: z.array(
      z.object({ field: z.enum(['scheduleOverrideReason', 'minDaysBetweenDoses']), message: z.string() }),
    ),
  }),
  /** Esketamine: the dose this session is ordered at; only a prescriber plans another (null: IV or no order yet). */
  orderedDoseMg: z.number().nullable(),
  thresholds: vitalsThresholdsSchema,
  thresholdsSource: z.enum(['defaults', 'clinic']),
  vitals: z.array(vitalsDto),
  /** One entry per reading awaiting a decision (one decision covers all its alerts). */
  openAlerts: z.array(
    z.object({
      /** The entry that raised the alerts: a vitals reading, a MOAA/S entry or an adverse event. */
      vitalsEventId: z.uuid(),
      source: z.enum(['vitals', 'sedation', 'adverse-event']),
      alertId: z.string(),
      alertIds: z.array(z.string()),
      message: z.string(),
      timeMin: z.number(),
    }),
  ),
  dosing: dosingDto.nullable(),
  /** Earliest discharge by the time rules (IV: end of dosing + observation; esketamine: 120 min). */
  earliestDischargeMin: z.number().nullable(),
  nextVitals: z
    .object({
      nextDueMin: z.number().nullable(),
      overdueByMin: z.number(),
      reason: z.string(),
      cadence: z.object({
        duringDosingEveryMin: z.number(),
        afterDosingEveryMin: z.number(),
        checkpointsMin: z.array(z.number()),
      }),
    })
    .nullable(),
  observations: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['cadss6', 'moaas']),
      timeMin: z.number(),
      score: z.number().nullable(),
      scoreMax: z.number().nullable(),
      unverified: z.array(z.string()),
      recordedBy: z.string(),
      /** MOAA/S: the deep-sedation alarm, when the score is at or below the clinic's. */
      alerts: z.array(alertDto),
    }),
  ),
  adverseEvents: z.array(
    z.object({
      id: z.uuid(),
      category: z.string(),
      description: z.string().nullable(),
      severity: z.enum(['mild', 'moderate', 'severe']),
      actionTaken: z.string(),
      timeMin: z.number(),
      /** When it began (minutes after dosing start); null in records made before it was asked. */
      onsetMin: z.number().nullable(),
      serious: z.boolean(),
      escalation: z.string().nullable(),
      recordedBy: z.string(),
      alert: adverseEventAlertDto.nullable(),
    }),
  ),
  discharge: z
    .object({
      atMin: z.number(),
      at: z.string(),
      by: z.string(),
      readyToLeaveMinFromStart: z.number().nullable(),
      result: dischargeChecksDto,
    })
    .nullable(),
  remsSubmittedOn: z.string().nullable(),
  orders: sessionOrdersDto,
});
export type SessionStateDto = z.infer<typeof sessionStateDto>;

/**
 * The answer to a vitals reading: the parts of the session screen a reading can change (the rest
 * of the screen, the thresholds among it, stays as last read; a live update refreshes it all).
 */
export const sessionReadingDto = sessionStateDto.pick({
  now: true,
  today: true,
  nowMin: true,
  phase: true,
  vitals: true,
  openAlerts: true,
  dosing: true,
  earliestDischargeMin: true,
  nextVitals: true,
});
export type SessionReadingDto = z.infer<typeof sessionReadingDto>;

export const remsDto = z.object({
  ok: z.boolean(),
  missing: z.array(z.string()),
  warnings: z.array(z.string()),
  form: z.record(z.string(), z.unknown()).nullable(),
  submittedOn: z.string().nullable(),
  dueDate: z.string(),
});

export const curveDto = z.object({
  model: z.string(),
  regimen: z.array(z.string()),
  weightKg: z.number(),
  timesMin: z.array(z.number()),
  plasmaNgPerMl: z.array(z.number()),
  effectNgPerMl: z.array(z.number()).nullable(),
  band: z.object({ low: z.number(), high: z.number(), status: z.string(), source: z.string() }),
  nowMin: z.number().nullable(),
  notes: z.array(z.string()),
});

export const overdueRemsDto = z.array(
  z.object({
    sessionId: z.uuid(),
    patientId: z.uuid(),
    sessionDate: z.string(),
    dueDate: z.string(),
    daysOverdue: z.int(),
    patientName: z.string(),
    mrn: z.string(),
  }),
);

export const interactionsQuery = z.object({
  modality: z.enum(['iv-ketamine', 'esketamine']).default('iv-ketamine'),
});
export const interactionsDto = z.object({ flags: z.array(interactionFlagDto), notes: z.array(z.string()) });
