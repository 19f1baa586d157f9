/**
 * Eligibility screening with prescriber sign-off, clinic session settings, course templates
 * (built-in and clinic), courses scheduled onto the clinic calendar, and the course ICS export
 *. Clinical decisions come from the pure core (src/clinical/protocols);
 * this file stores and audits them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addDays,
  BUILT_IN_TEMPLATES,
  citationSchema,
  courseTemplateSchema,
  currentScreening,
  defaultVitalsThresholds,
  evidenceStatusSchema,
  plannedSessionCount,
  resolveVitalsThresholds,
  scheduleCourse,
  screenEligibility,
  suggestBoosterDueDate,
  suggestTitration,
  validateSignOff,
  vitalsThresholdsSchema,
  type CourseTemplate,
  type EligibilityResult,
  type Modality,
  type ScheduleResult,
  type ScreeningGate,
  measuredTimeToRelapse,
} from '../../clinical/protocols';
import { ClinicalInputError } from '../../clinical/errors';
import { courseIcs } from '../../interop/course-ics';
import {
  createCourse,
  createScreening,
  getCourse,
  getScreening,
  getSessionSettings,
  listBookings,
  listClinicTemplates,
  listCourses,
  listScreenings,
  saveClinicTemplate,
  saveSessionSettings,
  signOffScreening,
  type CourseRow,
  type ScreeningWithSignOff,
  type TreatmentSessionRow,
} from '../../store/courses';
import {
  clinicTemplateCreateSchema,
  courseCreateSchema,
  screeningCreateSchema,
  sessionSettingsSchema,
  signOffCreateSchema,
} from '../../store/inputs-sessions';
import { listAssessments } from '../../store/assessments';
import { readStoredPayload } from '../../clinical/session';
import { listEventsOfKinds } from '../../store/sessions';
import { getClinic } from '../../store/users';
import { rebuildOutcomeFacts } from '../../store/outcome-facts';
import { inClinic, type Tx } from '../../store/tx';
import { ConflictError } from '../../store/errors';
import type { SessionSettings } from '../../store/inputs-sessions';
import { ADMIN_ONLY, ANY_STAFF, PATIENT_READ, roles } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

export const PRESCRIBE = roles('admin', 'prescriber');
export const CLINICAL_READ = roles('admin', 'prescriber', 'nurse');
export const CLINICAL = roles('admin', 'prescriber', 'nurse');

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const screeningParams = patientParams.extend({
  screeningId: z.uuid({ error: 'must be a screening id (UUID)' }),
});
const courseParams = patientParams.extend({ courseId: z.uuid({ error: 'must be a course id (UUID)' }) });

/** The clinic's local calendar date of an instant. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const reasonDto = z.object({
  ruleId: z.string(),
  kind: z.enum(['contraindication', 'caution', 'note']),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
  unanswered: z.boolean(),
});
export const screeningDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  modality: z.enum(['iv-ketamine', 'esketamine']),
  status: z.enum(['eligible', 'needs-review', 'not-eligible']),
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
const toScreeningDto = ({ screening, signOff }: ScreeningWithSignOff): z.infer<typeof screeningDto> => {
  const result = screening.result as EligibilityResult;
  return {
    id: screening.id,
    patientId: screening.patientId,
    modality: screening.modality as 'iv-ketamine' | 'esketamine',
    status: result.status,
    answers: screening.answers as Record<string, unknown>,
    reasons: result.reasons.map((r) => ({ ...r, citations: [...r.citations] })),
    notes: result.notes.map((r) => ({ ...r, citations: [...r.citations] })),
    createdAt: screening.createdAt.toISOString(),
    signOff: signOff
      ? {
          decision: signOff.decision as 'approve' | 'decline',
          note: signOff.note,
          signedBy: signOff.signedBy,
          signedByName: signOff.signedByName,
          signedAt: signOff.signedAt.toISOString(),
        }
      : null,
  };
};

export const templateDto = z.object({
  source: z.enum(['built-in', 'clinic']),
  plannedSessions: z.int(),
  template: courseTemplateSchema,
});

const doseDto = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('weight-based'), doseMgPerKg: z.number(), infusionDurationMin: z.number() }),
  z.object({
    kind: z.literal('fixed-intranasal'),
    doseMgOptions: z.array(z.number()),
    firstSessionDoseMg: z.number().optional(),
  }),
]);
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
});
export type CourseDto = z.infer<typeof courseDto>;

const suggestionDto = z.object({
  ruleId: z.string(),
  kind: z.string(),
  message: z.string(),
  status: evidenceStatusSchema,
  citations: z.array(citationSchema),
  dueDate: z.string().nullable(),
});
const suggestionsDto = z.object({
  completedSessions: z.int(),
  titration: suggestionDto.nullable(),
  titrationUnavailable: z.string().nullable(),
  booster: suggestionDto.nullable(),
  boosterUnavailable: z.string().nullable(),
});

export const toSessionDto = (s: TreatmentSessionRow): z.infer<typeof scheduledSessionDto> => ({
  id: s.id,
  sequence: s.sequence,
  phaseId: s.phaseId,
  phaseLabel: s.phaseLabel,
  date: s.date,
  startMin: s.startMin,
  endMin: s.endMin,
  roomId: s.roomId,
  targetDate: s.targetDate,
  shiftedDays: s.shiftedDays,
  dose: s.dose as z.infer<typeof doseDto>,
  fixedDoseMg: s.fixedDoseMg,
});
export const toCourseDto = (course: CourseRow, sessions: TreatmentSessionRow[]): CourseDto => ({
  id: course.id,
  patientId: course.patientId,
  templateId: course.templateKey,
  template: course.template as CourseTemplate,
  modality: course.modality as 'iv-ketamine' | 'esketamine',
  startDate: course.startDate,
  createdAt: course.createdAt.toISOString(),
  sessions: sessions.map(toSessionDto),
  conflicts: course.conflicts as ScheduleResult['conflicts'],
});

async function findTemplate(tx: Tx, clinicId: string, templateId: string): Promise<CourseTemplate> {
  const clinic = (await listClinicTemplates(tx, clinicId)).find((t) => t.templateKey === templateId);
  if (clinic) return courseTemplateSchema.parse(clinic.template);
  const builtIn = BUILT_IN_TEMPLATES.find((t) => t.id === templateId);
  if (builtIn) return builtIn;
  throw new ClinicalInputError('templateId', `unknown template "${templateId}"`);
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
      screenedOn: localDate(screening.createdAt, timeZone),
      signOff: signOff ? { decision: signOff.decision as 'approve' | 'decline' } : null,
    })),
    validDays: settings.screening.validDays,
  });
}

export async function courseRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;
  const me = (request: FastifyRequest) => caller(request);

  // ----------------------------------------------------------------------------------------------
  // Settings

  app.get(
    '/api/session-settings',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['courses'],
        summary: "The clinic's scheduling and session settings (hours, rooms, durations, pump, thresholds)",
        response: { 200: sessionSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const clinicId = me(request).clinicId;
      return inClinic(db(), clinicId, (tx) => getSessionSettings(tx, clinicId));
    },
  );

  app.put(
    '/api/session-settings',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['courses'],
        summary: 'Change the clinic session settings (a new version; earlier versions are kept)',
        body: sessionSettingsSchema,
        response: { 200: sessionSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const m = me(request);
      return inClinic(db(), m.clinicId, async (tx) => {
        const before = await getSessionSettings(tx, m.clinicId);
        const saved = await saveSessionSettings(tx, m.clinicId, request.body, m.userId);
        // Remission and vitals thresholds decide the dashboard's course facts: recompute them in
        // this transaction when either changed (a whole clinic, so only then).
        const outcomeInputs = (x: typeof saved) => JSON.stringify([x.outcomes, x.thresholds]);
        if (outcomeInputs(before) !== outcomeInputs(saved)) {
          await rebuildOutcomeFacts(tx, m.clinicId, app.now());
        }
        await audit(tx, request, {
          action: 'session_settings.update',
          resourceType: 'clinic',
          resourceId: m.clinicId,
        });
        return saved;
      });
    },
  );

  const thresholdsInForce = z.object({
    defaults: vitalsThresholdsSchema,
    inForce: vitalsThresholdsSchema,
    source: z.enum(['defaults', 'clinic']),
  });
  app.get(
    '/api/session-settings/vitals-thresholds',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['courses'],
        summary:
          'Vital-sign and sedation alarm thresholds per modality: the cited defaults (source and evidence status) and those in force for this clinic',
        response: {
          200: z.object({ 'iv-ketamine': thresholdsInForce, esketamine: thresholdsInForce }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const clinicId = me(request).clinicId;
      const settings = await inClinic(db(), clinicId, (tx) => getSessionSettings(tx, clinicId));
      const of = (m: 'iv-ketamine' | 'esketamine') => ({
        defaults: defaultVitalsThresholds(m),
        inForce: resolveVitalsThresholds(m, settings.thresholds[m]),
        source: settings.thresholds[m] ? ('clinic' as const) : ('defaults' as const),
      });
      return { 'iv-ketamine': of('iv-ketamine'), esketamine: of('esketamine') };
    },
  );

  // ----------------------------------------------------------------------------------------------
  // Templates

  app.get(
    '/api/course-templates',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['courses'],
        summary:
          'Course templates: the cited built-ins and the clinic’s own (a clinic template with a built-in id replaces it)',
        response: { 200: z.array(templateDto), ...errorResponses },
      },
    },
    async (request) => {
      const clinicId = me(request).clinicId;
      const clinic = await inClinic(db(), clinicId, (tx) => listClinicTemplates(tx, clinicId));
      const own = clinic.map((r) => courseTemplateSchema.parse(r.template));
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
    },
  );

  app.post(
    '/api/course-templates',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags: ['courses'],
        summary: 'Save a clinic course template (same id = a new version of it)',
        body: clinicTemplateCreateSchema,
        response: { 201: templateDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const m = me(request);
      const template = request.body.template;
      await inClinic(db(), m.clinicId, async (tx) => {
        const row = await saveClinicTemplate(tx, m.clinicId, template, m.userId);
        await audit(tx, request, {
          action: 'course_template.save',
          resourceType: 'course_template',
          resourceId: row.id,
          details: { phases: template.phases.length },
        });
      });
      return reply
        .status(201)
        .send({ source: 'clinic', plannedSessions: plannedSessionCount(template), template });
    },
  );

  // ----------------------------------------------------------------------------------------------
  // Eligibility

  app.get(
    '/api/patients/:patientId/eligibility',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['courses'],
        summary: "A patient's eligibility screenings, newest first, with their sign-offs",
        params: patientParams,
        response: { 200: z.array(screeningDto), ...errorResponses },
      },
    },
    async (request) => {
      const m = me(request);
      const { patientId } = request.params;
      return inClinic(db(), m.clinicId, async (tx) => {
        const rows = await listScreenings(tx, m.clinicId, patientId);
        await audit(tx, request, {
          action: 'eligibility.list',
          resourceType: 'patient',
          resourceId: patientId,
          details: { returned: rows.length },
        });
        return rows.map(toScreeningDto);
      });
    },
  );

  app.post(
    '/api/patients/:patientId/eligibility',
    {
      config: { access: CLINICAL },
      schema: {
        tags: ['courses'],
        summary:
          'Screen eligibility from intake answers (the result is computed and stored; a prescriber signs it off)',
        params: patientParams,
        body: screeningCreateSchema,
        response: { 201: screeningDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const m = me(request);
      const { patientId } = request.params;
      const now = app.now();
      const dto = await inClinic(db(), m.clinicId, async (tx) => {
        const settings = await getSessionSettings(tx, m.clinicId);
        const modality = request.body.answers.modality;
        // Baseline BP is judged against the clinic's own pre-dose thresholds for the modality.
        const result = screenEligibility(request.body.answers, {
          thresholds: resolveVitalsThresholds(modality, settings.thresholds[modality]),
        });
        const row = await createScreening(
          tx,
          m.clinicId,
          patientId,
          request.body.answers,
          result,
          m.userId,
          now,
        );
        await audit(tx, request, {
          action: 'eligibility.screen',
          resourceType: 'eligibility_screening',
          resourceId: row.id,
          details: { status: result.status, reasons: result.reasons.length },
        });
        return toScreeningDto({ screening: row, signOff: null });
      });
      return reply.status(201).send(dto);
    },
  );

  app.post(
    '/api/patients/:patientId/eligibility/:screeningId/sign-off',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags: ['courses'],
        summary:
          'Prescriber sign-off of a screening: approving needs-review requires a note; approving not-eligible is refused',
        params: screeningParams,
        body: signOffCreateSchema,
        response: { 201: screeningDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const m = me(request);
      const { patientId, screeningId } = request.params;
      const now = app.now();
      const dto = await inClinic(db(), m.clinicId, async (tx) => {
        const screening = await getScreening(tx, m.clinicId, patientId, screeningId);
        const s = validateSignOff(screening.result as EligibilityResult, {
          prescriberId: m.userId,
          signedAt: now.toISOString(),
          decision: request.body.decision,
          note: request.body.note,
        });
        const signOff = await signOffScreening(tx, m.clinicId, screeningId, s, m.userId, now);
        await audit(tx, request, {
          action: 'eligibility.sign_off',
          resourceType: 'eligibility_screening',
          resourceId: screeningId,
          details: { decision: s.decision, note: Boolean(s.note?.trim()) },
        });
        return toScreeningDto({ screening, signOff: { ...signOff, signedByName: m.name } });
      });
      return reply.status(201).send(dto);
    },
  );

  // ----------------------------------------------------------------------------------------------
  // Courses

  app.get(
    '/api/patients/:patientId/courses',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: "A patient's treatment courses with their scheduled sessions, newest first",
        params: patientParams,
        response: { 200: z.array(courseDto), ...errorResponses },
      },
    },
    async (request) => {
      const m = me(request);
      const { patientId } = request.params;
      return inClinic(db(), m.clinicId, async (tx) => {
        const rows = await listCourses(tx, m.clinicId, patientId);
        const out: CourseDto[] = [];
        for (const c of rows) {
          const { sessions } = await getCourse(tx, m.clinicId, patientId, c.id);
          out.push(toCourseDto(c, sessions));
        }
        await audit(tx, request, {
          action: 'course.list',
          resourceType: 'patient',
          resourceId: patientId,
          details: { returned: out.length },
        });
        return out;
      });
    },
  );

  app.post(
    '/api/patients/:patientId/courses',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags: ['courses'],
        summary:
          'Schedule a course from a template onto the clinic calendar (clinic hours and rooms respected; conflicts returned). `preview: true` saves nothing.',
        params: patientParams,
        body: courseCreateSchema,
        response: { 200: courseDto, 201: courseDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const m = me(request);
      const { patientId } = request.params;
      const { templateId, startDate, preview } = request.body;
      const result = await inClinic(db(), m.clinicId, async (tx) => {
        const template = await findTemplate(tx, m.clinicId, templateId);
        const settings = await getSessionSettings(tx, m.clinicId);
        const bookings = await listBookings(tx, m.clinicId, startDate, addDays(startDate, 3 * 366));
        const schedule = scheduleCourse({
          template,
          startDate,
          clinicHours: settings.clinicHours,
          closedDates: settings.closedDates,
          rooms: settings.rooms,
          sessionDurationMin: settings.sessionDurationMin[template.modality],
          slotStepMin: settings.slotStepMin,
          existingBookings: bookings,
        });
        if (preview) {
          await audit(tx, request, {
            action: 'course.preview',
            resourceType: 'patient',
            resourceId: patientId,
            details: { sessions: schedule.sessions.length, conflicts: schedule.conflicts.length },
          });
          return {
            status: 200 as const,
            dto: {
              id: null,
              patientId,
              templateId: template.id,
              template,
              modality: template.modality,
              startDate,
              createdAt: null,
              sessions: schedule.sessions.map((s) => ({
                id: null,
                ...s,
                fixedDoseMg: s.fixedDoseMg ?? null,
              })),
              conflicts: schedule.conflicts,
            } satisfies CourseDto,
          };
        }
        const clinic = await getClinic(tx, m.clinicId);
        const gate = await screeningGate(
          tx,
          m.clinicId,
          patientId,
          template.modality,
          localDate(app.now(), clinic.timeZone),
          clinic.timeZone,
          settings,
        );
        if (!gate.ok) throw new ConflictError('screening', `cannot schedule the course: ${gate.message}`);
        const { course, sessions } = await createCourse(
          tx,
          m.clinicId,
          patientId,
          { template, startDate, schedule },
          m.userId,
        );
        await audit(tx, request, {
          action: 'course.create',
          resourceType: 'course',
          resourceId: course.id,
          details: { sessions: sessions.length, conflicts: schedule.conflicts.length },
        });
        return { status: 201 as const, dto: toCourseDto(course, sessions) };
      });
      return reply.status(result.status).send(result.dto);
    },
  );

  app.get(
    '/api/patients/:patientId/courses/:courseId',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: 'A course with its scheduled sessions and conflicts',
        params: courseParams,
        response: { 200: courseDto, ...errorResponses },
      },
    },
    async (request) => {
      const m = me(request);
      const { patientId, courseId } = request.params;
      return inClinic(db(), m.clinicId, async (tx) => {
        const { course, sessions } = await getCourse(tx, m.clinicId, patientId, courseId);
        await audit(tx, request, { action: 'course.read', resourceType: 'course', resourceId: courseId });
        return toCourseDto(course, sessions);
      });
    },
  );

  app.get(
    '/api/patients/:patientId/courses/:courseId/suggestions',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['courses'],
        summary:
          'Titration and booster suggestions for the course, each with its rule and citations (suggestions only; nothing changes)',
        params: courseParams,
        response: { 200: suggestionsDto, ...errorResponses },
      },
    },
    async (request) => {
      const m = me(request);
      const { patientId, courseId } = request.params;
      return inClinic(db(), m.clinicId, async (tx) => {
        const { course, sessions } = await getCourse(tx, m.clinicId, patientId, courseId);
        const settings = await getSessionSettings(tx, m.clinicId);
        const events = await listEventsOfKinds(
          tx,
          m.clinicId,
          sessions.map((s) => s.id),
          ['dose-plan', 'discharge'],
        );
        const completed = sessions.filter((s) =>
          events.some((e) => e.sessionId === s.id && e.kind === 'discharge'),
        );
        const dosesMgPerKg = completed
          .map((s) => events.filter((e) => e.sessionId === s.id && e.kind === 'dose-plan').at(-1))
          .map((e) => (e ? (readStoredPayload('dose-plan', e.payload)?.doseMgPerKg ?? null) : null))
          .filter((d): d is number => d !== null);
        const phq9 = (await listAssessments(tx, m.clinicId, patientId)).filter(
          (a) => a.instrument === 'phq9' && a.totalScore !== null,
        );
        const baseline =
          phq9.filter((a) => a.administeredAt.toISOString().slice(0, 10) <= course.startDate).at(-1) ??
          phq9[0];
        const latestPhq9 = phq9.at(-1);
        let titration: z.infer<typeof suggestionDto> | null = null;
        let titrationUnavailable: string | null = null;
        if (course.modality !== 'iv-ketamine') {
          titrationUnavailable = 'Titration rules (Cusin 2017) apply to IV ketamine courses.';
        } else if (
          !baseline ||
          !latestPhq9 ||
          baseline.id === latestPhq9.id ||
          (baseline.totalScore ?? 0) <= 0
        ) {
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
        const measured = await measuredRelapseFromHistory(tx, m.clinicId, patientId, course.id, phq9);
        const booster = last
          ? suggestBoosterDueDate({
              lastInfusionDate: last.date,
              ...(measured ? { measuredDaysToRelapse: measured.days } : {}),
            })
          : null;
        await audit(tx, request, {
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
          boosterUnavailable: booster ? null : 'No completed session in this course yet.',
        };
      });
    },
  );

  app.get(
    '/api/patients/:patientId/courses/:courseId/ics',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: "The course's sessions as an iCalendar file (text/calendar; no patient name in it)",
        params: courseParams,
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const m = me(request);
      const { patientId, courseId } = request.params;
      const { course, sessions, clinic } = await inClinic(db(), m.clinicId, async (tx) => {
        const found = await getCourse(tx, m.clinicId, patientId, courseId);
        const clinic = await getClinic(tx, m.clinicId);
        await audit(tx, request, {
          action: 'course.export.ics',
          resourceType: 'course',
          resourceId: courseId,
        });
        return { ...found, clinic };
      });
      const template = course.template as CourseTemplate;
      const ics = courseIcs(sessions, {
        courseName: template.name,
        clinicName: clinic.name,
        timeZone: clinic.timeZone,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="course-${course.startDate}.ics"`)
        .send(ics as never); // text/calendar, not JSON
    },
  );
}
