/**
 * Assessment responses: item-level answers, instrument id + version, the scores the
 * clinical core computed, who answered, context, optional session, administered-at time. A correction
 * is a new version linked to the one it corrects; nothing is overwritten. Persistence only: scoring,
 * the alert a response raises and the outcome facts it changes are decided and written by the use
 * cases in src/app/assessments.ts, in the caller's transaction.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type {
  AnswersInput,
  CompletedAssessment,
  DueAssessment,
  InstrumentId,
  ScoreResult,
} from '../clinical/instruments';
import type { Alert } from './alerts';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors';
import type { AssessmentContextValue } from './schema-measurement';
import { getPatient } from './patients';
import { clinics, patients, users } from './schema';
import { treatmentSessions } from './schema-sessions';
import {
  assessmentItemAnswers,
  assessmentResponses,
  type AssessmentResponseRow,
  type Respondent,
} from './schema-measurement';
import type { Queryable } from './tx';

export type AssessmentResponse = AssessmentResponseRow;
export type ItemAnswer = typeof assessmentItemAnswers.$inferSelect;

/** Who recorded a response: a logged-in staff user, or the patient through a portal link. */
export type AssessmentAuthor = { kind: 'user'; userId: string } | { kind: 'portal'; portalLinkId: string };

export interface RecordInput {
  instrument: InstrumentId;
  version: string;
  context: AssessmentContextValue;
  sessionId?: string | undefined;
  administeredAt: Date;
  answers: AnswersInput;
  /**
   * Only these items were asked (suicide items alone, e.g. PHQ-9 item 9 at +4 h after a session).
   * Omitted = the whole instrument, scored by scoreInstrument.
   */
  itemIds?: string[] | undefined;
}

export interface RecordedAssessment {
  response: AssessmentResponse;
  items: ItemAnswer[];
  score: ScoreResult;
  alert: Alert | null;
}

/** One version of a response as the use case decided it: its scores and item rows. */
export interface AssessmentRowsInsert {
  instrument: InstrumentId;
  instrumentVersion: string;
  context: AssessmentContextValue;
  sessionId: string | null;
  administeredAt: Date;
  respondent: Respondent;
  author: AssessmentAuthor;
  totalScore: number | null;
  severity: string | null;
  cssrsRisk: string | null;
  flags: string[];
  suicidality: boolean;
  partialItemIds: string[] | null;
  /** The version this one corrects, or null for a first recording. */
  previous: AssessmentResponse | null;
  reason: string | null;
  now: Date;
  /** The answered items, in the instrument's order. */
  items: { itemId: string; value: number | null; suicideItem: boolean; positive: boolean | null }[];
}

/** Inserts one version of a response and its item answers (a second correction of one version is a conflict). */
export async function insertAssessmentRows(
  db: Queryable,
  clinicId: string,
  patientId: string,
  v: AssessmentRowsInsert,
): Promise<{ response: AssessmentResponse; items: ItemAnswer[] }> {
  const { author, now, previous, reason } = v;
  const id = uuidv7();
  let response: AssessmentResponse;
  try {
    [response] = (await db
      .insert(assessmentResponses)
      .values({
        clinicId,
        id,
        patientId,
        instrument: v.instrument,
        instrumentVersion: v.instrumentVersion,
        context: v.context,
        sessionId: v.sessionId,
        administeredAt: v.administeredAt,
        respondent: v.respondent,
        enteredBy: author.kind === 'user' ? author.userId : null,
        portalLinkId: author.kind === 'portal' ? author.portalLinkId : null,
        totalScore: v.totalScore,
        severity: v.severity,
        cssrsRisk: v.cssrsRisk,
        flags: v.flags,
        suicidality: v.suicidality,
        partialItemIds: v.partialItemIds,
        version: previous ? previous.version + 1 : 1,
        rootId: previous ? previous.rootId : id,
        supersedesId: previous ? previous.id : null,
        correctionReason: reason,
        createdAt: now,
      })
      .returning()) as [AssessmentResponse];
  } catch (err) {
    if (isUniqueViolation(err, 'assessment_responses_supersedes_unique')) {
      throw new ConflictError('version', 'this response has already been corrected; reload and try again');
    }
    throw err;
  }
  const items = await db
    .insert(assessmentItemAnswers)
    .values(v.items.map((item) => ({ clinicId, responseId: response.id, patientId, ...item })))
    .returning();
  return { response, items };
}

/**
 * Whether `sessionId` is one of this patient's scheduled treatment sessions. `session_id` has no
 * foreign key (the column predates the sessions table), so the use case checks the link.
 */
export async function isPatientSession(
  db: Queryable,
  clinicId: string,
  patientId: string,
  sessionId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: treatmentSessions.id })
    .from(treatmentSessions)
    .where(
      and(
        eq(treatmentSessions.clinicId, clinicId),
        eq(treatmentSessions.patientId, patientId),
        eq(treatmentSessions.id, sessionId),
      ),
    );
  return Boolean(row);
}

/** Whether a version of a response has already been corrected (only the latest may be). */
export async function isCorrected(db: Queryable, clinicId: string, responseId: string): Promise<boolean> {
  const [newer] = await db
    .select({ id: assessmentResponses.id })
    .from(assessmentResponses)
    .where(and(eq(assessmentResponses.clinicId, clinicId), eq(assessmentResponses.supersedesId, responseId)));
  return Boolean(newer);
}

export async function getAssessment(
  db: Queryable,
  clinicId: string,
  patientId: string,
  responseId: string,
): Promise<AssessmentResponse> {
  const [row] = await db
    .select()
    .from(assessmentResponses)
    .where(
      and(
        eq(assessmentResponses.clinicId, clinicId),
        eq(assessmentResponses.patientId, patientId),
        eq(assessmentResponses.id, responseId),
      ),
    );
  if (!row) throw new NotFoundError('assessment');
  return row;
}

const isCurrent = sql`not exists (select 1 from ${assessmentResponses} as newer where newer.clinic_id = ${assessmentResponses.clinicId} and newer.supersedes_id = ${assessmentResponses.id})`;

export interface AssessmentWithItems extends AssessmentResponse {
  items: ItemAnswer[];
  current: boolean;
  /** The name of the staff member who entered it (null for portal answers); absent when not read. */
  enteredByName?: string | null;
}

async function withItems(
  db: Queryable,
  clinicId: string,
  rows: AssessmentResponse[],
  currentIds: Set<string> | null,
): Promise<AssessmentWithItems[]> {
  if (rows.length === 0) return [];
  const answers = await db
    .select()
    .from(assessmentItemAnswers)
    .where(
      and(
        eq(assessmentItemAnswers.clinicId, clinicId),
        inArray(
          assessmentItemAnswers.responseId,
          rows.map((r) => r.id),
        ),
      ),
    );
  const byResponse = new Map<string, ItemAnswer[]>();
  for (const a of answers) byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a]);
  const enteredBy = [...new Set(rows.flatMap((r) => (r.enteredBy ? [r.enteredBy] : [])))];
  const names = new Map(
    enteredBy.length === 0
      ? []
      : (
          await db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(and(eq(users.clinicId, clinicId), inArray(users.id, enteredBy)))
        ).map((u) => [u.id, u.name]),
  );
  // Items in stored order: the use case puts them in the instrument's order.
  return rows.map((r) => ({
    ...r,
    items: byResponse.get(r.id) ?? [],
    current: currentIds === null ? true : currentIds.has(r.id),
    enteredByName: r.enteredBy ? (names.get(r.enteredBy) ?? null) : null,
  }));
}

/** The current version of each of a patient's responses, oldest first, with item answers. */
export async function listAssessments(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<AssessmentWithItems[]> {
  await getPatient(db, clinicId, patientId);
  const rows = await db
    .select()
    .from(assessmentResponses)
    .where(
      and(
        eq(assessmentResponses.clinicId, clinicId),
        eq(assessmentResponses.patientId, patientId),
        isCurrent,
      ),
    )
    .orderBy(asc(assessmentResponses.administeredAt), asc(assessmentResponses.id));
  return withItems(db, clinicId, rows, null);
}

/** Every version of one response (first recording and its corrections), oldest first. */
export async function listVersions(
  db: Queryable,
  clinicId: string,
  patientId: string,
  responseId: string,
): Promise<AssessmentWithItems[]> {
  const one = await getAssessment(db, clinicId, patientId, responseId);
  const rows = await db
    .select()
    .from(assessmentResponses)
    .where(and(eq(assessmentResponses.clinicId, clinicId), eq(assessmentResponses.rootId, one.rootId)))
    .orderBy(asc(assessmentResponses.version));
  const latest = rows[rows.length - 1]!;
  return withItems(db, clinicId, rows, new Set([latest.id]));
}

/** Minimal completions (current versions) for the schedule, for one or all patients of a clinic. */
export async function listCompletions(
  db: Queryable,
  clinicId: string,
  patientId?: string,
): Promise<Map<string, CompletedAssessment[]>> {
  const conditions = [eq(assessmentResponses.clinicId, clinicId), isCurrent];
  if (patientId) conditions.push(eq(assessmentResponses.patientId, patientId));
  const rows = await db
    .select({
      patientId: assessmentResponses.patientId,
      instrument: assessmentResponses.instrument,
      administeredAt: assessmentResponses.administeredAt,
      sessionId: assessmentResponses.sessionId,
      partialItemIds: assessmentResponses.partialItemIds,
    })
    .from(assessmentResponses)
    .where(and(...conditions));
  const out = new Map<string, CompletedAssessment[]>();
  for (const r of rows) {
    const c: CompletedAssessment = {
      instrument: r.instrument as InstrumentId,
      completedAt: r.administeredAt,
    };
    if (r.sessionId) c.sessionId = r.sessionId;
    if (r.partialItemIds) c.itemIds = r.partialItemIds;
    out.set(r.patientId, [...(out.get(r.patientId) ?? []), c]);
  }
  return out;
}

/** A scheduled treatment session as stored: its clinic-local date and minutes from local midnight. */
export interface SessionSlot {
  id: string;
  date: string;
  startMin: number;
  endMin: number;
}

/** Scheduled treatment sessions per patient, with the clinic's time zone to place them in. */
export async function listSessionSlots(
  db: Queryable,
  clinicId: string,
  patientId?: string,
): Promise<{ timeZone: string; byPatient: Map<string, SessionSlot[]> }> {
  const [clinic] = await db
    .select({ timeZone: clinics.timeZone })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  const timeZone = clinic?.timeZone ?? 'UTC';
  const conditions = [eq(treatmentSessions.clinicId, clinicId)];
  if (patientId) conditions.push(eq(treatmentSessions.patientId, patientId));
  const rows = await db
    .select({
      id: treatmentSessions.id,
      patientId: treatmentSessions.patientId,
      date: treatmentSessions.date,
      startMin: treatmentSessions.startMin,
      endMin: treatmentSessions.endMin,
    })
    .from(treatmentSessions)
    .where(and(...conditions));
  const byPatient = new Map<string, SessionSlot[]>();
  for (const { patientId: pid, ...slot } of rows) {
    byPatient.set(pid, [...(byPatient.get(pid) ?? []), slot]);
  }
  return { timeZone, byPatient };
}

export interface ClinicDueRow {
  patientId: string;
  givenName: string;
  familyName: string;
  mrn: string;
  due: DueAssessment[];
}

/** Every patient of the clinic by name (the rows of the staff due list), family name first. */
export async function listPatientNames(
  db: Queryable,
  clinicId: string,
): Promise<{ id: string; givenName: string; familyName: string; mrn: string }[]> {
  return db
    .select({
      id: patients.id,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
    })
    .from(patients)
    .where(eq(patients.clinicId, clinicId))
    .orderBy(asc(patients.familyName), asc(patients.givenName));
}
