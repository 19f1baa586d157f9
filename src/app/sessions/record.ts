/**
 * The session's use cases: each loads the session, asks the session core to decide, appends the
 * events it decided, records the audit row, refreshes the patient's outcome facts when the events
 * change them, and returns the session as it now stands. HTTP, the CLI and importers call these.
 */
import { ageInYears } from '../../clinical/calendar';
import {
  decideAdverseEvent,
  decideAlertDecision,
  decideCheckIn,
  decideChecklist,
  decideDischarge,
  decideDosePlan,
  decideDosingAction,
  decideScheduledDosingStart,
  decideObservation,
  decideRemsSubmitted,
  decideVitals,
  decideRescue,
  decideSignOrder,
  decideVerifyDose,
  SessionRefusal,
  type OrderDraft,
  type RescueCommand,
  type SignOrderCommand,
  type AdverseEventCommand,
  type AlertDecisionCommand,
  type ChecklistAnswers,
  type Decided,
  type DischargeAnswers,
  type DosePlanCommand,
  type DosingActionCommand,
  type NewSessionEvent,
  type ObservationCommand,
  type ScheduledDosingStartCommand,
  type VitalsCommand,
} from '../../clinical/session';
import { doseSpecSchema } from '../../clinical/protocols';
import { addBodyMeasurement } from '../../store/body-measurements';
import { ConflictError } from '../../store/errors';
import { outcomeFactsChangedBy, refreshSessionOutcomeFacts } from '../outcome-facts';
import { lockCourseOfSession } from '../../store/locks';
import { insertSessionEvents, lockPatientForDosing, type SessionEventRow } from '../../store/sessions';
import { CHANGE_SESSION_DOSE, PRESCRIBING_ROLES, may } from '../access';
import { refuseDoseIfAllergic } from '../clinical-record';
import { listAllergies } from '../../store/clinical-record';
import {
  clearFailedLogins,
  findUserByEmail,
  getUserRow,
  recordFailedLogin,
  throttledUntil,
  throttleKeys,
} from '../../store/users';
import { decoyPasswordHash, verifyPassword } from '../../store/passwords';
import { ClinicalInputError } from '../../clinical/errors';
import { inClinicAs, recordAudit, type UseCaseContext } from '../context';
import type { Actor } from '../context';
import type { Db } from '../../store/open';
import {
  latestAssessedOn,
  loadSession,
  loadSessionEvents,
  withAppendedEvents,
  type LoadedSession,
  type SessionEventsView,
  type SessionRef,
} from './load';
import { sessionStandingOrder } from './orders';

/**
 * Runs a core decision, turning a refusal because of the session's state into the store's
 * conflict error (409). A refusal because of who is acting stays a SessionRefusal for the shell
 * to answer as forbidden.
 */
export function decided<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asStoreError(err);
  }
}

function asStoreError(err: unknown): unknown {
  return err instanceof SessionRefusal && err.reason === 'conflict'
    ? new ConflictError(err.field, err.message)
    : err;
}

function recorder(ctx: UseCaseContext): string {
  if (!ctx.actor.userId) throw new Error('session events are recorded by a user');
  return ctx.actor.userId;
}

/**
 * Appends decided events and refreshes the outcome facts they change (dosing, alerting vitals,
 * AEs), judged under the session's modality and settings as loaded.
 */
export async function appendDecided(
  ctx: UseCaseContext,
  session: Pick<LoadedSession, 'modality' | 'settings'> & { sessionId: string },
  events: readonly NewSessionEvent[],
): Promise<SessionEventRow[]> {
  const rows = await insertSessionEvents(
    ctx.tx,
    ctx.actor.clinicId,
    session.sessionId,
    events,
    recorder(ctx),
    ctx.now,
  );
  if (outcomeFactsChangedBy(events, session.modality, session.settings)) {
    await refreshSessionOutcomeFacts(ctx.tx, ctx.actor.clinicId, session.sessionId, ctx.now);
  }
  return rows;
}

/**
 * Lock → load → decide → append → audit → the session as it now stands. The course is locked
 * first, so a request that raced this one is decided on the events this one appended (a second
 * check-in or dosing start is refused, never stored twice). `lockAndLoad` takes the lock and
 * reads the session; the reads are sent behind the lock without waiting for it: the database runs
 * them after it, each seeing what the lock waited for.
 */
async function recordWith<S extends SessionEventsView>(
  ctx: UseCaseContext,
  ref: SessionRef,
  action: string,
  lockAndLoad: (ctx: UseCaseContext, ref: SessionRef) => Promise<S>,
  decide: (s: S) => Decided<object> | Promise<Decided<object>>,
  reload: (ctx: UseCaseContext, ref: SessionRef) => Promise<S>,
): Promise<S> {
  const before = await lockAndLoad(ctx, ref);
  const d = await Promise.resolve()
    .then(() => decide(before))
    .catch((err: unknown) => {
      throw asStoreError(err);
    });
  const rows = await appendDecided(ctx, { ...before, sessionId: ref.sessionId }, d.events);
  await recordAudit(ctx, {
    action,
    resourceType: 'treatment_session',
    resourceId: ref.sessionId,
    ...(d.details ? { details: { ...d.details } } : {}),
  });
  // Most appends (readings, decisions) change only the session's events: fold the new ones on.
  const userId = recorder(ctx);
  const recordedByName =
    before.events.find((e) => e.recordedBy === userId)?.recordedByName ??
    (await getUserRow(ctx.tx, ctx.actor.clinicId, userId)).name;
  return (
    withAppendedEvents(
      before,
      rows.map((r) => ({ ...r, recordedByName })),
    ) ?? reload(ctx, ref)
  );
}

const lockAndLoadSession = async (ctx: UseCaseContext, ref: SessionRef): Promise<LoadedSession> => {
  const [, loaded] = await Promise.all([
    lockCourseOfSession(ctx.tx, ctx.actor.clinicId, ref.sessionId),
    loadSession(ctx, ref),
  ]);
  return loaded;
};

const record = (
  ctx: UseCaseContext,
  ref: SessionRef,
  action: string,
  decide: (s: LoadedSession) => Decided<object> | Promise<Decided<object>>,
): Promise<LoadedSession> => recordWith(ctx, ref, action, lockAndLoadSession, decide, loadSession);

/** The session state (an audited read). */
export async function readSession(ctx: UseCaseContext, ref: SessionRef): Promise<LoadedSession> {
  const s = await loadSession(ctx, ref);
  await recordAudit(ctx, {
    action: 'session.read',
    resourceType: 'treatment_session',
    resourceId: ref.sessionId,
  });
  return s;
}

export const checkIn = (ctx: UseCaseContext, ref: SessionRef, cmd: { note?: string | undefined }) =>
  record(ctx, ref, 'session.check_in', (s) => decideCheckIn(s.state, cmd, s.screening));

/** The checklist; today's weight, when new, is recorded as a body measurement first. */
export const submitChecklist = (ctx: UseCaseContext, ref: SessionRef, answers: ChecklistAnswers) =>
  record(ctx, ref, 'session.checklist', async (s) => {
    const d = decideChecklist(
      s.state,
      answers,
      {
        today: s.today,
        patient: { sexAtBirth: s.patient.sexAtBirth, ageYears: ageInYears(s.patient.dateOfBirth, s.today) },
        weights: s.weights,
        assessmentsLatest: {
          phq9: latestAssessedOn(s, 'phq9'),
          cssrs: latestAssessedOn(s, 'cssrs-screener'),
        },
      },
      s.settings,
    );
    if (d.weightKgToRecord !== null) {
      await addBodyMeasurement(
        ctx.tx,
        ctx.actor.clinicId,
        s.patient.id,
        { weightKg: d.weightKgToRecord },
        recorder(ctx),
        ctx.now,
      );
    }
    return d;
  });

export const planDose = (ctx: UseCaseContext, ref: SessionRef, cmd: DosePlanCommand) =>
  record(ctx, ref, 'session.dose_plan', async (s) => {
    await refuseDoseIfAllergic(ctx, s.patient.id, s.modality);
    return decideDosePlan(
      s.state,
      cmd,
      {
        dose: doseSpecSchema.parse(s.session.dose),
        fixedDoseMg: s.session.fixedDoseMg,
        today: s.today,
        latestWeight: s.weights.at(-1) ?? null,
        mayChangeCourseDose: may(ctx.actor, CHANGE_SESSION_DOSE),
        orderedDoseMg: s.orderedDoseMg,
      },
      s.settings,
    );
  });

/**
 * Dosing start against the prescriber's signed order (refused without one), on the session's day
 * and not too soon after the last dose (dosing-day rules).
 */
export async function startDosing(ctx: UseCaseContext, ref: SessionRef, cmd: ScheduledDosingStartCommand) {
  // Before the session is loaded: a concurrent start for the patient commits first and is counted.
  await lockPatientForDosing(ctx.tx, ctx.actor.clinicId, ref.patientId);
  return record(ctx, ref, 'session.start', (s) =>
    decideScheduledDosingStart(s.state, cmd, s.dosingDay, {
      secondPersonVerification: s.settings.orders.secondPersonVerification,
    }),
  );
}

/**
 * A reading changes only the session's events and state: it is decided and answered from them,
 * without the patient's record around the session (medications, weights, screening, booking).
 */
export const recordVitals = (ctx: UseCaseContext, ref: SessionRef, cmd: VitalsCommand) =>
  recordWith(
    ctx,
    ref,
    'session.vitals',
    (c, r) => loadSessionEvents(c, r, { lockCourse: true }),
    (s) => decideVitals(s.state, cmd),
    loadSessionEvents,
  );

export const recordAlertDecision = (ctx: UseCaseContext, ref: SessionRef, cmd: AlertDecisionCommand) =>
  record(ctx, ref, 'session.alert_decision', (s) => decideAlertDecision(s.state, cmd));

export const recordDosingAction = (ctx: UseCaseContext, ref: SessionRef, cmd: DosingActionCommand) =>
  record(ctx, ref, 'session.dosing_action', (s) => decideDosingAction(s.state, cmd));

export const recordObservation = (ctx: UseCaseContext, ref: SessionRef, cmd: ObservationCommand) =>
  record(ctx, ref, 'session.observation', (s) => decideObservation(s.state, cmd));

export const recordAdverseEvent = (ctx: UseCaseContext, ref: SessionRef, cmd: AdverseEventCommand) =>
  record(ctx, ref, 'session.adverse_event', (s) => decideAdverseEvent(s.state, cmd));

export const discharge = (ctx: UseCaseContext, ref: SessionRef, answers: DischargeAnswers) =>
  record(ctx, ref, 'session.discharge', (s) => decideDischarge(s.state, answers, s.settings));

export const markRemsSubmitted = (ctx: UseCaseContext, ref: SessionRef, cmd: { submittedOn: string }) =>
  record(ctx, ref, 'session.rems.submitted', (s) => decideRemsSubmitted(s.state, cmd));

/** A prescriber signs the session order; refused for a drug the patient is allergic to. */
export const signOrder = (ctx: UseCaseContext, ref: SessionRef, cmd: SignOrderCommand) =>
  record(ctx, ref, 'session.order_signed', async (s) => {
    const standing = sessionStandingOrder(s);
    return decideSignOrder(s.state, cmd, {
      allergies: await listAllergies(ctx.tx, ctx.actor.clinicId, s.patient.id),
      latestWeightKg: s.weights.at(-1)?.weightKg ?? null,
      clinicMaxDoseMgPerKg: s.settings.clinicMaxDoseMgPerKg,
      standing: standing ?? { ...EMPTY_DRAFT },
      mayPrescribe: may(ctx.actor, PRESCRIBING_ROLES),
    });
  });

const EMPTY_DRAFT: OrderDraft = {
  drug: 'ketamine',
  route: 'iv',
  doseMgPerKg: null,
  doseMg: null,
  weightKg: null,
  durationMin: null,
  rateMgPerMin: null,
  maxDoseMg: null,
  holdConditions: [],
  rescues: [],
};

const VERIFYING_ROLES = ['admin', 'prescriber', 'nurse'] as const;

/** The outcome of a second person's password at the caller's screen. */
export type DoseVerifierCheck =
  | { kind: 'ok'; verifier: { userId: string; name: string } }
  | { kind: 'locked'; retryAfterSeconds: number }
  | { kind: 'refused'; field: 'verifierEmail' | 'verifierPassword'; message: string };

/**
 * A second person proves who they are by entering their own email and password at the caller's
 * screen. This runs in its own transaction, before the session's, so a wrong password is counted and
 * audited even though the verification is refused: the count shares the sign-in lock-out for that
 * email at that workstation (5 failures, then a growing lock), so the dialog cannot be used to guess
 * a colleague's password. A wrong email or password gets one answer for both (no account is
 * revealed); only a clinician of this clinic (row-level security hides the others) may verify.
 */
async function checkDoseVerifier(
  ctx: UseCaseContext,
  ref: SessionRef,
  cmd: { verifierEmail: string; verifierPassword: string; clientAddress: string },
): Promise<DoseVerifierCheck> {
  const keys = throttleKeys(cmd.verifierEmail, cmd.clientAddress);
  const audit = (reason: string, verifierUserId?: string) =>
    recordAudit(ctx, {
      action: 'session.dose_verification',
      resourceType: 'treatment_session',
      resourceId: ref.sessionId,
      outcome: 'denied',
      details: { patientId: ref.patientId, reason, ...(verifierUserId ? { verifierUserId } : {}) },
    });
  const lockedUntil = await throttledUntil(ctx.tx, keys.subjectHash, ctx.now);
  if (lockedUntil) {
    await audit('locked');
    return {
      kind: 'locked',
      retryAfterSeconds: Math.ceil((lockedUntil.getTime() - ctx.now.getTime()) / 1000),
    };
  }
  const row = await findUserByEmail(ctx.tx, cmd.verifierEmail);
  const ok = row
    ? await verifyPassword(row.passwordHash, cmd.verifierPassword)
    : await verifyPassword(await decoyPasswordHash(), cmd.verifierPassword).then(() => false);
  if (!row || !ok || row.disabled || row.clinicId !== ctx.actor.clinicId) {
    if (!ok) await recordFailedLogin(ctx.tx, keys, ctx.now);
    await audit(ok ? 'disabled' : 'bad_password', row?.clinicId === ctx.actor.clinicId ? row.id : undefined);
    return {
      kind: 'refused',
      field: 'verifierPassword',
      message: "the second person's email or password is not right",
    };
  }
  await clearFailedLogins(ctx.tx, keys.subjectHash);
  if (!(VERIFYING_ROLES as readonly string[]).includes(row.role)) {
    await audit('not_a_clinician', row.id);
    return {
      kind: 'refused',
      field: 'verifierEmail',
      message: 'the second person must be a nurse or prescriber',
    };
  }
  return { kind: 'ok', verifier: { userId: row.id, name: row.name } };
}

/** Records the verification of the drawn-up dose by a second person already checked above. */
const recordDoseVerified = (
  ctx: UseCaseContext,
  ref: SessionRef,
  verifier: { userId: string; name: string },
) =>
  record(ctx, ref, 'session.dose_verified', (s) =>
    decideVerifyDose(s.state, { verifier, recorderUserId: recorder(ctx) }),
  );

/**
 * The second person's verification at the caller's screen: their password is checked and, when
 * wrong, counted and audited in a transaction of its own; then the verification is recorded in the
 * session's. A lock is returned for the shell to answer (retry after); a wrong password is refused.
 */
export async function verifyDose(
  db: Db,
  actor: Actor,
  now: Date,
  ref: SessionRef,
  cmd: { verifierEmail: string; verifierPassword: string; clientAddress: string },
): Promise<{ kind: 'locked'; retryAfterSeconds: number } | { kind: 'verified'; session: LoadedSession }> {
  const check = await inClinicAs(db, actor, now, (ctx) => checkDoseVerifier(ctx, ref, cmd));
  if (check.kind === 'locked') return check;
  if (check.kind === 'refused') throw new ClinicalInputError(check.field, check.message);
  const session = await inClinicAs(db, actor, now, (ctx) => recordDoseVerified(ctx, ref, check.verifier));
  return { kind: 'verified', session };
}

/** A rescue medication given against the signed order; refused for a drug the patient is allergic to. */
export const giveRescue = (ctx: UseCaseContext, ref: SessionRef, cmd: RescueCommand) =>
  record(ctx, ref, 'session.rescue_given', async (s) =>
    decideRescue(s.state, cmd, await listAllergies(ctx.tx, ctx.actor.clinicId, s.patient.id)),
  );
