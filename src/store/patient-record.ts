/**
 * Everything of one patient that leaves Rein in an export (FHIR today): the record, medications,
 * current scores with item answers, courses with their sessions (scheduled times in UTC from the
 * clinic's time zone) and taper plans. One loader for the HTTP export and the bulk CLI export.
 */
import { exportScores, exportSessions } from './outcomes';
import { listCourses } from './courses';
import { listMedications } from './medications';
import { getPatient } from './patients';
import { listTaperPlans } from './tapers';
import type { Queryable } from './tx';
import { getClinic } from './users';
import { zonedToUtc } from './assessments';

export async function loadPatientRecord(db: Queryable, clinicId: string, patientId: string) {
  const patient = await getPatient(db, clinicId, patientId);
  const clinic = await getClinic(db, clinicId);
  const medications = await listMedications(db, clinicId, patientId);
  const scores = await exportScores(db, clinicId, { patientId, withItems: true });
  const courseRows = await listCourses(db, clinicId, patientId);
  const sessions = await exportSessions(db, clinicId, { patientId });
  const tapers = await listTaperPlans(db, clinicId, patientId);
  const courses = [...courseRows].reverse().map((c) => ({
    id: c.id,
    templateKey: c.templateKey,
    modality: c.modality,
    startDate: c.startDate,
    sessions: sessions
      .filter((s) => s.courseId === c.id)
      .sort((a, b) => a.sequence - b.sequence)
      .map((s) => ({
        ...s,
        scheduledStart: zonedToUtc(s.date, s.startMin, clinic.timeZone),
        scheduledEnd: zonedToUtc(s.date, s.endMin, clinic.timeZone),
      })),
  }));
  return {
    patient,
    medications,
    scores,
    courses,
    tapers: tapers.map((t) => ({
      id: t.plan.id,
      drug: t.plan.drug,
      status: t.plan.status,
      createdAt: t.plan.createdAt,
    })),
  };
}
