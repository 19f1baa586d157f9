/**
 * The treatment session's event log, typed. Everything recorded in a session is one append-only
 * event whose `kind` names its payload; the payload schemas below are the only description of
 * what is stored, so every writer validates with them and every reader parses with them (never a
 * cast). Payload keys carry their units (`sbpMmHg`, `doseMg`).
 *
 * Stored rows written before a field existed must still parse: such fields are optional here.
 */
import { SESSION_EVENT_KINDS, type SessionEventKind } from '../vocabulary/session-events';
import { localDateSchema } from '../calendar';
import { z } from 'zod';
import { planResponseSchema } from '../pk';
import { medicationRouteSchema, orderDrugSchema, rescueDrugSchema } from '../vocabulary/orders';
import { PLAUSIBLE, plausibleNumber } from '../plausibility';
import {
  adverseEventCategorySchema,
  adverseEventEscalationSchema,
  citationSchema,
  evidenceStatusSchema,
  infusionActionSchema,
  modalitySchema,
  type ChecklistResult,
  type DischargeResult,
} from '../protocols';

/** Minutes after dosing start an entry refers to (negative: before dosing). */
export const sessionMinuteSchema = z
  .number()
  .min(-240)
  .max(24 * 60);

/** The pre-session checklist as the clinician answered it (stored as the checklist's `input`). */
export const checklistAnswersSchema = z.object({
  identityConfirmed: z.boolean(),
  /** Today's weight; recorded as a body measurement (append-only). */
  weightKg: plausibleNumber(PLAUSIBLE.weightKg).optional(),
  baselineSbpMmHg: z.number().int().min(40).max(300).optional(),
  baselineDbpMmHg: z.number().int().min(20).max(200).optional(),
  baselineHeartRateBpm: z.number().int().min(20).max(250).optional(),
  baselineSpo2Pct: z.number().min(50).max(100).optional(),
  lastFoodMinBeforeDose: z.number().min(0).max(100_000).optional(),
  lastLiquidMinBeforeDose: z.number().min(0).max(100_000).optional(),
  escortArranged: z.boolean(),
  pregnancyTest: z.enum(['negative', 'positive', 'not-done', 'not-applicable']),
  interactionReviewDone: z.boolean(),
  // PHQ-9 and C-SSRS are not ticked here: they count only when the response is in the assessments
  // store within the clinic's window.
  remsPatientEnrolled: z.boolean().optional(),
});
export type ChecklistAnswers = z.infer<typeof checklistAnswersSchema>;

/** The clinician's discharge answers (stored as the discharge's `answers`). */
export const dischargeAnswersSchema = z.object({
  /** Minutes after dosing start; omitted = now. */
  dischargeAtMin: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional(),
  sedationResolved: z.boolean(),
  dissociationResolved: z.boolean(),
  respiratoryDepressionResolved: z.boolean(),
  mentalStatusAtBaseline: z.boolean(),
  clinicallyStable: z.boolean(),
  escortPresent: z.boolean(),
  /** REMS: when would the patient have been ready to leave without the 2-h rule (minutes). */
  readyToLeaveMinFromStart: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  note: z.string().trim().max(1000).optional(),
});
export type DischargeAnswers = z.infer<typeof dischargeAnswersSchema>;

export const adverseEventActionSchema = z.enum([
  'none',
  'observed',
  'paused',
  'stopped',
  'medication-given',
  'escalated-emergency',
]);
export const adverseEventSeveritySchema = z.enum(['mild', 'moderate', 'severe']);

const checklistItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['pass', 'fail', 'caution', 'not-applicable']),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
});
const checklistResultSchema = z.object({
  overall: z.enum(['ready', 'review', 'blocked']),
  items: z.array(checklistItemSchema),
}) satisfies z.ZodType<ChecklistResult>;

const dischargeCheckSchema = z.object({
  id: z.string(),
  met: z.boolean(),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
});
const dischargeResultSchema = z.object({
  allowed: z.boolean(),
  message: z.string(),
  checks: z.array(dischargeCheckSchema),
  missing: z.array(dischargeCheckSchema).default([]),
  earliestDischargeMin: z.number().nullable(),
}) satisfies z.ZodType<DischargeResult, unknown>;

/** One rescue medication the order allows: its dose, route and what it is for. */
export const rescueOrderLineSchema = z.object({
  drug: rescueDrugSchema,
  doseMg: z.number().positive().max(1000),
  route: medicationRouteSchema,
  /** What it is for, e.g. "nausea or vomiting". */
  indication: z.string().trim().min(1).max(200),
});
export type RescueOrderLine = z.infer<typeof rescueOrderLineSchema>;

/** A signed session order (stored as the order-signed event's payload). */
export const orderPayloadSchema = z.object({
  drug: orderDrugSchema,
  route: medicationRouteSchema,
  /** IV: the ordered mg/kg; null for a fixed dose (esketamine). */
  doseMgPerKg: z.number().nullable(),
  /** The dose in mg (IV: mg/kg × the weight it was ordered on; null when no weight was on record). */
  doseMg: z.number().nullable(),
  weightKg: z.number().nullable(),
  /** IV: the infusion's duration; null for devices. */
  durationMin: z.number().nullable(),
  /** IV: the infusion rate the dose and duration give; null for devices. */
  rateMgPerMin: z.number().nullable(),
  /** The most this session may give (mg). */
  maxDoseMg: z.number().positive(),
  /** Hold parameters and other conditions, one per line. */
  holdConditions: z.array(z.string()),
  rescues: z.array(rescueOrderLineSchema),
  /** Signed unchanged from the course's standing order. */
  standing: z.boolean(),
});
export type OrderPayload = z.infer<typeof orderPayloadSchema>;

const noteOnly = z.object({ note: z.string().nullable().default(null) });

export const vitalsValuesSchema = z.object({
  sbpMmHg: z.number().optional(),
  dbpMmHg: z.number().optional(),
  heartRateBpm: z.number().optional(),
  spo2Pct: z.number().optional(),
  /** Breaths per minute, when counted. */
  respiratoryRatePerMin: z.number().optional(),
});
export type VitalsValues = z.infer<typeof vitalsValuesSchema>;

/** The payload schema of every event kind. */
export const sessionPayloadSchemas = {
  'check-in': noteOnly,
  checklist: z.object({ input: checklistAnswersSchema, result: checklistResultSchema }),
  'dose-plan': z.object({
    modality: modalitySchema,
    doseMg: z.number(),
    doseMgPerKg: z.number().nullable(),
    weightKg: z.number().nullable(),
    /** The clinic-local date `weightKg` was measured (absent in plans recorded before it was kept). */
    weightMeasuredOn: localDateSchema.nullable().optional(),
    devices: z.int().nullable(),
    lotNumber: z.string().nullable(),
    /** IV: the diluent the nurse recorded (absent in older plans; null when not recorded). */
    diluent: z.string().nullable().optional(),
    /** Planned end of dosing: infusion duration, or the last device's minute. */
    dosingEndMin: z.number(),
    /** IV: the pump program computed by the PK engine. */
    pump: planResponseSchema.nullable(),
  }),
  'dosing-start': z.object({
    note: z.string().nullable().default(null),
    /** Dosed outside the clinic's window around the scheduled date: the reason given, and the days. */
    scheduleOverride: z
      .object({
        reason: z.string().min(1),
        scheduledOn: localDateSchema,
        dosedOn: localDateSchema,
        /** dosedOn − scheduledOn, in days (negative: early). */
        daysFromScheduled: z.int(),
      })
      .optional(),
    /** The signed order dosing started against (absent in sessions dosed before orders existed). */
    orderEventId: z.string().optional(),
    /** How the dose plan differs from the signed order, and the reason given for it. */
    orderDeviation: z.object({ reason: z.string().min(1), differences: z.array(z.string()) }).optional(),
  }),
  vitals: vitalsValuesSchema,
  /** One decision covers every alert of the entry (`vitalsEventId`: vitals, MOAA/S or adverse event). */
  'alert-decision': z.object({
    vitalsEventId: z.string(),
    alertId: z.string(),
    alertIds: z.array(z.string()).default([]),
    decision: z.enum(['continue', 'pause', 'stop']),
    note: z.string().nullable().default(null),
  }),
  'dosing-action': z.object({
    action: infusionActionSchema,
    note: z.string().nullable().default(null),
    /** The entry whose alert decision caused it, when one did. */
    vitalsEventId: z.string().optional(),
    /** What had been given when the entry was made (stop: the amount given in total). */
    amountGivenMg: z.number(),
    runningMin: z.number().nullable().default(null),
  }),
  cadss6: z.object({
    answers: z.record(z.string(), z.number()),
    score: z.number().nullable(),
    scoreMax: z.number().nullable(),
    unverified: z.array(z.string()).default([]),
  }),
  moaas: z.object({
    score: z.number().int().min(0).max(5),
    scoreMax: z.number().nullable().default(5),
    unverified: z.array(z.string()).default([]),
  }),
  'adverse-event': z.object({
    category: adverseEventCategorySchema,
    description: z.string().optional(),
    severity: adverseEventSeveritySchema,
    actionTaken: adverseEventActionSchema,
    timeMin: z.number(),
    onsetMin: z.number().optional(),
    serious: z.boolean().default(false),
    escalation: adverseEventEscalationSchema.optional(),
  }),
  discharge: z.object({
    atMin: z.number(),
    readyToLeaveMinFromStart: z.number().optional(),
    answers: dischargeAnswersSchema,
    result: dischargeResultSchema,
  }),
  'rems-submitted': z.object({ submittedOn: localDateSchema }),
  /** A free-text note on the session. */
  note: z.object({ text: z.string() }),
  /** The prescriber's signed session order; the latest one is in force. */
  'order-signed': orderPayloadSchema,
  /** A second person checked the drawn-up dose against the order (re-entering their password). */
  'dose-verified': z.object({
    /** The dose plan that was checked. */
    planEventId: z.string(),
    doseMg: z.number(),
    verifierUserId: z.string(),
    verifierName: z.string(),
  }),
  /** A rescue medication given against the order's rescue line (timeMin: when it was given). */
  'rescue-given': z.object({
    drug: rescueDrugSchema,
    doseMg: z.number().positive(),
    route: medicationRouteSchema,
    reason: z.string().min(1),
    orderEventId: z.string(),
    /** Why the dose or route differs from the order's line (null: as ordered). */
    deviationReason: z.string().nullable().default(null),
  }),
} as const satisfies Record<SessionEventKind, z.ZodType>;

type Schemas = typeof sessionPayloadSchemas;
export { SESSION_EVENT_KINDS, type SessionEventKind };
export type SessionPayloadOf<K extends SessionEventKind> = z.output<Schemas[K]>;

/** An event to append: its kind, the minute it refers to (after dosing start) and its payload. */
export type NewSessionEvent = {
  [K in SessionEventKind]: { kind: K; timeMin: number | null; payload: SessionPayloadOf<K> };
}[SessionEventKind];

/** What the jsonb `payload` column holds: any kind's payload. */
export type SessionEventPayload = NewSessionEvent['payload'];

/** A recorded event: who recorded it and when, with its typed payload. */
export type SessionEvent = NewSessionEvent & {
  id: string;
  recordedBy: string;
  /** The recorder's display name, when the reader joined it. */
  recordedByName: string;
  recordedAt: Date;
};
export type SessionEventOf<K extends SessionEventKind> = Extract<SessionEvent, { kind: K }>;

const kindSchema = z.enum(SESSION_EVENT_KINDS);

/** A stored row as any reader gets it (the payload still untyped). */
export interface StoredSessionEvent {
  id: string;
  kind: string;
  timeMin: number | null;
  payload: unknown;
  recordedBy: string;
  recordedByName?: string;
  recordedAt: Date;
}

/** Parses one stored row; null when the kind is unknown or the payload does not fit its schema. */
export function parseSessionEvent(row: StoredSessionEvent): SessionEvent | null {
  const kind = kindSchema.safeParse(row.kind);
  if (!kind.success) return null;
  const payload = sessionPayloadSchemas[kind.data].safeParse(row.payload ?? {});
  if (!payload.success) return null;
  return {
    id: row.id,
    kind: kind.data,
    timeMin: row.timeMin,
    payload: payload.data,
    recordedBy: row.recordedBy,
    recordedByName: row.recordedByName ?? '',
    recordedAt: row.recordedAt,
  } as SessionEvent;
}

/**
 * Parses stored rows in order. A row that does not parse is listed in `unreadable` rather than
 * dropped silently or allowed to break every reader of the session.
 */
export function parseSessionEvents(rows: readonly StoredSessionEvent[]): {
  events: SessionEvent[];
  unreadable: string[];
} {
  const events: SessionEvent[] = [];
  const unreadable: string[] = [];
  for (const r of rows) {
    const e = parseSessionEvent(r);
    if (e) events.push(e);
    else unreadable.push(r.id);
  }
  return { events, unreadable };
}

/** Validates an event before it is appended (a writer's bug fails here, not in a reader). */
export function checkNewSessionEvent(e: NewSessionEvent): NewSessionEvent {
  const payload = sessionPayloadSchemas[e.kind].parse(e.payload);
  return { ...e, payload } as NewSessionEvent;
}

/**
 * A stored payload read field by field, for readers that count records kept in older or partial
 * shapes (exports, course progress): every field is optional, each present field has its type.
 * Null when a present field has the wrong type or the kind is unknown.
 */
export function readStoredPayload<K extends SessionEventKind>(
  kind: K,
  payload: unknown,
): Partial<SessionPayloadOf<K>> | null {
  let schema = partialPayloadSchemas.get(kind);
  if (!schema) {
    // Made once per kind: a zod schema compiles its parser on first use.
    schema = (sessionPayloadSchemas[kind] as z.ZodObject).partial();
    partialPayloadSchemas.set(kind, schema);
  }
  const r = schema.safeParse(payload ?? {});
  return r.success ? (r.data as Partial<SessionPayloadOf<K>>) : null;
}

const partialPayloadSchemas = new Map<SessionEventKind, z.ZodObject>();
