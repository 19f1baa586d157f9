/**
 * The clinical record in FHIR R4: allergies as AllergyIntolerance (with "no known allergies" as
 * SNOMED CT 716186003), the problem list as Condition coded in ICD-10-CM, and prior treatment
 * trials as MedicationStatement. Pure mapping both ways: `*Resource` functions export, `read*`
 * functions turn a resource back into the fields the record's request schemas validate. Codes and
 * choices: docs/clinical-sources/record.md §4.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  Extension,
  MedicationStatement,
} from '@medplum/fhirtypes';
import { addDays, daysBetween, isLocalDate } from '../../clinical/calendar';
import { lookupMedication } from '../../clinical/medication-dictionary';
import { icd10cmEntry } from '../../clinical/record';
import type {
  AllergySeverity,
  AllergySource,
  AllergyStatus,
  DiagnosisStatus,
  TrialAdherence,
  TrialResponse,
} from '../../clinical/vocabulary/clinical-record';

export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const UCUM = 'http://unitsofmeasure.org';
const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** SNOMED CT 716186003 "No known allergy (situation)" (docs/clinical-sources/record.md §4). */
export const SNOMED_NO_KNOWN_ALLERGY = '716186003';

/** Rein's own extensions, for what the R4 resources have no element for (URNs, like Rein's ids). */
export const REIN_EXT = {
  allergySource: 'urn:rein:fhir:extension:allergy-source',
  trial: 'urn:rein:fhir:extension:treatment-trial',
} as const;
/** Marks a MedicationStatement as a prior treatment trial (not a current medication). */
export const REIN_TRIAL_CATEGORY = {
  system: 'urn:rein:fhir:medication-statement-category',
  code: 'prior-treatment-trial',
} as const;

/** A reaction recorded with a severity but no words: R4 requires a manifestation. */
const UNDESCRIBED_REACTION = 'reaction not described';

type PatientRef = { reference: string };
const patientRef = (patientId: string): PatientRef => ({ reference: `Patient/${patientId}` });

/** The RxNorm coding of a drug when the dictionary holds exactly one verified code for it. */
function rxnormCoding(name: string): NonNullable<CodeableConcept['coding']> {
  const entries = lookupMedication(name);
  const codes = entries.length === 1 ? entries[0]!.rxNormCodes : [];
  return codes.length === 1 ? [{ system: RXNORM, code: codes[0]!, display: entries[0]!.generic }] : [];
}

function concept(coding: NonNullable<CodeableConcept['coding']>, text: string): CodeableConcept {
  return coding.length ? { coding, text } : { text };
}

const noteOf = (text: string | null | undefined) => (text ? { note: [{ text }] } : {});

// Allergies -------------------------------------------------------------------------------------------

export interface FhirAllergyInput {
  id: string;
  substance: string;
  substanceGeneric: string | null;
  reaction: string | null;
  severity: AllergySeverity;
  status: AllergyStatus;
  source: AllergySource;
  notes: string | null;
  recordedAt: Date;
}

export function allergyResource(a: FhirAllergyInput, patientId: string): AllergyIntolerance {
  const inError = a.status === 'entered-in-error';
  const verification = inError
    ? 'entered-in-error'
    : a.source === 'clinician-observed'
      ? 'confirmed'
      : 'unconfirmed';
  const reaction =
    a.reaction || a.severity !== 'unknown'
      ? [
          {
            manifestation: [{ text: a.reaction ?? UNDESCRIBED_REACTION }],
            ...(a.severity !== 'unknown' ? { severity: a.severity } : {}),
          },
        ]
      : [];
  return {
    resourceType: 'AllergyIntolerance',
    id: a.id,
    extension: [{ url: REIN_EXT.allergySource, valueCode: a.source }],
    // R4 (ait-1, ait-2): a clinical status unless the entry is entered in error, and then none.
    ...(inError
      ? {}
      : { clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: a.status }], text: a.status } }),
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION, code: verification }] },
    ...(a.substanceGeneric ? { category: ['medication' as const] } : {}),
    code: concept(a.substanceGeneric ? rxnormCoding(a.substanceGeneric) : [], a.substance),
    patient: patientRef(patientId),
    recordedDate: a.recordedAt.toISOString(),
    ...(a.source === 'patient' ? { asserter: patientRef(patientId) } : {}),
    ...noteOf(a.notes),
    ...(reaction.length ? { reaction } : {}),
  };
}

/** The "no known allergies" statement as the AllergyIntolerance R4 uses for it (716186003). */
export function noKnownAllergiesResource(
  s: { id: string; recordedAt: Date },
  patientId: string,
): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id: s.id,
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION, code: 'confirmed' }] },
    code: {
      coding: [{ system: SNOMED, code: SNOMED_NO_KNOWN_ALLERGY, display: 'No known allergy' }],
      text: 'No known allergies',
    },
    patient: patientRef(patientId),
    recordedDate: s.recordedAt.toISOString(),
  };
}

// Diagnoses -------------------------------------------------------------------------------------------

export interface FhirDiagnosisInput {
  id: string;
  icd10cmCode: string | null;
  description: string;
  status: DiagnosisStatus;
  onsetDate: string | null;
  notes: string | null;
  recordedAt: Date;
}

export function conditionResource(d: FhirDiagnosisInput, patientId: string): Condition {
  const inError = d.status === 'entered-in-error';
  return {
    resourceType: 'Condition',
    id: d.id,
    // R4 (con-3, con-5): a problem-list item has a clinical status unless entered in error.
    ...(inError
      ? {}
      : { clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: d.status }], text: d.status } }),
    verificationStatus: {
      coding: [{ system: CONDITION_VERIFICATION, code: inError ? 'entered-in-error' : 'confirmed' }],
    },
    category: [
      { coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] },
    ],
    code: concept(
      d.icd10cmCode ? [{ system: ICD10CM, code: d.icd10cmCode, display: d.description }] : [],
      d.description,
    ),
    subject: patientRef(patientId),
    ...(d.onsetDate ? { onsetDateTime: d.onsetDate } : {}),
    recordedDate: d.recordedAt.toISOString(),
    ...noteOf(d.notes),
  };
}

// Treatment trials ------------------------------------------------------------------------------------

export interface FhirTrialInput {
  id: string;
  drug: string;
  doseMgPerDay: number | null;
  durationWeeks: number | null;
  adherence: TrialAdherence;
  response: TrialResponse;
  reasonStopped: string | null;
  currentEpisode: boolean;
  adequateDose: boolean | null;
  adequateDuration: boolean | null;
  startDate: string | null;
  notes: string | null;
  status: 'active' | 'entered-in-error';
  recordedAt: Date;
}

const RESPONSE_WORDS: Record<TrialResponse, string> = {
  none: 'no response',
  partial: 'partial response',
  response: 'response',
  remission: 'remission',
  'not-tolerated': 'not tolerated',
  unknown: 'response unknown',
};

/**
 * A prior trial as a MedicationStatement: `completed`, or `stopped` when a reason for stopping is
 * recorded or it was not tolerated. The dose per day is a rate (mg per 1 d); the prescriber's
 * judgements, adherence and the episode travel in Rein's extension, the response also as a note.
 */
export function trialResource(t: FhirTrialInput, patientId: string): MedicationStatement {
  const status: MedicationStatement['status'] =
    t.status === 'entered-in-error'
      ? 'entered-in-error'
      : t.reasonStopped || t.response === 'not-tolerated'
        ? 'stopped'
        : 'completed';
  const end =
    t.startDate && t.durationWeeks !== null ? addDays(t.startDate, Math.round(t.durationWeeks * 7)) : null;
  const ext: Extension[] = [
    { url: 'adherence', valueCode: t.adherence },
    { url: 'response', valueCode: t.response },
    { url: 'currentEpisode', valueBoolean: t.currentEpisode },
    ...(t.adequateDose !== null ? [{ url: 'adequateDose', valueBoolean: t.adequateDose }] : []),
    ...(t.adequateDuration !== null ? [{ url: 'adequateDuration', valueBoolean: t.adequateDuration }] : []),
    ...(t.durationWeeks !== null ? [{ url: 'durationWeeks', valueDecimal: t.durationWeeks }] : []),
  ];
  const notes = [`Outcome: ${RESPONSE_WORDS[t.response]}`, ...(t.notes ? [t.notes] : [])];
  return {
    resourceType: 'MedicationStatement',
    id: t.id,
    extension: [{ url: REIN_EXT.trial, extension: ext }],
    status,
    ...(t.reasonStopped ? { statusReason: [{ text: t.reasonStopped }] } : {}),
    category: {
      coding: [{ ...REIN_TRIAL_CATEGORY, display: 'Prior treatment trial' }],
      text: 'Prior treatment trial',
    },
    medicationCodeableConcept: concept(rxnormCoding(t.drug), t.drug),
    subject: patientRef(patientId),
    ...(t.startDate ? { effectivePeriod: { start: t.startDate, ...(end ? { end } : {}) } } : {}),
    dateAsserted: t.recordedAt.toISOString(),
    note: notes.map((text) => ({ text })),
    ...(t.doseMgPerDay !== null
      ? {
          dosage: [
            {
              text: `${t.doseMgPerDay} mg/day`,
              doseAndRate: [
                {
                  rateRatio: {
                    numerator: { value: t.doseMgPerDay, unit: 'mg', system: UCUM, code: 'mg' },
                    denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' },
                  },
                },
              ],
            },
          ],
        }
      : {}),
  };
}

// Reading back (import) -------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const codings = (c: unknown): Json[] => arr(isObj(c) ? c.coding : undefined).filter(isObj);
const codeIn = (c: unknown, system: string): string | undefined =>
  str(codings(c).find((x) => x.system === system)?.code);
const textOf = (c: unknown): string | undefined =>
  (isObj(c) ? str(c.text) : undefined) ?? str(codings(c).find((x) => str(x.display))?.display);
const notesOf = (r: Json): string | null =>
  arr(r.note)
    .filter(isObj)
    .map((n) => str(n.text))
    .filter((t): t is string => !!t)
    .join('\n') || null;

/** A resource read back: skipped (with the reason), or the fields for the record's schemas. */
export type ReadBack<T> = { skip: string } | { input: T };

/** "Entered in error" and "refuted" entries are not imported: they state nothing about the patient. */
function skippedVerification(r: Json, system: string): string | null {
  const v = codeIn(r.verificationStatus, system);
  return v === 'entered-in-error' || v === 'refuted' ? `verificationStatus ${v}: not imported` : null;
}

export function isNoKnownAllergies(r: Json): boolean {
  return codeIn(r.code, SNOMED) === SNOMED_NO_KNOWN_ALLERGY;
}

/** Where each field of the allergy schema comes from in an AllergyIntolerance (for error paths). */
export const ALLERGY_FIELD_PATHS: Record<string, string> = {
  substance: 'code',
  reaction: 'reaction.manifestation',
  severity: 'reaction.severity',
  source: 'extension',
  status: 'clinicalStatus',
  notes: 'note',
};

export function readAllergy(r: Json): ReadBack<Record<string, unknown>> {
  const skip = skippedVerification(r, ALLERGY_VERIFICATION);
  if (skip) return { skip };
  const reaction = arr(r.reaction).filter(isObj)[0];
  const words = textOf(arr(reaction?.manifestation)[0]);
  const sourceExt = arr(r.extension)
    .filter(isObj)
    .find((e) => e.url === REIN_EXT.allergySource);
  return {
    input: {
      substance: textOf(r.code),
      reaction: words && words !== UNDESCRIBED_REACTION ? words : null,
      severity: reaction ? (str(reaction.severity) ?? 'unknown') : 'unknown',
      // Another system's allergy list is a previous record unless Rein's own extension says who.
      source: sourceExt ? sourceExt.valueCode : 'previous-record',
      status: codeIn(r.clinicalStatus, ALLERGY_CLINICAL),
      notes: notesOf(r),
    },
  };
}

export const DIAGNOSIS_FIELD_PATHS: Record<string, string> = {
  icd10cmCode: 'code',
  description: 'code',
  onsetDate: 'onsetDateTime',
  notes: 'note',
  status: 'clinicalStatus',
};

/**
 * A Condition as a diagnosis: an ICD-10-CM code of the clinic's list keeps its code; any other code
 * comes in as free text (its words and the code), flagged as uncoded like any free-text diagnosis.
 * Clinical statuses Rein does not keep fold into its two: active, recurrence and relapse are
 * active; inactive, remission and resolved are resolved.
 */
export function readCondition(r: Json): ReadBack<{ create: Record<string, unknown>; status: unknown }> {
  const skip = skippedVerification(r, CONDITION_VERIFICATION);
  if (skip) return { skip };
  const code = codeIn(r.code, ICD10CM);
  const known = code ? icd10cmEntry(code) : null;
  const words = textOf(r.code);
  const description = known ? null : code ? `${words ?? 'ICD-10-CM'} (ICD-10-CM ${code})` : words;
  const clinical = codeIn(r.clinicalStatus, CONDITION_CLINICAL);
  const status =
    clinical === undefined
      ? undefined
      : ['active', 'recurrence', 'relapse'].includes(clinical)
        ? 'active'
        : ['inactive', 'remission', 'resolved'].includes(clinical)
          ? 'resolved'
          : clinical;
  const onset = str(r.onsetDateTime)?.slice(0, 10);
  return {
    input: {
      create: {
        icd10cmCode: known ? known.code : null,
        description: description ?? null,
        onsetDate: onset ?? null,
        notes: notesOf(r),
      },
      status,
    },
  };
}

/** Whether a MedicationStatement is one of Rein's prior treatment trials. */
export function isTrialStatement(r: Json): boolean {
  const c = r.category;
  return codings(c).some(
    (x) => x.system === REIN_TRIAL_CATEGORY.system && x.code === REIN_TRIAL_CATEGORY.code,
  );
}

export const TRIAL_FIELD_PATHS: Record<string, string> = {
  drug: 'medicationCodeableConcept',
  doseMgPerDay: 'dosage.doseAndRate.rateRatio',
  durationWeeks: 'effectivePeriod',
  adherence: 'extension.adherence',
  response: 'extension.response',
  reasonStopped: 'statusReason',
  currentEpisode: 'extension.currentEpisode',
  adequateDose: 'extension.adequateDose',
  adequateDuration: 'extension.adequateDuration',
  startDate: 'effectivePeriod.start',
  notes: 'note',
};

export function readTrial(r: Json): ReadBack<Record<string, unknown>> {
  if (str(r.status) === 'entered-in-error') return { skip: 'status entered-in-error: not imported' };
  const ext = new Map(
    arr(
      arr(r.extension)
        .filter(isObj)
        .find((e) => e.url === REIN_EXT.trial)?.extension,
    )
      .filter(isObj)
      .map((e) => [str(e.url), e] as const),
  );
  const value = (name: string, key: string): unknown => ext.get(name)?.[key];
  const rate = arr(arr(r.dosage).filter(isObj)[0]?.doseAndRate).filter(isObj)[0]?.rateRatio;
  const num = isObj(rate) && isObj(rate.numerator) ? rate.numerator : undefined;
  const den = isObj(rate) && isObj(rate.denominator) ? rate.denominator : undefined;
  const perDay = den?.value === 1 && den.code === 'd' && num?.code === 'mg' ? num.value : undefined;
  const period = isObj(r.effectivePeriod) ? r.effectivePeriod : undefined;
  const start = str(period?.start)?.slice(0, 10);
  const end = str(period?.end)?.slice(0, 10);
  const weeksFromPeriod =
    start && end && isLocalDate(start) && isLocalDate(end) ? daysBetween(start, end) / 7 : undefined;
  const reasonStopped = arr(r.statusReason).map(textOf).find(Boolean);
  // Rein's own outcome note is regenerated on export; the clinician's notes come back as they were.
  const notes = notesOf({
    note: arr(r.note).filter((n) => !(isObj(n) && str(n.text)?.startsWith('Outcome: '))),
  });
  return {
    input: {
      drug: textOf(r.medicationCodeableConcept),
      doseMgPerDay: perDay ?? (rate === undefined ? null : 'not mg per 1 day'),
      durationWeeks: value('durationWeeks', 'valueDecimal') ?? weeksFromPeriod ?? null,
      adherence: ext.has('adherence') ? value('adherence', 'valueCode') : 'unknown',
      response: ext.has('response') ? value('response', 'valueCode') : 'unknown',
      reasonStopped: reasonStopped ?? null,
      // Without Rein's extension nothing says the trial was in this episode or adequate, so it
      // does not count toward treatment resistance until a prescriber says so.
      currentEpisode: ext.has('currentEpisode') ? value('currentEpisode', 'valueBoolean') : false,
      adequateDose: ext.has('adequateDose') ? value('adequateDose', 'valueBoolean') : null,
      adequateDuration: ext.has('adequateDuration') ? value('adequateDuration', 'valueBoolean') : null,
      startDate: start ?? null,
      notes,
    },
  };
}
