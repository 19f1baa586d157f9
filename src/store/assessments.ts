/**
 * Assessment responses: item-level answers, instrument id + version, the scores the
 * clinical core computed, who answered, context, optional session, administered-at time. A correction
 * is a new version linked to the one it corrects; nothing is overwritten. A response whose scoring
 * raises suicidality gets its alert in the same transaction (the caller's `tx`).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import {
  dueAssessments,
  getInstrument,
  isSuicideItemPositive,
  scoreInstrument,
  type AnswersInput,
  type CompletedAssessment,
  type DueAssessment,
  type InstrumentId,
  type ScheduleSession,
  type ScoreResult,
} from '../clinical/instruments';
import { localToUtc } from '../clinical/calendar';
import { ClinicalInputError } from '../clinical/errors';
import { alertFor, createAlert, type Alert } from './alerts';
import { ConflictError, isUniqueViolation, NotFoundError } from './errors';
import type { AssessmentContextValue } from './schema-measurement';
import { refreshPatientOutcomeFacts } from './outcome-facts';
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

function scoreFor(
  instrument: InstrumentId,
  version: string,
  answers: AnswersInput,
  itemIds: string[] | undefined,
): ScoreResult {
  const def = getInstrument(instrument);
  if (version !== def.version) {
    throw new ClinicalInputError(
      'version',
      `the form showed ${def.id} version ${version}, but this server scores version ${def.version}; reload the form`,
    );
  }
  if (itemIds === undefined) return scoreInstrument(instrument, answers);
  return scorePartial(instrument, answers, itemIds);
}

/**
 * A partial response: suicide items asked on their own (the schedule's "PHQ-9 item 9 at +4 h").
 * Only suicide items may be asked alone — a total or severity from a subset would be meaningless —
 * and each answer is range-checked by the core (isSuicideItemPositive names the item).
 */
export function scorePartial(
  instrument: InstrumentId,
  answers: AnswersInput,
  itemIds: string[],
): ScoreResult {
  const def = getInstrument(instrument);
  if (itemIds.length === 0 || new Set(itemIds).size !== itemIds.length) {
    throw new ClinicalInputError('itemIds', 'list each item asked once');
  }
  if (Array.isArray(answers)) {
    throw new ClinicalInputError(
      'answers',
      'send the answers keyed by item id when only some items were asked',
    );
  }
  const keyed = answers as Readonly<Record<string, number | null | undefined>>;
  for (const key of Object.keys(keyed)) {
    if (!itemIds.includes(key)) throw new ClinicalInputError(`item ${key}`, `item ${key} was not asked`);
  }
  const items = itemIds.map((itemId) => {
    const item = def.items.find((i) => i.id === itemId);
    if (!item) throw new ClinicalInputError('itemIds', `${def.id} has no item "${itemId}"`);
    if (!item.suicideItem) {
      throw new ClinicalInputError(
        'itemIds',
        `only suicide items may be asked alone; item ${itemId} is not one`,
      );
    }
    const value = keyed[itemId];
    if (value === undefined || value === null) throw new ClinicalInputError(`item ${itemId}`, 'is required');
    return { id: itemId, value, positive: isSuicideItemPositive(def.id, itemId, value) };
  });
  return {
    instrument: def.id,
    version: def.version,
    rater: def.rater,
    total: null,
    totalRange: def.totalRange,
    flags: items.some((i) => i.positive) ? ['suicidality'] : [],
    items: items.map(({ id, value }) => ({ id, value })),
    unverified: [...def.unverified],
  };
}

async function insertVersion(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: RecordInput,
  author: AssessmentAuthor,
  now: Date,
  previous: AssessmentResponse | null,
  reason: string | null,
): Promise<RecordedAssessment> {
  const def = getInstrument(input.instrument);
  const score = scoreFor(input.instrument, input.version, input.answers, input.itemIds);
  if (author.kind === 'portal' && def.rater === 'clinician') {
    throw new ClinicalInputError('instrument', `${def.title} is rated by a clinician, not self-reported`);
  }
  if (input.administeredAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new ClinicalInputError('administeredAt', 'must not be in the future');
  }
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
  // Same transaction: the alert commits or rolls back with the response.
  const needed = alertFor(score);
  const previousNeeded = previous
    ? previous.suicidality || ['moderate', 'high'].includes(previous.cssrsRisk ?? '')
    : false;
  const alert = needed && !previousNeeded ? await createAlert(db, clinicId, response, needed, now) : null;
  // The dashboard's course facts read PHQ-9 totals: keep them current in this transaction.
  if (def.id === 'phq9') await refreshPatientOutcomeFacts(db, clinicId, patientId, now);
  return { response, items, score, alert };
}

/** Records one completed instrument for a patient of this clinic (and its alert, if any). */
export async function recordAssessment(
  db: Queryable,
  clinicId: string,
  patientId: string,
  input: RecordInput,
  author: AssessmentAuthor,
  now: Date,
): Promise<RecordedAssessment> {
  await getPatient(db, clinicId, patientId);
  if (input.sessionId !== undefined) await checkSession(db, clinicId, patientId, input.sessionId);
  return insertVersion(db, clinicId, patientId, input, author, now, null, null);
}

/**
 * `session_id` has no foreign key (the column predates the sessions table), so the link is checked
 * here: it must be one of this patient's scheduled treatment sessions.
 */
async function checkSession(db: Queryable, clinicId: string, patientId: string, sessionId: string) {
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
  if (!row) throw new ClinicalInputError('sessionId', "is not one of this patient's treatment sessions");
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

/** Corrects the latest version of a response by recording a new version that supersedes it. */
export async function correctAssessment(
  db: Queryable,
  clinicId: string,
  patientId: string,
  responseId: string,
  input: {
    answers: AnswersInput;
    reason: string;
    context?: AssessmentContextValue | undefined;
    administeredAt?: Date | undefined;
  },
  userId: string,
  now: Date,
): Promise<RecordedAssessment> {
  const previous = await getAssessment(db, clinicId, patientId, responseId);
  const [newer] = await db
    .select({ id: assessmentResponses.id })
    .from(assessmentResponses)
    .where(
      and(eq(assessmentResponses.clinicId, clinicId), eq(assessmentResponses.supersedesId, previous.id)),
    );
  if (newer)
    throw new ConflictError(
      'version',
      'this response has already been corrected; correct the latest version',
    );
  return insertVersion(
    db,
    clinicId,
    patientId,
    {
      instrument: previous.instrument as InstrumentId,
      version: getInstrument(previous.instrument).version,
      context: input.context ?? previous.context,
      sessionId: previous.sessionId ?? undefined,
      administeredAt: input.administeredAt ?? previous.administeredAt,
      answers: input.answers,
      itemIds: previous.partialItemIds ?? undefined,
    },
    { kind: 'user', userId },
    now,
    previous,
    input.reason,
  );
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

/** Wall-clock time in a clinic's time zone → UTC instant: the clinic calendar's one rule. */
export { localToUtc as zonedToUtc } from '../clinical/calendar';

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
      startAt: localToUtc(r.date, r.startMin, timeZone),
      endAt: localToUtc(r.date, r.endMin, timeZone),
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

/**
 * The schedule for one patient from the clinic's default rules (DEFAULT_SCHEDULE_RULES) and the
 * patient's scheduled treatment sessions: baseline, pre-session, +4 h, +24 h and weekly slots.
 * With no sessions only the baseline rules apply, anchored at the patient's first recorded
 * assessment (or `now` when there is none, so the baseline is due now).
 */
export function scheduleFor(
  completed: CompletedAssessment[],
  now: Date,
  sessions: ScheduleSession[] = [],
): DueAssessment[] {
  if (sessions.length > 0) return dueAssessments({ sessions, now, completed });
  const first = completed.reduce<Date | undefined>(
    (min, c) => (min === undefined || c.completedAt < min ? c.completedAt : min),
    undefined,
  );
  return dueAssessments({ sessions: [], now, completed, courseStartAt: first ?? now });
}

/**
 * Overdue items stay on the lists for this long after their window closed; older misses are part of
 * the record (the trajectory shows the gaps) but no longer something staff can still do.
 */
export const OVERDUE_LIST_DAYS = 14;

/** Due now, or overdue within the last OVERDUE_LIST_DAYS (a missing baseline always counts). */
export function actionable(d: DueAssessment, now: Date): boolean {
  if (d.status === 'due') return true;
  if (d.status !== 'overdue') return false;
  return d.context === 'baseline' || now.getTime() - d.windowEnd.getTime() <= OVERDUE_LIST_DAYS * 86_400_000;
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
