/**
 * Repository for eligibility screenings, clinic session settings, clinic course templates, courses
 * and their scheduled sessions. Every function takes the clinic id and filters by it. The
 * clinical decisions (screening result, schedule) are computed by the pure core in the caller and
 * stored here as computed; nothing recorded is overwritten.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { EligibilityResult, IntakeAnswers, ScheduleResult, CourseTemplate } from '../clinical/protocols';
import type { SessionSettings } from '../clinical/session';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors';
import { getPatient } from './patients';
import { patients, users } from './schema';
import {
  clinicCourseTemplates,
  clinicSessionSettings,
  courses,
  eligibilityScreenings,
  eligibilitySignOffs,
  treatmentSessions,
} from './schema-sessions';
import type { Queryable } from './tx';

export type ScreeningRow = typeof eligibilityScreenings.$inferSelect;
export type SignOffRow = typeof eligibilitySignOffs.$inferSelect;
export type CourseRow = typeof courses.$inferSelect;
export type TreatmentSessionRow = typeof treatmentSessions.$inferSelect;
export type ClinicTemplateRow = typeof clinicCourseTemplates.$inferSelect;

// ------------------------------------------------------------------------------------------------
// Eligibility

export interface ScreeningWithSignOff {
  screening: ScreeningRow;
  signOff: (SignOffRow & { signedByName: string }) | null;
}

export async function createScreening(
  db: Queryable,
  clinicId: string,
  patientId: string,
  answers: IntakeAnswers,
  result: EligibilityResult,
  screenedBy: string,
  /** The caller's clock (the screening's date decides whether it is current). */
  screenedAt?: Date,
): Promise<ScreeningRow> {
  await getPatient(db, clinicId, patientId);
  const [row] = await db
    .insert(eligibilityScreenings)
    .values({
      clinicId,
      patientId,
      modality: answers.modality,
      answers,
      result,
      status: result.status,
      screenedBy,
      ...(screenedAt ? { createdAt: screenedAt } : {}),
    })
    .returning();
  return row!;
}

export async function listScreenings(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<ScreeningWithSignOff[]> {
  await getPatient(db, clinicId, patientId);
  const rows = await db
    .select()
    .from(eligibilityScreenings)
    .where(and(eq(eligibilityScreenings.clinicId, clinicId), eq(eligibilityScreenings.patientId, patientId)))
    .orderBy(desc(eligibilityScreenings.createdAt), desc(eligibilityScreenings.id));
  if (rows.length === 0) return [];
  const signOffs = await db
    .select({ s: eligibilitySignOffs, name: users.name })
    .from(eligibilitySignOffs)
    .innerJoin(
      users,
      and(eq(users.clinicId, eligibilitySignOffs.clinicId), eq(users.id, eligibilitySignOffs.signedBy)),
    )
    .where(
      and(
        eq(eligibilitySignOffs.clinicId, clinicId),
        inArray(
          eligibilitySignOffs.screeningId,
          rows.map((r) => r.id),
        ),
      ),
    );
  return rows.map((screening) => {
    const s = signOffs.find((x) => x.s.screeningId === screening.id);
    return { screening, signOff: s ? { ...s.s, signedByName: s.name } : null };
  });
}

export async function getScreening(
  db: Queryable,
  clinicId: string,
  patientId: string,
  screeningId: string,
): Promise<ScreeningRow> {
  const [row] = await db
    .select()
    .from(eligibilityScreenings)
    .where(
      and(
        eq(eligibilityScreenings.clinicId, clinicId),
        eq(eligibilityScreenings.patientId, patientId),
        eq(eligibilityScreenings.id, screeningId),
      ),
    );
  if (!row) throw new NotFoundError('eligibility screening');
  return row;
}

export async function signOffScreening(
  db: Queryable,
  clinicId: string,
  screeningId: string,
  input: { decision: 'approve' | 'decline'; note?: string | undefined },
  signedBy: string,
  signedAt: Date,
): Promise<SignOffRow> {
  try {
    const [row] = await db
      .insert(eligibilitySignOffs)
      .values({
        clinicId,
        screeningId,
        decision: input.decision,
        note: input.note?.trim() ? input.note.trim() : null,
        signedBy,
        signedAt,
      })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(
        'screeningId',
        'this screening is already signed off; screen again to change it',
      );
    }
    throw err;
  }
}

// ------------------------------------------------------------------------------------------------
// Settings

/**
 * The clinic's newest saved settings row as stored, as JSON text (undefined when it has saved none).
 * An older row may lack fields added since, so the caller parses it (app/session-settings.ts).
 */
export async function getStoredSessionSettings(db: Queryable, clinicId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ settings: sql<string>`${clinicSessionSettings.settings}::text` })
    .from(clinicSessionSettings)
    .where(eq(clinicSessionSettings.clinicId, clinicId))
    .orderBy(desc(clinicSessionSettings.createdAt), desc(clinicSessionSettings.id))
    .limit(1);
  return row?.settings;
}

export async function saveSessionSettings(
  db: Queryable,
  clinicId: string,
  settings: SessionSettings,
  createdBy: string,
): Promise<SessionSettings> {
  await db.insert(clinicSessionSettings).values({ clinicId, settings, createdBy });
  return settings;
}

// ------------------------------------------------------------------------------------------------
// Clinic templates

/** The current version of each clinic template (newest row per key). */
export async function listClinicTemplates(db: Queryable, clinicId: string): Promise<ClinicTemplateRow[]> {
  const rows = await db
    .select()
    .from(clinicCourseTemplates)
    .where(eq(clinicCourseTemplates.clinicId, clinicId))
    .orderBy(desc(clinicCourseTemplates.createdAt), desc(clinicCourseTemplates.id));
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.templateKey) ? false : (seen.add(r.templateKey), true)));
}

export async function saveClinicTemplate(
  db: Queryable,
  clinicId: string,
  template: CourseTemplate,
  createdBy: string,
): Promise<ClinicTemplateRow> {
  const [row] = await db
    .insert(clinicCourseTemplates)
    .values({
      clinicId,
      templateKey: template.id,
      name: template.name,
      modality: template.modality,
      template,
      createdBy,
    })
    .returning();
  return row!;
}

// ------------------------------------------------------------------------------------------------
// Courses

export async function createCourse(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: { template: CourseTemplate; startDate: string; schedule: ScheduleResult },
  createdBy: string,
): Promise<{ course: CourseRow; sessions: TreatmentSessionRow[] }> {
  await getPatient(db, clinicId, patientId);
  const [course] = await db
    .insert(courses)
    .values({
      clinicId,
      patientId,
      templateKey: input.template.id,
      template: input.template,
      modality: input.template.modality,
      startDate: input.startDate,
      conflicts: input.schedule.conflicts,
      createdBy,
    })
    .returning();
  const sessions =
    input.schedule.sessions.length === 0
      ? []
      : await db
          .insert(treatmentSessions)
          .values(
            input.schedule.sessions.map((s) => ({
              clinicId,
              courseId: course!.id,
              patientId,
              sequence: s.sequence,
              phaseId: s.phaseId,
              phaseLabel: s.phaseLabel,
              date: s.date,
              startMin: s.startMin,
              endMin: s.endMin,
              roomId: s.roomId,
              targetDate: s.targetDate,
              shiftedDays: s.shiftedDays,
              dose: s.dose,
              fixedDoseMg: s.fixedDoseMg ?? null,
            })),
          )
          .returning();
  return { course: course!, sessions: sessions.sort((a, b) => a.sequence - b.sequence) };
}

export async function listCourses(db: Queryable, clinicId: string, patientId: string): Promise<CourseRow[]> {
  await getPatient(db, clinicId, patientId);
  return db
    .select()
    .from(courses)
    .where(and(eq(courses.clinicId, clinicId), eq(courses.patientId, patientId)))
    .orderBy(desc(courses.createdAt), desc(courses.id));
}

export async function getCourse(
  db: Queryable,
  clinicId: string,
  patientId: string,
  courseId: string,
): Promise<{ course: CourseRow; sessions: TreatmentSessionRow[] }> {
  const [course] = await db
    .select()
    .from(courses)
    .where(and(eq(courses.clinicId, clinicId), eq(courses.patientId, patientId), eq(courses.id, courseId)));
  if (!course) throw new NotFoundError('course');
  const sessions = await db
    .select()
    .from(treatmentSessions)
    .where(and(eq(treatmentSessions.clinicId, clinicId), eq(treatmentSessions.courseId, courseId)))
    .orderBy(asc(treatmentSessions.sequence));
  return { course, sessions };
}

/**
 * A session and its course. With `lockCourse`, the course stays locked until the transaction ends:
 * the lock every write to the course's sessions takes (lockCourseOfSession), in the same statement.
 * Waiting for the lock, the statement returns the course as the lock holder left it; the session
 * row is as it stood when the statement began (a caller that needs what the lock holder changed in
 * it reads it again).
 */
export async function getTreatmentSession(
  db: Queryable,
  clinicId: string,
  patientId: string,
  sessionId: string,
  opts: { lockCourse?: boolean } = {},
): Promise<{ session: TreatmentSessionRow; course: CourseRow }> {
  const query = db
    .select({ session: treatmentSessions, course: courses })
    .from(treatmentSessions)
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        eq(treatmentSessions.patientId, patientId),
        eq(treatmentSessions.id, sessionId),
      ),
    );
  const [row] = await (opts.lockCourse ? query.for('no key update', { of: courses }) : query);
  if (!row) throw new NotFoundError('session');
  return row;
}

/** Bookings of the clinic between two dates (inclusive), for conflict-free scheduling. */
export async function listBookings(
  db: Queryable,
  clinicId: string,
  from: string,
  to: string,
): Promise<{ sessionId: string; roomId: string; date: string; startMin: number; endMin: number }[]> {
  return db
    .select({
      sessionId: treatmentSessions.id,
      roomId: treatmentSessions.roomId,
      date: treatmentSessions.date,
      startMin: treatmentSessions.startMin,
      endMin: treatmentSessions.endMin,
    })
    .from(treatmentSessions)
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        gte(treatmentSessions.date, from),
        lte(treatmentSessions.date, to),
      ),
    );
}

/** The clinic calendar: every scheduled session between two local dates, with its patient and room. */
export async function listClinicCalendar(db: Queryable, clinicId: string, from: string, to: string) {
  return db
    .select({
      sessionId: treatmentSessions.id,
      courseId: treatmentSessions.courseId,
      patientId: treatmentSessions.patientId,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
      modality: courses.modality,
      sequence: treatmentSessions.sequence,
      phaseLabel: treatmentSessions.phaseLabel,
      date: treatmentSessions.date,
      startMin: treatmentSessions.startMin,
      endMin: treatmentSessions.endMin,
      roomId: treatmentSessions.roomId,
    })
    .from(treatmentSessions)
    .innerJoin(
      patients,
      and(eq(patients.clinicId, treatmentSessions.clinicId), eq(patients.id, treatmentSessions.patientId)),
    )
    .innerJoin(
      courses,
      and(eq(courses.clinicId, treatmentSessions.clinicId), eq(courses.id, treatmentSessions.courseId)),
    )
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        gte(treatmentSessions.date, from),
        lte(treatmentSessions.date, to),
      ),
    )
    .orderBy(asc(treatmentSessions.date), asc(treatmentSessions.startMin), asc(treatmentSessions.roomId));
}
