/**
 * Eligibility screening with prescriber sign-off, clinic session settings, course templates
 * (built-in and clinic), courses scheduled onto the clinic calendar, and the course ICS export.
 * Adapters over the use cases in src/app/courses.ts, where the core's decisions are stored and audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CourseTemplate, EligibilityResult, ScheduleResult } from '../../clinical/protocols';
import { inClinicAs } from '../../app/context';
import { fieldsInBody } from '../body-fields';
import {
  courseCalendarFile,
  courseSuggestions,
  courseTemplates,
  listEligibility,
  listPatientCourses,
  readCourse,
  saveCourseTemplate,
  scheduleCourseFor,
  screenPatient,
  sessionSettings,
  sessionSettingsSchema,
  signOffEligibility,
  updateSessionSettings,
  vitalsThresholdsInForce,
  type CourseWithSessions,
  type ScreeningWithSignOff,
  type TreatmentSessionRow,
} from '../../app/courses';
import { ANY_STAFF, CLINICAL_LEAD, CLINICAL_READ, CLINICAL_WRITE, PATIENT_READ, PRESCRIBE } from '../access';
import { actorOf, caller } from '../context';
import { errorResponses } from '../dto';
import type { BookingChangeRow, SessionBooking } from '../../app/bookings';
import type { bookingChangeDto, doseDto, scheduledSessionDto } from '../schemas/courses';
import {
  clinicTemplateCreateSchema,
  courseCreateSchema,
  courseDto,
  courseParams,
  patientParams,
  screeningCreateSchema,
  screeningDto,
  screeningParams,
  signOffCreateSchema,
  suggestionsDto,
  templateDto,
  vitalsThresholdsInForceDto,
  type CourseDto,
} from '../schemas/courses';

export { screeningGate } from '../../app/courses';
export {
  conflictDto,
  courseDto,
  scheduledSessionDto,
  screeningDto,
  templateDto,
  type CourseDto,
} from '../schemas/courses';

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

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toBookingChangeDto = (c: BookingChangeRow): z.infer<typeof bookingChangeDto> => ({
  id: c.id,
  kind: c.kind,
  scope: c.scope,
  reason: c.reason,
  from: { date: c.fromDate, startMin: c.fromStartMin, endMin: c.fromEndMin, roomId: c.fromRoomId },
  to:
    c.toDate !== null && c.toStartMin !== null && c.toEndMin !== null && c.toRoomId !== null
      ? { date: c.toDate, startMin: c.toStartMin, endMin: c.toEndMin, roomId: c.toRoomId }
      : null,
  recordedAt: c.recordedAt.toISOString(),
});

/** A booked session with where it stands (status, actual times, drift, booking changes). */
export const toSessionDto = (
  s: TreatmentSessionRow,
  b: SessionBooking,
): z.infer<typeof scheduledSessionDto> => ({
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
  status: b.status,
  startedAt: iso(b.startedAt),
  endedAt: iso(b.endedAt),
  startDriftMin: b.drift?.driftMin ?? null,
  startDriftWarn: b.drift?.warn ?? false,
  bookingChanges: b.changes.map(toBookingChangeDto),
});
export const toCourseDto = ({ course, sessions, bookings, cancelled }: CourseWithSessions): CourseDto => ({
  id: course.id,
  patientId: course.patientId,
  templateId: course.templateKey,
  template: course.template as CourseTemplate,
  modality: course.modality as 'iv-ketamine' | 'esketamine',
  startDate: course.startDate,
  createdAt: course.createdAt.toISOString(),
  sessions: sessions.map((s) => toSessionDto(s, bookings.get(s.id)!)),
  conflicts: course.conflicts as ScheduleResult['conflicts'],
  cancelled: cancelled ? { reason: cancelled.reason, at: cancelled.at.toISOString() } : null,
});

export async function courseRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

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
    async (request) => inClinicAs(db(), actorOf(request), app.now(), sessionSettings),
  );

  app.put(
    '/api/session-settings',
    {
      config: { access: CLINICAL_LEAD },
      schema: {
        tags: ['courses'],
        summary: 'Change the clinic session settings (a new version; earlier versions are kept)',
        body: sessionSettingsSchema,
        response: { 200: sessionSettingsSchema, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(db(), actorOf(request), app.now(), (ctx) => updateSessionSettings(ctx, request.body)),
  );

  app.get(
    '/api/session-settings/vitals-thresholds',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['courses'],
        summary:
          'Vital-sign and sedation alarm thresholds per modality: the cited defaults (source and evidence status) and those in force for this clinic',
        response: { 200: vitalsThresholdsInForceDto, ...errorResponses },
      },
    },
    async (request) => inClinicAs(db(), actorOf(request), app.now(), vitalsThresholdsInForce),
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
    async (request) => inClinicAs(db(), actorOf(request), app.now(), courseTemplates),
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
      const saved = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        saveCourseTemplate(ctx, request.body.template),
      );
      return reply.status(201).send(saved);
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
      const rows = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        listEligibility(ctx, request.params.patientId),
      );
      return rows.map(toScreeningDto);
    },
  );

  app.post(
    '/api/patients/:patientId/eligibility',
    {
      config: { access: CLINICAL_WRITE },
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
      const row = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        screenPatient(ctx, { patientId: request.params.patientId, answers: request.body.answers }),
      );
      return reply.status(201).send(toScreeningDto({ screening: row, signOff: null }));
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
      const { screening, signOff } = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        signOffEligibility(ctx, { ...request.params, ...request.body }),
      );
      const signedByName = caller(request).name;
      return reply.status(201).send(toScreeningDto({ screening, signOff: { ...signOff, signedByName } }));
    },
  );

  // ----------------------------------------------------------------------------------------------
  // Courses

  app.get(
    '/api/patients/:patientId/courses',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['courses'],
        summary: "A patient's treatment courses with their scheduled sessions, newest first",
        params: patientParams,
        response: { 200: z.array(courseDto), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        listPatientCourses(ctx, request.params.patientId),
      );
      return rows.map(toCourseDto);
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
      const { patientId } = request.params;
      const { templateId, startDate, preview } = request.body;
      const out = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        fieldsInBody(['startDate'], () =>
          scheduleCourseFor(ctx, { patientId, templateId, startDate, preview: Boolean(preview) }),
        ),
      );
      if (!out.preview) return reply.status(201).send(toCourseDto(out));
      return reply.status(200).send({
        id: null,
        patientId,
        templateId: out.template.id,
        template: out.template,
        modality: out.template.modality,
        startDate,
        createdAt: null,
        sessions: out.schedule.sessions.map((s) => ({
          id: null,
          ...s,
          fixedDoseMg: s.fixedDoseMg ?? null,
          status: 'booked' as const,
          startedAt: null,
          endedAt: null,
          startDriftMin: null,
          startDriftWarn: false,
          bookingChanges: [],
        })),
        conflicts: out.schedule.conflicts,
        cancelled: null,
      } satisfies CourseDto);
    },
  );

  app.get(
    '/api/patients/:patientId/courses/:courseId',
    {
      config: { access: CLINICAL_READ },
      schema: {
        tags: ['courses'],
        summary: 'A course with its scheduled sessions and conflicts',
        params: courseParams,
        response: { 200: courseDto, ...errorResponses },
      },
    },
    async (request) => {
      const found = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        readCourse(ctx, request.params),
      );
      return toCourseDto(found);
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
    async (request) =>
      inClinicAs(db(), actorOf(request), app.now(), (ctx) => courseSuggestions(ctx, request.params)),
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
      const { ics, startDate } = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        courseCalendarFile(ctx, request.params),
      );
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="course-${startDate}.ics"`)
        .send(ics as never); // text/calendar, not JSON
    },
  );
}
