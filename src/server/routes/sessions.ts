/**
 * The session workflow (issue 5, item 4): check-in → pre-session checklist (with interaction flags
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
import { ClinicalInputError } from '../../clinical/errors';
import { scoreInstrument } from '../../clinical/instruments';
import { DISSOCIATION_BAND_NG_PER_ML, planInfusion, planResponseSchema, simulate } from '../../clinical/pk';
import {
  alertDecisionSchema,
  buildRemsMonitoringForm,
  citationSchema,
  defaultDischargeSettings,
  defaultPreSessionSettings,
  defaultVitalsCadence,
  defaultVitalsThresholds,
  evaluateDischarge,
  evaluatePreSessionChecklist,
  evaluateVitals,
  evidenceStatusSchema,
  interactionFlags,
  nextVitalsDue,
  overdueRemsForms,
  REMS_SUBMIT_WITHIN_DAYS,
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
  dosePlanSubmitSchema,
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
import { localDate, scheduledSessionDto, screeningGate, toSessionDto } from './courses';

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
const alertDto = z.object({
  id: z.string(),
  severity: z.enum(['caution', 'notify', 'hold']),
  message: z.string(),
  measured: z.number(),
  threshold: sourcedNumberSchema,
  requiresDecision: z.boolean(),
  decision: z
    .object({
      decision: z.enum(['continue', 'pause', 'stop']),
      note: z.string().nullable(),
      decidedBy: z.string(),
      decidedAt: z.string(),
    })
    .nullable(),
});
const vitalsDto = z.object({
  id: z.uuid(),
  timeMin: z.number(),
  sbpMmHg: z.number().nullable(),
  dbpMmHg: z.number().nullable(),
  heartRateBpm: z.number().nullable(),
  spo2Pct: z.number().nullable(),
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
  openAlerts: z.array(
    z.object({ vitalsEventId: z.uuid(), alertId: z.string(), message: z.string(), timeMin: z.number() }),
  ),
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
      serious: z.boolean(),
      recordedBy: z.string(),
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

const FREQUENCIES: Record<string, CoreMedication['frequency']> = {
  'once-daily': 'once-daily',
  'once daily': 'once-daily',
  daily: 'once-daily',
  qd: 'once-daily',
  od: 'once-daily',
  'twice-daily': 'twice-daily',
  'twice daily': 'twice-daily',
  bid: 'twice-daily',
  'three-times-daily': 'three-times-daily',
  'three times daily': 'three-times-daily',
  tid: 'three-times-daily',
  'four-times-daily': 'four-times-daily',
  'four times daily': 'four-times-daily',
  qid: 'four-times-daily',
  'at-bedtime': 'at-bedtime',
  'at bedtime': 'at-bedtime',
  nightly: 'at-bedtime',
  qhs: 'at-bedtime',
  'as-needed': 'as-needed',
  'as needed': 'as-needed',
  prn: 'as-needed',
  weekly: 'weekly',
};

/** The record's medications (free-text frequency) as the interaction rules' input. */
export function toCoreMedications(
  rows: readonly Medication[],
  today: string,
): { meds: CoreMedication[]; notes: string[] } {
  const notes: string[] = [];
  const meds: CoreMedication[] = [];
  for (const m of rows) {
    if (m.stopDate !== null && m.stopDate < today) continue;
    const key = (m.frequency ?? '').trim().toLowerCase();
    let frequency = FREQUENCIES[key];
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
  return own ? { t: own, source: 'clinic' } : { t: defaultVitalsThresholds(modality), source: 'defaults' };
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
    .map((m) => ({ weightKg: m.weightKg!, measuredOn: localDate(m.measuredAt, clinic.timeZone) }));
  const assessedOn = (await listAssessments(tx, clinicId, patientId)).map((a) => ({
    instrument: a.instrument,
    date: localDate(a.administeredAt, clinic.timeZone),
  }));
  const screening = await screeningGate(
    tx,
    clinicId,
    patientId,
    course.modality as Modality,
    localDate(now, clinic.timeZone),
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
  const today = localDate(now, ctx.timeZone);
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
  const vitalsEvents = events
    .filter((e) => e.kind === 'vitals')
    .sort((a, b) => (a.timeMin ?? 0) - (b.timeMin ?? 0));
  let baseline: (VitalsPayload & { timeMin: number }) | undefined;
  const vitals = vitalsEvents.map((e) => {
    const p = e.payload as VitalsPayload;
    const reading = { timeMin: e.timeMin ?? 0, ...p };
    const alerts = evaluateVitals(reading, thresholds, reading.timeMin > 0 ? baseline : undefined).map(
      (a) => {
        const d = decisions
          .filter((x) => {
            const dp = x.payload as { vitalsEventId: string; alertId: string };
            return dp.vitalsEventId === e.id && dp.alertId === a.id;
          })
          .at(-1);
        const dp = d?.payload as { decision: 'continue' | 'pause' | 'stop'; note?: string } | undefined;
        return {
          ...a,
          decision:
            d && dp
              ? {
                  decision: dp.decision,
                  note: dp.note ?? null,
                  decidedBy: d.recordedByName,
                  decidedAt: d.recordedAt.toISOString(),
                }
              : null,
        };
      },
    );
    if (reading.timeMin <= 0 && reading.sbpMmHg !== undefined) baseline = reading;
    return {
      id: e.id,
      timeMin: reading.timeMin,
      sbpMmHg: num(p.sbpMmHg),
      dbpMmHg: num(p.dbpMmHg),
      heartRateBpm: num(p.heartRateBpm),
      spo2Pct: num(p.spo2Pct),
      recordedAt: e.recordedAt.toISOString(),
      recordedBy: e.recordedByName,
      alerts,
    };
  });
  const openAlerts = vitals.flatMap((v) =>
    v.alerts
      .filter((a) => a.requiresDecision && a.decision === null)
      .map((a) => ({ vitalsEventId: v.id, alertId: a.id, message: a.message, timeMin: v.timeMin })),
  );

  const dp = doseEv?.payload as z.infer<typeof dosePlanDto> | undefined;
  const dosePlan =
    doseEv && dp
      ? { ...dp, recordedAt: doseEv.recordedAt.toISOString(), recordedBy: doseEv.recordedByName }
      : null;
  const cadence = defaultVitalsCadence(modality);
  const nextVitals =
    dischargeEv || !startEv || !dosePlan
      ? null
      : {
          ...nextVitalsDue({
            readingTimesMin: vitals.map((v) => v.timeMin),
            dosingEndMin: dosePlan.dosingEndMin,
            nowMin: nowMin ?? 0,
            cadence,
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
  return {
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
    nextVitals,
    observations: events
      .filter((e) => e.kind === 'cadss6' || e.kind === 'moaas')
      .map((e) => {
        const p = e.payload as { score: number | null; scoreMax: number | null; unverified?: string[] };
        return {
          id: e.id,
          kind: e.kind as 'cadss6' | 'moaas',
          timeMin: e.timeMin ?? 0,
          score: p.score,
          scoreMax: p.scoreMax,
          unverified: p.unverified ?? [],
          recordedBy: e.recordedByName,
        };
      }),
    adverseEvents: events
      .filter((e) => e.kind === 'adverse-event')
      .map((e) => {
        const p = e.payload as {
          category: string;
          description?: string;
          severity: 'mild' | 'moderate' | 'severe';
          actionTaken: string;
          serious: boolean;
        };
        return {
          id: e.id,
          category: p.category,
          description: p.description ?? null,
          severity: p.severity,
          actionTaken: p.actionTaken,
          timeMin: e.timeMin ?? 0,
          serious: p.serious,
          recordedBy: e.recordedByName,
        };
      }),
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
  const sex = p.sexAtBirth === 'female' || p.sexAtBirth === 'male' ? p.sexAtBirth : null;
  const missing: string[] = [];
  if (!sex) missing.push('patient.sex (the form asks female or male)');
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
  const moaasLow = state.observations.some((o) => o.kind === 'moaas' && o.score !== null && o.score < 5);
  const cadss = state.observations.some((o) => o.kind === 'cadss6' && (o.score ?? 0) > 0);
  const ae = (cat: string) => state.adverseEvents.filter((a) => a.category === cat);
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
    doseMg: state.dosePlan!.doseMg,
    lotNumber: state.dosePlan!.lotNumber!,
    monitoringEndMin: Math.max(1, Math.round(state.discharge!.atMin)),
    readyToLeaveMinFromStart: Math.round(state.discharge!.readyToLeaveMinFromStart ?? state.discharge!.atMin),
    bpReadings: bpReadings(state),
    vitalSignsAcceptableBeforeAdministration: !beforeAlerts.some((a) => a.severity === 'hold'),
    vitalSignsAcceptableBeforeCompletion: lastBp ? !lastBp.alerts.some((a) => a.severity === 'hold') : false,
    sedation: {
      observed: moaasLow || ae('sedation').length > 0,
      ...(ae('sedation')[0]?.description ? { details: ae('sedation')[0]!.description! } : {}),
    },
    dissociation: { observed: cadss || ae('dissociation').length > 0 },
    respiratoryDepression: { observed: ae('respiratory-depression').length > 0 },
    pulseOximetryMonitored: state.vitals.some((v) => v.spo2Pct !== null),
    seriousAdverseEventReported: state.adverseEvents.some((a) => a.serious),
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
        summary: 'Record the pause / stop / continue decision on a vitals alert',
        params: sessionParams,
        body: alertDecisionSubmitSchema,
        response: stateResponse,
      },
    },
    async (request) =>
      act(request, request.params, 'session.alert_decision', async (_ctx, state, tx, now) => {
        const b = request.body;
        const reading = state.vitals.find((v) => v.id === b.vitalsEventId);
        if (!reading) throw new ClinicalInputError('vitalsEventId', 'no such vitals reading in this session');
        const alert = reading.alerts.find((a) => a.id === b.alertId);
        if (!alert) throw new ClinicalInputError('alertId', 'this reading raised no such alert');
        const me = caller(request);
        alertDecisionSchema.parse({
          alertId: b.alertId,
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
            alertId: b.alertId,
            decision: b.decision,
            note: b.note ?? null,
          },
        });
        return { alertId: b.alertId, decision: b.decision };
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
        const timeMin = b.timeMin ?? Math.max(0, Math.round(state.nowMin ?? 0));
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
        await append(tx, request, request.params.sessionId, now, {
          kind: 'adverse-event',
          timeMin,
          payload: { ...b, timeMin },
        });
        return { category: b.category, severity: b.severity, serious: b.serious };
      }),
  );

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/discharge',
    {
      config: { access: SESSION_WRITE },
      schema: {
        tags: ['sessions'],
        summary:
          'Record discharge. Refused (400 naming the field) unless every discharge check passes; esketamine requires at least 120 min from the first device.',
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
          {
            modality,
            dosingEndMin: state.dosePlan.dosingEndMin,
            dischargeAtMin,
            bpReadings: bpReadings(state),
            sedationResolved: b.sedationResolved,
            dissociationResolved: b.dissociationResolved,
            respiratoryDepressionResolved: b.respiratoryDepressionResolved,
            mentalStatusAtBaseline: b.mentalStatusAtBaseline,
            clinicallyStable: b.clinicallyStable,
            escortPresent: b.escortPresent,
          },
          defaultDischargeSettings(thresholdsFor(ctx.settings, modality).t),
        );
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
            'DIS-IV-MENTAL-STATUS': 'mentalStatusAtBaseline',
            'DIS-EFFECTS-RESOLVED': 'sedationResolved',
            'DIS-CLINICALLY-STABLE': 'clinicallyStable',
            'DIS-ESCORT': 'escortPresent',
          };
          throw new ClinicalInputError(field[first] ?? 'discharge', result.message);
        }
        if (state.openAlerts.length > 0) {
          throw new ClinicalInputError(
            'alerts',
            `record a pause / stop / continue decision on ${state.openAlerts.length} open alert(s) first`,
          );
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
        const { meds, notes } = toCoreMedications(rows, localDate(app.now(), clinic.timeZone));
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
      const regimen = esk
        ? Array.from(
            { length: state.dosePlan.devices ?? 1 },
            (_, i) => `${ESK_MG_PER_DEVICE} mg intranasal at ${i * ESK_MIN_BETWEEN_DEVICES} min`,
          )
        : [`${state.dosePlan.doseMg} mg over ${state.dosePlan.dosingEndMin} min at 0 min`];
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
      const dueDate = new Date(`${state.session.date}T00:00:00Z`);
      dueDate.setUTCDate(dueDate.getUTCDate() + REMS_SUBMIT_WITHIN_DAYS);
      return {
        ok: built.ok,
        missing: built.ok ? [] : built.missing,
        warnings: built.ok ? built.warnings : [],
        form: built.ok ? (built.form as unknown as Record<string, unknown>) : null,
        submittedOn: state.remsSubmittedOn,
        dueDate: dueDate.toISOString().slice(0, 10),
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
          localDate(now, clinic.timeZone),
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
