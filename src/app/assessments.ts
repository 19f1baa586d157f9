/**
 * Measurement-based care use cases: record and correct a response (staff, portal, importers),
 * and read a patient's responses, versions, trajectory and due lists. Recording is one explicit
 * sequence in the caller's transaction: check → score (core) → persist → raise the alert (core
 * rule) → refresh the dashboard's outcome facts → audit. Nothing of it hides in a repository.
 */
import {
  clinicRemissionThresholds,
  getInstrument,
  type AnswersInput,
  type DueAssessment,
  type InstrumentId,
  type ScheduleSession,
} from '../clinical/instruments';
import { trajectory } from '../clinical/instruments/trajectory';
import { assertRecordable, newAlertFor, scoreResponse } from '../clinical/instruments/recording';
import { ClinicalInputError } from '../clinical/errors';
import { createAlert } from '../store/alerts';
import {
  dueForClinic,
  dueForPatient,
  getAssessment,
  insertAssessmentVersion,
  isCorrected,
  isPatientSession,
  listAssessments,
  listScheduleSessions,
  listVersions,
  type AssessmentAuthor,
  type AssessmentResponse,
  type AssessmentWithItems,
  type ClinicDueRow,
  type RecordedAssessment,
  type RecordInput,
} from '../store/assessments';
import { getSessionSettings } from '../store/courses';
import { ConflictError } from '../store/errors';
import { refreshPatientOutcomeFacts } from '../store/outcome-facts';
import { getPatient } from '../store/patients';
import { listEventsOfKinds } from '../store/sessions';
import type { AssessmentContextValue } from '../store/schema-measurement';
import type { Tx } from '../store/tx';
import { recordAudit, type UseCaseContext } from './context';

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

/** A patient's schedule of assessments with their status. */
export async function patientDue(ctx: UseCaseContext, patientId: string): Promise<DueAssessment[]> {
  const due = await dueForPatient(ctx.tx, ctx.actor.clinicId, patientId, ctx.now);
  await recordAudit(ctx, { action: 'assessment.due', resourceType: 'patient', resourceId: patientId });
  return due;
}

/** The clinic's due list: patients with something due now or overdue. */
export async function clinicDueList(
  ctx: UseCaseContext,
  page: { limit: number; offset: number },
): Promise<{ items: ClinicDueRow[]; total: number }> {
  const rows = await dueForClinic(ctx.tx, ctx.actor.clinicId, ctx.now);
  const items = rows.slice(page.offset, page.offset + page.limit);
  await recordAudit(ctx, {
    action: 'assessment.due_list',
    resourceType: 'patient',
    details: { returned: items.length, total: rows.length },
  });
  return { items, total: rows.length };
}
