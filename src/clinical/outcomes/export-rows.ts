/**
 * Row shapes of the outcome exports (scores, sessions, adverse events): plain data shared by the
 * store queries that build them and the CSV/FHIR writers in src/interop.
 */
import type { Modality } from '../protocols/evidence';

export interface ScoreExportRow {
  responseId: string;
  rootId: string;
  version: number;
  patientId: string;
  instrument: string;
  instrumentVersion: string;
  context: string;
  sessionId: string | null;
  administeredAt: Date;
  respondent: string;
  totalScore: number | null;
  severity: string | null;
  cssrsRisk: string | null;
  suicidality: boolean;
  flags: string[];
  partialItemIds: string[] | null;
  /** Item answers by item id (only when asked for). */
  items: Record<string, number | null>;
}

export interface SessionExportRow {
  sessionId: string;
  courseId: string;
  patientId: string;
  modality: Modality;
  sequence: number;
  phaseId: string;
  phaseLabel: string;
  date: string;
  startMin: number;
  endMin: number;
  doseMg: number | null;
  doseMgPerKg: number | null;
  weightKg: number | null;
  devices: number | null;
  lotNumber: string | null;
  dosingStartedAt: Date | null;
  dischargeAtMin: number | null;
  vitalsReadings: number;
  maxSbpMmHg: number | null;
  maxDbpMmHg: number | null;
  maxHeartRateBpm: number | null;
  minSpo2Pct: number | null;
  /** Post-dose readings with a BP above the clinic's hold threshold (VIT-SBP-HOLD / VIT-DBP-HOLD). */
  hypertensionAlerts: number;
  adverseEvents: number;
  seriousAdverseEvents: number;
  pauseOrStopDecisions: number;
}

/** The session export's respiratory, haemodynamic and sedation columns (alarms as the core raises them). */
export interface SessionSafetyExport {
  minSbpMmHg: number | null;
  minHeartRateBpm: number | null;
  minRespiratoryRatePerMin: number | null;
  /** Lowest MOAA/S (0 = no response … 5 = alert). */
  minMoaasScore: number | null;
  /** Readings with an SpO2 alarm (below the limit or fallen from pre-dose). */
  desaturationAlarms: number;
  /** Readings with a hypotension alarm (systolic below the limit or fallen from pre-dose). */
  hypotensionAlarms: number;
  bradycardiaAlarms: number;
  respiratoryRateAlarms: number;
  /** MOAA/S entries at or below the deep-sedation score. */
  deepSedationAlarms: number;
}

export type SessionCsvRow = SessionExportRow & SessionSafetyExport;

export interface AdverseEventExportRow {
  eventId: string;
  sessionId: string;
  courseId: string;
  patientId: string;
  modality: Modality;
  sessionDate: string;
  sessionSequence: number;
  timeMin: number | null;
  /** When the event began (minutes after dosing start); null in records made before it was asked. */
  onsetMin: number | null;
  category: string;
  severity: string;
  serious: boolean;
  escalation: string | null;
  actionTaken: string;
  description: string | null;
  recordedAt: Date;
  recordedBy: string;
}
