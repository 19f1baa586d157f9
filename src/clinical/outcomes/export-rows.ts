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

export interface AdverseEventExportRow {
  eventId: string;
  sessionId: string;
  courseId: string;
  patientId: string;
  modality: Modality;
  sessionDate: string;
  sessionSequence: number;
  timeMin: number | null;
  category: string;
  severity: string;
  serious: boolean;
  actionTaken: string;
  description: string | null;
  recordedAt: Date;
  recordedBy: string;
}
