/**
 * The session workflow: check-in → pre-session checklist (with interaction flags
 * from the medication list and today's weight recorded as a body measurement) → dose and pump
 * program (PK engine, today's weight) → dosing start → vitals with alerts and recorded
 * pause/stop/continue decisions, CADSS-6 and MOAA/S, adverse events → discharge (refused unless the
 * core's discharge rules are met; esketamine: >= 120 min). Also the live concentration curve and
 * the esketamine REMS Patient Monitoring Form (JSON, PDF, submission, overdue list).
 *
 * Every entry is an append-only `session_events` row; the session state is derived from them on
 * each read. Every read and write is audited, clinic-scoped.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, localDateOf } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import { scoreInstrument } from '../../clinical/instruments';
import { DISSOCIATION_BAND_NG_PER_ML, planInfusion, planResponseSchema, simulate } from '../../clinical/pk';
import {
  adverseEventAlert,
  adverseEventSchema,
  alertDecisionOptions,
  alertDecisionSchema,
  buildRemsMonitoringForm,
  clinicSetting,
  deviceDosingStatus,
  dosingActions,
  type DosingState,
  infusionActionSchema,
  infusionRegimen,
  infusionStatus,
  IV_MIN_OBSERVATION_DEFAULT,
  nextVitalsDueWithDosing,
  readingsAwaitingDecision,
  REMS_FORM_SEX,
  remsSexFor,
  citationSchema,
  defaultDischargeSettings,
  defaultPreSessionSettings,
  defaultVitalsCadence,
  evaluateDischarge,
  evaluatePreSessionChecklist,
  evaluateSedation,
  evidenceStatusSchema,
  interactionFlags,
  medicationFrequencyFromText,
  overdueRemsForms,
  REMS_SUBMIT_WITHIN_DAYS,
  remsObservations,
  resolveVitalsThresholds,
  sessionVitalsEvaluator,
  sourcedNumberSchema,
  vitalsThresholdsSchema,
  type ChecklistResult,
  type DischargeResult,
  type InteractionFlag,
  type Medication as CoreMedication,
  type Modality,
  type ScreeningGate,
  type VitalsThresholds,
} from '../../clinical/protocols';
import { remsPdf } from '../../interop/rems-pdf';
import { addBodyMeasurement, listBodyMeasurements } from '../../store/body-measurements';
import {
  getSessionSettings,
  getTreatmentSession,
  type CourseRow,
  type TreatmentSessionRow,
} from '../../store/courses';
import {
  adverseEventSubmitSchema,
  alertDecisionSubmitSchema,
  checkInSchema,
  checklistSubmitSchema,
  dischargeSubmitSchema,
  type DischargeSubmit,
  dosePlanSubmitSchema,
  dosingActionSubmitSchema,
  dosingStartSchema,
  observationSchema,
  remsSubmittedSchema,
  vitalsEntrySchema,
  type ChecklistSubmit,
  type SessionSettings,
} from '../../store/inputs-sessions';
import { listAssessments } from '../../store/assessments';
import { listMedications, type Medication } from '../../store/medications';
import { getPatient, type Patient } from '../../store/patients';
import type { SessionEventKind } from '../../store/schema-sessions';
import {
  appendSessionEvent,
  listEsketamineSessions,
  listEventsOfKinds,
  listSessionEvents,
  type SessionEventWithAuthor,
} from '../../store/sessions';
import { inClinic, type Tx } from '../../store/tx';
import { getClinic } from '../../store/users';
import { ConflictError } from '../../store/errors';
import { CLINICAL_WRITE, roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';
import { forbidden } from '../http-errors';
import { scheduledSessionDto, screeningGate, toSessionDto } from './courses';

export const SESSION_READ = roles('admin', 'prescriber', 'nurse');
export const SESSION_WRITE = CLINICAL_WRITE;

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const sessionParams = patientParams.extend({
  sessionId: z.uuid({ error: 'must be a session id (UUID)' }),
});

/** Esketamine label: wait 5 minutes between nasal spray devices (28 mg each) [V]. */
const ESK_MIN_BETWEEN_DEVICES = 5;
const ESK_MG_PER_DEVICE = 28;

// ------------------------------------------------------------------------------------------------
// DTOs

const citations = z.array(citationSchema);
const checklistItemDto = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['pass', 'fail', 'caution', 'not-applicable']),
  message: z.string(),
  status: evidenceStatusSchema,
  citations,
});
const interactionFlagDto = z.object({
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
const dosePlanDto = z.object({
  modality: z.enum(['iv-ketamine', 'esketamine']),
  doseMg: z.number(),
  doseMgPerKg: z.number().nullable(),
  weightKg: z.number().nullable(),
  devices: z.int().nullable(),
  lotNumber: z.string().nullable(),
  dosingEndMin: z.number(),
  pump: pumpDto.nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});
const decisionChoice = z.enum(['continue', 'pause', 'stop']);
/** Dosing as it took effect: the infusion clock (IV) or the devices used (esketamine). */
const dosingDto = z.object({
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
});
export type SessionState = z.infer<typeof sessionStateDto>;

// ------------------------------------------------------------------------------------------------
// Helpers

/** The record's medications (free-text frequency) as the interaction rules' input. */
export function toCoreMedications(
  rows: readonly Medication[],
  today: string,
): { meds: CoreMedication[]; notes: string[] } {
  const notes: string[] = [];
  const meds: CoreMedication[] = [];
  for (const m of rows) {
    if (m.stopDate !== null && m.stopDate < today) continue;
    let frequency = medicationFrequencyFromText(m.frequency);
    let dosesPerDay: number | undefined;
    if (!frequency) {
      frequency = 'other';
      dosesPerDay = 1;
      if (m.classTags.includes('benzodiazepine')) {
        notes.push(
          `${m.name}: frequency "${m.frequency ?? 'not recorded'}" not recognised; counted once a day in the diazepam-equivalent total.`,
        );
      }
    }
    const doseMg = m.dose !== null && (m.doseUnit ?? 'mg').trim().toLowerCase() === 'mg' ? m.dose : undefined;
    meds.push({
      name: m.name,
      ...(doseMg !== undefined && doseMg > 0 ? { doseMg } : {}),
      frequency,
      ...(dosesPerDay !== undefined ? { dosesPerDay } : {}),
      classTags: m.classTags.length > 0 ? [...m.classTags] : ['other'],
    });
  }
  return { meds, notes };
}

function thresholdsFor(
  settings: SessionSettings,
  modality: Modality,
): { t: VitalsThresholds; source: 'defaults' | 'clinic' } {
  const own = settings.thresholds[modality];
  return { t: resolveVitalsThresholds(modality, own), source: own ? 'clinic' : 'defaults' };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const latest = (events: SessionEventWithAuthor[], kind: SessionEventKind) =>
  events.filter((e) => e.kind === kind).at(-1);

interface Context {
  session: TreatmentSessionRow;
  course: CourseRow;
  patient: Patient;
  events: SessionEventWithAuthor[];
  settings: SessionSettings;
  timeZone: string;
  medications: Medication[];
  weights: { weightKg: number; measuredOn: string }[];
  /** Local dates on which each instrument was administered (assessments store). */
  assessedOn: { instrument: string; date: string }[];
  screening: ScreeningGate;
}

async function loadContext(
  tx: Tx,
  clinicId: string,
  patientId: string,
  sessionId: string,
  now: Date,
): Promise<Context> {
  const { session, course } = await getTreatmentSession(tx, clinicId, patientId, sessionId);
  const patient = await getPatient(tx, clinicId, patientId);
  const clinic = await getClinic(tx, clinicId);
  const settings = await getSessionSettings(tx, clinicId);
  const events = await listSessionEvents(tx, clinicId, sessionId);
  const medications = await listMedications(tx, clinicId, patientId);
  const weights = (await listBodyMeasurements(tx, clinicId, patientId))
    .filter((m) => m.weightKg !== null)
    .map((m) => ({ weightKg: m.weightKg!, measuredOn: localDateOf(m.measuredAt, clinic.timeZone) }));
  const assessedOn = (await listAssessments(tx, clinicId, patientId)).map((a) => ({
    instrument: a.instrument,
    date: localDateOf(a.administeredAt, clinic.timeZone),
  }));
  const screening = await screeningGate(
    tx,
    clinicId,
    patientId,
    course.modality as Modality,
    localDateOf(now, clinic.timeZone),
    clinic.timeZone,
    settings,
  );
  return {
    screening,
    session,
    course,
    patient,
    events,
    settings,
    timeZone: clinic.timeZone,
    medications,
    weights,
    assessedOn,
  };
}

interface VitalsPayload {
  sbpMmHg?: number;
  dbpMmHg?: number;
  heartRateBpm?: number;
  spo2Pct?: number;
  respiratoryRatePerMin?: number;
}

function minutesBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 60_000) * 10) / 10;
}

/** The latest clinic-local date on or before `today` on which the instrument was administered. */
function latestOnOrBefore(
  assessedOn: Context['assessedOn'],
  instrument: string,
  today: string,
): string | null {
  return (
    assessedOn
      .filter((a) => a.instrument === instrument && a.date <= today)
      .map((a) => a.date)
      .sort()
      .at(-1) ?? null
  );
}

/** Derive the whole session state from its events. */
export function deriveState(ctx: Context, now: Date): SessionState {
  const { session, course, events, settings } = ctx;
  const modality = course.modality as Modality;
  const today = localDateOf(now, ctx.timeZone);
  const { t: thresholds, source: thresholdsSource } = thresholdsFor(settings, modality);
  const checkIn = events.find((e) => e.kind === 'check-in');
  const checklistEv = latest(events, 'checklist');
  const doseEv = latest(events, 'dose-plan');
  const startEv = events.find((e) => e.kind === 'dosing-start');
  const dischargeEv = events.find((e) => e.kind === 'discharge');
  const remsEv = latest(events, 'rems-submitted');
  const nowMin = startEv ? minutesBetween(startEv.recordedAt, now) : null;

  const { meds, notes } = toCoreMedications(ctx.medications, today);
  const interactions: InteractionFlag[] = interactionFlags(meds, { modality });

  const decisions = events.filter((e) => e.kind === 'alert-decision');
  /** The latest decision recorded on the entry `eventId` (it covers every alert the entry raised). */
  const decisionOn = (eventId: string) => {
    const d = decisions
      .filter((x) => {
        // One decision covers every alert of its entry.
        return (x.payload as { vitalsEventId: string }).vitalsEventId === eventId;
      })
      .at(-1);
    const dp = d?.payload as { decision: 'continue' | 'pause' | 'stop'; note?: string } | undefined;
    return d && dp
      ? {
          decision: dp.decision,
          note: dp.note ?? null,
          decidedBy: d.recordedByName,
          decidedAt: d.recordedAt.toISOString(),
        }
      : null;
  };
  const vitalsEvents = events
    .filter((e) => e.kind === 'vitals')
    .sort((a, b) => (a.timeMin ?? 0) - (b.timeMin ?? 0));
  // Post-dose readings are judged against the pre-dose baseline (each measure's latest pre-dose value).
  const raised = sessionVitalsEvaluator(thresholds)(
    vitalsEvents.map((e) => ({ timeMin: e.timeMin ?? 0, ...(e.payload as VitalsPayload) })),
  );
  const vitals = vitalsEvents.map((e, i) => {
    const p = e.payload as VitalsPayload;
    const reading = { timeMin: e.timeMin ?? 0, ...p };
    const alerts = raised[i]!.map((a) => ({ ...a, decision: decisionOn(e.id) }));
    return {
      id: e.id,
      timeMin: reading.timeMin,
      sbpMmHg: num(p.sbpMmHg),
      dbpMmHg: num(p.dbpMmHg),
      heartRateBpm: num(p.heartRateBpm),
      spo2Pct: num(p.spo2Pct),
      respiratoryRatePerMin: num(p.respiratoryRatePerMin),
      recordedAt: e.recordedAt.toISOString(),
      recordedBy: e.recordedByName,
      alerts,
    };
  });
  const observations = events
    .filter((e) => e.kind === 'cadss6' || e.kind === 'moaas')
    .map((e) => {
      const p = e.payload as { score: number | null; scoreMax: number | null; unverified?: string[] };
      const alerts =
        e.kind === 'moaas' && p.score !== null
          ? evaluateSedation(p.score, thresholds).map((a) => ({ ...a, decision: decisionOn(e.id) }))
          : [];
      return {
        id: e.id,
        kind: e.kind as 'cadss6' | 'moaas',
        timeMin: e.timeMin ?? 0,
        score: p.score,
        scoreMax: p.scoreMax,
        unverified: p.unverified ?? [],
        recordedBy: e.recordedByName,
        alerts,
      };
    });
  const adverseEvents = events
    .filter((e) => e.kind === 'adverse-event')
    .map((e) => {
      const p = e.payload as {
        category: string;
        description?: string;
        severity: 'mild' | 'moderate' | 'severe';
        actionTaken: string;
        serious: boolean;
        onsetMin?: number;
        escalation?: string;
      };
      const timeMin = e.timeMin ?? 0;
      const raisedAlert = adverseEventAlert({ ...p, timeMin });
      return {
        id: e.id,
        category: p.category,
        description: p.description ?? null,
        severity: p.severity,
        actionTaken: p.actionTaken,
        timeMin,
        onsetMin: num(p.onsetMin),
        serious: p.serious,
        escalation: p.escalation ?? null,
        recordedBy: e.recordedByName,
        alert: raisedAlert ? { ...raisedAlert, decision: decisionOn(e.id) } : null,
      };
    });
  // One open item per entry awaiting a decision; one decision covers every alert of its entry.
  const decided = new Set(decisions.map((d) => (d.payload as { vitalsEventId: string }).vitalsEventId));
  const entries = [
    ...vitals.map((v) => ({
      vitalsEventId: v.id,
      timeMin: v.timeMin,
      alerts: v.alerts,
      source: 'vitals' as const,
    })),
    ...observations.map((o) => ({
      vitalsEventId: o.id,
      timeMin: o.timeMin,
      alerts: o.alerts.map((a) => ({ ...a, requiresDecision: true })),
      source: 'sedation' as const,
    })),
    ...adverseEvents.map((ae) => ({
      vitalsEventId: ae.id,
      timeMin: ae.timeMin,
      alerts: ae.alert ? [{ ...ae.alert, requiresDecision: true }] : [],
      source: 'adverse-event' as const,
    })),
  ];
  const sourceOf = new Map(entries.map((e) => [e.vitalsEventId, e.source]));
  const openAlerts: SessionState['openAlerts'] = readingsAwaitingDecision(entries, decided)
    .map((r) => ({ ...r, source: sourceOf.get(r.vitalsEventId)!, alertId: r.alertIds[0]! }))
    .sort((a, b) => a.timeMin - b.timeMin);

  const dp = doseEv?.payload as z.infer<typeof dosePlanDto> | undefined;
  const dosePlan =
    doseEv && dp
      ? { ...dp, recordedAt: doseEv.recordedAt.toISOString(), recordedBy: doseEv.recordedByName }
      : null;
  const dosing =
    startEv && dosePlan
      ? dosingOf(
          modality,
          dosePlan,
          events.filter((e) => e.kind === 'dosing-action'),
          nowMin ?? 0,
        )
      : null;
  const cadence = defaultVitalsCadence(modality);
  const nextVitals =
    dischargeEv || !startEv || !dosePlan || !dosing
      ? null
      : {
          ...nextVitalsDueWithDosing({
            readingTimesMin: vitals.map((v) => v.timeMin),
            state: dosing.state,
            dosingEndMin: dosing.dosingEndMin ?? dosing.projectedEndMin,
            nowMin: nowMin ?? 0,
            cadence,
            pausedRecheckEveryMin: settings.monitoring.pausedRecheckEveryMin,
          }),
          cadence,
        };

  const ck = checklistEv?.payload as { result: ChecklistResult; input: Record<string, unknown> } | undefined;
  const dis = dischargeEv?.payload as
    { atMin: number; readyToLeaveMinFromStart?: number; result: DischargeResult } | undefined;

  const phase: SessionState['phase'] = dischargeEv
    ? 'discharged'
    : startEv
      ? 'dosing'
      : doseEv
        ? 'dose-planned'
        : checklistEv
          ? 'checklist-done'
          : checkIn
            ? 'checked-in'
            : 'scheduled';

  const latestWeight = ctx.weights.at(-1) ?? null;
  const state: SessionState = {
    session: toSessionDto(session),
    course: {
      id: course.id,
      templateId: course.templateKey,
      templateName: (course.template as { name: string }).name,
      modality,
    },
    patient: {
      id: ctx.patient.id,
      name: `${ctx.patient.givenName} ${ctx.patient.familyName}`,
      mrn: ctx.patient.mrn,
    },
    now: now.toISOString(),
    today,
    nowMin,
    phase,
    checkedIn: checkIn ? { at: checkIn.recordedAt.toISOString(), by: checkIn.recordedByName } : null,
    checklist:
      checklistEv && ck
        ? {
            overall: ck.result.overall,
            items: ck.result.items,
            input: ck.input,
            recordedAt: checklistEv.recordedAt.toISOString(),
            recordedBy: checklistEv.recordedByName,
          }
        : null,
    interactions,
    interactionNotes: notes,
    assessmentsToday: {
      phq9: ctx.assessedOn.some((a) => a.instrument === 'phq9' && a.date === today),
      cssrs: ctx.assessedOn.some((a) => a.instrument === 'cssrs-screener' && a.date === today),
    },
    assessmentsLatest: {
      phq9: latestOnOrBefore(ctx.assessedOn, 'phq9', today),
      cssrs: latestOnOrBefore(ctx.assessedOn, 'cssrs-screener', today),
    },
    screening: { ok: ctx.screening.ok, message: ctx.screening.message },
    latestWeight,
    dosePlan,
    dosingStartedAt: startEv ? startEv.recordedAt.toISOString() : null,
    thresholds,
    thresholdsSource,
    vitals,
    openAlerts,
    dosing,
    earliestDischargeMin: null,
    nextVitals,
    observations,
    adverseEvents,
    discharge:
      dischargeEv && dis
        ? {
            atMin: dis.atMin,
            at: dischargeEv.recordedAt.toISOString(),
            by: dischargeEv.recordedByName,
            readyToLeaveMinFromStart: dis.readyToLeaveMinFromStart ?? null,
            result: {
              allowed: dis.result.allowed,
              message: dis.result.message,
              earliestDischargeMin: dis.result.earliestDischargeMin,
              checks: dis.result.checks,
            },
          }
        : null,
    remsSubmittedOn: remsEv ? (remsEv.payload as { submittedOn: string }).submittedOn : null,
  };
  if (dosing && !dischargeEv) {
    state.earliestDischargeMin = evaluateDischarge(
      dischargeInput(state, DISCHARGE_PREVIEW_ANSWERS, Math.floor(nowMin ?? 0)),
      dischargeSettings(settings, modality),
    ).earliestDischargeMin;
  }
  return state;
}

type DosePlanDto = z.infer<typeof dosePlanDto>;

/** The dosing clock from the dose plan and the recorded pause / resume / stop entries. */
function dosingOf(
  modality: Modality,
  plan: DosePlanDto,
  actions: SessionEventWithAuthor[],
  nowMin: number,
): z.infer<typeof dosingDto> {
  const history = actions.map((e) => {
    const p = e.payload as {
      action: 'pause' | 'resume' | 'stop';
      note?: string | null;
      amountGivenMg: number;
    };
    return {
      action: p.action,
      atMin: e.timeMin ?? 0,
      note: p.note ?? null,
      amountGivenMg: p.amountGivenMg,
      by: e.recordedByName,
    };
  });
  const events = history.map((h) => ({ action: h.action, atMin: h.atMin }));
  let state: DosingState;
  let dto: Omit<z.infer<typeof dosingDto>, 'state' | 'actions' | 'decisionOptions' | 'history'>;
  if (modality === 'esketamine') {
    const d = deviceDosingStatus({
      devices: plan.devices ?? 1,
      mgPerDevice: ESK_MG_PER_DEVICE,
      minBetweenDevicesMin: ESK_MIN_BETWEEN_DEVICES,
      stopAtMin: events.find((e) => e.action === 'stop')?.atMin ?? null,
      nowMin,
    });
    state = d.state;
    dto = {
      kind: 'devices',
      plannedMg: plan.doseMg,
      amountGivenMg: d.amountGivenMg,
      rateMgPerMin: null,
      runningMin: null,
      remainingMin: null,
      pausedMin: null,
      pausedSinceMin: null,
      remainingVtbiMl: null,
      devicesGiven: d.devicesGiven,
      devicesPlanned: d.devicesPlanned,
      dosingEndMin: d.dosingEndMin,
      projectedEndMin: d.dosingEndMin === null ? d.plannedEndMin : null,
    };
  } else {
    const i = infusionStatus(
      {
        doseMg: plan.doseMg,
        durationMin: plan.dosingEndMin,
        ...(plan.pump ? { vtbiMl: plan.pump.vtbiMl } : {}),
      },
      events,
      nowMin,
    );
    state = i.state;
    dto = {
      kind: 'infusion',
      plannedMg: i.plannedMg,
      amountGivenMg: i.amountGivenMg,
      rateMgPerMin: i.rateMgPerMin,
      runningMin: i.runningMin,
      remainingMin: i.remainingMin,
      pausedMin: i.pausedMin,
      pausedSinceMin: i.pausedSinceMin,
      remainingVtbiMl: i.remainingVtbiMl,
      devicesGiven: null,
      devicesPlanned: null,
      dosingEndMin: i.dosingEndMin,
      projectedEndMin: i.projectedEndMin,
    };
  }
  return {
    ...dto,
    state,
    actions: dosingActions(modality, state),
    decisionOptions: alertDecisionOptions(modality, state),
    history,
  };
}

/** The IV observation minimum from the clinic's setting (the cited default while unchanged). */
function dischargeSettings(settings: SessionSettings, modality: Modality) {
  return {
    ...defaultDischargeSettings(thresholdsFor(settings, modality).t),
    ivMinObservationAfterInfusionMin: clinicSetting(
      settings.monitoring.ivMinObservationAfterDosingMin,
      IV_MIN_OBSERVATION_DEFAULT,
    ),
  };
}

type DischargeAnswers = Pick<
  DischargeSubmit,
  | 'sedationResolved'
  | 'dissociationResolved'
  | 'respiratoryDepressionResolved'
  | 'mentalStatusAtBaseline'
  | 'clinicallyStable'
  | 'escortPresent'
>;
/** Only the time rule's earliest minute is read from a preview; the answers do not affect it. */
const DISCHARGE_PREVIEW_ANSWERS: DischargeAnswers = {
  sedationResolved: true,
  dissociationResolved: true,
  respiratoryDepressionResolved: true,
  mentalStatusAtBaseline: true,
  clinicallyStable: true,
  escortPresent: true,
};

/** The core's discharge input from the session record and the clinician's answers. */
function dischargeInput(state: SessionState, b: DischargeAnswers, dischargeAtMin: number) {
  const obs = (kind: 'moaas' | 'cadss6') =>
    state.observations
      .filter((o) => o.kind === kind && o.score !== null)
      .map((o) => ({ timeMin: o.timeMin, score: o.score! }));
  return {
    modality: state.course.modality,
    dosingEndMin: state.dosing?.dosingEndMin ?? null,
    dischargeAtMin,
    bpReadings: bpReadings(state),
    vitalsReadings: state.vitals.map((v) => ({
      timeMin: v.timeMin,
      ...(v.heartRateBpm !== null ? { heartRateBpm: v.heartRateBpm } : {}),
      ...(v.spo2Pct !== null ? { spo2Pct: v.spo2Pct } : {}),
    })),
    moaas: obs('moaas'),
    cadss: obs('cadss6'),
    sedationResolved: b.sedationResolved,
    dissociationResolved: b.dissociationResolved,
    respiratoryDepressionResolved: b.respiratoryDepressionResolved,
    mentalStatusAtBaseline: b.mentalStatusAtBaseline,
    clinicallyStable: b.clinicallyStable,
    escortPresent: b.escortPresent,
  };
}

function bpReadings(state: SessionState) {
  return state.vitals
    .filter((v) => v.sbpMmHg !== null && v.dbpMmHg !== null)
    .map((v) => ({ timeMin: v.timeMin, sbpMmHg: v.sbpMmHg!, dbpMmHg: v.dbpMmHg! }));
}

function ageYears(dob: string, today: string): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** The REMS Patient Monitoring Form from the session's records (missing fields listed, never guessed). */
function remsForm(ctx: Context, state: SessionState) {
  const p = ctx.patient;
  const ck = state.checklist?.input as Partial<ChecklistSubmit> | undefined;
  const sex = remsSexFor(p.sexAtBirth);
  const missing: string[] = [];
  if (!sex)
    missing.push(`patient.sex (the form offers ${REMS_FORM_SEX.join(', ')}; the record says unknown)`);
  if (!state.dosePlan) missing.push('dose (no dose recorded)');
  if (!state.dosePlan?.lotNumber) missing.push('treatment.lotNumber');
  if (!state.discharge) missing.push('discharge (monitoring end)');
  const s = ctx.settings;
  if (!s.remsSetting.name || !s.remsSetting.address)
    missing.push('setting (clinic settings: REMS setting name and address)');
  if (
    !s.remsMonitoringHcp.name ||
    !s.remsMonitoringHcp.phone ||
    !z.email().safeParse(s.remsMonitoringHcp.email).success
  ) {
    missing.push('monitoringHcp (clinic settings: name, phone, email)');
  }
  if (missing.length > 0) return { ok: false as const, missing };
  const beforeAlerts = state.vitals.filter((v) => v.timeMin <= 0).flatMap((v) => v.alerts);
  const lastBp = state.vitals.filter((v) => v.timeMin <= state.discharge!.atMin).at(-1);
  const observed = remsObservations({
    moaas: state.observations.filter((o) => o.kind === 'moaas'),
    cadss6: state.observations.filter((o) => o.kind === 'cadss6'),
    alerts: [
      ...state.vitals.flatMap((v) => v.alerts.map((a) => ({ ...a, timeMin: v.timeMin }))),
      ...state.observations.flatMap((o) => o.alerts.map((a) => ({ ...a, timeMin: o.timeMin }))),
    ],
    adverseEvents: state.adverseEvents,
  });
  const firstEsk = ctx.session.sequence === 1;
  return buildRemsMonitoringForm({
    patient: {
      firstName: p.givenName,
      lastName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: sex!,
      firstTreatment: firstEsk,
      enrolledInRems: ck?.remsPatientEnrolled === true,
    },
    medications: toCoreMedications(ctx.medications, state.today).meds,
    monitoringHcp: s.remsMonitoringHcp,
    setting: s.remsSetting,
    sessionDate: ctx.session.date,
    // What was given: a stop before the last device leaves fewer devices used than planned.
    doseMg: state.dosing?.amountGivenMg ?? state.dosePlan!.doseMg,
    lotNumber: state.dosePlan!.lotNumber!,
    monitoringEndMin: Math.max(1, Math.round(state.discharge!.atMin)),
    readyToLeaveMinFromStart: Math.round(state.discharge!.readyToLeaveMinFromStart ?? state.discharge!.atMin),
    bpReadings: bpReadings(state),
    vitalSignsAcceptableBeforeAdministration: !beforeAlerts.some((a) => a.severity === 'hold'),
    vitalSignsAcceptableBeforeCompletion: lastBp ? !lastBp.alerts.some((a) => a.severity === 'hold') : false,
    ...observed,
    pulseOximetryMonitored: state.vitals.some((v) => v.spo2Pct !== null),
  });
}

const remsDto = z.object({
  ok: z.boolean(),
  missing: z.array(z.string()),
  warnings: z.array(z.string()),
  form: z.record(z.string(), z.unknown()).nullable(),
  submittedOn: z.string().nullable(),
  dueDate: z.string(),
});

// ------------------------------------------------------------------------------------------------
// Routes

export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  /** Load the session, run `fn` (which may append events), audit, and return the new state. */
  const act = async (
    request: FastifyRequest,
    params: { patientId: string; sessionId: string },
    action: string,
    fn: (ctx: Context, state: SessionState, tx: Tx, now: Date) => Promise<Record<string, unknown> | void>,
  ): Promise<SessionState> => {
    const me = caller(request);
    const now = app.now();
    return inClinic(db(), me.clinicId, async (tx) => {
      const ctx = await loadContext(tx, me.clinicId, params.patientId, params.sessionId, now);
      const before = deriveState(ctx, now);
      const details = (await fn(ctx, before, tx, now)) ?? undefined;
      await audit(tx, request, {
        action,
        resourceType: 'treatment_session',
        resourceId: params.sessionId,
        ...(details ? { details } : {}),
      });
      const after = await loadContext(tx, me.clinicId, params.patientId, params.sessionId, now);
      return deriveState(after, now);
    });
  };
  const append = (
    tx: Tx,
    request: FastifyRequest,
    sessionId: string,
    now: Date,
    event: { kind: SessionEventKind; timeMin?: number | null; payload: unknown },
  ) => {
    const me = caller(request);
    return appendSessionEvent(tx, me.clinicId, sessionId, event, me.userId, now);
  };
  const notDischarged = (state: SessionState) => {
    if (state.discharge)
      throw new ConflictError('session', 'the patient has been discharged; this session is closed');
  };
  const stateResponse = { 200: sessionStateDto, ...errorResponses };

  /**
   * Append a pause / resume / stop after checking, with the core, that it applies now: the whole
   * record is replayed with it, so an entry that could not take effect is refused, never stored.
   */
  const recordDosingAction = async (
    tx: Tx,
    request: FastifyRequest,
    state: SessionState,
    now: Date,
    a: { action: 'pause' | 'resume' | 'stop'; atMin?: number; note?: string; vitalsEventId?: string },
  ) => {
    if (!state.dosing || !state.dosePlan || state.nowMin === null) {
      throw new ConflictError('session', 'dosing has not started');
    }
    const atMin = a.atMin ?? state.nowMin;
    const prior = state.dosing.history.map((h) => ({ action: h.action, atMin: h.atMin }));
    const replayed =
      state.course.modality === 'esketamine'
        ? (() => {
            if (a.action !== 'stop' || prior.length > 0) {
              throw new ClinicalInputError(
                'action',
                `"${a.action}" does not apply to esketamine devices now`,
              );
            }
            if (atMin > state.nowMin!) {
              throw new ClinicalInputError('atMin', `cannot be in the future (now is ${state.nowMin} min)`);
            }
            const d = deviceDosingStatus({
              devices: state.dosePlan!.devices ?? 1,
              mgPerDevice: ESK_MG_PER_DEVICE,
              minBetweenDevicesMin: ESK_MIN_BETWEEN_DEVICES,
              stopAtMin: atMin,
              nowMin: state.nowMin!,
            });
            if (d.state !== 'stopped') {
              throw new ClinicalInputError(
                'action',
                'every device had been used by then: dosing was already complete',
              );
            }
            return { amountGivenMg: d.amountGivenMg, runningMin: null };
          })()
        : (() => {
            const i = infusionStatus(
              { doseMg: state.dosePlan!.doseMg, durationMin: state.dosePlan!.dosingEndMin },
              [...prior, { action: a.action, atMin }],
              state.nowMin!,
            );
            return { amountGivenMg: i.amountGivenMg, runningMin: i.runningMin };
          })();
    await append(tx, request, (request.params as { sessionId: string }).sessionId, now, {
      kind: 'dosing-action',
      timeMin: atMin,
      payload: {
        action: a.action,
        note: a.note ?? null,
        ...(a.vitalsEventId ? { vitalsEventId: a.vitalsEventId } : {}),
        // What had been given when the entry was made (stop: the amount given in total).
        amountGivenMg: replayed.amountGivenMg,
        runningMin: replayed.runningMin,
      },
    });
    return { action: a.action, atMin, amountGivenMg: replayed.amountGivenMg };
  };

  app.get(
    '/api/patients/:patientId/sessions/:sessionId',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          'The session state derived from its records: checklist, dose plan, vitals and alerts, observations, discharge',
        params: sessionParams,
        response: stateResponse,
      },
    },
    async (request) => act(request, request.params, 'session.read', async () => undefined),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/check-in',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Check the patient in',
        params: sessionParams,
        body: checkInSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.check_in', async (ctx, state, tx, now) => {
        notDischarged(state);
        if (state.checkedIn) throw new ConflictError('session', 'already checked in');
        if (!ctx.screening.ok) throw new ConflictError('screening', ctx.screening.message);
        await append(tx, request, request.params.sessionId, now, {
          kind: 'check-in',
          payload: { note: request.body.note ?? null },
        });
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/checklist',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Record the pre-session checklist (today's weight is stored as a body measurement; baseline BP as the pre-dose vitals reading)",
        params: sessionParams,
        body: checklistSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.checklist', async (ctx, state, tx, now) => {
        notDischarged(state);
        if (!state.checkedIn) throw new ConflictError('session', 'check the patient in first');
        if (state.dosingStartedAt)
          throw new ConflictError('session', 'dosing has started; the pre-session checklist is closed');
        const b = request.body;
        const me = caller(request);
        // Today's weight: a resubmitted checklist with the weight already measured today reuses that
        // measurement instead of recording the same weight twice.
        const weightToday = ctx.weights.filter((w) => w.measuredOn === state.today).at(-1);
        let weight = weightToday ?? state.latestWeight;
        let weightRecorded = false;
        if (b.weightKg !== undefined && weightToday?.weightKg !== b.weightKg) {
          await addBodyMeasurement(tx, me.clinicId, ctx.patient.id, { weightKg: b.weightKg }, me.userId, now);
          weight = { weightKg: b.weightKg, measuredOn: state.today };
          weightRecorded = true;
        }
        const modality = state.course.modality;
        const baseline =
          b.baselineSbpMmHg !== undefined ||
          b.baselineHeartRateBpm !== undefined ||
          b.baselineSpo2Pct !== undefined
            ? {
                timeMin: 0,
                ...(b.baselineSbpMmHg !== undefined ? { sbpMmHg: b.baselineSbpMmHg } : {}),
                ...(b.baselineDbpMmHg !== undefined ? { dbpMmHg: b.baselineDbpMmHg } : {}),
                ...(b.baselineHeartRateBpm !== undefined ? { heartRateBpm: b.baselineHeartRateBpm } : {}),
                ...(b.baselineSpo2Pct !== undefined ? { spo2Pct: b.baselineSpo2Pct } : {}),
              }
            : undefined;
        const input = {
          modality,
          sessionDate: state.today,
          identityConfirmed: b.identityConfirmed,
          ...(weight ? { weight } : {}),
          ...(baseline ? { baselineVitals: baseline } : {}),
          ...(b.lastFoodMinBeforeDose !== undefined
            ? { lastFoodMinBeforeDose: b.lastFoodMinBeforeDose }
            : {}),
          ...(b.lastLiquidMinBeforeDose !== undefined
            ? { lastLiquidMinBeforeDose: b.lastLiquidMinBeforeDose }
            : {}),
          escortArranged: b.escortArranged,
          pregnancyTest: b.pregnancyTest,
          patient: {
            sexAtBirth: ctx.patient.sexAtBirth,
            ageYears: ageYears(ctx.patient.dateOfBirth, state.today),
          },
          interactionReviewDone: b.interactionReviewDone,
          // Done only when the response is in the assessments store (the core applies the window).
          phq9AdministeredOn: state.assessmentsLatest.phq9,
          cssrsAdministeredOn: state.assessmentsLatest.cssrs,
          ...(b.remsPatientEnrolled !== undefined ? { remsPatientEnrolled: b.remsPatientEnrolled } : {}),
        };
        const result = evaluatePreSessionChecklist(
          input,
          defaultPreSessionSettings(thresholdsFor(ctx.settings, modality).t, ctx.settings.checklist),
        );
        // The same baseline submitted again is the same reading: append only a changed one.
        const previousBaseline = ctx.events
          .filter((e) => e.kind === 'vitals' && (e.timeMin ?? 0) <= 0)
          .at(-1)?.payload;
        if (baseline) {
          const { timeMin, ...values } = baseline;
          const same =
            previousBaseline !== undefined &&
            (['sbpMmHg', 'dbpMmHg', 'heartRateBpm', 'spo2Pct'] as const).every(
              (k) => (previousBaseline as VitalsPayload)[k] === (values as VitalsPayload)[k],
            );
          if (!same) {
            await append(tx, request, request.params.sessionId, now, {
              kind: 'vitals',
              timeMin,
              payload: values,
            });
          }
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'checklist',
          payload: { input: b, result },
        });
        return { overall: result.overall, weightRecorded };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/dose-plan',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Compute the dose (PK engine, today's weight) and the pump program; esketamine: the chosen dose in devices",
        params: sessionParams,
        body: dosePlanSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.dose_plan', async (ctx, state, tx, now) => {
        notDischarged(state);
        if (!state.checklist) throw new ConflictError('session', 'record the pre-session checklist first');
        if (state.dosingStartedAt)
          throw new ConflictError('session', 'dosing has started; the dose plan is fixed');
        const b = request.body;
        const dose = ctx.session.dose as
          | { kind: 'weight-based'; doseMgPerKg: number; infusionDurationMin: number }
          | { kind: 'fixed-intranasal'; doseMgOptions: number[]; firstSessionDoseMg?: number };
        const lotNumber = b.lotNumber?.trim() ? b.lotNumber.trim() : null;
        if (dose.kind === 'weight-based') {
          const w = state.latestWeight;
          if (!w || w.measuredOn !== state.today) {
            throw new ClinicalInputError(
              'weightKg',
              "record today's weight in the pre-session checklist first",
            );
          }
          const mgPerKg = b.doseMgPerKg ?? dose.doseMgPerKg;
          const me = caller(request);
          if (mgPerKg !== dose.doseMgPerKg && me.role !== 'prescriber' && me.role !== 'admin') {
            throw forbidden(`only a prescriber may change the course dose of ${dose.doseMgPerKg} mg/kg`);
          }
          if (mgPerKg > ctx.settings.clinicMaxDoseMgPerKg) {
            throw new ClinicalInputError(
              'doseMgPerKg',
              `${mgPerKg} mg/kg is above the clinic maximum of ${ctx.settings.clinicMaxDoseMgPerKg} mg/kg`,
            );
          }
          const plan = planInfusion({
            weightKg: w.weightKg,
            dose: `${mgPerKg} mg/kg over ${dose.infusionDurationMin} min`,
            vialMgPerMl: ctx.settings.vialMgPerMl,
            bagMl: ctx.settings.bagMl,
            maxMgPerKgPerSession: ctx.settings.clinicMaxDoseMgPerKg,
          });
          await append(tx, request, request.params.sessionId, now, {
            kind: 'dose-plan',
            payload: {
              modality: 'iv-ketamine',
              doseMg: plan.doseMg,
              doseMgPerKg: mgPerKg,
              weightKg: w.weightKg,
              devices: null,
              lotNumber,
              dosingEndMin: plan.durationMin,
              pump: plan,
            },
          });
          return { doseMgPerKg: mgPerKg };
        }
        const fixed = ctx.session.fixedDoseMg;
        const doseMg = fixed ?? b.doseMg;
        if (doseMg === undefined) {
          throw new ClinicalInputError('doseMg', `choose the dose: ${dose.doseMgOptions.join(' or ')} mg`);
        }
        if (fixed !== null && b.doseMg !== undefined && b.doseMg !== fixed) {
          throw new ClinicalInputError(
            'doseMg',
            `this session's dose is fixed by the schedule at ${fixed} mg (label, day 1)`,
          );
        }
        if (!dose.doseMgOptions.includes(doseMg) && fixed === null) {
          throw new ClinicalInputError(
            'doseMg',
            `must be one of ${dose.doseMgOptions.join(', ')} mg for this phase`,
          );
        }
        const devices = Math.round(doseMg / ESK_MG_PER_DEVICE);
        await append(tx, request, request.params.sessionId, now, {
          kind: 'dose-plan',
          payload: {
            modality: 'esketamine',
            doseMg,
            doseMgPerKg: null,
            weightKg: state.latestWeight?.weightKg ?? null,
            devices,
            lotNumber,
            // Label: 5 min between devices; the last device is used at (devices − 1) × 5 min.
            dosingEndMin: (devices - 1) * ESK_MIN_BETWEEN_DEVICES,
            pump: null,
          },
        });
        return { doseMg };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/start',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Start dosing (infusion start / first device): session minutes count from now',
        params: sessionParams,
        body: dosingStartSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.start', async (_ctx, state, tx, now) => {
        notDischarged(state);
        if (state.dosingStartedAt) throw new ConflictError('session', 'dosing has already started');
        if (!state.dosePlan) throw new ConflictError('session', 'compute the dose plan first');
        if (state.checklist?.overall === 'blocked') {
          const failed = state.checklist.items.filter((i) => i.state === 'fail').map((i) => i.label);
          throw new ConflictError('checklist', `the pre-session checklist is blocked: ${failed.join(', ')}`);
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'dosing-start',
          timeMin: 0,
          payload: { note: request.body.note ?? null },
        });
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/vitals',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record a vitals reading (minutes after dosing start; default now); alerts are evaluated against the thresholds',
        params: sessionParams,
        body: vitalsEntrySchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.vitals', async (_ctx, state, tx, now) => {
        notDischarged(state);
        const { timeMin: given, ...values } = request.body;
        // Default: now, in whole minutes after dosing start like the discharge time (so a reading is
        // never later than a discharge recorded after it); at least 0.1 so it is not read as pre-dose.
        const timeMin = given ?? (state.nowMin === null ? 0 : Math.max(0.1, Math.floor(state.nowMin)));
        if (given !== undefined && state.nowMin !== null && given > state.nowMin) {
          throw new ClinicalInputError(
            'timeMin',
            `cannot be in the future (now is ${Math.floor(state.nowMin)} min)`,
          );
        }
        if (state.nowMin === null && timeMin > 0) {
          throw new ClinicalInputError(
            'timeMin',
            'dosing has not started: a reading now is pre-dose (<= 0 min)',
          );
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'vitals',
          timeMin,
          payload: values,
        });
        return { fields: Object.keys(values) };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/alert-decisions',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          "Record the decision on a vitals reading's alerts (one decision covers the reading). IV pause / stop take effect on the infusion; esketamine offers continue or stop only",
        params: sessionParams,
        body: alertDecisionSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.alert_decision', async (_ctx, state, tx, now) => {
        notDischarged(state);
        const b = request.body;
        // The entry that raised the alert: a vitals reading, a MOAA/S entry or an adverse event.
        const ae = state.adverseEvents.find((a) => a.id === b.vitalsEventId);
        const reading =
          state.vitals.find((v) => v.id === b.vitalsEventId) ??
          state.observations.find((o) => o.id === b.vitalsEventId) ??
          (ae ? { timeMin: ae.timeMin, alerts: ae.alert ? [ae.alert] : [] } : undefined);
        if (!reading) {
          throw new ClinicalInputError(
            'vitalsEventId',
            'no such vitals reading, MOAA/S entry or adverse event in this session',
          );
        }
        if (b.alertId !== undefined && !reading.alerts.some((a) => a.id === b.alertId)) {
          throw new ClinicalInputError('alertId', 'this entry raised no such alert');
        }
        const needsDecision = (a: { requiresDecision?: boolean }) => a.requiresDecision ?? true;
        const covered = reading.alerts.filter(needsDecision).map((a) => a.id);
        const alertId = b.alertId ?? covered[0] ?? reading.alerts[0]?.id;
        if (alertId === undefined)
          throw new ClinicalInputError('vitalsEventId', 'this entry raised no alert');
        if (reading.alerts.some((a) => a.decision !== null)) {
          throw new ConflictError(
            'alert',
            `a decision on the ${reading.timeMin}-min entry is already recorded`,
          );
        }
        const offered = state.dosing?.decisionOptions ?? ['continue'];
        if (!offered.includes(b.decision)) {
          throw new ClinicalInputError(
            'decision',
            `"${b.decision}" does not apply now (${state.dosing ? `dosing ${state.dosing.state}` : 'dosing not started'}); choose ${offered.join(' or ')}`,
          );
        }
        const me = caller(request);
        alertDecisionSchema.parse({
          alertId,
          readingTimeMin: reading.timeMin,
          decision: b.decision,
          decidedBy: me.userId,
          decidedAt: now.toISOString(),
          ...(b.note ? { note: b.note } : {}),
        });
        await append(tx, request, request.params.sessionId, now, {
          kind: 'alert-decision',
          timeMin: reading.timeMin,
          payload: {
            vitalsEventId: b.vitalsEventId,
            alertId,
            alertIds: covered,
            decision: b.decision,
            note: b.note ?? null,
          },
        });
        // Pause and stop act on the dosing now, as if recorded on the dosing itself.
        if (b.decision !== 'continue') {
          await recordDosingAction(tx, request, state, now, {
            action: b.decision,
            note: `${b.decision === 'pause' ? 'Paused' : 'Stopped'} for the ${reading.timeMin}-min reading: ${reading.alerts.map((a) => a.message).join('; ')}${b.note ? ` (${b.note})` : ''}`,
            vitalsEventId: b.vitalsEventId,
          });
        }
        return { alertId, alertIds: covered, decision: b.decision };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/dosing-actions',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Pause, resume or stop dosing. IV: a pause stops the infusion clock, pump program and predicted curve until a resume; stop ends dosing and records the mg given (rate × running time). Esketamine: stop only (no further devices)',
        params: sessionParams,
        body: dosingActionSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.dosing_action', async (_ctx, state, tx, now) => {
        notDischarged(state);
        const b = request.body;
        return recordDosingAction(tx, request, state, now, {
          action: b.action,
          ...(b.atMin !== undefined ? { atMin: b.atMin } : {}),
          ...(b.note ? { note: b.note } : {}),
        });
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/observations',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record a dissociation (CADSS-6, scored by the instruments core) or sedation (MOAA/S 0–5) entry',
        params: sessionParams,
        body: observationSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.observation', async (_ctx, state, tx, now) => {
        notDischarged(state);
        const b = request.body;
        // Whole minutes rounded down like vitals, so an entry made now is never later than a
        // discharge recorded right after it (the discharge checks read scores up to its minute).
        const timeMin = b.timeMin ?? Math.max(0, Math.floor(state.nowMin ?? 0));
        if (b.kind === 'cadss6') {
          const scored = scoreInstrument('cadss6', b.answers);
          await append(tx, request, request.params.sessionId, now, {
            kind: 'cadss6',
            timeMin,
            payload: {
              answers: b.answers,
              score: scored.total,
              scoreMax: scored.totalRange?.max ?? null,
              unverified: scored.unverified,
            },
          });
        } else {
          await append(tx, request, request.params.sessionId, now, {
            kind: 'moaas',
            timeMin,
            payload: { score: b.score, scoreMax: 5, unverified: [] },
          });
        }
        return { kind: b.kind };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/adverse-events',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Record an adverse event (category, severity, action taken)',
        params: sessionParams,
        body: adverseEventSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.adverse_event', async (_ctx, state, tx, now) => {
        const b = request.body;
        if (b.category === 'other' && !b.description?.trim()) {
          throw new ClinicalInputError('description', "description is required when category is 'other'");
        }
        const timeMin = b.timeMin ?? Math.round(state.nowMin ?? 0);
        const checked = adverseEventSchema.safeParse({ ...b, timeMin });
        if (!checked.success) {
          const issue = checked.error.issues[0]!;
          throw new ClinicalInputError(issue.path.join('.') || 'adverseEvent', issue.message);
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'adverse-event',
          timeMin,
          payload: { ...b, timeMin },
        });
        return {
          category: b.category,
          severity: b.severity,
          serious: b.serious,
          needsDecision: adverseEventAlert(checked.data) !== null,
        };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/discharge',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record discharge. Refused (400 naming the field; the message names every unmet criterion) unless every discharge check passes: IV at least the clinic observation time after dosing ended, esketamine at least 120 min from the first device; HR and SpO2 within thresholds, MOAA/S back to the pre-dose score, dissociation resolved.',
        params: sessionParams,
        body: dischargeSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.discharge', async (ctx, state, tx, now) => {
        notDischarged(state);
        if (!state.dosingStartedAt || !state.dosePlan || state.nowMin === null) {
          throw new ConflictError('session', 'dosing has not started');
        }
        const b = request.body;
        // A discharge time may be entered after the fact, never ahead of the clock: the
        // monitoring-time rules are checked against time that has actually passed.
        if (b.dischargeAtMin !== undefined && b.dischargeAtMin > state.nowMin) {
          throw new ClinicalInputError(
            'dischargeAtMin',
            `cannot be in the future (now is ${Math.floor(state.nowMin)} min after dosing start)`,
          );
        }
        const dischargeAtMin = b.dischargeAtMin ?? Math.floor(state.nowMin);
        const modality = state.course.modality;
        const result = evaluateDischarge(
          dischargeInput(state, b, dischargeAtMin),
          dischargeSettings(ctx.settings, modality),
        );
        // Undecided alerts come first: they need a decision before anything else, and the refusal
        // names them together with every unmet discharge criterion.
        if (state.openAlerts.length > 0) {
          const open = `record a decision on ${state.openAlerts.length} reading(s) with open alerts first`;
          throw new ClinicalInputError(
            'alerts',
            result.allowed ? open : `${open}; ${result.message.replace(/^Discharge refused: /, '')}`,
          );
        }
        if (!result.allowed) {
          const first = result.missing[0]!.id;
          const field: Record<string, string> = {
            'DIS-ESK-MIN-MONITORING': 'dischargeAtMin',
            'DIS-IV-MIN-OBSERVATION': 'dischargeAtMin',
            'DIS-IV-INFUSION-ENDED': 'dischargeAtMin',
            'DIS-ESK-BP-PRE-DOSE': 'vitals',
            'DIS-ESK-BP-40-MIN': 'vitals',
            'DIS-BP-BEFORE-DISCHARGE': 'vitals',
            'DIS-ESK-BP-NOT-RISING': 'vitals',
            'DIS-BP-BELOW-HOLD': 'vitals',
            'DIS-HR-WITHIN-THRESHOLDS': 'vitals',
            'DIS-SPO2-WITHIN-THRESHOLDS': 'vitals',
            'DIS-MOAAS-BASELINE': 'observations',
            'DIS-CADSS-RESOLVED': 'observations',
            'DIS-IV-MENTAL-STATUS': 'mentalStatusAtBaseline',
            'DIS-EFFECTS-RESOLVED': 'sedationResolved',
            'DIS-CLINICALLY-STABLE': 'clinicallyStable',
            'DIS-ESCORT': 'escortPresent',
          };
          throw new ClinicalInputError(field[first] ?? 'discharge', result.message);
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'discharge',
          timeMin: dischargeAtMin,
          payload: {
            atMin: dischargeAtMin,
            ...(b.readyToLeaveMinFromStart !== undefined
              ? { readyToLeaveMinFromStart: b.readyToLeaveMinFromStart }
              : {}),
            answers: b,
            result,
          },
        });
        return { atMin: dischargeAtMin };
      }),
  );

  app.get(
    '/api/patients/:patientId/interactions',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          "Interaction flags from the patient's current medication list (shown at intake and at each session)",
        params: patientParams,
        querystring: z.object({ modality: z.enum(['iv-ketamine', 'esketamine']).default('iv-ketamine') }),
        response: {
          200: z.object({ flags: z.array(interactionFlagDto), notes: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const { patientId } = request.params;
      return inClinic(db(), me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const rows = await listMedications(tx, me.clinicId, patientId);
        const { meds, notes } = toCoreMedications(rows, localDateOf(app.now(), clinic.timeZone));
        const flags = interactionFlags(meds, { modality: request.query.modality });
        await audit(tx, request, {
          action: 'interactions.read',
          resourceType: 'patient',
          resourceId: patientId,
          details: { flags: flags.length },
        });
        return { flags, notes };
      });
    },
  );

  // ----------------------------------------------------------------------------------------------
  // Live curve

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/curve',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          "Predicted concentration curve for this session's dose (PK engine) with the dissociative band",
        params: sessionParams,
        response: {
          200: z.object({
            model: z.string(),
            regimen: z.array(z.string()),
            weightKg: z.number(),
            timesMin: z.array(z.number()),
            plasmaNgPerMl: z.array(z.number()),
            effectNgPerMl: z.array(z.number()).nullable(),
            band: z.object({ low: z.number(), high: z.number(), status: z.string(), source: z.string() }),
            nowMin: z.number().nullable(),
            notes: z.array(z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const now = app.now();
      const { state, ctx } = await inClinic(db(), me.clinicId, async (tx) => {
        const ctx = await loadContext(
          tx,
          me.clinicId,
          request.params.patientId,
          request.params.sessionId,
          now,
        );
        await audit(tx, request, {
          action: 'session.curve',
          resourceType: 'treatment_session',
          resourceId: request.params.sessionId,
        });
        return { ctx, state: deriveState(ctx, now) };
      });
      if (!state.dosePlan) throw new ConflictError('session', 'no dose plan yet');
      const weightKg = state.dosePlan.weightKg ?? state.latestWeight?.weightKg;
      if (weightKg === undefined) throw new ClinicalInputError('weightKg', 'no weight on record');
      const esk = state.course.modality === 'esketamine';
      const model = esk ? ctx.settings.pkModelEsketamine : ctx.settings.pkModelIv;
      // Before dosing starts: the plan. Once it has: what the dosing clock says was (and, while
      // running, will be) given, so a pause or stop shows on the curve.
      const dosing = state.dosing;
      const regimen = esk
        ? Array.from(
            { length: dosing?.devicesGiven ?? state.dosePlan.devices ?? 1 },
            (_, i) => `${ESK_MG_PER_DEVICE} mg intranasal at ${i * ESK_MIN_BETWEEN_DEVICES} min`,
          )
        : dosing
          ? infusionRegimen(
              infusionStatus(
                { doseMg: state.dosePlan.doseMg, durationMin: state.dosePlan.dosingEndMin },
                dosing.history.map((h) => ({ action: h.action, atMin: h.atMin })),
                state.nowMin ?? 0,
              ),
            )
          : [`${state.dosePlan.doseMg} mg over ${state.dosePlan.dosingEndMin} min at 0 min`];
      if (regimen.length === 0) throw new ConflictError('session', 'nothing has been given yet');
      const until = Math.max(180, Math.ceil((state.nowMin ?? 0) + 30));
      const sim = simulate({
        model,
        weightKg,
        ageYears: ageYears(ctx.patient.dateOfBirth, state.today),
        ...(ctx.patient.sexAtBirth === 'female'
          ? { sex: 'F' }
          : ctx.patient.sexAtBirth === 'male'
            ? { sex: 'M' }
            : {}),
        doses: regimen,
        stepMin: 1,
        untilMin: until,
      });
      const parent = Object.keys(sim.analytes)[0]!;
      return {
        model: sim.model,
        regimen,
        weightKg,
        timesMin: sim.timesMin,
        plasmaNgPerMl: sim.analytes[parent]!,
        effectNgPerMl: sim.effectSite?.ngPerMl ?? null,
        band: { ...DISSOCIATION_BAND_NG_PER_ML },
        nowMin: state.nowMin,
        notes: sim.notes,
      };
    },
  );

  // ----------------------------------------------------------------------------------------------
  // REMS (esketamine)

  const loadRems = async (
    request: FastifyRequest,
    params: { patientId: string; sessionId: string },
    action: string,
  ) => {
    const me = caller(request);
    const now = app.now();
    return inClinic(db(), me.clinicId, async (tx) => {
      const ctx = await loadContext(tx, me.clinicId, params.patientId, params.sessionId, now);
      if (ctx.course.modality !== 'esketamine') {
        throw new ConflictError(
          'session',
          'the REMS Patient Monitoring Form applies to esketamine sessions only',
        );
      }
      const state = deriveState(ctx, now);
      await audit(tx, request, { action, resourceType: 'treatment_session', resourceId: params.sessionId });
      const clinic = await getClinic(tx, me.clinicId);
      return { ctx, state, built: remsForm(ctx, state), clinicName: clinic.name, tx, now };
    });
  };

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/rems',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary: 'The SPRAVATO REMS Patient Monitoring Form built from the session (missing fields listed)',
        params: sessionParams,
        response: { 200: remsDto, ...errorResponses },
      },
    },
    async (request) => {
      const { state, built } = await loadRems(request, request.params, 'session.rems.read');
      return {
        ok: built.ok,
        missing: built.ok ? [] : built.missing,
        warnings: built.ok ? built.warnings : [],
        form: built.ok ? (built.form as unknown as Record<string, unknown>) : null,
        submittedOn: state.remsSubmittedOn,
        dueDate: addDays(state.session.date, REMS_SUBMIT_WITHIN_DAYS),
      };
    },
  );

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/rems/pdf',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary: 'The REMS Patient Monitoring Form as a printable PDF (application/pdf)',
        params: sessionParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { built, state, clinicName } = await loadRems(request, request.params, 'session.rems.pdf');
      if (!built.ok) throw new ClinicalInputError('session', `form incomplete: ${built.missing.join('; ')}`);
      const pdf = await remsPdf(built.form, { clinicName, madeOn: state.today, warnings: built.warnings });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="rems-monitoring-${state.session.date}.pdf"`)
        .send(pdf as never);
    },
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/rems/submitted',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary: 'Mark the REMS Patient Monitoring Form as submitted (date)',
        params: sessionParams,
        body: remsSubmittedSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.rems.submitted', async (ctx, _state, tx, now) => {
        if (ctx.course.modality !== 'esketamine') {
          throw new ConflictError(
            'session',
            'the REMS Patient Monitoring Form applies to esketamine sessions only',
          );
        }
        await append(tx, request, request.params.sessionId, now, {
          kind: 'rems-submitted',
          payload: request.body,
        });
      }),
  );

  app.get(
    '/api/rems/overdue',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary: 'Esketamine sessions whose REMS form is not marked submitted within 7 days',
        response: {
          200: z.array(
            z.object({
              sessionId: z.uuid(),
              patientId: z.uuid(),
              sessionDate: z.string(),
              dueDate: z.string(),
              daysOverdue: z.int(),
              patientName: z.string(),
              mrn: z.string(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = caller(request);
      const now = app.now();
      return inClinic(db(), me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const sessions = await listEsketamineSessions(tx, me.clinicId);
        const events = await listEventsOfKinds(
          tx,
          me.clinicId,
          sessions.map((s) => s.sessionId),
          ['discharge', 'rems-submitted'],
        );
        // Only treatments that took place (discharge recorded) need a form.
        const treated = sessions.filter((s) =>
          events.some((e) => e.sessionId === s.sessionId && e.kind === 'discharge'),
        );
        const overdue = overdueRemsForms(
          treated.map((s) => {
            const sub = events
              .filter((e) => e.sessionId === s.sessionId && e.kind === 'rems-submitted')
              .at(-1);
            return {
              sessionId: s.sessionId,
              sessionDate: s.date,
              ...(sub ? { submittedOn: (sub.payload as { submittedOn: string }).submittedOn } : {}),
            };
          }),
          localDateOf(now, clinic.timeZone),
        );
        await audit(tx, request, {
          action: 'rems.overdue.list',
          resourceType: 'treatment_session',
          details: { returned: overdue.length },
        });
        const out = [];
        for (const o of overdue) {
          const patientId = treated.find((s) => s.sessionId === o.sessionId)!.patientId;
          const p = await getPatient(tx, me.clinicId, patientId);
          out.push({ ...o, patientId, patientName: `${p.givenName} ${p.familyName}`, mrn: p.mrn });
        }
        return out;
      });
    },
  );
}
