/**
 * Loading a session for its use cases: the session and course rows, the patient, the clinic's
 * settings and calendar, the facts the checklist and the REMS form read (medications, weights,
 * screeners, the screening gate), and the session's events folded into its state by the core.
 */
import { screeningGate } from '../courses';
import { sessionBookings, type SessionBooking } from '../bookings';
import { localDateOf } from '../../clinical/calendar';
import {
  interactionFlags,
  medicationFrequencyFromText,
  modalitySchema,
  type InteractionFlag,
  type Medication as CoreMedication,
  type Modality,
  type ScreeningGate,
} from '../../clinical/protocols';
import {
  dosingDay,
  esketamineOrderedDoseMg,
  foldSession,
  foldSessionFrom,
  parseSessionEvents,
  readStoredPayload,
  sessionState,
  type DosingDay,
  type EarlierDose,
  type SessionEvent,
  type SessionState,
  type SessionSettings,
  type StoredSessionEvent,
} from '../../clinical/session';
import { measuredByNowOnly } from '../../clinical/plausibility';
import { listBodyMeasurements } from '../../store/body-measurements';
import { getTreatmentSession, type CourseRow, type TreatmentSessionRow } from '../../store/courses';
import { getSessionSettings } from '../session-settings';
import { listMedications, type Medication } from '../../store/medications';
import { getPatient, type Patient } from '../../store/patients';
import { listCompletions } from '../../store/assessments';
import { listPatientDosings, listSessionEvents } from '../../store/sessions';
import { getClinic } from '../../store/users';
import type { UseCaseContext } from '../context';

export interface SessionRef {
  patientId: string;
  sessionId: string;
}

/**
 * What a session's events make of it at `now`: the session and course rows, the clinic's calendar
 * and settings, and the events folded into the core's state. Enough to decide and answer an entry
 * that changes only the session's events (a reading, a decision on it, an observation).
 */
export interface SessionEventsView {
  now: Date;
  /** The clinic's today (YYYY-MM-DD, clinic time zone). */
  today: string;
  timeZone: string;
  session: TreatmentSessionRow;
  course: CourseRow;
  modality: Modality;
  settings: SessionSettings;
  /** The session's readable events in stored order (what `state` folds). */
  events: SessionEvent[];
  /** The session core's state: the fold of the events judged by the clinic's rules at `now`. */
  state: SessionState;
  /** Stored events the core could not read (listed, never guessed at). */
  unreadableEventIds: string[];
}

/** A session as its use cases and readers see it at `now`. */
export interface LoadedSession extends SessionEventsView {
  patient: Patient;
  medications: Medication[];
  /** Weights on record, oldest first, with their clinic-local measurement dates. */
  weights: { weightKg: number; measuredOn: string }[];
  /** Clinic-local dates on which each instrument was administered (assessments store). */
  assessedOn: { instrument: string; date: string }[];
  screening: ScreeningGate;
  /** Whether today is a day this session may be dosed (its scheduled day, the minimum interval). */
  dosingDay: DosingDay;
  /** Esketamine: the dose this session is ordered at (null: IV, or no order yet). */
  orderedDoseMg: number | null;
  /** Where the booking stands: status, actual times, start drift, booking changes. */
  booking: SessionBooking;
}

/**
 * The session's rows, the clinic's calendar and settings, and its events folded into the state:
 * reads started together (a pipelining driver sends them in one round trip). With
 * `lockCourse` the first of them takes the course's lock (see record.ts).
 */
export async function loadSessionEvents(
  ctx: UseCaseContext,
  ref: SessionRef,
  opts: { lockCourse?: boolean } = {},
): Promise<SessionEventsView> {
  const { tx, now } = ctx;
  const clinicId = ctx.actor.clinicId;
  const [{ session, course }, tz, settings, rows] = await Promise.all([
    // Locking, the session's rows come with the course's lock; the reads after it run once it is held.
    getTreatmentSession(tx, clinicId, ref.patientId, ref.sessionId, opts),
    // A signed-in actor carries the clinic's calendar; others read it.
    ctx.actor.clinicCalendar?.timeZone ?? getClinic(tx, clinicId).then((c) => c.timeZone),
    getSessionSettings(tx, clinicId),
    listSessionEvents(tx, clinicId, ref.sessionId),
  ]);
  const modality = modalitySchema.parse(course.modality);
  const { events, unreadable } = parseSessionEvents(rows);
  return {
    now,
    today: localDateOf(now, tz),
    timeZone: tz,
    session,
    course,
    modality,
    settings,
    events,
    state: sessionState(foldSession(events), modality, settings, now),
    unreadableEventIds: unreadable,
  };
}

export async function loadSession(ctx: UseCaseContext, ref: SessionRef): Promise<LoadedSession> {
  const { tx, now } = ctx;
  const clinicId = ctx.actor.clinicId;
  // Independent reads are started together (a pipelining driver sends them in one round trip);
  // the second group needs the course's modality, the clinic's time zone and its settings.
  const [base, patient, medications, bodyMeasurements, assessments, dosings] = await Promise.all([
    loadSessionEvents(ctx, ref),
    getPatient(tx, clinicId, ref.patientId),
    // The patient is read here (a missing one is refused by this read): the lists need not check.
    listMedications(tx, clinicId, ref.patientId, { patientChecked: true }),
    listBodyMeasurements(tx, clinicId, ref.patientId, { patientChecked: true }),
    listCompletions(tx, clinicId, ref.patientId),
    listPatientDosings(tx, clinicId, ref.patientId),
  ]);
  const { session, course, modality, settings, state, today, timeZone: tz } = base;
  // Only weights measured by now count: a future-dated one is never "the latest".
  const measured = measuredByNowOnly(bodyMeasurements, now);
  const weights = measured.flatMap((m) =>
    m.weightKg !== null ? [{ weightKg: m.weightKg, measuredOn: localDateOf(m.measuredAt, tz) }] : [],
  );
  // Only when each instrument was administered (current versions): no items, no names.
  const assessedOn = (assessments.get(ref.patientId) ?? []).map((a) => ({
    instrument: a.instrument as string,
    date: localDateOf(a.completedAt, tz),
  }));
  const [screening, bookings] = await Promise.all([
    screeningGate(tx, clinicId, ref.patientId, modality, today, tz, settings),
    sessionBookings(tx, clinicId, [session], tz, settings),
  ]);
  const earlierDoses = patientDoses(dosings, tz);
  return {
    ...base,
    patient,
    medications,
    weights,
    assessedOn,
    screening,
    dosingDay: dosingDay(
      {
        today,
        session: { id: session.id, courseId: course.id, scheduledOn: session.date },
        modality,
        earlierDoses,
      },
      settings.dosingDays,
    ),
    orderedDoseMg:
      modality === 'esketamine'
        ? esketamineOrderedDoseMg({
            fixedDoseMg: session.fixedDoseMg,
            plannedDoseMg: state.record.dosePlan?.payload.doseMg ?? null,
            courseId: course.id,
            sessionId: session.id,
            earlierDoses,
          })
        : null,
    booking: bookings.get(session.id)!,
  };
}

/**
 * Kinds whose events change nothing a loaded session holds but its events and state: not the
 * booking (check-in, dosing start, discharge), the patient's earlier doses or the ordered dose
 * (dosing start, dose plan), nor any row other than the session's events.
 */
const STATE_ONLY_KINDS: ReadonlySet<string> = new Set([
  'vitals',
  'alert-decision',
  'observation',
  'adverse-event',
]);

const storedAfter = (a: { recordedAt: Date; id: string }, b: { recordedAt: Date; id: string }) =>
  a.recordedAt.getTime() > b.recordedAt.getTime() ||
  (a.recordedAt.getTime() === b.recordedAt.getTime() && a.id > b.id);

/**
 * The session as loadSession (or loadSessionEvents) would now return it after `appended` (rows just stored in this
 * transaction) — without reading it again: the new events are folded onto the loaded ones by the
 * same core fold. Null when a reload is needed instead: an event of a kind that changes more than
 * the state, or rows that would not come last in the stored order.
 */
export function withAppendedEvents<S extends SessionEventsView>(
  before: S,
  appended: readonly StoredSessionEvent[],
): S | null {
  if (!appended.every((r) => STATE_ONLY_KINDS.has(r.kind))) return null;
  const last = before.events.at(-1);
  for (let i = 0; i < appended.length; i++) {
    const previous = i === 0 ? last : appended[i - 1];
    if (previous && !storedAfter(appended[i]!, previous)) return null;
  }
  const parsed = parseSessionEvents(appended);
  return {
    ...before,
    events: [...before.events, ...parsed.events],
    // The fold is a left fold: the new events fold onto the loaded record.
    state: sessionState(
      foldSessionFrom(before.state.record, parsed.events),
      before.modality,
      before.settings,
      before.now,
    ),
    unreadableEventIds: [...before.unreadableEventIds, ...parsed.unreadable],
  };
}

/** The patient's doses in every course: the clinic-local day each started and the dose planned then. */
function patientDoses(rows: Awaited<ReturnType<typeof listPatientDosings>>, timeZone: string): EarlierDose[] {
  return rows.flatMap((r) => {
    const modality = modalitySchema.safeParse(r.modality);
    if (!modality.success) return [];
    const plan = r.dosePlans.filter((p) => p.recordedAt <= r.startedAt).at(-1);
    const doseMg = plan ? (readStoredPayload('dose-plan', plan.payload)?.doseMg ?? null) : null;
    return [
      {
        sessionId: r.sessionId,
        courseId: r.courseId,
        sequence: r.sequence,
        modality: modality.data,
        dosedOn: localDateOf(r.startedAt, timeZone),
        doseMg,
      },
    ];
  });
}

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

/** The interaction flags for the patient's current medications and this modality. */
export function sessionInteractions(s: Pick<LoadedSession, 'medications' | 'today' | 'modality'>): {
  flags: InteractionFlag[];
  notes: string[];
} {
  const { meds, notes } = toCoreMedications(s.medications, s.today);
  return { flags: interactionFlags(meds, { modality: s.modality }), notes };
}

/** The latest clinic-local date on or before `today` on which the instrument was administered. */
export function latestAssessedOn(
  s: Pick<LoadedSession, 'assessedOn' | 'today'>,
  instrument: string,
): string | null {
  return (
    s.assessedOn
      .filter((a) => a.instrument === instrument && a.date <= s.today)
      .map((a) => a.date)
      .sort()
      .at(-1) ?? null
  );
}
