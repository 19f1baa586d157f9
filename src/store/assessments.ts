/**
 * Assessment responses: item-level answers, instrument id + version, the scores the
 * clinical core computed, who answered, context, optional session, administered-at time. A correction
 * is a new version linked to the one it corrects; nothing is overwritten. Persistence only: scoring,
 * the alert a response raises and the outcome facts it changes are decided and written by the use
 * cases in src/app/assessments.ts, in the caller's transaction.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { actionable, scheduleFor } from '../clinical/instruments/due-list';
import {
  getInstrument,
  isSuicideItemPositive,
  type AnswersInput,
  type CompletedAssessment,
  type DueAssessment,
  type InstrumentId,
  type ScheduleSession,
  type ScoreResult,
} from '../clinical/instruments';
import type { Alert } from './alerts';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors';
import type { AssessmentContextValue } from './schema-measurement';
import { getPatient } from './patients';
import { clinics, patients } from './schema';
import { treatmentSessions } from './schema-sessions';
import {
  assessmentItemAnswers,
  assessmentResponses,
  type AssessmentResponseRow,
  type Respondent,
} from './schema-measurement';
import type { Queryable } from './tx';

// The scoring rule for suicide items asked alone and the due-list rules live in the clinical core.
export { scorePartial } from '../clinical/instruments/recording';
export { actionable, OVERDUE_LIST_DAYS, scheduleFor } from '../clinical/instruments/due-list';
/**
 * @deprecated Positional form of the app's `recordAssessment` use case, kept for callers that
 * predate src/app (it records, raises the alert and refreshes facts like the use case does).
 */
export { recordAssessmentInTx as recordAssessment } from '../app/assessments';

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

/** One scored version of a response, as the use case decided it. */
export interface AssessmentVersionInsert {
  input: RecordInput;
  score: ScoreResult;
  author: AssessmentAuthor;
  now: Date;
  /** The version this one corrects, or null for a first recording. */
  previous: AssessmentResponse | null;
  reason: string | null;
}

/** Inserts one version of a response and its item answers (a second correction of one version is a conflict). */
export async function insertAssessmentVersion(
  db: Queryable,
  clinicId: string,
  patientId: string,
  v: AssessmentVersionInsert,
): Promise<{ response: AssessmentResponse; items: ItemAnswer[] }> {
  const { input, score, author, now, previous, reason } = v;
  const def = getInstrument(input.instrument);
  const respondent: Respondent = def.rater === 'clinician' ? 'clinician' : 'patient';
  const id = uuidv7();
  let response: AssessmentResponse;
  try {
    [response] = (await db
      .insert(assessmentResponses)
      .values({
        clinicId,
        id,
        patientId,
        instrument: def.id,
        instrumentVersion: def.version,
        context: input.context,
        sessionId: input.sessionId ?? null,
        administeredAt: input.administeredAt,
        respondent,
        enteredBy: author.kind === 'user' ? author.userId : null,
        portalLinkId: author.kind === 'portal' ? author.portalLinkId : null,
        totalScore: score.total,
        severity: score.severity ?? null,
        cssrsRisk: score.risk ?? null,
        flags: score.flags,
        suicidality: score.flags.includes('suicidality'),
        partialItemIds: input.itemIds ?? null,
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
    .values(
      def.items
        .filter((item) => score.items.some((s) => s.id === item.id))
        .map((item) => {
          const value = score.items.find((s) => s.id === item.id)?.value ?? null;
          return {
            clinicId,
            responseId: response.id,
            patientId,
            itemId: item.id,
            value,
            suicideItem: item.suicideItem,
            positive:
              item.suicideItem && value !== null ? isSuicideItemPositive(def.id, item.id, value) : null,
          };
        }),
    )
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
  return rows.map((r) => {
    const order = getInstrument(r.instrument).items.map((i) => i.id);
    const items = (byResponse.get(r.id) ?? []).sort(
      (x, y) => order.indexOf(x.itemId) - order.indexOf(y.itemId),
    );
    return { ...r, items, current: currentIds === null ? true : currentIds.has(r.id) };
  });
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
async function completions(
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

/**
 * Wall-clock time in a clinic's IANA time zone → UTC instant (sessions are scheduled as a local date
 * and minutes from local midnight). Two passes settle the offset across DST changes.
 */
export function zonedToUtc(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offset = (t: number) => {
    const parts = fmt.formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - t;
  };
  const first = wall - offset(wall);
  return new Date(wall - offset(first));
}

/** Scheduled treatment sessions as schedule inputs, per patient. */
async function sessionsByPatient(
  db: Queryable,
  clinicId: string,
  patientId?: string,
): Promise<Map<string, ScheduleSession[]>> {
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
  const out = new Map<string, ScheduleSession[]>();
  for (const r of rows) {
    const session: ScheduleSession = {
      id: r.id,
      startAt: zonedToUtc(r.date, r.startMin, timeZone),
      endAt: zonedToUtc(r.date, r.endMin, timeZone),
    };
    out.set(r.patientId, [...(out.get(r.patientId) ?? []), session]);
  }
  return out;
}

/** A patient's scheduled treatment sessions (UTC instants), oldest first: for charts. */
export async function listScheduleSessions(
  db: Queryable,
  clinicId: string,
  patientId: string,
): Promise<ScheduleSession[]> {
  const all = await sessionsByPatient(db, clinicId, patientId);
  return (all.get(patientId) ?? []).sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
}

export async function dueForPatient(
  db: Queryable,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<DueAssessment[]> {
  await getPatient(db, clinicId, patientId);
  const done = await completions(db, clinicId, patientId);
  const sessions = await sessionsByPatient(db, clinicId, patientId);
  return scheduleFor(done.get(patientId) ?? [], now, sessions.get(patientId));
}

export interface ClinicDueRow {
  patientId: string;
  givenName: string;
  familyName: string;
  mrn: string;
  due: DueAssessment[];
}

/** The staff due list: every patient with something due or overdue, most overdue first. */
export async function dueForClinic(db: Queryable, clinicId: string, now: Date): Promise<ClinicDueRow[]> {
  const people = await db
    .select({
      id: patients.id,
      givenName: patients.givenName,
      familyName: patients.familyName,
      mrn: patients.mrn,
    })
    .from(patients)
    .where(eq(patients.clinicId, clinicId))
    .orderBy(asc(patients.familyName), asc(patients.givenName));
  const done = await completions(db, clinicId);
  const sessions = await sessionsByPatient(db, clinicId);
  const rows: ClinicDueRow[] = [];
  for (const p of people) {
    const due = scheduleFor(done.get(p.id) ?? [], now, sessions.get(p.id)).filter((d) => actionable(d, now));
    if (due.length)
      rows.push({ patientId: p.id, givenName: p.givenName, familyName: p.familyName, mrn: p.mrn, due });
  }
  const overdue = (r: ClinicDueRow) => r.due.some((d) => d.status === 'overdue');
  return rows.sort((a, b) => Number(overdue(b)) - Number(overdue(a)));
}
