import { z } from 'zod';

/**
 * The clinical record's small lists: allergies, the problem list and prior treatment trials. The
 * database CHECK constraints, the request schemas and the web's select lists read them from here.
 */

/**
 * An allergy's clinical status (FHIR AllergyIntolerance's active/inactive/resolved, plus
 * `entered-in-error` for a wrong entry, which is never deleted and never counts).
 */
export const ALLERGY_STATUSES = ['active', 'inactive', 'resolved', 'entered-in-error'] as const;
export type AllergyStatus = (typeof ALLERGY_STATUSES)[number];

/** How severe the reaction was, as the patient or the record describes it. */
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe', 'unknown'] as const;
export type AllergySeverity = (typeof ALLERGY_SEVERITIES)[number];

/** Who reported the allergy. */
export const ALLERGY_SOURCES = [
  'patient',
  'family-or-carer',
  'previous-record',
  'clinician-observed',
] as const;
export type AllergySource = (typeof ALLERGY_SOURCES)[number];

/** The allergy state of a chart: never asked, asked and none known, or a list. */
export const ALLERGY_STATE_KINDS = ['unknown', 'no-known-allergies', 'list'] as const;
export type AllergyStateKind = (typeof ALLERGY_STATE_KINDS)[number];

/** A problem on the list is active, resolved, or a wrong entry. */
export const DIAGNOSIS_STATUSES = ['active', 'resolved', 'entered-in-error'] as const;
export type DiagnosisStatus = (typeof DIAGNOSIS_STATUSES)[number];

/** How the patient took a prior treatment. */
export const TRIAL_ADHERENCES = ['full', 'partial', 'poor', 'unknown'] as const;
export type TrialAdherence = (typeof TRIAL_ADHERENCES)[number];

/** What a prior treatment did. `none` and `partial` are failures to respond. */
export const TRIAL_RESPONSES = [
  'none',
  'partial',
  'response',
  'remission',
  'not-tolerated',
  'unknown',
] as const;
export type TrialResponse = (typeof TRIAL_RESPONSES)[number];

/** A trial on record is active or a wrong entry (never deleted). */
export const TRIAL_STATUSES = ['active', 'entered-in-error'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export const ICD10CM_GROUPS = ['depressive', 'bipolar', 'anxiety', 'ptsd', 'ocd'] as const;
export type Icd10cmGroup = (typeof ICD10CM_GROUPS)[number];

export interface Icd10cmCode {
  readonly code: string;
  readonly title: string;
  readonly group: Icd10cmGroup;
}

/**
 * The ICD-10-CM codes a ketamine clinic's problem list offers: only codes checked to exist in the
 * FY2026 ICD-10-CM tabular list (source and status: docs/clinical-sources/diagnoses.md). A
 * diagnosis outside this subset is recorded as free text and flagged as such.
 */
export const ICD10CM_SUBSET: readonly Icd10cmCode[] = [
  { code: 'F32.0', title: 'Major depressive disorder, single episode, mild', group: 'depressive' },
  { code: 'F32.1', title: 'Major depressive disorder, single episode, moderate', group: 'depressive' },
  {
    code: 'F32.2',
    title: 'Major depressive disorder, single episode, severe without psychotic features',
    group: 'depressive',
  },
  {
    code: 'F32.3',
    title: 'Major depressive disorder, single episode, severe with psychotic features',
    group: 'depressive',
  },
  {
    code: 'F32.4',
    title: 'Major depressive disorder, single episode, in partial remission',
    group: 'depressive',
  },
  {
    code: 'F32.5',
    title: 'Major depressive disorder, single episode, in full remission',
    group: 'depressive',
  },
  { code: 'F32.9', title: 'Major depressive disorder, single episode, unspecified', group: 'depressive' },
  { code: 'F32.A', title: 'Depression, unspecified', group: 'depressive' },
  { code: 'F33.0', title: 'Major depressive disorder, recurrent, mild', group: 'depressive' },
  { code: 'F33.1', title: 'Major depressive disorder, recurrent, moderate', group: 'depressive' },
  {
    code: 'F33.2',
    title: 'Major depressive disorder, recurrent severe without psychotic features',
    group: 'depressive',
  },
  {
    code: 'F33.3',
    title: 'Major depressive disorder, recurrent, severe with psychotic symptoms',
    group: 'depressive',
  },
  {
    code: 'F33.41',
    title: 'Major depressive disorder, recurrent, in partial remission',
    group: 'depressive',
  },
  { code: 'F33.42', title: 'Major depressive disorder, recurrent, in full remission', group: 'depressive' },
  { code: 'F33.9', title: 'Major depressive disorder, recurrent, unspecified', group: 'depressive' },
  {
    code: 'F31.30',
    title: 'Bipolar disorder, current episode depressed, mild or moderate severity, unspecified',
    group: 'bipolar',
  },
  { code: 'F31.31', title: 'Bipolar disorder, current episode depressed, mild', group: 'bipolar' },
  {
    code: 'F31.4',
    title: 'Bipolar disorder, current episode depressed, severe, without psychotic features',
    group: 'bipolar',
  },
  {
    code: 'F31.5',
    title: 'Bipolar disorder, current episode depressed, severe, with psychotic features',
    group: 'bipolar',
  },
  { code: 'F31.81', title: 'Bipolar II disorder', group: 'bipolar' },
  { code: 'F41.0', title: 'Panic disorder [episodic paroxysmal anxiety]', group: 'anxiety' },
  { code: 'F41.1', title: 'Generalized anxiety disorder', group: 'anxiety' },
  { code: 'F43.10', title: 'Post-traumatic stress disorder, unspecified', group: 'ptsd' },
  { code: 'F43.11', title: 'Post-traumatic stress disorder, acute', group: 'ptsd' },
  { code: 'F43.12', title: 'Post-traumatic stress disorder, chronic', group: 'ptsd' },
  { code: 'F42.2', title: 'Mixed obsessional thoughts and acts', group: 'ocd' },
  { code: 'F42.8', title: 'Other obsessive-compulsive disorder', group: 'ocd' },
  { code: 'F42.9', title: 'Obsessive-compulsive disorder, unspecified', group: 'ocd' },
];

export const ICD10CM_CODES = ICD10CM_SUBSET.map((c) => c.code) as [string, ...string[]];
export const icd10cmCodeSchema = z.enum(ICD10CM_CODES, {
  error: 'must be a code of the clinic’s ICD-10-CM list (or record the diagnosis as free text)',
});
