/**
 * Measurement-based care use cases: record and correct a response (staff, portal, importers),
 * and read a patient's responses, versions, trajectory and due lists. Recording is one explicit
 * sequence in the caller's transaction: check → score (core) → persist → raise the alert (core
 * rule) → refresh the dashboard's outcome facts → audit. Nothing of it hides in a repository.
 */
import { localToUtc } from '../clinical/calendar';
import {
  clinicRemissionThresholds,
  getInstrument,
  instruments,
  renderDefinition,
  isSuicideItemPositive,
  type AnswersInput,
  type DueAssessment,
  type InstrumentDefinition,
  type InstrumentId,
  type ScheduleSession,
  type ScoreResult,
} from '../clinical/instruments';
import { actionable, dueByInstrument, scheduleFor } from '../clinical/instruments/due-list';
import { trajectory } from '../clinical/instruments/trajectory';
import { assertRecordable, newAlertFor, scoreResponse } from '../clinical/instruments/recording';
import { ClinicalInputError } from '../clinical/errors';
import { createAlert } from '../store/alerts';
import {
  getAssessment,
  insertAssessmentRows,
  isCorrected,
  isPatientSession,
  listAssessments as listStoredAssessments,
  listCompletions,
  listPatientNames,
  listSessionSlots,
  listVersions as listStoredVersions,
  type AssessmentAuthor,
  type AssessmentResponse,
  type AssessmentWithItems,
  type ClinicDueRow,
  type ItemAnswer,
  type RecordedAssessment,
  type RecordInput,
} from '../store/assessments';
import { getSessionSettings } from './session-settings';
import { ConflictError } from '../store/errors';
import { refreshPatientOutcomeFacts } from './outcome-facts';
import { getPatient } from '../store/patients';
import { listEventsOfKinds } from '../store/sessions';
import type { AssessmentContextValue, Respondent } from '../store/schema-measurement';
import type { Tx } from '../store/tx';
import { recordAudit, type UseCaseContext } from './context';

export type { Alert } from '../store/alerts';
export type { AssessmentWithItems, RecordedAssessment } from '../store/assessments';

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

/**
 * Persists one scored version of a response and its item answers: who responded (the instrument's
 * rater), and which suicide items are positive, by the core's definitions. Raises nothing.
 */
export async function insertAssessmentVersion(
  tx: Tx,
  clinicId: string,
  patientId: string,
  v: AssessmentVersionInsert,
): Promise<{ response: AssessmentResponse; items: ItemAnswer[] }> {
  const { input, score } = v;
  const def = getInstrument(input.instrument);
  const respondent: Respondent = def.rater === 'clinician' ? 'clinician' : 'patient';
  return insertAssessmentRows(tx, clinicId, patientId, {
    instrument: def.id,
    instrumentVersion: def.version,
    context: input.context,
    sessionId: input.sessionId ?? null,
    administeredAt: input.administeredAt,
    respondent,
    author: v.author,
    totalScore: score.total,
    severity: score.severity ?? null,
    cssrsRisk: score.risk ?? null,
    flags: score.flags,
    suicidality: score.flags.includes('suicidality'),
    partialItemIds: input.itemIds ?? null,
    previous: v.previous,
    reason: v.reason,
    now: v.now,
    items: def.items
      .filter((item) => score.items.some((s) => s.id === item.id))
      .map((item) => {
        const value = score.items.find((s) => s.id === item.id)?.value ?? null;
        return {
          itemId: item.id,
          value,
          suicideItem: item.suicideItem,
          positive: item.suicideItem && value !== null ? isSuicideItemPositive(def.id, item.id, value) : null,
        };
      }),
  });
}

/** Item answers in the instrument's order. */
function inItemOrder(rows: AssessmentWithItems[]): AssessmentWithItems[] {
  return rows.map((r) => {
    const order = getInstrument(r.instrument).items.map((i) => i.id);
    const items = [...r.items].sort((x, y) => order.indexOf(x.itemId) - order.indexOf(y.itemId));
    return { ...r, items };
  });
}

/** The current version of each of a patient's responses, oldest first, items in order. */
export async function listAssessments(
  tx: Tx,
  clinicId: string,
  patientId: string,
): Promise<AssessmentWithItems[]> {
  return inItemOrder(await listStoredAssessments(tx, clinicId, patientId));
}

/** Every version of one response (first recording and its corrections), oldest first. */
async function listVersions(
  tx: Tx,
  clinicId: string,
  patientId: string,
  responseId: string,
): Promise<AssessmentWithItems[]> {
  return inItemOrder(await listStoredVersions(tx, clinicId, patientId, responseId));
}

/** Scheduled treatment sessions as schedule inputs (UTC instants, by the clinic calendar), per patient. */
async function sessionsByPatient(
  tx: Tx,
  clinicId: string,
  patientId?: string,
): Promise<Map<string, ScheduleSession[]>> {
  const { timeZone, byPatient } = await listSessionSlots(tx, clinicId, patientId);
  return new Map(
    [...byPatient].map(([pid, slots]) => [
      pid,
      slots.map((r) => ({
        id: r.id,
        startAt: localToUtc(r.date, r.startMin, timeZone),
        endAt: localToUtc(r.date, r.endMin, timeZone),
      })),
    ]),
  );
}

/** A patient's scheduled treatment sessions (UTC instants), oldest first: for charts. */
async function listScheduleSessions(tx: Tx, clinicId: string, patientId: string): Promise<ScheduleSession[]> {
  const all = await sessionsByPatient(tx, clinicId, patientId);
  return (all.get(patientId) ?? []).sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
}

/** A patient's schedule of assessments with their status at `now` (the core's schedule). */
export async function dueForPatient(
  tx: Tx,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<DueAssessment[]> {
  await getPatient(tx, clinicId, patientId);
  const done = await listCompletions(tx, clinicId, patientId);
  const sessions = await sessionsByPatient(tx, clinicId, patientId);
  return scheduleFor(done.get(patientId) ?? [], now, sessions.get(patientId));
}

/** The staff due list: every patient with something due or overdue, most overdue first. */
async function dueForClinic(tx: Tx, clinicId: string, now: Date): Promise<ClinicDueRow[]> {
  const people = await listPatientNames(tx, clinicId);
  const done = await listCompletions(tx, clinicId);
  const sessions = await sessionsByPatient(tx, clinicId);
  const rows: ClinicDueRow[] = [];
  for (const p of people) {
    const due = scheduleFor(done.get(p.id) ?? [], now, sessions.get(p.id)).filter((d) => actionable(d, now));
    if (due.length)
      rows.push({ patientId: p.id, givenName: p.givenName, familyName: p.familyName, mrn: p.mrn, due });
  }
  const overdue = (r: ClinicDueRow) => r.due.some((d) => d.status === 'overdue');
  return rows.sort((a, b) => Number(overdue(b)) - Number(overdue(a)));
}

/** Audit details that name the portal link when the patient answered through one. */
const authorDetails = (author: AssessmentAuthor) =>
  author.kind === 'portal' ? { actor: 'portal_link', portalLinkId: author.portalLinkId } : {};

/** Audits the alert a response raised, after the response's own event. */
async function auditAlert(ctx: UseCaseContext, rec: RecordedAssessment, author: AssessmentAuthor) {
  if (!rec.alert) return;
  await recordAudit(ctx, {
    action: 'alert.create',
    resourceType: 'alert',
    resourceId: rec.alert.id,
    details: {
      patientId: rec.response.patientId,
      responseId: rec.response.id,
      kind: rec.alert.kind,
      ...authorDetails(author),
    },
  });
}

/** Scores, persists, raises the alert and refreshes facts for one version of a response. */
async function recordVersion(
  ctx: UseCaseContext,
  patientId: string,
  input: RecordInput,
  author: AssessmentAuthor,
  previous: AssessmentResponse | null,
  reason: string | null,
): Promise<RecordedAssessment> {
  const { tx, actor, now } = ctx;
  const score = scoreResponse(input.instrument, input.version, input.answers, input.itemIds);
  assertRecordable({
    instrument: input.instrument,
    viaPortal: author.kind === 'portal',
    administeredAt: input.administeredAt,
    now,
  });
  const { response, items } = await insertAssessmentVersion(tx, actor.clinicId, patientId, {
    input,
    score,
    author,
    now,
    previous,
    reason,
  });
  // Same transaction: the alert commits or rolls back with the response.
  const needed = newAlertFor(score, previous);
  const alert = needed ? await createAlert(tx, actor.clinicId, response, needed, now) : null;
  // The dashboard's course facts read PHQ-9 totals: keep them current in this transaction.
  if (response.instrument === 'phq9') await refreshPatientOutcomeFacts(tx, actor.clinicId, patientId, now);
  return { response, items, score, alert };
}

export interface RecordAssessmentInput {
  patientId: string;
  response: RecordInput;
  author: AssessmentAuthor;
}

/** Records one completed instrument for a patient of the actor's clinic (and its alert, if any). */
export async function recordAssessment(
  ctx: UseCaseContext,
  input: RecordAssessmentInput,
): Promise<RecordedAssessment> {
  const { tx, actor } = ctx;
  const { patientId, response, author } = input;
  await getPatient(tx, actor.clinicId, patientId);
  if (
    response.sessionId !== undefined &&
    !(await isPatientSession(tx, actor.clinicId, patientId, response.sessionId))
  ) {
    throw new ClinicalInputError('sessionId', "is not one of this patient's treatment sessions");
  }
  const rec = await recordVersion(ctx, patientId, response, author, null, null);
  await recordAudit(ctx, {
    action: 'assessment.create',
    resourceType: 'assessment_response',
    resourceId: rec.response.id,
    details: {
      patientId,
      instrument: rec.response.instrument,
      context: rec.response.context,
      ...authorDetails(author),
    },
  });
  await auditAlert(ctx, rec, author);
  return rec;
}

/**
 * The positional form callers written before src/app use (tests, older importers): the same use
 * case, acting as the author with no role and no request.
 */
export function recordAssessmentInTx(
  tx: Tx,
  clinicId: string,
  patientId: string,
  response: RecordInput,
  author: AssessmentAuthor,
  now: Date,
): Promise<RecordedAssessment> {
  const actor = {
    clinicId,
    userId: author.kind === 'user' ? author.userId : null,
    role: author.kind === 'portal' ? ('patient' as const) : null,
    requestId: null,
  };
  return recordAssessment({ tx, actor, now }, { patientId, response, author });
}

export interface CorrectAssessmentInput {
  patientId: string;
  responseId: string;
  answers: AnswersInput;
  reason: string;
  context?: AssessmentContextValue | undefined;
  administeredAt?: Date | undefined;
}

/** Corrects the latest version of a response by recording a new version that supersedes it. */
export async function correctAssessment(
  ctx: UseCaseContext,
  input: CorrectAssessmentInput,
): Promise<RecordedAssessment> {
  const { tx, actor } = ctx;
  const { patientId, responseId } = input;
  if (!actor.userId) throw new Error('correctAssessment: a correction is made by a staff user');
  const previous = await getAssessment(tx, actor.clinicId, patientId, responseId);
  if (await isCorrected(tx, actor.clinicId, previous.id)) {
    throw new ConflictError(
      'version',
      'this response has already been corrected; correct the latest version',
    );
  }
  const rec = await recordVersion(
    ctx,
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
    { kind: 'user', userId: actor.userId },
    previous,
    input.reason,
  );
  await recordAudit(ctx, {
    action: 'assessment.correct',
    resourceType: 'assessment_response',
    resourceId: rec.response.id,
    details: { patientId, supersedes: responseId, version: rec.response.version },
  });
  await auditAlert(ctx, rec, { kind: 'user', userId: actor.userId });
  return rec;
}

/** A patient's responses (current versions), oldest first. */
export async function listPatientAssessments(
  ctx: UseCaseContext,
  patientId: string,
): Promise<AssessmentWithItems[]> {
  const rows = await listAssessments(ctx.tx, ctx.actor.clinicId, patientId);
  await recordAudit(ctx, {
    action: 'assessment.list',
    resourceType: 'patient',
    resourceId: patientId,
    details: { returned: rows.length },
  });
  return rows;
}

/** Every version of one response. */
export async function listAssessmentVersions(
  ctx: UseCaseContext,
  input: { patientId: string; responseId: string },
): Promise<AssessmentWithItems[]> {
  const rows = await listVersions(ctx.tx, ctx.actor.clinicId, input.patientId, input.responseId);
  await recordAudit(ctx, {
    action: 'assessment.versions',
    resourceType: 'assessment_response',
    resourceId: input.responseId,
    details: { patientId: input.patientId, returned: rows.length },
  });
  return rows;
}

/** A patient's trajectory under the clinic's remission thresholds, with the sessions to mark. */
export async function patientTrajectory(
  ctx: UseCaseContext,
  patientId: string,
): Promise<ReturnType<typeof trajectory> & { sessions: ScheduleSession[] }> {
  const { tx, actor } = ctx;
  const rows = await listAssessments(tx, actor.clinicId, patientId);
  const sessions = await listScheduleSessions(tx, actor.clinicId, patientId);
  const settings = await getSessionSettings(tx, actor.clinicId);
  const dosingStarts = await listEventsOfKinds(
    tx,
    actor.clinicId,
    sessions.map((s) => s.id),
    ['dosing-start'],
  );
  await recordAudit(ctx, { action: 'assessment.trajectory', resourceType: 'patient', resourceId: patientId });
  return {
    ...trajectory(
      rows,
      clinicRemissionThresholds(settings.outcomes.remissionThresholds),
      dosingStarts[0]?.recordedAt ?? null,
    ),
    sessions,
  };
}

/** The instruments Rein scores, as forms show them: items, options, severity bands, licence status. */
export function instrumentDefinitions(): InstrumentDefinition[] {
  return instruments.map((d) => renderDefinition(d.id));
}

/** A scheduled assessment, and whether staff can still act on it now (the core's due-list rule). */
export type DueItem = DueAssessment & { actionable: boolean };
export type ClinicDueItem = Omit<ClinicDueRow, 'due'> & { due: DueItem[] };

const withActionable = (d: DueAssessment, now: Date): DueItem => ({ ...d, actionable: actionable(d, now) });

/** A patient's schedule of assessments with their status. */
export async function patientDue(ctx: UseCaseContext, patientId: string): Promise<DueItem[]> {
  const due = await dueForPatient(ctx.tx, ctx.actor.clinicId, patientId, ctx.now);
  await recordAudit(ctx, { action: 'assessment.due', resourceType: 'patient', resourceId: patientId });
  return due.map((d) => withActionable(d, ctx.now));
}

/** How the due list is ordered: by due time (earliest first), by patient, or by instrument. */
export type DueListSort = 'due' | 'patient' | 'instrument';

export interface DueListQuery {
  limit: number;
  offset: number;
  sort?: DueListSort | undefined;
  /** Only lines asking for this instrument. */
  instrument?: InstrumentId | undefined;
  overdueOnly?: boolean | undefined;
}

/** One line of the due list: one patient, one instrument, the earliest item due for it. */
export type ClinicDueLine = Omit<ClinicDueRow, 'due'> & {
  instrumentKey: string;
  item: DueItem;
  /** Further items of the same instrument this line stands for (one answer serves them). */
  merged: number;
};

/** The clinic's due list: one line per patient and instrument due now or overdue, sorted and filtered. */
export async function clinicDueList(
  ctx: UseCaseContext,
  query: DueListQuery,
): Promise<{ items: ClinicDueLine[]; total: number }> {
  const rows = await dueForClinic(ctx.tx, ctx.actor.clinicId, ctx.now);
  let lines: ClinicDueLine[] = rows.flatMap(({ due, ...patient }) =>
    dueByInstrument(due).map((l) => ({
      ...patient,
      instrumentKey: l.key,
      item: withActionable(l.item, ctx.now),
      merged: l.merged,
    })),
  );
  if (query.instrument) {
    const wanted = query.instrument;
    lines = lines.filter((l) => l.item.anyOf.some((r) => r.instrument === wanted));
  }
  if (query.overdueOnly) lines = lines.filter((l) => l.item.status === 'overdue');
  const byDue = (a: ClinicDueLine, b: ClinicDueLine) => a.item.dueAt.getTime() - b.item.dueAt.getTime();
  const byPatient = (a: ClinicDueLine, b: ClinicDueLine) =>
    a.familyName.localeCompare(b.familyName) ||
    a.givenName.localeCompare(b.givenName) ||
    a.mrn.localeCompare(b.mrn);
  const byInstrument = (a: ClinicDueLine, b: ClinicDueLine) => a.instrumentKey.localeCompare(b.instrumentKey);
  const sort = query.sort ?? 'due';
  lines.sort((a, b) =>
    sort === 'patient'
      ? byPatient(a, b) || byDue(a, b)
      : sort === 'instrument'
        ? byInstrument(a, b) || byDue(a, b) || byPatient(a, b)
        : byDue(a, b) || byPatient(a, b),
  );
  const items = lines.slice(query.offset, query.offset + query.limit);
  await recordAudit(ctx, {
    action: 'assessment.due_list',
    resourceType: 'patient',
    details: {
      returned: items.length,
      total: lines.length,
      sort,
      ...(query.instrument ? { instrument: query.instrument } : {}),
      overdueOnly: Boolean(query.overdueOnly),
    },
  });
  return { items, total: lines.length };
}
