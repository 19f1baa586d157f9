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

/** One vitals reading of a session (optional fields: a reading holds what was measured). */
export interface SessionVitalsRow {
  eventId: string;
  /** Minutes after dosing start (negative before it); null when not known. */
  timeMin: number | null;
  recordedAt: Date;
  sbpMmHg?: number | null;
  dbpMmHg?: number | null;
  heartRateBpm?: number | null;
  spo2Pct?: number | null;
  respiratoryRatePerMin?: number | null;
}

/** One adverse event of a session; fields beyond category and severity are mapped when present. */
export interface SessionAdverseEventRow {
  eventId: string;
  recordedAt: Date;
  /** Minutes after dosing start when it was recorded as happening. */
  timeMin: number | null;
  /** Onset, minutes after dosing start, when recorded separately. */
  onsetMin?: number | null;
  category: string;
  categories?: readonly string[] | null;
  severity?: string | null;
  serious?: boolean | null;
  escalated?: boolean | null;
  description?: string | null;
  actionTaken?: string | null;
}

/** What the FHIR export adds per session beyond the summary row (each optional: absent = not exported). */
export interface SessionExportDetail {
  /** End of dosing planned, minutes after its start (infusion length; last esketamine device). */
  dosingEndMin?: number | null;
  /** Dosing stopped early at this minute (a stop decision). */
  stoppedAtMin?: number | null;
  vitalSigns?: readonly SessionVitalsRow[];
  adverseEventDetails?: readonly SessionAdverseEventRow[];
  /** The signed order in force (the latest), when one was signed. */
  order?: SessionOrderRow | null;
  /** Rescue medications given against the order. */
  rescues?: readonly SessionRescueRow[];
}

/** A session's signed order, as the FHIR export writes it (MedicationRequest). */
export interface SessionOrderRow {
  eventId: string;
  signedAt: Date;
  drug: string;
  route: string;
  doseMg: number | null;
  doseMgPerKg: number | null;
  durationMin: number | null;
  rateMgPerMin: number | null;
  maxDoseMg: number;
  holdConditions: readonly string[];
}

/** A rescue medication given in a session (MedicationAdministration). */
export interface SessionRescueRow {
  eventId: string;
  recordedAt: Date;
  timeMin: number | null;
  drug: string;
  doseMg: number;
  route: string;
  reason: string;
  deviationReason: string | null;
}
