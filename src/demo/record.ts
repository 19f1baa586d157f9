/**
 * A synthetic patient's clinical record: allergies (or the "no known allergies" statement), the
 * problem list with ICD-10-CM codes, and prior antidepressant trials — the rows the record's use
 * cases would write (src/app/clinical-record.ts), made with the same core rules (substance and
 * code resolution, the "no known allergies" check). Consistent with the eligibility screening: the
 * allergy it names, and as many failed trials as it counts. Most patients are treatment-resistant
 * on the record; for some the prescriber has not yet judged every trial, or a trial does not count
 * (not tolerated, poor adherence, an earlier episode), so the computed rule says they are not.
 * Shares are illustrative, not published figures.
 */
import { dateFromDayNumber, dayNumber } from '../clinical/calendar';
import {
  decideNoKnownAllergies,
  resolveAllergySubstance,
  resolveDiagnosis,
  type AllergyForCheck,
} from '../clinical/record';
import type {
  AllergyInsert,
  AllergyStatementInsert,
  DiagnosisInsert,
  TreatmentTrialInsert,
} from '../app/demo';
import type { DemoMedication } from './names';
import { int, pick, seededUuidv7, weighted, type Rand } from './random';

export interface RecordInput {
  /** The record's own stream (the notes' choices continue on it). */
  rand: Rand;
  ids: Rand;
  clinicId: string;
  patientId: string;
  /** When the intake nurse and the prescriber recorded it. */
  recordedAt: Date;
  nurseId: string;
  prescriberId: string;
  /** The allergy the screening recorded ("substance: reaction"), or null for none. */
  allergy: string | null;
  /** Failed antidepressant trials the screening counted. */
  failedTrials: number;
  /** The antidepressant the patient takes now (not a prior trial). */
  currentAntidepressant: string;
  antidepressants: readonly DemoMedication[];
  /** The clinic's date of `recordedAt` (YYYY-MM-DD). */
  today: string;
}

export interface DemoRecord {
  rows: {
    allergies: AllergyInsert[];
    allergyStatements: AllergyStatementInsert[];
    diagnoses: DiagnosisInsert[];
    treatmentTrials: TreatmentTrialInsert[];
  };
  /** The allergies as the order and rescue checks read them. */
  allergiesForCheck: AllergyForCheck[];
  /** The depressive disorder each course treats. */
  primaryDiagnosisId: string;
  rand: Rand;
}

/** Illustrative: the share of patients whose record does not (yet) meet the TRD definition. */
const NOT_RESISTANT_ON_RECORD = 0.22;

/** Why a trial does not count, for the patients not treatment-resistant on the record. */
const NOT_COUNTING = ['not-judged', 'earlier-episode', 'poor-adherence', 'not-tolerated'] as const;

export function clinicalRecord(input: RecordInput): DemoRecord {
  const { rand, ids, clinicId, patientId, recordedAt: at } = input;
  const rows: DemoRecord['rows'] = {
    allergies: [],
    allergyStatements: [],
    diagnoses: [],
    treatmentTrials: [],
  };
  const allergiesForCheck: AllergyForCheck[] = [];
  const daysBefore = (days: number) => dateFromDayNumber(dayNumber(input.today) - days);

  // ---- Allergies: the one the screening named, else the nurse records "no known allergies".
  if (input.allergy) {
    const [substance, reaction] = input.allergy.split(':').map((x) => x.trim());
    const resolved = resolveAllergySubstance(substance!);
    const allergyId = seededUuidv7(ids, at);
    rows.allergies.push({
      clinicId,
      id: allergyId,
      patientId,
      substance: substance!,
      substanceGeneric: resolved.generic,
      substanceFreeText: resolved.freeText,
      reaction: reaction ?? null,
      severity: weighted(rand, [
        ['mild', 0.6],
        ['moderate', 0.35],
        ['severe', 0.05],
      ] as const),
      status: 'active',
      source: 'patient',
      notes: null,
      statusReason: null,
      version: 1,
      createdBy: input.nurseId,
      createdAt: at,
      updatedAt: at,
    });
    allergiesForCheck.push({
      id: allergyId,
      substance: substance!,
      status: 'active',
      reaction: reaction ?? null,
    });
  } else {
    decideNoKnownAllergies([]);
    rows.allergyStatements.push({
      clinicId,
      id: seededUuidv7(ids, at),
      patientId,
      recordedBy: input.nurseId,
      recordedAt: at,
    });
  }

  // ---- Problem list: the depressive disorder the courses treat, and some comorbid conditions.
  const diagnosis = (code: string | null, onsetDaysAgo: number, description?: string) => {
    const resolved = resolveDiagnosis({ icd10cmCode: code, description });
    const diagnosisId = seededUuidv7(ids, at);
    rows.diagnoses.push({
      clinicId,
      id: diagnosisId,
      patientId,
      ...resolved,
      status: 'active',
      onsetDate: daysBefore(onsetDaysAgo),
      notes: null,
      statusReason: null,
      version: 1,
      createdBy: input.prescriberId,
      createdAt: at,
      updatedAt: at,
    });
    return diagnosisId;
  };
  const primaryDiagnosisId = diagnosis(
    weighted(rand, [
      ['F33.2', 0.55],
      ['F33.1', 0.25],
      ['F32.2', 0.2],
    ] as const),
    int(rand, 365, 15 * 365),
  );
  if (rand() < 0.35) diagnosis('F41.1', int(rand, 365, 20 * 365));
  if (rand() < 0.08) diagnosis('F43.10', int(rand, 365, 20 * 365));
  if (rand() < 0.05) diagnosis(null, int(rand, 180, 5 * 365), 'Chronic insomnia (synthetic demo)');

  // ---- Prior antidepressant trials: as many as the screening counted, the latest first.
  const candidates = input.antidepressants.filter((m) => m.name !== input.currentAntidepressant);
  const resistant = rand() >= NOT_RESISTANT_ON_RECORD;
  let startDaysAgo = 60;
  for (let k = 0; k < Math.min(input.failedTrials, candidates.length); k++) {
    const med = candidates.splice(int(rand, 0, candidates.length - 1), 1)[0]!;
    const weeks = int(rand, 6, 16);
    startDaysAgo += weeks * 7 + int(rand, 7, 60);
    // The first trial always counts; the others fail to count on one ground each when not resistant.
    const why = resistant || k === 0 ? null : pick(rand, NOT_COUNTING);
    const response =
      why === 'not-tolerated' ? 'not-tolerated' : rand() < 0.6 ? ('none' as const) : ('partial' as const);
    rows.treatmentTrials.push({
      clinicId,
      id: seededUuidv7(ids, at),
      patientId,
      drug: med.name,
      doseMgPerDay: med.dose,
      durationWeeks: why === 'not-tolerated' ? int(rand, 1, 3) : weeks,
      adherence: why === 'poor-adherence' ? 'poor' : 'full',
      response,
      reasonStopped:
        response === 'not-tolerated'
          ? 'Side effects (synthetic demo)'
          : response === 'none'
            ? 'No response (synthetic demo)'
            : 'Partial response only (synthetic demo)',
      currentEpisode: why !== 'earlier-episode',
      adequateDose: why === 'not-judged' ? null : true,
      adequateDuration: why === 'not-judged' ? null : why !== 'not-tolerated',
      startDate: daysBefore(startDaysAgo),
      notes: null,
      status: 'active',
      statusReason: null,
      version: 1,
      createdBy: input.prescriberId,
      createdAt: at,
      updatedAt: at,
    });
  }
  return { rows, allergiesForCheck, primaryDiagnosisId, rand };
}
