/**
 * Everything of one patient that leaves Rein in an export (FHIR today): the record, medications,
 * current scores with item answers, courses with their sessions (scheduled times in UTC from the
 * clinic's time zone), taper plans and clinical notes with their addenda. One loader for the HTTP export and the bulk CLI export.
 */
import { exportScores } from '../store/outcomes';
import { exportSessions } from './outcome-rows';
import { listEventsOfKinds, type SessionEventRow } from '../store/sessions';
import { listCourses } from '../store/courses';
import { listMedications } from '../store/medications';
import { getPatient } from '../store/patients';
import { listTaperPlans } from '../store/tapers';
import { listNotes } from '../store/notes';
import { noteFieldsSchema } from '../clinical/notes';
import type { FhirNoteInput } from '../interop/fhir/note-resources';
import type { Queryable } from '../store/tx';
import type {
  SessionAdverseEventRow,
  SessionOrderRow,
  SessionRescueRow,
  SessionVitalsRow,
} from '../clinical/outcomes/export-rows';
import { parseSessionEvent } from '../clinical/session';
import { getClinic } from '../store/users';
import { localToUtc } from '../clinical/calendar';
import { allergyState } from '../clinical/record';
import {
  latestAllergyStatement,
  listAllergies,
  listDiagnoses,
  listTreatmentTrials,
} from '../store/clinical-record';

export async function loadPatientRecord(db: Queryable, clinicId: string, patientId: string) {
  const patient = await getPatient(db, clinicId, patientId);
  const clinic = await getClinic(db, clinicId);
  const medications = await listMedications(db, clinicId, patientId);
  const scores = await exportScores(db, clinicId, { patientId, withItems: true });
  const courseRows = await listCourses(db, clinicId, patientId);
  const sessions = await exportSessions(db, clinicId, { patientId });
  const tapers = await listTaperPlans(db, clinicId, patientId);
  const events = await listEventsOfKinds(
    db,
    clinicId,
    sessions.map((s) => s.sessionId),
    ['dose-plan', 'vitals', 'adverse-event', 'alert-decision', 'order-signed', 'rescue-given'],
  );
  const detail = sessionDetails(events);
  const courses = [...courseRows].reverse().map((c) => ({
    id: c.id,
    templateKey: c.templateKey,
    modality: c.modality,
    startDate: c.startDate,
    primaryDiagnosisId: c.primaryDiagnosisId,
    sessions: sessions
      .filter((s) => s.courseId === c.id)
      .sort((a, b) => a.sequence - b.sequence)
      .map((s) => ({
        ...s,
        scheduledStart: localToUtc(s.date, s.startMin, clinic.timeZone),
        scheduledEnd: localToUtc(s.date, s.endMin, clinic.timeZone),
        ...(detail.get(s.sessionId) ?? {}),
      })),
  }));
  return {
    patient,
    record: await loadClinicalRecord(db, clinicId, patientId),
    timeZone: clinic.timeZone,
    medications,
    scores,
    courses,
    tapers: tapers.map((t) => ({
      id: t.plan.id,
      drug: t.plan.drug,
      status: t.plan.status,
      createdAt: t.plan.createdAt,
    })),
    notes: (await listNotes(db, clinicId, patientId)).map((n): FhirNoteInput => {
      const fields = noteFieldsSchema.parse(n.fields);
      return {
        id: n.id,
        kind: n.kind,
        status: n.status,
        sessionId: n.sessionId,
        assessment: fields.assessment,
        plan: fields.plan,
        text: n.text,
        authorId: n.authorId,
        authorName: n.authorName,
        createdAt: n.createdAt,
        updatedAt: n.updatedAt,
        signedAt: n.signedAt,
        cosignRequired: n.cosignRequired,
        cosignedBy: n.cosignedBy,
        cosignerName: n.cosignerName,
        cosignedAt: n.cosignedAt,
        addenda: n.addenda,
      };
    }),
  };
}

/**
 * Allergies, problem list and trials as they leave Rein: entries entered in error stay home (as
 * medications do), and "no known allergies" goes out only while the core's allergy state holds it.
 */
async function loadClinicalRecord(db: Queryable, clinicId: string, patientId: string) {
  const allergies = await listAllergies(db, clinicId, patientId);
  const statement = await latestAllergyStatement(db, clinicId, patientId);
  const state = allergyState(
    allergies.map((a) => ({ status: a.status, recordedAt: a.createdAt })),
    statement,
  );
  const valid = <T extends { status: string }>(rows: T[]) =>
    rows.filter((r) => r.status !== 'entered-in-error');
  return {
    allergies: valid(allergies).map((a) => ({ ...a, recordedAt: a.createdAt })),
    noKnownAllergies:
      state.kind === 'no-known-allergies' && statement
        ? { id: statement.id, recordedAt: statement.recordedAt }
        : null,
    diagnoses: valid(await listDiagnoses(db, clinicId, patientId)).map((d) => ({
      ...d,
      recordedAt: d.createdAt,
    })),
    trials: valid(await listTreatmentTrials(db, clinicId, patientId)).map((t) => ({
      ...t,
      recordedAt: t.createdAt,
    })),
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Per session, what the FHIR export adds to the summary row: the planned end of dosing (latest
 * plan), a stop decision's minute, every vitals reading and every adverse event. Fields other
 * writers may add (respiratory rate, AE onset, categories, escalation) are read when present.
 */
function sessionDetails(events: SessionEventRow[]) {
  const out = new Map<
    string,
    {
      dosingEndMin: number | null;
      stoppedAtMin: number | null;
      vitalSigns: SessionVitalsRow[];
      adverseEventDetails: SessionAdverseEventRow[];
      order: SessionOrderRow | null;
      rescues: SessionRescueRow[];
    }
  >();
  for (const e of events) {
    let d = out.get(e.sessionId);
    if (!d) {
      d = {
        dosingEndMin: null,
        stoppedAtMin: null,
        vitalSigns: [],
        adverseEventDetails: [],
        order: null,
        rescues: [],
      };
      out.set(e.sessionId, d);
    }
    // Read field by field: rows written by older versions may carry other fields or lack some.
    const p: Record<string, unknown> = { ...e.payload };
    switch (e.kind) {
      case 'dose-plan':
        d.dosingEndMin = num(p.dosingEndMin);
        break;
      case 'alert-decision':
        if (p.decision === 'stop' && d.stoppedAtMin === null) d.stoppedAtMin = e.timeMin ?? num(p.timeMin);
        break;
      case 'vitals':
        d.vitalSigns.push({
          eventId: e.id,
          timeMin: e.timeMin ?? num(p.timeMin),
          recordedAt: e.recordedAt,
          sbpMmHg: num(p.sbpMmHg),
          dbpMmHg: num(p.dbpMmHg),
          heartRateBpm: num(p.heartRateBpm),
          spo2Pct: num(p.spo2Pct),
          respiratoryRatePerMin: num(p.respiratoryRatePerMin),
        });
        break;
      case 'adverse-event': {
        const categories = Array.isArray(p.categories)
          ? p.categories.filter((c): c is string => typeof c === 'string')
          : null;
        d.adverseEventDetails.push({
          eventId: e.id,
          recordedAt: e.recordedAt,
          timeMin: num(p.timeMin) ?? e.timeMin,
          onsetMin: num(p.onsetMin),
          category: str(p.category) ?? categories?.[0] ?? 'other',
          categories,
          severity: str(p.severity),
          serious: typeof p.serious === 'boolean' ? p.serious : null,
          escalated: typeof p.escalated === 'boolean' ? p.escalated : null,
          description: str(p.description),
          actionTaken: str(p.actionTaken),
        });
        break;
      }
      case 'order-signed': {
        // The latest order is the one in force; an unreadable one is left out, never guessed at.
        const o = parseSessionEvent(e);
        if (o?.kind === 'order-signed') {
          d.order = {
            eventId: e.id,
            signedAt: e.recordedAt,
            ...o.payload,
          };
        }
        break;
      }
      case 'rescue-given': {
        const r = parseSessionEvent(e);
        if (r?.kind === 'rescue-given') {
          d.rescues.push({
            eventId: e.id,
            recordedAt: e.recordedAt,
            timeMin: e.timeMin,
            drug: r.payload.drug,
            doseMg: r.payload.doseMg,
            route: r.payload.route,
            reason: r.payload.reason,
            deviationReason: r.payload.deviationReason,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
