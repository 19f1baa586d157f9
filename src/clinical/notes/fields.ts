/**
 * What a clinical note holds besides its free text: the session summary taken from the session's
 * record (never typed again by hand), and the clinician's assessment and plan. The templates say
 * which sections each kind shows; the prefill fills them from the session and the previous note.
 */
import { z } from 'zod';
import { localDateSchema } from '../calendar';
import { MODALITIES, type Modality } from '../vocabulary/modalities';
import { ADMINISTRATION_NOTE_KIND, type NoteKind } from '../vocabulary/notes';
import type { SessionState } from '../session/state';

const minute = z
  .number()
  .min(-240)
  .max(24 * 60);

export const noteSessionSummarySchema = z.object({
  sessionId: z.string(),
  sequence: z.int(),
  date: localDateSchema,
  modality: z.enum(MODALITIES),
  doseMg: z.number().nullable(),
  doseMgPerKg: z.number().nullable(),
  weightKg: z.number().nullable(),
  /** Esketamine: nasal devices given. */
  devicesGiven: z.int().nullable(),
  lotNumber: z.string().nullable(),
  diluent: z.string().nullable(),
  /** The instant dosing started (ISO), null when it never did. */
  dosingStartedAt: z.string().nullable(),
  /** Minutes after dosing start at which dosing ended (planned end, or the stop). */
  dosingEndMin: minute.nullable(),
  amountGivenMg: z.number().nullable(),
  pauses: z.object({ count: z.int().min(0), totalMin: z.number().min(0) }),
  stoppedAtMin: minute.nullable(),
  vitals: z.object({
    readings: z.int().min(0),
    maxSbpMmHg: z.number().nullable(),
    maxDbpMmHg: z.number().nullable(),
    maxHeartRateBpm: z.number().nullable(),
    minHeartRateBpm: z.number().nullable(),
    minSpo2Pct: z.number().nullable(),
  }),
  lowestMoaas: z.number().nullable(),
  highestCadss6: z.number().nullable(),
  adverseEvents: z.array(
    z.object({
      category: z.string(),
      severity: z.string(),
      actionTaken: z.string(),
      timeMin: minute,
      serious: z.boolean(),
    }),
  ),
  discharge: z.object({ atMin: minute, criteriaMet: z.boolean() }).nullable(),
  remsSubmittedOn: localDateSchema.nullable(),
});
export type NoteSessionSummary = z.infer<typeof noteSessionSummarySchema>;

/** The structured part of a note. */
export const noteFieldsSchema = z.object({
  session: noteSessionSummarySchema.nullable(),
  assessment: z.string().max(5000),
  plan: z.string().max(5000),
  /** The note the plan was carried forward from, when the prefill carried one. */
  carriedFromNoteId: z.string().nullable(),
});
export type NoteFields = z.infer<typeof noteFieldsSchema>;

export interface NoteTemplate {
  kind: NoteKind;
  /** The session modality the note documents (null: any, or none). */
  modality: Modality | null;
  /** Whether the note must be written about a session. */
  needsSession: boolean;
  /** Headings of the free text the template starts from. */
  textHeadings: readonly string[];
}

export const NOTE_TEMPLATES: Readonly<Record<NoteKind, NoteTemplate>> = {
  'iv-administration': {
    kind: 'iv-administration',
    modality: 'iv-ketamine',
    needsSession: true,
    textHeadings: ['IV access', 'Patient response during infusion', 'Recovery and discharge'],
  },
  'esketamine-treatment': {
    kind: 'esketamine-treatment',
    modality: 'esketamine',
    needsSession: true,
    textHeadings: ['Administration (devices, technique)', 'Monitoring', 'Recovery and discharge'],
  },
  'prescriber-progress': {
    kind: 'prescriber-progress',
    modality: null,
    needsSession: false,
    textHeadings: ['Interval history', 'Mental status', 'Side effects'],
  },
};

export const noteKindOfModality = (m: Modality): NoteKind => ADMINISTRATION_NOTE_KIND[m];

const maxOf = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
};
const minOf = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.min(...v) : null;
};

/** The session as a note documents it, from the core's session state (the fold). */
export function noteSessionSummary(
  state: SessionState,
  session: { id: string; sequence: number; date: string },
): NoteSessionSummary {
  const r = state.record;
  const plan = r.dosePlan?.payload ?? null;
  const d = state.dosing;
  const pauses = d?.history.filter((h) => h.action === 'pause').length ?? 0;
  const scores = (kind: 'moaas' | 'cadss6') =>
    state.observations.filter((o) => o.kind === kind && o.score !== null).map((o) => o.score!);
  const stop = d?.history.find((h) => h.action === 'stop');
  const v = state.vitals.map((x) => x.values);
  return {
    sessionId: session.id,
    sequence: session.sequence,
    date: session.date,
    modality: state.modality,
    doseMg: plan?.doseMg ?? null,
    doseMgPerKg: plan?.doseMgPerKg ?? null,
    weightKg: plan?.weightKg ?? null,
    devicesGiven: d?.devicesGiven ?? null,
    lotNumber: plan?.lotNumber ?? null,
    diluent: plan?.diluent ?? null,
    dosingStartedAt: r.dosingStart ? r.dosingStart.recordedAt.toISOString() : null,
    dosingEndMin: d?.dosingEndMin ?? null,
    amountGivenMg: d ? Math.round(d.amountGivenMg * 10) / 10 : null,
    pauses: { count: pauses, totalMin: Math.round((d?.pausedMin ?? 0) * 10) / 10 },
    stoppedAtMin: stop ? stop.atMin : null,
    vitals: {
      readings: v.length,
      maxSbpMmHg: maxOf(v.map((x) => x.sbpMmHg)),
      maxDbpMmHg: maxOf(v.map((x) => x.dbpMmHg)),
      maxHeartRateBpm: maxOf(v.map((x) => x.heartRateBpm)),
      minHeartRateBpm: minOf(v.map((x) => x.heartRateBpm)),
      minSpo2Pct: minOf(v.map((x) => x.spo2Pct)),
    },
    lowestMoaas: minOf(scores('moaas')),
    highestCadss6: maxOf(scores('cadss6')),
    adverseEvents: state.adverseEvents.map((a) => ({
      category: a.event.payload.category,
      severity: a.event.payload.severity,
      actionTaken: a.event.payload.actionTaken,
      timeMin: a.timeMin,
      serious: a.event.payload.serious,
    })),
    discharge: r.discharge
      ? { atMin: r.discharge.payload.atMin, criteriaMet: r.discharge.payload.result.allowed }
      : null,
    remsSubmittedOn: r.remsSubmitted?.payload.submittedOn ?? null,
  };
}

/** The previous signed note of the same kind, as the prefill reads it. */
export interface PreviousNote {
  id: string;
  fields: NoteFields;
}

/**
 * A new note of `kind`: the session summary from the record, the plan carried forward from the
 * previous signed note of the same kind (marked as carried), and the template's headings as the
 * free text to write under. The assessment is never carried: it is today's.
 */
export function prefillNote(
  kind: NoteKind,
  session: NoteSessionSummary | null,
  previous: PreviousNote | null,
): { fields: NoteFields; text: string } {
  return {
    fields: {
      session,
      assessment: '',
      plan: previous?.fields.plan ?? '',
      carriedFromNoteId: previous && previous.fields.plan ? previous.id : null,
    },
    text: NOTE_TEMPLATES[kind].textHeadings.map((h) => `${h}:\n`).join('\n'),
  };
}
