/**
 * The dashboard's pre-aggregated course facts, computed with the core.
 *
 * A course's facts are a function of the rows already stored (its dosed sessions and their events,
 * the patient's PHQ-9 responses, the clinic's remission and vitals thresholds). Every write that can
 * change them recomputes the patient's facts in the same transaction, explicitly, in its use case:
 * recording or correcting a PHQ-9 (src/app/assessments.ts) and appending a session event call
 * `refreshPatientOutcomeFacts`; changing the session settings' remission or vitals thresholds calls
 * `rebuildOutcomeFacts` (src/app/courses.ts); bulk loaders (the synthetic network) call
 * `rebuildOutcomeFacts` after loading. `rein serve` rebuilds clinics whose facts were built by an
 * older `OUTCOME_FACTS_VERSION` (`backfillOutcomeFacts`).
 */
import { clinicRemissionThresholds } from '../clinical/instruments';
import {
  courseFact,
  courseInputFromSessions,
  courseOutcome,
  type CourseFact,
  type DosedSession,
  type ScoredAssessment,
  type SessionSafetyCounts,
} from '../clinical/outcomes';
import { readStoredPayload } from '../clinical/session';
import { getSessionSettings } from './session-settings';
import {
  clearClinicFacts,
  insertOutcomeFacts,
  listClinicIds,
  listFactPatientIds,
  loadOutcomeFactInputs,
  lockFactsForRebuild,
  lockFactsForRefresh,
  markOutcomeFactsBuilt,
  outcomeFactsCurrent,
  patientOfSession,
  replacePatientFacts,
  type OutcomeFactRow,
} from '../store/outcome-facts';
import type { Db } from '../store/open';
import { inClinic, type Queryable } from '../store/tx';
import { hypertensionChecks } from './outcome-rows';
import type { Modality } from '../clinical/protocols/evidence';
import type { SessionSettings } from '../clinical/session';
import { FACT_EVENT_KINDS } from '../store/outcome-facts';

/** The latest time a Date can hold: "no end of follow-up yet". */
const FOLLOW_UP_HORIZON = new Date(8.64e15);

/**
 * Computes the facts of every course of these patients (a few hundred per call) from what the
 * facts depend on: the patients' courses; their sessions' dosing starts, vitals and adverse
 * events; their current PHQ-9 totals and the suicide item (the only item `courseOutcome` reads). A
 * test compares the result with outcomes computed from the full export rows.
 */
export async function computeOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientIds: readonly string[],
  now: Date,
): Promise<OutcomeFactRow[]> {
  if (patientIds.length === 0) return [];
  const stored = await loadOutcomeFactInputs(db, clinicId, patientIds);
  if (stored === null) return [];
  const { courseRows, sessionRows, eventRows, scoreRows, suicideRows } = stored;
  const settings = await getSessionSettings(db, clinicId);
  const remissionThresholds = clinicRemissionThresholds(settings.outcomes.remissionThresholds);
  const modalityOf = new Map(courseRows.map((c) => [c.id, c.modality]));

  // Per session, as the session export counts them (src/app/outcome-rows.ts exportSessions).
  const htnCheck = hypertensionChecks(settings);
  const sessionById = new Map(
    sessionRows.map((r) => [
      r.id,
      {
        ...r,
        startedAt: null as Date | null,
        adverseEvents: 0,
        seriousAdverseEvents: 0,
        hypertensionAlerts: 0,
      },
    ]),
  );
  for (const e of eventRows) {
    const s = sessionById.get(e.session_id)!;
    if (e.kind === 'dosing-start') s.startedAt ??= new Date(Number(e.at_ms));
    else if (e.kind === 'adverse-event') {
      s.adverseEvents++;
      if (readStoredPayload('adverse-event', e.payload)?.serious === true) s.seriousAdverseEvents++;
    } else if (htnCheck(modalityOf.get(s.course_id)!)(e.payload, e.time_min)) s.hypertensionAlerts++;
  }
  const dosedByPatient = new Map<string, DosedSession[]>();
  const dosedByCourse = new Map<string, (SessionSafetyCounts & { startedAt: Date | null })[]>();
  for (const s of sessionById.values()) {
    if (s.startedAt === null) continue;
    const p = dosedByPatient.get(s.patient_id) ?? [];
    p.push({ at: s.startedAt, phaseId: s.phase_id, courseId: s.course_id });
    dosedByPatient.set(s.patient_id, p);
    const c = dosedByCourse.get(s.course_id) ?? [];
    c.push(s);
    dosedByCourse.set(s.course_id, c);
  }

  const itemsOf = new Map<string, Record<string, number>>();
  for (const a of suicideRows) {
    const items = itemsOf.get(a.response_id) ?? {};
    items[a.item_id] = a.value;
    itemsOf.set(a.response_id, items);
  }
  const phq9ByPatient = new Map<string, ScoredAssessment[]>();
  for (const r of scoreRows) {
    const list = phq9ByPatient.get(r.patient_id) ?? [];
    list.push({ at: new Date(Number(r.at_ms)), score: r.total_score, items: itemsOf.get(r.id) ?? {} });
    phq9ByPatient.set(r.patient_id, list);
  }

  const rows: OutcomeFactRow[] = [];
  for (const c of courseRows) {
    const dosed = dosedByCourse.get(c.id) ?? [];
    if (dosed.length === 0) continue;
    const input = courseInputFromSessions({
      courseId: c.id,
      instrument: 'phq9',
      patientSessions: dosedByPatient.get(c.patient_id) ?? [],
      assessments: phq9ByPatient.get(c.patient_id) ?? [],
      // Follow-up ends at the next dosed session only, never at "now": stored facts must not depend
      // on when they were computed (an assessment timed a few minutes ahead of the server's clock is
      // accepted, and must count without waiting for the patient's next write).
      now: FOLLOW_UP_HORIZON,
      settings: { remissionThresholds },
    });
    const fact: CourseFact = courseFact(input ? courseOutcome(input) : null, dosed);
    const lastDosedAt = new Date(Math.max(...dosed.map((d) => d.startedAt!.getTime())));
    rows.push({
      clinicId,
      courseId: c.id,
      patientId: c.patient_id,
      modality: c.modality,
      startDate: c.start_date,
      prescriberId: c.created_by,
      ...fact,
      lastDosedAt,
      computedAt: now,
    });
  }
  return rows;
}

/**
 * Whether appending these events can change the patient's course facts. Dosing starts and adverse
 * events can; a reading only when it carries the hypertension alert the facts count — the check
 * computeOutcomeFacts applies, under the same settings and the course's modality — so a routine
 * reading leaves the facts as they were and needs no recomputation.
 */
export function outcomeFactsChangedBy(
  events: readonly { kind: string; timeMin: number | null; payload: unknown }[],
  modality: Modality,
  settings: Pick<SessionSettings, 'thresholds'>,
): boolean {
  const alerting = hypertensionChecks(settings)(modality);
  return events.some((e) =>
    e.kind === 'vitals'
      ? alerting(e.payload, e.timeMin)
      : (FACT_EVENT_KINDS as readonly string[]).includes(e.kind),
  );
}

/** Recomputes one patient's course facts (call in the transaction of the write that changed them). */
export async function refreshPatientOutcomeFacts(
  db: Queryable,
  clinicId: string,
  patientId: string,
  now: Date,
): Promise<void> {
  await lockFactsForRefresh(db, clinicId, patientId);
  await replacePatientFacts(
    db,
    clinicId,
    [patientId],
    await computeOutcomeFacts(db, clinicId, [patientId], now),
  );
}

/** Recomputes the facts of the patient a treatment session belongs to. */
export async function refreshSessionOutcomeFacts(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  const patientId = await patientOfSession(db, clinicId, sessionId);
  if (patientId !== null) await refreshPatientOutcomeFacts(db, clinicId, patientId, now);
}

const REBUILD_BATCH = 500;

/**
 * Recomputes every course fact of a clinic, patients in batches (run inside `inClinic`, one
 * transaction: the dashboard never sees a half-rebuilt clinic). Returns the number of facts.
 */
export async function rebuildOutcomeFacts(
  db: Queryable,
  clinicId: string,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  await lockFactsForRebuild(db, clinicId);
  await clearClinicFacts(db, clinicId);
  const ids = await listFactPatientIds(db, clinicId);
  let facts = 0;
  onProgress?.(0, ids.length);
  for (let i = 0; i < ids.length; i += REBUILD_BATCH) {
    const batch = ids.slice(i, i + REBUILD_BATCH);
    const rows = await computeOutcomeFacts(db, clinicId, batch, now);
    await insertOutcomeFacts(db, rows);
    facts += rows.length;
    onProgress?.(Math.min(i + REBUILD_BATCH, ids.length), ids.length);
  }
  await markOutcomeFactsBuilt(db, clinicId, now);
  return facts;
}

/**
 * At server start: rebuilds the facts of every clinic whose facts were not built with the current
 * `OUTCOME_FACTS_VERSION` (a database from before the facts existed, or a release that changed how
 * they are computed). Each clinic in its own transaction.
 */
export async function backfillOutcomeFacts(
  db: Db,
  now: Date,
): Promise<{ clinicId: string; facts: number }[]> {
  const rebuilt: { clinicId: string; facts: number }[] = [];
  for (const id of await listClinicIds(db)) {
    const facts = await inClinic(db, id, async (tx) =>
      (await outcomeFactsCurrent(tx, id)) ? null : rebuildOutcomeFacts(tx, id, now),
    );
    if (facts !== null) rebuilt.push({ clinicId: id, facts });
  }
  return rebuilt;
}
