/**
 * Column definitions of the clinical record's CSV exports (allergies, problem list, prior
 * treatment trials). The column dictionary is docs/csv-exports.md; a test checks every header here
 * is documented there.
 */
import type { CsvColumn } from './csv';

const iso = (d: Date): string => d.toISOString();

interface Recorded {
  id: string;
  patientId: string;
  status: string;
  version: number;
  notes: string | null;
  createdBy: string;
  createdAt: Date;
}

const recorded = <T extends Recorded>(): CsvColumn<T>[] => [
  { header: 'status', value: (r) => r.status },
  { header: 'notes', value: (r) => r.notes },
  { header: 'version', value: (r) => r.version },
  { header: 'recorded_by', value: (r) => r.createdBy },
  { header: 'recorded_at_utc', value: (r) => iso(r.createdAt) },
];

export interface AllergyCsvRow extends Recorded {
  substance: string;
  substanceGeneric: string | null;
  substanceFreeText: boolean;
  reaction: string | null;
  severity: string;
  source: string;
}

export const ALLERGY_CSV_COLUMNS: CsvColumn<AllergyCsvRow>[] = [
  { header: 'allergy_id', value: (r) => r.id },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'substance', value: (r) => r.substance },
  { header: 'substance_generic', value: (r) => r.substanceGeneric },
  { header: 'substance_free_text', value: (r) => r.substanceFreeText },
  { header: 'reaction', value: (r) => r.reaction },
  { header: 'severity', value: (r) => r.severity },
  { header: 'source', value: (r) => r.source },
  ...recorded<AllergyCsvRow>(),
];

export interface DiagnosisCsvRow extends Recorded {
  icd10cmCode: string | null;
  description: string;
  freeText: boolean;
  onsetDate: string | null;
}

export const DIAGNOSIS_CSV_COLUMNS: CsvColumn<DiagnosisCsvRow>[] = [
  { header: 'diagnosis_id', value: (r) => r.id },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'icd10cm_code', value: (r) => r.icd10cmCode },
  { header: 'description', value: (r) => r.description },
  { header: 'free_text', value: (r) => r.freeText },
  { header: 'onset_date', value: (r) => r.onsetDate },
  ...recorded<DiagnosisCsvRow>(),
];

export interface TrialCsvRow extends Recorded {
  drug: string;
  doseMgPerDay: number | null;
  durationWeeks: number | null;
  adherence: string;
  response: string;
  reasonStopped: string | null;
  currentEpisode: boolean;
  adequateDose: boolean | null;
  adequateDuration: boolean | null;
  startDate: string | null;
}

export const TRIAL_CSV_COLUMNS: CsvColumn<TrialCsvRow>[] = [
  { header: 'trial_id', value: (r) => r.id },
  { header: 'patient_id', value: (r) => r.patientId },
  { header: 'drug', value: (r) => r.drug },
  { header: 'dose_mg_per_day', value: (r) => r.doseMgPerDay },
  { header: 'duration_weeks', value: (r) => r.durationWeeks },
  { header: 'start_date', value: (r) => r.startDate },
  { header: 'adherence', value: (r) => r.adherence },
  { header: 'response', value: (r) => r.response },
  { header: 'reason_stopped', value: (r) => r.reasonStopped },
  { header: 'current_episode', value: (r) => r.currentEpisode },
  { header: 'adequate_dose', value: (r) => r.adequateDose },
  { header: 'adequate_duration', value: (r) => r.adequateDuration },
  ...recorded<TrialCsvRow>(),
];
