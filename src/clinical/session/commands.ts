/**
 * The commands a session accepts, as zod schemas: the session API validates requests with them
 * (src/server/schemas/sessions.ts re-exports them under the API's names), the web validates its
 * forms with them, and the decisions take their output types.
 */
import { localDateSchema } from '../calendar';
import { z } from 'zod';
import { adverseEventCategorySchema, adverseEventEscalationSchema, infusionActionSchema } from '../protocols';
import {
  adverseEventActionSchema,
  adverseEventSeveritySchema,
  checklistAnswersSchema,
  dischargeAnswersSchema,
  sessionMinuteSchema,
  type ChecklistAnswers,
  type DischargeAnswers,
  rescueOrderLineSchema,
} from './events';
import { medicationRouteSchema, rescueDrugSchema } from '../vocabulary/orders';

const timeMin = sessionMinuteSchema;

export const checkInSchema = z.object({ note: z.string().trim().max(500).optional() });

/** The pre-session checklist (stored as the checklist event's `input`). */
export const checklistSubmitSchema = checklistAnswersSchema;
export type ChecklistSubmit = ChecklistAnswers;

export const dosePlanSubmitSchema = z.object({
  /** Esketamine: the prescriber's dose for this session (28-mg devices). Ignored for IV. */
  doseMg: z.number().positive().max(112).optional(),
  /** IV: override the course's mg/kg (within the clinic maximum), e.g. after a titration decision. */
  doseMgPerKg: z.number().positive().max(2).optional(),
  lotNumber: z.string().trim().max(100).optional(),
  /** IV: the fluid the drug is diluted in (e.g. "0.9% sodium chloride"), printed on the pump program. */
  diluent: z.string().trim().max(100, 'at most 100 characters').optional(),
});

export const dosingStartSchema = z.object({
  note: z.string().trim().max(500).optional(),
  /**
   * Why the session is dosed on a day outside the clinic's window around its scheduled date
   * (required then, recorded with the dosing start; ignored on the scheduled day).
   */
  scheduleOverrideReason: z
    .string()
    .trim()
    .min(1, 'give the reason for dosing on this day')
    .max(500)
    .optional(),
  /** Why the dose plan differs from the signed order (required then, recorded with the start). */
  deviationReason: z
    .string()
    .trim()
    .min(1, 'give the reason the dose differs from the order')
    .max(500)
    .optional(),
});

export const vitalsEntrySchema = z
  .object({
    /** Minutes after dosing start; omitted = now (server clock). */
    timeMin: timeMin.optional(),
    sbpMmHg: z.number().int().min(40).max(300).optional(),
    dbpMmHg: z.number().int().min(20).max(200).optional(),
    heartRateBpm: z.number().int().min(20).max(250).optional(),
    spo2Pct: z.number().min(50).max(100).optional(),
    /** Breaths per minute, when counted. */
    respiratoryRatePerMin: z.number().int().min(0).max(80).optional(),
  })
  .refine(
    (v) =>
      [v.sbpMmHg, v.dbpMmHg, v.heartRateBpm, v.spo2Pct, v.respiratoryRatePerMin].some((x) => x !== undefined),
    {
      message: 'enter at least one vital sign',
      path: ['sbpMmHg'],
    },
  )
  .refine((v) => (v.sbpMmHg === undefined) === (v.dbpMmHg === undefined), {
    message: 'enter systolic and diastolic together',
    path: ['dbpMmHg'],
  });

/** One decision covers every alert of one reading; `alertId` (optional) names the alert shown. */
export const alertDecisionSubmitSchema = z.object({
  vitalsEventId: z.uuid(),
  alertId: z.string().min(1).max(60).optional(),
  decision: z.enum(['continue', 'pause', 'stop']),
  note: z.string().trim().max(1000).optional(),
});

/** Pause, resume or stop dosing (minutes after dosing start; default now). */
export const dosingActionSubmitSchema = z.object({
  action: infusionActionSchema,
  atMin: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional(),
  note: z.string().trim().max(1000).optional(),
});

export const observationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cadss6'),
    timeMin: timeMin.optional(),
    /** CADSS-6 item answers (0–4 each), scored by the instruments core. */
    answers: z.record(z.string(), z.number()),
  }),
  z.object({
    kind: z.literal('moaas'),
    timeMin: timeMin.optional(),
    /** Modified Observer's Assessment of Alertness/Sedation: 0 (no response) … 5 (alert). */
    score: z.number().int().min(0).max(5),
  }),
]);

/** An adverse event; validated again by the core's adverseEventSchema once timeMin is known. */
export const adverseEventSubmitSchema = z.object({
  category: adverseEventCategorySchema,
  description: z.string().trim().max(1000).optional(),
  severity: adverseEventSeveritySchema,
  actionTaken: adverseEventActionSchema,
  timeMin: timeMin.optional(),
  /** When the event began (minutes after dosing start); not after `timeMin`. */
  onsetMin: timeMin.optional(),
  serious: z.boolean().default(false),
  /** Escalation beyond the treating team (absent = not recorded). */
  escalation: adverseEventEscalationSchema.optional(),
});

/** Discharge answers (stored as the discharge event's `answers`). */
export const dischargeSubmitSchema = dischargeAnswersSchema;
export type DischargeSubmit = DischargeAnswers;

export const remsSubmittedSchema = z.object({ submittedOn: localDateSchema });

/** A prescriber signs the session order (IV: mg/kg and minutes; esketamine: mg). */
export const signOrderSchema = z.object({
  doseMgPerKg: z.number().positive().max(2).optional(),
  doseMg: z.number().positive().max(1000).optional(),
  durationMin: z.number().int().positive().max(480).optional(),
  maxDoseMg: z.number().positive().max(1000),
  holdConditions: z.array(z.string().trim().max(300)).max(20).default([]),
  rescues: z.array(rescueOrderLineSchema).max(10).default([]),
});

/** The second person re-enters their own email and password to verify the drawn-up dose. */
export const verifyDoseSchema = z.object({
  verifierEmail: z.string().trim().min(1, "enter the second person's email").max(320),
  verifierPassword: z.string().min(1, 'the second person enters their password').max(1000),
});

/** A rescue medication given against the signed order. */
export const rescueGivenSchema = z.object({
  drug: rescueDrugSchema,
  doseMg: z.number().positive().max(1000),
  route: medicationRouteSchema,
  reason: z.string().trim().min(1, 'say why it was given').max(500),
  atMin: sessionMinuteSchema.optional(),
  deviationReason: z.string().trim().max(500).optional(),
});
