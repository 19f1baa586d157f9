/**
 * FHIR R4 export of one patient's record as a `collection` Bundle. Pure: plain data
 * in, FHIR JSON out. Codes follow reference instruments.md §2 (cited per use below); a code whose
 * status there is [U] is not sent as a coding — the concept goes out as text only.
 * Types only from @medplum/fhirtypes; no runtime dependency on Medplum.
 */
import { clinicToday, localDateOf } from '../../clinical/calendar';
import type {
  Bundle,
  BundleEntry,
  CarePlan,
  CodeableConcept,
  Encounter,
  Flag,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Resource,
} from '@medplum/fhirtypes';
import { getInstrument, isInstrumentId } from '../../clinical/instruments';
import type { InstrumentDefinition, LoincCode } from '../../clinical/instruments';
import type {
  ScoreExportRow,
  SessionExportDetail,
  SessionExportRow,
} from '../../clinical/outcomes/export-rows';
import {
  allergyResource,
  conditionResource,
  noKnownAllergiesResource,
  trialResource,
  type FhirAllergyInput,
  type FhirDiagnosisInput,
  type FhirTrialInput,
} from './record-resources';
import { noteResources, type FhirNoteInput } from './note-resources';
import { adverseEventResource, vitalsObservations, type SessionContext } from './session-resources';

export const LOINC = 'http://loinc.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Identifier system for Rein ids and MRNs (a URN; a clinic may map it to its own namespace). */
export const REIN_ID_SYSTEM = 'urn:rein:id';
export const REIN_MRN_SYSTEM = 'urn:rein:mrn';

/**
 * RxNorm ingredient ketamine 6130 (TTY=IN): reference instruments.md §2.1 marks it [U] "confirm with
 * RxNav". It is exported because the issue asks for it; the status is stated here and in
 * docs/clinical-sources/outcomes.md. Esketamine has no RXCUI in the reference: text only.
 */
export const KETAMINE_RXCUI = '6130';
/**
 * RxNorm 2201623 "esketamine Nasal Spray" (TTY=SCDF; with 2201625 the branded form [Spravato]),
 * read from ndclist.com's RxNorm concept pages (RxNorm source version 20AA_260601F) [S]; cited in
 * docs/clinical-sources/outcomes.md §4.
 */
export const ESKETAMINE_NASAL_SPRAY_RXCUI = '2201623';
/** SNOMED CT 47625008 "Intravenous route" (reference §2.1, [U]). */
export const SNOMED_IV_ROUTE = '47625008';

export interface FhirPatientInput {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sexAtBirth: 'female' | 'male' | 'intersex' | 'unknown' | string;
  phone?: string | null;
  email?: string | null;
}

export interface FhirMedicationInput {
  id: string;
  name: string;
  rxnormCode?: string | null;
  dose?: number | null;
  doseUnit?: string | null;
  frequency?: string | null;
  startDate?: string | null;
  stopDate?: string | null;
}

export interface FhirCourseInput {
  id: string;
  templateKey: string;
  modality: 'iv-ketamine' | 'esketamine' | string;
  startDate: string;
  /** The diagnosis the course treats (a Condition of this bundle), when one was chosen. */
  primaryDiagnosisId?: string | null;
  /** The course's sessions with their scheduled start and end as instants. */
  sessions: (SessionExportRow & { scheduledStart: Date; scheduledEnd: Date } & FhirSessionDetail)[];
}

export type FhirSessionDetail = SessionExportDetail;

export interface FhirTaperInput {
  id: string;
  drug: string;
  status: 'active' | 'paused' | 'completed' | 'cancelled' | string;
  createdAt: Date;
}

/** Allergies, the problem list and prior treatment trials, without entries entered in error. */
export interface FhirClinicalRecordInput {
  allergies: readonly FhirAllergyInput[];
  /** The "no known allergies" statement, when it holds (the chart's allergy state says so). */
  noKnownAllergies: { id: string; recordedAt: Date } | null;
  diagnoses: readonly FhirDiagnosisInput[];
  trials: readonly FhirTrialInput[];
}

export interface PatientRecordInput {
  patient: FhirPatientInput;
  record?: FhirClinicalRecordInput;
  medications: readonly FhirMedicationInput[];
  /** Current versions, with item answers. */
  scores: readonly ScoreExportRow[];
  courses: readonly FhirCourseInput[];
  tapers: readonly FhirTaperInput[];
  /** Clinical notes, drafts included (as preliminary documents), with their addenda. */
  notes?: readonly FhirNoteInput[];
  /** Bundle.timestamp. */
  generatedAt: Date;
  /** The clinic's IANA time zone (default UTC): a medication stopped by the clinic's today is completed. */
  timeZone?: string;
  /** Base of the entries' fullUrls, e.g. `https://clinic.example.org/fhir` (no trailing slash). */
  fhirBase: string;
}

/** Relative reference `Type/id`; the bundle's fullUrls are `<fhirBase>/Type/id`, so it resolves inside. */
const ref = (type: Resource['resourceType'], id: string) => ({ reference: `${type}/${id}` });

/** LOINC coding for [V]/[S] codes only (a [U] code is never sent as a coding). */
function loincConcept(code: LoincCode | undefined, text: string): CodeableConcept {
  if (code && code.status !== 'U')
    return { coding: [{ system: LOINC, code: code.code, display: text }], text };
  return { text };
}

function patientResource(p: FhirPatientInput): Patient {
  const gender: Patient['gender'] =
    p.sexAtBirth === 'female'
      ? 'female'
      : p.sexAtBirth === 'male'
        ? 'male'
        : p.sexAtBirth === 'intersex'
          ? 'other'
          : 'unknown';
  const telecom: NonNullable<Patient['telecom']> = [];
  if (p.phone) telecom.push({ system: 'phone', value: p.phone });
  if (p.email) telecom.push({ system: 'email', value: p.email });
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      { system: REIN_ID_SYSTEM, value: p.id },
      { system: REIN_MRN_SYSTEM, value: p.mrn, type: { text: 'Medical record number' } },
    ],
    name: [{ family: p.familyName, given: [p.givenName] }],
    // Rein records sex assigned at birth; FHIR R4 Patient.gender is administrative gender.
    gender,
    birthDate: p.dateOfBirth,
    ...(telecom.length ? { telecom } : {}),
  };
}

function medicationStatement(
  m: FhirMedicationInput,
  patientId: string,
  now: Date,
  timeZone: string,
): MedicationStatement {
  const stopped = m.stopDate !== null && m.stopDate !== undefined && m.stopDate <= clinicToday(now, timeZone);
  const doseText = [
    m.dose !== null && m.dose !== undefined ? `${m.dose}${m.doseUnit ? ` ${m.doseUnit}` : ''}` : null,
    m.frequency,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    resourceType: 'MedicationStatement',
    id: m.id,
    status: stopped ? 'stopped' : 'active',
    medicationCodeableConcept: m.rxnormCode
      ? { coding: [{ system: RXNORM, code: m.rxnormCode, display: m.name }], text: m.name }
      : { text: m.name },
    subject: ref('Patient', patientId),
    ...(m.startDate || m.stopDate
      ? {
          effectivePeriod: {
            ...(m.startDate ? { start: m.startDate } : {}),
            ...(m.stopDate ? { end: m.stopDate } : {}),
          },
        }
      : {}),
    ...(doseText ? { dosage: [{ text: doseText }] } : {}),
  };
}

/** Canonical URL of a shipped instrument's Questionnaire (a URN; versions follow the definition). */
export function questionnaireUrl(instrumentId: string): string {
  return `urn:rein:questionnaire:${instrumentId}`;
}

const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

/**
 * A shipped instrument as a FHIR R4 Questionnaire (reference instruments.md §2.2): `code` = the LOINC
 * panel, each item with its LOINC code, `type: choice`, answer options as LOINC answer codes with
 * the `ordinalValue` score extension, or as integers. Item wording only where Rein ships it (free to
 * reproduce); otherwise the item's label in Rein's own words.
 */
export function questionnaireResource(def: InstrumentDefinition): Questionnaire {
  const item: QuestionnaireItem[] = def.items.map((it) => ({
    linkId: it.id,
    ...(it.askedWhen ? { enableWhen: [enableWhen(def, it.askedWhen)] } : {}),
    ...(it.loinc && it.loinc.status !== 'U'
      ? { code: [{ system: LOINC, code: it.loinc.code, display: it.label }] }
      : {}),
    text: it.text ?? it.label,
    type: 'choice' as const,
    required: it.required,
    answerOption: it.options.map((o) =>
      o.loinc && o.loinc.status !== 'U'
        ? {
            valueCoding: {
              system: LOINC,
              code: o.loinc.code,
              display: o.label,
              extension: [{ url: ORDINAL_VALUE, valueDecimal: o.value }],
            },
          }
        : { valueInteger: o.value },
    ),
  }));
  return {
    resourceType: 'Questionnaire',
    id: `rein-${def.id}-${def.version.replace(/[^A-Za-z0-9]/g, '-')}`,
    url: questionnaireUrl(def.id),
    version: def.version,
    name: def.id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase(),
    title: def.title,
    status: 'active',
    subjectType: ['Patient'],
    ...(def.loinc.panel && def.loinc.panel.status !== 'U'
      ? { code: [{ system: LOINC, code: def.loinc.panel.code, display: def.title }] }
      : {}),
    ...(def.licence.note ? { copyright: def.licence.note } : {}),
    item,
  };
}

/** The skip logic as enableWhen: the controlling item's answer, coded as the form codes it. */
function enableWhen(
  def: InstrumentDefinition,
  when: { itemId: string; value: number },
): NonNullable<QuestionnaireItem['enableWhen']>[number] {
  const option = def.items.find((i) => i.id === when.itemId)?.options.find((o) => o.value === when.value);
  return option?.loinc && option.loinc.status !== 'U'
    ? {
        question: when.itemId,
        operator: '=',
        answerCoding: { system: LOINC, code: option.loinc.code, display: option.label },
      }
    : { question: when.itemId, operator: '=', answerInteger: when.value };
}

function questionnaireResponse(s: ScoreExportRow, patientId: string): QuestionnaireResponse | null {
  if (!isInstrumentId(s.instrument)) return null;
  const def = getInstrument(s.instrument);
  const items: QuestionnaireResponseItem[] = [];
  for (const item of def.items) {
    const value = s.items[item.id];
    if (value === undefined || value === null) continue;
    const option = item.options.find((o) => o.value === value);
    const answer =
      option?.loinc && option.loinc.status !== 'U'
        ? { valueCoding: { system: LOINC, code: option.loinc.code, display: option.label } }
        : { valueInteger: value };
    items.push({ linkId: item.id, text: item.label, answer: [answer] });
  }
  if (items.length === 0) return null;
  return {
    resourceType: 'QuestionnaireResponse',
    id: s.responseId,
    questionnaire: `${questionnaireUrl(def.id)}|${s.instrumentVersion}`,
    status: 'completed',
    subject: ref('Patient', patientId),
    authored: s.administeredAt.toISOString(),
    item: items,
  };
}

function scoreObservations(s: ScoreExportRow, patientId: string, qrId: string | null): Observation[] {
  if (!isInstrumentId(s.instrument)) return [];
  const def = getInstrument(s.instrument);
  const category = [{ coding: [{ system: OBS_CATEGORY, code: 'survey', display: 'Survey' }] }];
  const common = {
    status: 'final' as const,
    category,
    subject: ref('Patient', patientId),
    effectiveDateTime: s.administeredAt.toISOString(),
    ...(qrId ? { derivedFrom: [ref('QuestionnaireResponse', qrId)] } : {}),
  };
  const out: Observation[] = [];
  // Item observations: suicide items (PHQ-9 item 9, 44260-8) and every item with a usable LOINC.
  const itemObs: Observation[] = [];
  for (const item of def.items) {
    const value = s.items[item.id];
    if (value === undefined || value === null || !item.scored) continue;
    if (!(item.loinc && item.loinc.status !== 'U') && !item.suicideItem) continue;
    itemObs.push({
      resourceType: 'Observation',
      id: derivedId(s.responseId, `item:${item.id}`),
      ...common,
      code: loincConcept(item.loinc, `${def.title}: ${item.label}`),
      valueInteger: value,
    });
  }
  if (s.totalScore !== null) {
    out.push({
      resourceType: 'Observation',
      id: derivedId(s.responseId, 'total'),
      ...common,
      code: loincConcept(def.loinc.total, `${def.title} total score`),
      valueInteger: s.totalScore,
      ...(s.severity ? { interpretation: [{ text: s.severity }] } : {}),
      ...(itemObs.length ? { hasMember: itemObs.map((o) => ref('Observation', o.id!)) } : {}),
    });
  }
  const risk = cssrsRiskObservation(s, def, common);
  return [...out, ...(risk ? [risk] : []), ...itemObs];
}

/** LOINC answer for a C-SSRS risk level: only "Low" (LA9194-7) is verified; others go out as text. */
const CSSRS_RISK_ANSWER: Partial<Record<string, { code: string; display: string }>> = {
  low: { code: 'LA9194-7', display: 'Low' },
};

/** The C-SSRS screener's risk level (LOINC 93374-7) as its own Observation. */
function cssrsRiskObservation(
  s: ScoreExportRow,
  def: InstrumentDefinition,
  common: Omit<Observation, 'resourceType' | 'code'>,
): Observation | null {
  if (!s.cssrsRisk || !def.loinc.riskLevel) return null;
  const answer = CSSRS_RISK_ANSWER[s.cssrsRisk];
  return {
    resourceType: 'Observation',
    id: derivedId(s.responseId, 'risk'),
    ...common,
    code: loincConcept(def.loinc.riskLevel, `${def.title}: suicide risk level`),
    valueCodeableConcept: answer
      ? { coding: [{ system: LOINC, code: answer.code, display: answer.display }], text: s.cssrsRisk }
      : { text: s.cssrsRisk },
  };
}

const FLAG_CATEGORY = 'http://terminology.hl7.org/CodeSystem/flag-category';

/**
 * A safety Flag for a C-SSRS moderate or high risk, pointing at nothing the reader must open: the
 * risk and date are in its text. Active for the patient's latest C-SSRS response, inactive for
 * earlier ones (a later screener supersedes it).
 */
function cssrsFlag(s: ScoreExportRow, patientId: string, latest: boolean, timeZone: string): Flag | null {
  if (s.cssrsRisk !== 'moderate' && s.cssrsRisk !== 'high') return null;
  return {
    resourceType: 'Flag',
    id: derivedId(s.responseId, 'flag'),
    status: latest ? 'active' : 'inactive',
    category: [{ coding: [{ system: FLAG_CATEGORY, code: 'safety', display: 'Safety' }] }],
    code: {
      text: `Suicide risk ${s.cssrsRisk} (C-SSRS screener, ${localDateOf(s.administeredAt, timeZone)})`,
    },
    subject: ref('Patient', patientId),
    period: { start: s.administeredAt.toISOString() },
  };
}

/**
 * A deterministic UUID-shaped id for a resource derived from a Rein record (an item Observation of a
 * response, the administration of a session): the record id's first 24 characters and a 12-hex-digit
 * hash of the record id and a tag. Re-exporting gives the same ids.
 */
export function derivedId(baseId: string, tag: string): string {
  return `${baseId.slice(0, 24)}${hex12(`${baseId}:${tag}`)}`;
}

function hex12(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, 12);
}

function encounter(s: FhirCourseInput['sessions'][number], patientId: string): Encounter {
  const status: Encounter['status'] =
    s.dischargeAtMin !== null ? 'finished' : s.dosingStartedAt !== null ? 'in-progress' : 'planned';
  const start = s.dosingStartedAt ?? s.scheduledStart;
  const end =
    s.dischargeAtMin !== null && s.dosingStartedAt !== null
      ? new Date(s.dosingStartedAt.getTime() + s.dischargeAtMin * 60_000)
      : status === 'planned'
        ? s.scheduledEnd
        : undefined;
  return {
    resourceType: 'Encounter',
    id: s.sessionId,
    status,
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: [
      {
        text: `${s.modality === 'esketamine' ? 'Esketamine' : 'IV ketamine'} treatment session ${s.sequence} (${s.phaseLabel})`,
      },
    ],
    subject: ref('Patient', patientId),
    period: { start: start.toISOString(), ...(end ? { end: end.toISOString() } : {}) },
  };
}

function medicationAdministration(
  s: FhirCourseInput['sessions'][number],
  patientId: string,
  now: Date,
): MedicationAdministration | null {
  if (s.dosingStartedAt === null || s.doseMg === null) return null;
  const iv = s.modality !== 'esketamine';
  const stopped = typeof s.stoppedAtMin === 'number';
  // Dosing ends at the planned end, or earlier where it was stopped; an end still ahead is left open.
  const endMin =
    typeof s.dosingEndMin === 'number'
      ? stopped
        ? Math.min(s.dosingEndMin, s.stoppedAtMin!)
        : s.dosingEndMin
      : stopped
        ? s.stoppedAtMin!
        : null;
  const end = endMin !== null ? new Date(s.dosingStartedAt.getTime() + endMin * 60_000) : null;
  const ended = end !== null && (s.dischargeAtMin !== null || stopped || end.getTime() <= now.getTime());
  return {
    resourceType: 'MedicationAdministration',
    id: derivedId(s.sessionId, 'dose'),
    status: stopped ? 'stopped' : s.dischargeAtMin !== null ? 'completed' : 'in-progress',
    medicationCodeableConcept: iv
      ? {
          coding: [{ system: RXNORM, code: KETAMINE_RXCUI, display: 'ketamine' }],
          text: 'ketamine (IV infusion)',
        }
      : {
          coding: [{ system: RXNORM, code: ESKETAMINE_NASAL_SPRAY_RXCUI, display: 'esketamine Nasal Spray' }],
          text: 'esketamine nasal spray',
        },
    subject: ref('Patient', patientId),
    context: ref('Encounter', s.sessionId),
    ...(s.order ? { request: ref('MedicationRequest', derivedId(s.sessionId, 'order')) } : {}),
    // A period where the planned end is known (an infusion, the last device); else the start only.
    ...(endMin !== null
      ? {
          effectivePeriod: {
            start: s.dosingStartedAt.toISOString(),
            ...(ended ? { end: end.toISOString() } : {}),
          },
        }
      : { effectiveDateTime: s.dosingStartedAt.toISOString() }),
    dosage: {
      route: iv
        ? {
            coding: [{ system: SNOMED, code: SNOMED_IV_ROUTE, display: 'Intravenous route' }],
            text: 'intravenous',
          }
        : { text: 'intranasal' },
      dose: { value: s.doseMg, unit: 'mg', system: UCUM, code: 'mg' },
      ...(s.doseMgPerKg !== null
        ? { text: `${s.doseMgPerKg} mg/kg${s.weightKg !== null ? ` × ${s.weightKg} kg` : ''}` }
        : {}),
    },
  };
}

const ROUTE_TEXT: Readonly<Record<string, string>> = {
  iv: 'intravenous',
  intranasal: 'intranasal',
  oral: 'oral',
  im: 'intramuscular',
  sublingual: 'sublingual',
};
const routeConcept = (route: string) =>
  route === 'iv'
    ? {
        coding: [{ system: SNOMED, code: SNOMED_IV_ROUTE, display: 'Intravenous route' }],
        text: 'intravenous',
      }
    : { text: ROUTE_TEXT[route] ?? route };
const mg = (value: number) => ({ value, unit: 'mg', system: UCUM, code: 'mg' });

/** The session's signed order as a MedicationRequest (the dose's MedicationAdministration refers to it). */
function medicationRequest(
  s: FhirCourseInput['sessions'][number],
  patientId: string,
): MedicationRequest | null {
  const o = s.order;
  if (!o) return null;
  const iv = o.drug === 'ketamine';
  const dose =
    o.doseMgPerKg !== null
      ? `${o.doseMgPerKg} mg/kg${o.doseMg !== null ? ` (${o.doseMg} mg)` : ''}`
      : `${o.doseMg ?? '?'} mg`;
  return {
    resourceType: 'MedicationRequest',
    id: derivedId(s.sessionId, 'order'),
    status: s.dischargeAtMin !== null ? 'completed' : 'active',
    intent: 'order',
    medicationCodeableConcept: iv
      ? { coding: [{ system: RXNORM, code: KETAMINE_RXCUI, display: 'ketamine' }], text: 'ketamine' }
      : {
          coding: [{ system: RXNORM, code: ESKETAMINE_NASAL_SPRAY_RXCUI, display: 'esketamine Nasal Spray' }],
          text: 'esketamine nasal spray',
        },
    subject: ref('Patient', patientId),
    encounter: ref('Encounter', s.sessionId),
    authoredOn: o.signedAt.toISOString(),
    dosageInstruction: [
      {
        text: `${dose} ${ROUTE_TEXT[o.route] ?? o.route}${o.durationMin !== null ? ` over ${o.durationMin} min` : ''}; maximum ${o.maxDoseMg} mg${o.holdConditions.length ? `. ${o.holdConditions.join('. ')}` : ''}`,
        route: routeConcept(o.route),
        ...(o.doseMg !== null
          ? {
              doseAndRate: [
                {
                  doseQuantity: mg(o.doseMg),
                  ...(o.rateMgPerMin !== null
                    ? {
                        rateQuantity: { value: o.rateMgPerMin, unit: 'mg/min', system: UCUM, code: 'mg/min' },
                      }
                    : {}),
                },
              ],
            }
          : {}),
        maxDosePerAdministration: mg(o.maxDoseMg),
      },
    ],
  };
}

/** Each rescue medication given, as a MedicationAdministration against the session's order. */
function rescueAdministrations(
  s: FhirCourseInput['sessions'][number],
  patientId: string,
): MedicationAdministration[] {
  return (s.rescues ?? []).map((r) => {
    const at =
      s.dosingStartedAt && r.timeMin !== null && r.recordedAt >= s.dosingStartedAt
        ? new Date(s.dosingStartedAt.getTime() + r.timeMin * 60_000)
        : r.recordedAt;
    return {
      resourceType: 'MedicationAdministration',
      id: derivedId(r.eventId, 'rescue'),
      status: 'completed',
      medicationCodeableConcept: { text: r.drug },
      subject: ref('Patient', patientId),
      context: ref('Encounter', s.sessionId),
      effectiveDateTime: at.toISOString(),
      ...(s.order ? { request: ref('MedicationRequest', derivedId(s.sessionId, 'order')) } : {}),
      reasonCode: [{ text: r.reason }],
      ...(r.deviationReason ? { note: [{ text: `Differs from the order: ${r.deviationReason}` }] } : {}),
      dosage: { route: routeConcept(r.route), dose: mg(r.doseMg) },
    };
  });
}

function courseCarePlan(
  c: FhirCourseInput,
  patientId: string,
  now: Date,
  conditionIds: ReadonlySet<string>,
): CarePlan {
  const done =
    c.sessions.length > 0 && c.sessions.every((s) => s.dischargeAtMin !== null || s.scheduledEnd < now);
  return {
    resourceType: 'CarePlan',
    id: c.id,
    status: done ? 'completed' : 'active',
    intent: 'plan',
    title: `${c.modality === 'esketamine' ? 'Esketamine' : 'IV ketamine'} course (${c.templateKey})`,
    subject: ref('Patient', patientId),
    period: { start: c.startDate },
    // Only a diagnosis the bundle carries (one entered in error is not exported).
    ...(c.primaryDiagnosisId && conditionIds.has(c.primaryDiagnosisId)
      ? { addresses: [ref('Condition', c.primaryDiagnosisId)] }
      : {}),
    ...(c.sessions.length
      ? { activity: c.sessions.map((s) => ({ outcomeReference: [ref('Encounter', s.sessionId)] })) }
      : {}),
  };
}

function taperCarePlan(t: FhirTaperInput, patientId: string): CarePlan {
  const status: CarePlan['status'] =
    t.status === 'active'
      ? 'active'
      : t.status === 'paused'
        ? 'on-hold'
        : t.status === 'completed'
          ? 'completed'
          : 'revoked';
  return {
    resourceType: 'CarePlan',
    id: t.id,
    status,
    intent: 'plan',
    title: `Taper plan: ${t.drug}`,
    subject: ref('Patient', patientId),
    created: t.createdAt.toISOString(),
  };
}

/** The patient's record as a FHIR R4 `collection` Bundle; entry fullUrls are `<fhirBase>/Type/id`. */
export function patientBundle(input: PatientRecordInput): Bundle {
  const pid = input.patient.id;
  const resources: Resource[] = [patientResource(input.patient)];
  // One Questionnaire per shipped instrument the patient has answers for.
  const used = [...new Set(input.scores.map((s) => s.instrument))].filter(isInstrumentId).sort();
  for (const id of used) resources.push(questionnaireResource(getInstrument(id)));
  for (const m of input.medications) {
    resources.push(medicationStatement(m, pid, input.generatedAt, input.timeZone ?? 'UTC'));
  }
  const rec = input.record;
  if (rec?.noKnownAllergies) resources.push(noKnownAllergiesResource(rec.noKnownAllergies, pid));
  for (const a of rec?.allergies ?? []) resources.push(allergyResource(a, pid));
  for (const d of rec?.diagnoses ?? []) resources.push(conditionResource(d, pid));
  for (const t of rec?.trials ?? []) resources.push(trialResource(t, pid));
  const conditionIds = new Set((rec?.diagnoses ?? []).map((d) => d.id));
  const latestCssrs = input.scores
    .filter((s) => s.instrument === 'cssrs-screener')
    .reduce<ScoreExportRow | null>((a, b) => (a && a.administeredAt >= b.administeredAt ? a : b), null);
  for (const s of input.scores) {
    const qr = questionnaireResponse(s, pid);
    if (qr) resources.push(qr);
    resources.push(...scoreObservations(s, pid, qr?.id ?? null));
    const flag = cssrsFlag(s, pid, s === latestCssrs, input.timeZone ?? 'UTC');
    if (flag) resources.push(flag);
  }
  for (const c of input.courses) {
    resources.push(courseCarePlan(c, pid, input.generatedAt, conditionIds));
    for (const s of c.sessions) {
      resources.push(encounter(s, pid));
      const mr = medicationRequest(s, pid);
      if (mr) resources.push(mr);
      const ma = medicationAdministration(s, pid, input.generatedAt);
      if (ma) resources.push(ma);
      resources.push(...rescueAdministrations(s, pid));
      const ctx: SessionContext = {
        patientId: pid,
        sessionId: s.sessionId,
        dosingStartedAt: s.dosingStartedAt,
        administrationId: ma?.id ?? null,
      };
      for (const v of s.vitalSigns ?? []) resources.push(...vitalsObservations(v, ctx, derivedId));
      for (const a of s.adverseEventDetails ?? []) resources.push(adverseEventResource(a, ctx));
    }
  }
  for (const t of input.tapers) resources.push(taperCarePlan(t, pid));
  const encounterIds = new Set(input.courses.flatMap((c) => c.sessions.map((s) => s.sessionId)));
  for (const n of input.notes ?? []) resources.push(...noteResources(n, pid, encounterIds));
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${input.fhirBase.replace(/\/+$/, '')}/${resource.resourceType}/${resource.id}`,
    resource,
  }));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: input.generatedAt.toISOString(),
    entry,
  };
}
