/**
 * FHIR R4 resources recorded during a treatment session: vital signs as Observations (FHIR R4
 * vital-signs profiles: LOINC codes and UCUM units) and adverse events as AdverseEvent. Pure.
 * Codes and their sources: docs/clinical-sources/outcomes.md §4.
 */
import type { AdverseEvent, CodeableConcept, Observation } from '@medplum/fhirtypes';
import type { SessionAdverseEventRow, SessionVitalsRow } from '../../clinical/outcomes/export-rows';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const AE_SERIOUSNESS = 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness';
const AE_SEVERITY = 'http://terminology.hl7.org/CodeSystem/adverse-event-severity';
const VITAL_SIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition';

/**
 * LOINC vital-sign codes as fixed by the FHIR R4 vital-signs profiles (bp, heartrate, oxygensat,
 * resprate) [V]; 59408-5 (pulse oximetry) is added beside 2708-6 as US Core does [S].
 */
export const VITAL_SIGN_LOINC = {
  bpPanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  heartRate: '8867-4',
  oxygenSaturation: '2708-6',
  pulseOximetry: '59408-5',
  respiratoryRate: '9279-1',
} as const;

export type FhirVitalsInput = SessionVitalsRow;
export type FhirAdverseEventInput = SessionAdverseEventRow;

export interface SessionContext {
  patientId: string;
  sessionId: string;
  dosingStartedAt: Date | null;
  /** The session's MedicationAdministration id, when the bundle holds one (the suspect entity). */
  administrationId: string | null;
}

const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });

/** The instant of a session minute: dosing start + minutes, else when it was recorded. */
export function sessionInstant(
  ctx: SessionContext,
  timeMin: number | null | undefined,
  recordedAt: Date,
): Date {
  if (ctx.dosingStartedAt && typeof timeMin === 'number' && Number.isFinite(timeMin)) {
    return new Date(ctx.dosingStartedAt.getTime() + timeMin * 60_000);
  }
  return recordedAt;
}

const loinc = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: LOINC, code, display }],
  text: display,
});
const qty = (value: number, unit: string, code: string) => ({ value, unit, system: UCUM, code });
const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** The reading's Observations: BP panel, heart rate, SpO2 and respiratory rate, each when measured. */
export function vitalsObservations(
  v: FhirVitalsInput,
  ctx: SessionContext,
  derivedId: (base: string, tag: string) => string,
): Observation[] {
  const common = {
    status: 'final' as const,
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
    subject: ref('Patient', ctx.patientId),
    encounter: ref('Encounter', ctx.sessionId),
    effectiveDateTime: sessionInstant(ctx, v.timeMin, v.recordedAt).toISOString(),
  };
  const out: Observation[] = [];
  if (num(v.sbpMmHg) && num(v.dbpMmHg)) {
    out.push({
      resourceType: 'Observation',
      id: derivedId(v.eventId, 'bp'),
      meta: { profile: [`${VITAL_SIGNS_PROFILE}/bp`] },
      ...common,
      code: loinc(VITAL_SIGN_LOINC.bpPanel, 'Blood pressure panel with all children optional'),
      component: [
        {
          code: loinc(VITAL_SIGN_LOINC.systolic, 'Systolic blood pressure'),
          valueQuantity: qty(v.sbpMmHg, 'mmHg', 'mm[Hg]'),
        },
        {
          code: loinc(VITAL_SIGN_LOINC.diastolic, 'Diastolic blood pressure'),
          valueQuantity: qty(v.dbpMmHg, 'mmHg', 'mm[Hg]'),
        },
      ],
    });
  }
  if (num(v.heartRateBpm)) {
    out.push({
      resourceType: 'Observation',
      id: derivedId(v.eventId, 'hr'),
      meta: { profile: [`${VITAL_SIGNS_PROFILE}/heartrate`] },
      ...common,
      code: loinc(VITAL_SIGN_LOINC.heartRate, 'Heart rate'),
      valueQuantity: qty(v.heartRateBpm, 'beats/minute', '/min'),
    });
  }
  if (num(v.spo2Pct)) {
    out.push({
      resourceType: 'Observation',
      id: derivedId(v.eventId, 'spo2'),
      meta: { profile: [`${VITAL_SIGNS_PROFILE}/oxygensat`] },
      ...common,
      code: {
        coding: [
          {
            system: LOINC,
            code: VITAL_SIGN_LOINC.oxygenSaturation,
            display: 'Oxygen saturation in Arterial blood',
          },
          {
            system: LOINC,
            code: VITAL_SIGN_LOINC.pulseOximetry,
            display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
          },
        ],
        text: 'SpO2 (pulse oximetry)',
      },
      valueQuantity: qty(v.spo2Pct, '%', '%'),
    });
  }
  if (num(v.respiratoryRatePerMin)) {
    out.push({
      resourceType: 'Observation',
      id: derivedId(v.eventId, 'rr'),
      meta: { profile: [`${VITAL_SIGNS_PROFILE}/resprate`] },
      ...common,
      code: loinc(VITAL_SIGN_LOINC.respiratoryRate, 'Respiratory rate'),
      valueQuantity: qty(v.respiratoryRatePerMin, 'breaths/minute', '/min'),
    });
  }
  return out;
}

const SEVERITIES = new Set(['mild', 'moderate', 'severe']);
const words = (s: string) => s.replace(/-/g, ' ');

/**
 * The event as an R4 AdverseEvent: what happened (categories and description), when (onset, else
 * the recorded time), seriousness and severity from HL7's code systems, the session, and the
 * session's administration as the suspect entity.
 */
export function adverseEventResource(a: FhirAdverseEventInput, ctx: SessionContext): AdverseEvent {
  const categories = a.categories && a.categories.length > 0 ? [...a.categories] : [a.category];
  const what = categories.map(words).join(', ');
  const action = a.actionTaken && a.actionTaken !== 'none' ? `; action: ${words(a.actionTaken)}` : '';
  const escalated = a.escalated ? '; escalated' : '';
  const at = sessionInstant(ctx, num(a.onsetMin) ? a.onsetMin : a.timeMin, a.recordedAt);
  return {
    resourceType: 'AdverseEvent',
    id: a.eventId,
    actuality: 'actual',
    event: { text: `${what}${a.description ? ` — ${a.description}` : ''}${action}${escalated}` },
    subject: ref('Patient', ctx.patientId),
    encounter: ref('Encounter', ctx.sessionId),
    date: at.toISOString(),
    recordedDate: a.recordedAt.toISOString(),
    ...(typeof a.serious === 'boolean'
      ? {
          seriousness: {
            coding: [
              a.serious
                ? { system: AE_SERIOUSNESS, code: 'Serious', display: 'Serious' }
                : { system: AE_SERIOUSNESS, code: 'Non-serious', display: 'Non-serious' },
            ],
          },
        }
      : {}),
    ...(a.severity && SEVERITIES.has(a.severity)
      ? { severity: { coding: [{ system: AE_SEVERITY, code: a.severity, display: a.severity }] } }
      : {}),
    ...(ctx.administrationId
      ? { suspectEntity: [{ instance: ref('MedicationAdministration', ctx.administrationId) }] }
      : {}),
  };
}
