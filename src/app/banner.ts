/**
 * The patient banner every clinical page shows: who the patient is (name, date of birth, age on
 * the clinic's today), allergies, the latest weight and its date, the active course and session
 * n of N, the last PHQ-9 with its direction and the trajectory's response and remission, an open
 * suicide-risk flag and, for esketamine, REMS enrolment. Every judgement is its owner's rule
 * (allergy state, the trajectory, the alert tiers, the checklist's REMS answer); this use case
 * only gathers them, in one audited read.
 */
import { activeCourse, scoreTrend, type ScoreTrend } from '../clinical/banner';
import { ageInYears, localDateOf } from '../clinical/calendar';
import { clinicRemissionThresholds, type SuicidalityTier } from '../clinical/instruments';
import { trajectory } from '../clinical/instruments/trajectory';
import { allergyState, type AllergyState } from '../clinical/record';
import { readStoredPayload } from '../clinical/session';
import { modalitySchema, type Modality } from '../clinical/vocabulary/modalities';
import { listBodyMeasurements } from '../store/body-measurements';
import { latestAllergyStatement, listAllergies } from '../store/clinical-record';
import { getCourse, listCourses } from '../store/courses';
import { getPatient } from '../store/patients';
import { listEventsOfKinds } from '../store/sessions';
import { openSuicidalityFlag } from './alerts';
import { listAssessments } from './assessments';
import { clinicDay } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';
import { latestBodySize } from './measurements';
import { getSessionSettings } from './session-settings';

export interface PatientBanner {
  patientId: string;
  givenName: string;
  familyName: string;
  mrn: string;
  dateOfBirth: string;
  ageYears: number;
  allergies: {
    state: AllergyState['kind'];
    /** Active allergies: substance and reaction. */
    active: { substance: string; reaction: string | null; severity: string | null }[];
  };
  weight: { weightKg: number; measuredOn: string } | null;
  course: {
    courseId: string;
    modality: Modality;
    templateKey: string;
    total: number;
    dosed: number;
    current: { sessionId: string; sequence: number; date: string } | null;
  } | null;
  phq9:
    | (ScoreTrend & {
        baseline: number | null;
        fallPercent: number | null;
        response: boolean | null;
        remission: boolean | null;
      })
    | null;
  suicideRisk: { tier: SuicidalityTier; openCount: number; latestAt: Date } | null;
  /** Only when the patient has an esketamine course: the latest checklist's REMS answer. */
  rems: { enrolled: boolean; confirmedOn: string | null } | null;
}

export async function patientBanner(ctx: UseCaseContext, patientId: string): Promise<PatientBanner> {
  const { tx, actor } = ctx;
  const clinicId = actor.clinicId;
  const patient = await getPatient(tx, clinicId, patientId);
  const { today, timeZone } = await clinicDay(ctx);

  const allergyRows = await listAllergies(tx, clinicId, patientId);
  const statement = await latestAllergyStatement(tx, clinicId, patientId);
  const state = allergyState(
    allergyRows.map((a) => ({ status: a.status, recordedAt: a.createdAt })),
    statement,
  );

  const body = latestBodySize(await listBodyMeasurements(tx, clinicId, patientId), ctx.now);

  const courseRows = await listCourses(tx, clinicId, patientId);
  const withSessions = [];
  for (const c of courseRows) withSessions.push(await getCourse(tx, clinicId, patientId, c.id));
  const sessionIds = withSessions.flatMap((c) => c.sessions.map((s) => s.id));
  const events = await listEventsOfKinds(tx, clinicId, sessionIds, [
    'dosing-start',
    'discharge',
    'checklist',
  ]);
  const kindsBySession = new Map<string, Set<string>>();
  for (const e of events) {
    const set = kindsBySession.get(e.sessionId) ?? new Set<string>();
    set.add(e.kind);
    kindsBySession.set(e.sessionId, set);
  }
  const active = activeCourse(
    withSessions.map(({ course, sessions }) => ({
      id: course.id,
      startDate: course.startDate,
      row: course,
      sessions: sessions.map((s) => ({
        id: s.id,
        sequence: s.sequence,
        date: s.date,
        dosed: kindsBySession.get(s.id)?.has('dosing-start') ?? false,
        discharged: kindsBySession.get(s.id)?.has('discharge') ?? false,
      })),
    })),
    today,
  );

  const firstDosing = events
    .filter((e) => e.kind === 'dosing-start')
    .reduce<Date | null>((min, e) => (min === null || e.recordedAt < min ? e.recordedAt : min), null);
  const settings = await getSessionSettings(tx, clinicId);
  const phq9Series = trajectory(
    await listAssessments(tx, clinicId, patientId),
    clinicRemissionThresholds(settings.outcomes.remissionThresholds),
    firstDosing,
  ).series.find((s) => s.instrument === 'phq9');
  const trend = phq9Series ? scoreTrend(phq9Series.points) : null;

  const esketamineSessions = new Set(
    withSessions
      .filter((c) => c.course.modality === 'esketamine')
      .flatMap((c) => c.sessions.map((s) => s.id)),
  );
  let rems: PatientBanner['rems'] = null;
  if (esketamineSessions.size > 0) {
    const latest = events
      .filter((e) => e.kind === 'checklist' && esketamineSessions.has(e.sessionId))
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
      .at(-1);
    const payload = latest ? readStoredPayload('checklist', latest.payload) : null;
    rems = {
      enrolled: payload?.input?.remsPatientEnrolled === true,
      confirmedOn: latest && payload ? localDateOf(latest.recordedAt, timeZone) : null,
    };
  }

  const suicideRisk = await openSuicidalityFlag(ctx, patientId);
  await recordAudit(ctx, { action: 'patient.banner', resourceType: 'patient', resourceId: patientId });

  return {
    patientId,
    givenName: patient.givenName,
    familyName: patient.familyName,
    mrn: patient.mrn,
    dateOfBirth: patient.dateOfBirth,
    ageYears: ageInYears(patient.dateOfBirth, today),
    allergies: {
      state: state.kind,
      active: allergyRows
        .filter((a) => a.status === 'active')
        .map((a) => ({ substance: a.substance, reaction: a.reaction, severity: a.severity })),
    },
    weight:
      body.weightKg !== null && body.weighedAt
        ? { weightKg: body.weightKg, measuredOn: localDateOf(body.weighedAt, timeZone) }
        : null,
    course: active
      ? {
          courseId: active.course.id,
          modality: modalitySchema.parse(active.course.row.modality),
          templateKey: active.course.row.templateKey,
          total: active.total,
          dosed: active.dosed,
          current: active.current
            ? { sessionId: active.current.id, sequence: active.current.sequence, date: active.current.date }
            : null,
        }
      : null,
    phq9:
      trend && phq9Series
        ? {
            ...trend,
            baseline: phq9Series.baseline?.total ?? null,
            fallPercent: phq9Series.latest?.fallPercent ?? null,
            response: phq9Series.latest?.response ?? null,
            remission: phq9Series.latest?.remission ?? null,
          }
        : null,
    suicideRisk,
    rems,
  };
}
