/**
 * Course use cases: clinic session settings, course templates, eligibility screening with
 * prescriber sign-off, scheduling a course onto the clinic calendar, titration and booster
 * suggestions, and the course's calendar file. Clinical decisions come from the pure core
 * (src/clinical/protocols); here they are loaded for, persisted, audited and, where settings change
 * derived facts, refreshed.
 */
import type { SuggestionKind } from '../clinical/vocabulary/suggestions';
import {
  BUILT_IN_TEMPLATES,
  courseTemplateSchema,
  currentScreening,
  defaultVitalsThresholds,
  measuredTimeToRelapse,
  plannedSessionCount,
  resolveVitalsThresholds,
  scheduleCourse,
  screenEligibility,
  suggestBoosterDueDate,
  suggestTitration,
  validateSignOff,
  type CourseTemplate,
  type EligibilityResult,
  type IntakeAnswers,
  type Modality,
  type ScheduleResult,
  type ScreeningGate,
} from '../clinical/protocols';
import { ClinicalInputError } from '../clinical/errors';
import { assertCourseStartPlausible } from '../clinical/plausibility';
import { clinicClosures, inductionEnded, readStoredPayload, type SessionSettings } from '../clinical/session';
import { courseIcs } from '../interop/course-ics';
import { listAssessments } from './assessments';
import {
  createCourse,
  createScreening,
  getCourse,
  getScreening,
  listClinicTemplates,
  listCourses,
  listScreenings,
  saveClinicTemplate,
  saveSessionSettings,
  signOffScreening,
  type CourseRow,
  type ScreeningRow,
  type ScreeningWithSignOff,
  type SignOffRow,
  type TreatmentSessionRow,
} from '../store/courses';
import { getSessionSettings } from './session-settings';
import { ConflictError } from '../store/errors';
import { rebuildOutcomeFacts } from './outcome-facts';
import { listEventsOfKinds } from '../store/sessions';
import type { Tx } from '../store/tx';
import { getClinic } from '../store/users';
import { recordAudit, type UseCaseContext } from './context';
import { addDays, localDateOf } from '../clinical/calendar';
import { baselineAssessment } from '../clinical/outcomes';
import { clinicDay } from './clinic-day';
import { courseCancellation, liveBookings, sessionBookings, type SessionBooking } from './bookings';

/** The clinic's session settings as stored and as HTTP reads and writes them (one contract). */
export { sessionSettingsSchema } from '../clinical/session';
export type { CourseRow, ScreeningWithSignOff, TreatmentSessionRow } from '../store/courses';

// ------------------------------------------------------------------------------------------------
// Settings

export function sessionSettings(ctx: UseCaseContext): Promise<SessionSettings> {
  return getSessionSettings(ctx.tx, ctx.actor.clinicId);
}

/**
 * Saves a new version of the clinic's session settings. Remission and vitals thresholds decide
 * the dashboard's course facts, so a change to either recomputes them in this transaction (a
 * whole clinic, so only then).
 */
export async function updateSessionSettings(
  ctx: UseCaseContext,
  settings: SessionSettings,
): Promise<SessionSettings> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('updateSessionSettings: settings are changed by a staff user');
  const before = await getSessionSettings(tx, actor.clinicId);
  const saved = await saveSessionSettings(tx, actor.clinicId, settings, actor.userId);
  const outcomeInputs = (x: SessionSettings) => JSON.stringify([x.outcomes, x.thresholds]);
  if (outcomeInputs(before) !== outcomeInputs(saved)) await rebuildOutcomeFacts(tx, actor.clinicId, now);
  await recordAudit(ctx, {
    action: 'session_settings.update',
    resourceType: 'clinic',
    resourceId: actor.clinicId,
  });
  return saved;
}

/** Alarm thresholds per modality: the cited defaults and those in force for this clinic. */
export async function vitalsThresholdsInForce(ctx: UseCaseContext) {
  const settings = await getSessionSettings(ctx.tx, ctx.actor.clinicId);
  const of = (m: Modality) => ({
    defaults: defaultVitalsThresholds(m),
    inForce: resolveVitalsThresholds(m, settings.thresholds[m]),
    source: settings.thresholds[m] ? ('clinic' as const) : ('defaults' as const),
  });
  return { 'iv-ketamine': of('iv-ketamine'), esketamine: of('esketamine') };
}

// ------------------------------------------------------------------------------------------------
// Templates

export interface ListedTemplate {
  source: 'built-in' | 'clinic';
  plannedSessions: number;
  template: CourseTemplate;
}

/** The clinic's own templates, then the built-ins they do not replace (same id = replaced). */
export async function courseTemplates(ctx: UseCaseContext): Promise<ListedTemplate[]> {
  const own = (await listClinicTemplates(ctx.tx, ctx.actor.clinicId)).map((r) =>
    courseTemplateSchema.parse(r.template),
  );
  const ownIds = new Set(own.map((t) => t.id));
  return [
    ...own.map((template) => ({
      source: 'clinic' as const,
      plannedSessions: plannedSessionCount(template),
      template,
    })),
    ...BUILT_IN_TEMPLATES.filter((t) => !ownIds.has(t.id)).map((template) => ({
      source: 'built-in' as const,
      plannedSessions: plannedSessionCount(template),
      template,
    })),
  ];
}

/** Saves a clinic template (the same id is a new version of it). */
export async function saveCourseTemplate(
  ctx: UseCaseContext,
  template: CourseTemplate,
): Promise<ListedTemplate> {
  if (!ctx.actor.userId) throw new Error('saveCourseTemplate: a template is saved by a staff user');
  const row = await saveClinicTemplate(ctx.tx, ctx.actor.clinicId, template, ctx.actor.userId);
  await recordAudit(ctx, {
    action: 'course_template.save',
    resourceType: 'course_template',
    resourceId: row.id,
    details: { phases: template.phases.length },
  });
  return { source: 'clinic', plannedSessions: plannedSessionCount(template), template };
}

async function findTemplate(tx: Tx, clinicId: string, templateId: string): Promise<CourseTemplate> {
  const clinic = (await listClinicTemplates(tx, clinicId)).find((t) => t.templateKey === templateId);
  if (clinic) return courseTemplateSchema.parse(clinic.template);
  const builtIn = BUILT_IN_TEMPLATES.find((t) => t.id === templateId);
  if (builtIn) return builtIn;
  throw new ClinicalInputError('templateId', `unknown template "${templateId}"`);
}

// ------------------------------------------------------------------------------------------------
// Eligibility

export async function listEligibility(
  ctx: UseCaseContext,
  patientId: string,
): Promise<ScreeningWithSignOff[]> {
  const rows = await listScreenings(ctx.tx, ctx.actor.clinicId, patientId);
  await recordAudit(ctx, {
    action: 'eligibility.list',
    resourceType: 'patient',
    resourceId: patientId,
    details: { returned: rows.length },
  });
  return rows;
}

/** Screens eligibility from intake answers; baseline BP is judged against the clinic's own thresholds. */
export async function screenPatient(
  ctx: UseCaseContext,
  input: { patientId: string; answers: IntakeAnswers },
): Promise<ScreeningRow> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('screenPatient: a screening is recorded by a staff user');
  const settings = await getSessionSettings(tx, actor.clinicId);
  const modality = input.answers.modality;
  const result = screenEligibility(input.answers, {
    thresholds: resolveVitalsThresholds(modality, settings.thresholds[modality]),
  });
  const row = await createScreening(
    tx,
    actor.clinicId,
    input.patientId,
    input.answers,
    result,
    actor.userId,
    now,
  );
  await recordAudit(ctx, {
    action: 'eligibility.screen',
    resourceType: 'eligibility_screening',
    resourceId: row.id,
    details: { status: result.status, reasons: result.reasons.length },
  });
  return row;
}

/** A prescriber's sign-off, validated by the core (approving not-eligible is refused). */
export async function signOffEligibility(
  ctx: UseCaseContext,
  input: {
    patientId: string;
    screeningId: string;
    decision: 'approve' | 'decline';
    note?: string | undefined;
  },
): Promise<{ screening: ScreeningRow; signOff: SignOffRow }> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('signOffEligibility: a sign-off is made by a prescriber');
  const screening = await getScreening(tx, actor.clinicId, input.patientId, input.screeningId);
  const s = validateSignOff(screening.result as EligibilityResult, {
    prescriberId: actor.userId,
    signedAt: now.toISOString(),
    decision: input.decision,
    note: input.note,
  });
  const signOff = await signOffScreening(tx, actor.clinicId, input.screeningId, s, actor.userId, now);
  await recordAudit(ctx, {
    action: 'eligibility.sign_off',
    resourceType: 'eligibility_screening',
    resourceId: input.screeningId,
    details: { decision: s.decision, note: Boolean(s.note?.trim()) },
  });
  return { screening, signOff };
}

/**
 * Whether the patient has a current eligible (or approved) screening for the modality on `today`
 * (clinic-local), under the clinic's validity window. The rule is the core's currentScreening.
 */
export async function screeningGate(
  tx: Tx,
  clinicId: string,
  patientId: string,
  modality: Modality,
  today: string,
  timeZone: string,
  settings: SessionSettings,
): Promise<ScreeningGate> {
  const rows = await listScreenings(tx, clinicId, patientId);
  return currentScreening({
    modality,
    onDate: today,
    // listScreenings is newest first; the core breaks same-day ties by list order (oldest first).
    screenings: [...rows].reverse().map(({ screening, signOff }) => ({
      id: screening.id,
      modality: screening.modality as Modality,
      status: (screening.result as EligibilityResult).status,
      screenedOn: localDateOf(screening.createdAt, timeZone),
      signOff: signOff ? { decision: signOff.decision as 'approve' | 'decline' } : null,
    })),
    validDays: settings.screening.validDays,
  });
}

// ------------------------------------------------------------------------------------------------
// Courses

export interface CourseWithSessions {
  course: CourseRow;
  sessions: TreatmentSessionRow[];
  /** Where each session stands (by session id) and the course's cancellation, if any. */
  bookings: Map<string, SessionBooking>;
  cancelled: { reason: string; at: Date } | null;
}

async function withBookings(
  tx: Tx,
  clinicId: string,
  found: { course: CourseRow; sessions: TreatmentSessionRow[] },
): Promise<CourseWithSessions> {
  const { timeZone } = await getClinic(tx, clinicId);
  const settings = await getSessionSettings(tx, clinicId);
  const bookings = await sessionBookings(tx, clinicId, found.sessions, timeZone, settings);
  return { ...found, bookings, cancelled: courseCancellation(bookings.values()) };
}

export async function listPatientCourses(
  ctx: UseCaseContext,
  patientId: string,
): Promise<CourseWithSessions[]> {
  const { tx, actor } = ctx;
  const out: CourseWithSessions[] = [];
  for (const c of await listCourses(tx, actor.clinicId, patientId)) {
    out.push(await withBookings(tx, actor.clinicId, await getCourse(tx, actor.clinicId, patientId, c.id)));
  }
  await recordAudit(ctx, {
    action: 'course.list',
    resourceType: 'patient',
    resourceId: patientId,
    details: { returned: out.length },
  });
  return out;
}

export type ScheduledCourse =
  | { preview: true; template: CourseTemplate; schedule: ScheduleResult }
  | ({ preview: false; conflicts: number } & CourseWithSessions);

/**
 * Schedules a course from a template onto the clinic calendar (clinic hours, closed dates and
 * rooms respected; conflicts returned). A preview saves nothing; a course is saved only when the
 * patient has a current screening for the template's modality on the clinic's today.
 */
export async function scheduleCourseFor(
  ctx: UseCaseContext,
  input: { patientId: string; templateId: string; startDate: string; preview: boolean },
): Promise<ScheduledCourse> {
  const { tx, actor } = ctx;
  const { patientId, startDate } = input;
  const { today, timeZone } = await clinicDay(ctx);
  // Refused before the calendar is searched: a start years ahead is a slip, not a booking.
  assertCourseStartPlausible(startDate, today, 'startDate');
  const template = await findTemplate(tx, actor.clinicId, input.templateId);
  const settings = await getSessionSettings(tx, actor.clinicId);
  const bookings = await liveBookings(tx, actor.clinicId, startDate, addDays(startDate, 3 * 366));
  const schedule = scheduleCourse({
    template,
    startDate,
    clinicHours: settings.clinicHours,
    closedDates: clinicClosures(settings).map((c) => c.date),
    rooms: settings.rooms,
    sessionDurationMin: settings.sessionDurationMin[template.modality],
    slotStepMin: settings.slotStepMin,
    existingBookings: bookings,
  });
  if (input.preview) {
    await recordAudit(ctx, {
      action: 'course.preview',
      resourceType: 'patient',
      resourceId: patientId,
      details: { sessions: schedule.sessions.length, conflicts: schedule.conflicts.length },
    });
    return { preview: true, template, schedule };
  }
  if (!actor.userId) throw new Error('scheduleCourseFor: a course is scheduled by a prescriber');
  const gate = await screeningGate(
    tx,
    actor.clinicId,
    patientId,
    template.modality,
    today,
    timeZone,
    settings,
  );
  if (!gate.ok) throw new ConflictError('screening', `cannot schedule the course: ${gate.message}`);
  const created = await withBookings(
    tx,
    actor.clinicId,
    await createCourse(tx, actor.clinicId, patientId, { template, startDate, schedule }, actor.userId),
  );
  const { course, sessions } = created;
  await recordAudit(ctx, {
    action: 'course.create',
    resourceType: 'course',
    resourceId: course.id,
    details: { sessions: sessions.length, conflicts: schedule.conflicts.length },
  });
  return { preview: false, ...created, conflicts: schedule.conflicts.length };
}

export async function readCourse(
  ctx: UseCaseContext,
  input: { patientId: string; courseId: string },
): Promise<CourseWithSessions> {
  const found = await withBookings(
    ctx.tx,
    ctx.actor.clinicId,
    await getCourse(ctx.tx, ctx.actor.clinicId, input.patientId, input.courseId),
  );
  await recordAudit(ctx, { action: 'course.read', resourceType: 'course', resourceId: input.courseId });
  return found;
}

/** Start of a scheduled session as an instant (clinic-local date and minute, read as UTC). */
const sessionStart = (s: { date: string; startMin: number }) =>
  new Date(new Date(`${s.date}T00:00:00Z`).getTime() + s.startMin * 60_000);

/** The patient's measured time to relapse from earlier courses' completed sessions and PHQ-9 scores. */
async function measuredRelapseFromHistory(
  tx: Tx,
  clinicId: string,
  patientId: string,
  currentCourseId: string,
  phq9: Array<{ administeredAt: Date; totalScore: number | null }>,
) {
  const earlier = (await listCourses(tx, clinicId, patientId)).filter((c) => c.id !== currentCourseId);
  const pastCourses = [];
  for (const c of earlier) {
    const { sessions } = await getCourse(tx, clinicId, patientId, c.id);
    const discharged = await listEventsOfKinds(
      tx,
      clinicId,
      sessions.map((s) => s.id),
      ['discharge'],
    );
    const done = sessions.filter((s) => discharged.some((e) => e.sessionId === s.id)).map(sessionStart);
    if (done.length > 0) pastCourses.push({ startedAt: sessionStart(sessions[0]!), sessionStarts: done });
  }
  if (pastCourses.length === 0) return null;
  return measuredTimeToRelapse({
    instrument: 'phq9',
    pastCourses,
    assessments: phq9.map((a) => ({ at: a.administeredAt, score: a.totalScore! })),
  });
}

export interface CourseSuggestion {
  ruleId: string;
  kind: SuggestionKind;
  message: string;
  status: ReturnType<typeof suggestTitration>['status'];
  citations: ReturnType<typeof suggestTitration>['citations'];
  dueDate: string | null;
}

export interface CourseSuggestions {
  completedSessions: number;
  titration: CourseSuggestion | null;
  titrationUnavailable: string | null;
  booster: CourseSuggestion | null;
  boosterUnavailable: string | null;
}

/** Titration and booster suggestions for a course, each with its rule and citations (nothing changes). */
export async function courseSuggestions(
  ctx: UseCaseContext,
  input: { patientId: string; courseId: string },
): Promise<CourseSuggestions> {
  const { tx, actor } = ctx;
  const { patientId, courseId } = input;
  const { course, sessions } = await getCourse(tx, actor.clinicId, patientId, courseId);
  const settings = await getSessionSettings(tx, actor.clinicId);
  const events = await listEventsOfKinds(
    tx,
    actor.clinicId,
    sessions.map((s) => s.id),
    ['dose-plan', 'discharge', 'dosing-start'],
  );
  const completed = sessions.filter((s) =>
    events.some((e) => e.sessionId === s.id && e.kind === 'discharge'),
  );
  const dosesMgPerKg = completed
    .map((s) => events.filter((e) => e.sessionId === s.id && e.kind === 'dose-plan').at(-1))
    .map((e) => (e ? (readStoredPayload('dose-plan', e.payload)?.doseMgPerKg ?? null) : null))
    .filter((d): d is number => d !== null);
  const phq9 = (await listAssessments(tx, actor.clinicId, patientId)).filter(
    (a) => a.instrument === 'phq9' && a.totalScore !== null,
  );
  const firstDosedAt = events.find((e) => e.kind === 'dosing-start')?.recordedAt ?? null;
  const baseline = baselineAssessment(
    phq9.map((a) => ({ ...a, at: a.administeredAt, score: a.totalScore })),
    firstDosedAt,
  );
  const latestPhq9 = phq9.at(-1);
  let titration: CourseSuggestion | null = null;
  let titrationUnavailable: string | null = null;
  if (course.modality !== 'iv-ketamine') {
    titrationUnavailable = 'Titration rules (Cusin 2017) apply to IV ketamine courses.';
  } else if (!baseline || !latestPhq9 || baseline.id === latestPhq9.id || (baseline.totalScore ?? 0) <= 0) {
    titrationUnavailable = 'Needs a baseline and a later PHQ-9 to assess improvement.';
  } else {
    const t = suggestTitration({
      infusionDosesMgPerKg: dosesMgPerKg,
      baselineScore: baseline.totalScore!,
      latestScore: latestPhq9.totalScore!,
      instrument: 'PHQ-9',
      clinicMaxDoseMgPerKg: settings.clinicMaxDoseMgPerKg,
    });
    titration = {
      ruleId: t.ruleId,
      kind: t.kind,
      message: t.message,
      status: t.status,
      citations: t.citations,
      dueDate: null,
    };
  }
  const last = completed.at(-1);
  // This patient's own time to relapse, measured on their earlier courses.
  const measured = await measuredRelapseFromHistory(tx, actor.clinicId, patientId, course.id, phq9);
  // The booster is planned from the end of induction (clinical/session/booking.ts), not mid-series.
  const { timeZone } = await getClinic(tx, actor.clinicId);
  const bookings = await sessionBookings(tx, actor.clinicId, sessions, timeZone, settings);
  const parsedTemplate = courseTemplateSchema.safeParse(course.template);
  const inductionPhaseId = parsedTemplate.success
    ? parsedTemplate.data.phases[0]!.id
    : (sessions[0]?.phaseId ?? '');
  const induction = inductionEnded(
    sessions.map((s) => ({ phaseId: s.phaseId, status: bookings.get(s.id)!.status })),
    inductionPhaseId,
  );
  const booster =
    last && induction.ended
      ? suggestBoosterDueDate({
          lastInfusionDate: last.date,
          ...(measured ? { measuredDaysToRelapse: measured.days } : {}),
        })
      : null;
  await recordAudit(ctx, {
    action: 'course.suggestions',
    resourceType: 'course',
    resourceId: courseId,
    details: { completed: completed.length },
  });
  return {
    completedSessions: completed.length,
    titration,
    titrationUnavailable,
    booster: booster
      ? {
          ruleId: booster.ruleId,
          kind: booster.basis,
          message: booster.message,
          status: booster.status,
          citations: booster.citations,
          dueDate: booster.dueDate,
        }
      : null,
    boosterUnavailable: booster
      ? null
      : !last
        ? 'No completed session in this course yet.'
        : `Suggested once induction ends: ${induction.remaining} induction session${induction.remaining === 1 ? '' : 's'} still to come.`,
  };
}

/** The course's sessions as an iCalendar file (no patient name in it). */
export async function courseCalendarFile(
  ctx: UseCaseContext,
  input: { patientId: string; courseId: string },
): Promise<{ ics: string; startDate: string }> {
  const { tx, actor } = ctx;
  const { course, sessions } = await getCourse(tx, actor.clinicId, input.patientId, input.courseId);
  const clinic = await getClinic(tx, actor.clinicId);
  await recordAudit(ctx, { action: 'course.export.ics', resourceType: 'course', resourceId: input.courseId });
  const template = course.template as CourseTemplate;
  const ics = courseIcs(sessions, {
    courseName: template.name,
    clinicName: clinic.name,
    timeZone: clinic.timeZone,
  });
  return { ics, startDate: course.startDate };
}
