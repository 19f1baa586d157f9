/**
 * Column definitions of the outcome CSV exports (scores, sessions, adverse events). The column
 * dictionary is docs/csv-exports.md; a test checks every header here is documented there.
 */
import type { CsvColumn } from './csv';
import type { AdverseEventExportRow, ScoreExportRow, SessionCsvRow } from '../clinical/outcomes/export-rows';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const SCORE_CSV_COLUMNS: CsvColumn<ScoreExportRow>[] = [
  { header: 'response_id', value: (r) => r.responseId },
  { header: 'root_id', value: (r) => r.rootId },
  { header: 'version', value: (r) => r.version },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'instrument', value: (r) => r.instrument },
  { header: 'instrument_version', value: (r) => r.instrumentVersion },
  { header: 'context', value: (r) => r.context },
  { header: 'session_id', value: (r) => r.sessionId },
  { header: 'administered_at_utc', value: (r) => iso(r.administeredAt) },
  { header: 'respondent', value: (r) => r.respondent },
  { header: 'total_score', value: (r) => r.totalScore },
  { header: 'severity', value: (r) => r.severity },
  { header: 'cssrs_risk', value: (r) => r.cssrsRisk },
  { header: 'suicidality', value: (r) => r.suicidality },
  { header: 'flags', value: (r) => r.flags.join(';') },
  { header: 'partial_item_ids', value: (r) => (r.partialItemIds ? r.partialItemIds.join(';') : null) },
];

/** Score columns plus one `item_<id>` column per item of the instrument, in definition order. */
export function scoreCsvColumns(itemIds?: readonly string[]): CsvColumn<ScoreExportRow>[] {
  if (!itemIds) return SCORE_CSV_COLUMNS;
  return [
    ...SCORE_CSV_COLUMNS,
    ...itemIds.map((id) => ({ header: `item_${id}`, value: (r: ScoreExportRow) => r.items[id] ?? null })),
  ];
}

export const SESSION_CSV_COLUMNS: CsvColumn<SessionCsvRow>[] = [
  { header: 'session_id', value: (r) => r.sessionId },
  { header: 'course_id', value: (r) => r.courseId },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'modality', value: (r) => r.modality },
  { header: 'sequence', value: (r) => r.sequence },
  { header: 'phase_id', value: (r) => r.phaseId },
  { header: 'phase_label', value: (r) => r.phaseLabel },
  { header: 'date_local', value: (r) => r.date },
  { header: 'start_min_local', value: (r) => r.startMin },
  { header: 'end_min_local', value: (r) => r.endMin },
  { header: 'dose_mg', value: (r) => r.doseMg },
  { header: 'dose_mg_per_kg', value: (r) => r.doseMgPerKg },
  { header: 'weight_kg', value: (r) => r.weightKg },
  { header: 'devices', value: (r) => r.devices },
  { header: 'lot_number', value: (r) => r.lotNumber },
  { header: 'dosing_started_at_utc', value: (r) => iso(r.dosingStartedAt) },
  { header: 'discharge_at_min', value: (r) => r.dischargeAtMin },
  { header: 'vitals_readings', value: (r) => r.vitalsReadings },
  { header: 'max_sbp_mmhg', value: (r) => r.maxSbpMmHg },
  { header: 'max_dbp_mmhg', value: (r) => r.maxDbpMmHg },
  { header: 'max_heart_rate_bpm', value: (r) => r.maxHeartRateBpm },
  { header: 'min_spo2_pct', value: (r) => r.minSpo2Pct },
  { header: 'min_sbp_mmhg', value: (r) => r.minSbpMmHg },
  { header: 'min_heart_rate_bpm', value: (r) => r.minHeartRateBpm },
  { header: 'min_respiratory_rate_per_min', value: (r) => r.minRespiratoryRatePerMin },
  { header: 'min_moaas_score', value: (r) => r.minMoaasScore },
  { header: 'hypertension_alerts', value: (r) => r.hypertensionAlerts },
  { header: 'desaturation_alarms', value: (r) => r.desaturationAlarms },
  { header: 'hypotension_alarms', value: (r) => r.hypotensionAlarms },
  { header: 'bradycardia_alarms', value: (r) => r.bradycardiaAlarms },
  { header: 'respiratory_rate_alarms', value: (r) => r.respiratoryRateAlarms },
  { header: 'deep_sedation_alarms', value: (r) => r.deepSedationAlarms },
  { header: 'adverse_events', value: (r) => r.adverseEvents },
  { header: 'serious_adverse_events', value: (r) => r.seriousAdverseEvents },
  { header: 'pause_or_stop_decisions', value: (r) => r.pauseOrStopDecisions },
];

export const ADVERSE_EVENT_CSV_COLUMNS: CsvColumn<AdverseEventExportRow>[] = [
  { header: 'event_id', value: (r) => r.eventId },
  { header: 'session_id', value: (r) => r.sessionId },
  { header: 'course_id', value: (r) => r.courseId },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'modality', value: (r) => r.modality },
  { header: 'session_date_local', value: (r) => r.sessionDate },
  { header: 'session_sequence', value: (r) => r.sessionSequence },
  { header: 'time_min', value: (r) => r.timeMin },
  { header: 'onset_min', value: (r) => r.onsetMin },
  { header: 'category', value: (r) => r.category },
  { header: 'severity', value: (r) => r.severity },
  { header: 'serious', value: (r) => r.serious },
  { header: 'escalation', value: (r) => r.escalation },
  { header: 'action_taken', value: (r) => r.actionTaken },
  { header: 'description', value: (r) => r.description },
  { header: 'recorded_at_utc', value: (r) => iso(r.recordedAt) },
  { header: 'recorded_by_user_id', value: (r) => r.recordedBy },
];
