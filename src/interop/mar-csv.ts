/**
 * Column definitions of the medication administration record (MAR) export: one row per session
 * whose ketamine or esketamine dose was given, from the session core's MAR projection. The column
 * dictionary is docs/csv-exports.md; a test checks every header here is documented there.
 */
import type { CsvColumn } from './csv';

export interface AdministrationCsvRow {
  sessionId: string;
  courseId: string;
  patientId: string;
  patientMrn: string | null;
  modality: string;
  sessionDateLocal: string;
  sessionSequence: number;
  orderEventId: string | null;
  orderSignedBy: string | null;
  drug: string;
  route: string;
  orderedDoseMg: number | null;
  plannedDoseMg: number;
  amountGivenMg: number;
  state: string;
  startedAt: Date;
  stoppedAt: Date | null;
  pauses: number;
  pausedMin: number;
  volumeInfusedMl: number | null;
  devicesGiven: number | null;
  deviationReason: string | null;
  /** Each rescue as "drug dose mg route at N min", separated by "; ". */
  rescues: string;
  administeredBy: string;
  verifiedBy: string | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export const ADMINISTRATION_CSV_COLUMNS: CsvColumn<AdministrationCsvRow>[] = [
  { header: 'session_id', value: (r) => r.sessionId },
  { header: 'course_id', value: (r) => r.courseId },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'patient_mrn', value: (r) => r.patientMrn },
  { header: 'modality', value: (r) => r.modality },
  { header: 'session_date_local', value: (r) => r.sessionDateLocal },
  { header: 'session_sequence', value: (r) => r.sessionSequence },
  { header: 'order_event_id', value: (r) => r.orderEventId },
  { header: 'order_signed_by', value: (r) => r.orderSignedBy },
  { header: 'drug', value: (r) => r.drug },
  { header: 'route', value: (r) => r.route },
  { header: 'ordered_dose_mg', value: (r) => r.orderedDoseMg },
  { header: 'planned_dose_mg', value: (r) => r.plannedDoseMg },
  { header: 'amount_given_mg', value: (r) => round1(r.amountGivenMg) },
  { header: 'state', value: (r) => r.state },
  { header: 'started_at_utc', value: (r) => r.startedAt.toISOString() },
  { header: 'stopped_at_utc', value: (r) => r.stoppedAt?.toISOString() ?? null },
  { header: 'pauses', value: (r) => r.pauses },
  { header: 'paused_min', value: (r) => round1(r.pausedMin) },
  { header: 'volume_infused_ml', value: (r) => r.volumeInfusedMl },
  { header: 'devices_given', value: (r) => r.devicesGiven },
  { header: 'deviation_reason', value: (r) => r.deviationReason },
  { header: 'rescues', value: (r) => r.rescues },
  { header: 'administered_by', value: (r) => r.administeredBy },
  { header: 'verified_by', value: (r) => r.verifiedBy },
];
