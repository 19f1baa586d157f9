/**
 * Plans the import of a FHIR R4 Bundle (pure): Patient, MedicationStatement (current medications and
 * Rein's prior treatment trials), AllergyIntolerance, Condition, and PHQ-9 / GAD-7 total
 * Observations whose item answers come as member Observations (`hasMember`, as Rein exports them)
 * or as `component`s with the item LOINC codes. Nothing is written here: the caller validates the
 * plan's inputs with the store's schemas and writes everything in one transaction, or nothing.
 */
import { getInstrument, scoreInstrument } from '../../clinical/instruments';
import { LOINC, REIN_MRN_SYSTEM, RXNORM } from './patient-bundle';
import {
  isNoKnownAllergies,
  isTrialStatement,
  readAllergy,
  readCondition,
  readTrial,
  type ReadBack,
} from './record-resources';

export interface ImportIssue {
  /** Index of the Bundle entry (0-based). */
  entry: number;
  resourceType: string;
  path: string;
  message: string;
}

export interface PlannedPatient {
  entry: number;
  input: Record<string, unknown>;
}
export interface PlannedMedication {
  entry: number;
  patientEntry: number;
  input: Record<string, unknown>;
}
export interface PlannedAssessment {
  entry: number;
  patientEntry: number;
  instrument: 'phq9' | 'gad7';
  administeredAt: string;
  answers: Record<string, number>;
}

/** An entry of the clinical record: its fields for the record's request schema (unvalidated). */
export interface PlannedRecordEntry {
  entry: number;
  patientEntry: number;
  input: Record<string, unknown>;
}

export interface ImportPlan {
  patients: PlannedPatient[];
  medications: PlannedMedication[];
  assessments: PlannedAssessment[];
  allergies: PlannedRecordEntry[];
  /** "No known allergies" statements (SNOMED CT 716186003), by entry. */
  noKnownAllergies: { entry: number; patientEntry: number }[];
  /** Diagnoses; `status` is the clinical status to end in (a new diagnosis starts active). */
  diagnoses: (PlannedRecordEntry & { status: 'active' | 'resolved' })[];
  trials: PlannedRecordEntry[];
  /** Resources neither imported nor in error (other types, item Observations used as members). */
  skipped: { entry: number; resourceType: string; reason: string }[];
  issues: ImportIssue[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** LOINC total codes of the importable instruments (reference instruments.md §2.1 [V]). */
const TOTALS: Record<string, 'phq9' | 'gad7'> = { '44261-6': 'phq9', '70274-6': 'gad7' };

function loincCodes(concept: unknown): string[] {
  return arr(isObj(concept) ? concept.coding : undefined)
    .filter(isObj)
    .filter((c) => c.system === LOINC)
    .map((c) => str(c.code))
    .filter((c): c is string => !!c);
}

function itemValue(o: Json): number | undefined {
  if (typeof o.valueInteger === 'number') return o.valueInteger;
  if (isObj(o.valueQuantity) && typeof o.valueQuantity.value === 'number') return o.valueQuantity.value;
  return undefined;
}

export function planImport(bundle: unknown): ImportPlan {
  const plan: ImportPlan = {
    patients: [],
    medications: [],
    assessments: [],
    allergies: [],
    noKnownAllergies: [],
    diagnoses: [],
    trials: [],
    skipped: [],
    issues: [],
  };
  if (!isObj(bundle) || bundle.resourceType !== 'Bundle') {
    plan.issues.push({
      entry: -1,
      resourceType: 'Bundle',
      path: 'resourceType',
      message: 'must be a FHIR Bundle',
    });
    return plan;
  }
  const entries = arr(bundle.entry);
  // Index: every way an entry can be referenced → entry index.
  const byRef = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!isObj(e) || !isObj(e.resource)) return;
    const r = e.resource;
    if (str(e.fullUrl)) byRef.set(e.fullUrl as string, i);
    if (str(r.resourceType) && str(r.id)) byRef.set(`${r.resourceType as string}/${r.id as string}`, i);
  });
  const resourceAt = (i: number): Json | undefined => {
    const e = entries[i];
    return isObj(e) && isObj(e.resource) ? e.resource : undefined;
  };
  const resolve = (ref: unknown): number | undefined => {
    const r = isObj(ref) ? str(ref.reference) : undefined;
    if (!r) return undefined;
    if (byRef.has(r)) return byRef.get(r);
    // A relative reference may match a fullUrl ending in it.
    for (const [k, v] of byRef) if (k.endsWith(`/${r}`)) return v;
    return undefined;
  };
  const issue = (entry: number, resourceType: string, path: string, message: string) =>
    plan.issues.push({ entry, resourceType, path, message });
  const patientEntries = new Set<number>();
  entries.forEach((_, i) => {
    if (resourceAt(i)?.resourceType === 'Patient') patientEntries.add(i);
  });
  const subjectPatient = (i: number, r: Json, type: string, field = 'subject'): number | undefined => {
    const p = resolve(r[field]);
    if (p === undefined || !patientEntries.has(p)) {
      issue(i, type, field, 'must reference a Patient in this Bundle');
      return undefined;
    }
    return p;
  };
  /** A record entry read back: skipped with its reason, or planned for its patient. */
  const planRecord = <T>(
    i: number,
    type: string,
    read: ReadBack<T>,
    patient: number | undefined,
    add: (patientEntry: number, input: T) => void,
  ) => {
    if ('skip' in read) plan.skipped.push({ entry: i, resourceType: type, reason: read.skip });
    else if (patient !== undefined) add(patient, read.input);
  };
  const memberItems = new Set<number>();

  entries.forEach((_, i) => {
    const r = resourceAt(i);
    if (!r) {
      issue(i, 'unknown', 'resource', 'entry has no resource');
      return;
    }
    const type = str(r.resourceType) ?? 'unknown';
    if (type === 'Patient') {
      const ids = arr(r.identifier).filter(isObj);
      const mrn = str(ids.find((x) => x.system === REIN_MRN_SYSTEM)?.value) ?? str(ids[0]?.value);
      const name = arr(r.name).filter(isObj)[0];
      const telecom = arr(r.telecom).filter(isObj);
      const gender = str(r.gender);
      if (!mrn) issue(i, type, 'identifier', 'needs an identifier to use as the MRN');
      if (!name) issue(i, type, 'name', 'needs a name');
      plan.patients.push({
        entry: i,
        input: {
          mrn,
          givenName: str(arr(name?.given)[0]),
          familyName: str(name?.family),
          dateOfBirth: str(r.birthDate),
          // Administrative gender is not sex at birth; only female/male carry over, else unknown.
          sexAtBirth: gender === 'female' || gender === 'male' ? gender : 'unknown',
          phone: str(telecom.find((t) => t.system === 'phone')?.value) ?? null,
          email: str(telecom.find((t) => t.system === 'email')?.value) ?? null,
        },
      });
    } else if (type === 'AllergyIntolerance') {
      const p = subjectPatient(i, r, type, 'patient');
      if (isNoKnownAllergies(r)) {
        if (p !== undefined) plan.noKnownAllergies.push({ entry: i, patientEntry: p });
        return;
      }
      planRecord(i, type, readAllergy(r), p, (patientEntry, input) => {
        // R4 (ait-1): an allergy not entered in error states its clinical status.
        if (!input.status)
          issue(i, type, 'clinicalStatus', 'needs a clinical status (active, inactive or resolved)');
        else plan.allergies.push({ entry: i, patientEntry, input });
      });
    } else if (type === 'Condition') {
      const p = subjectPatient(i, r, type);
      planRecord(i, type, readCondition(r), p, (patientEntry, { create, status }) => {
        if (status === 'active' || status === 'resolved') {
          plan.diagnoses.push({ entry: i, patientEntry, input: create, status });
        } else {
          issue(
            i,
            type,
            'clinicalStatus',
            'needs a clinical status (active, recurrence, relapse, inactive, remission or resolved)',
          );
        }
      });
    } else if (type === 'MedicationStatement' && isTrialStatement(r)) {
      const p = subjectPatient(i, r, type);
      planRecord(i, type, readTrial(r), p, (patientEntry, input) =>
        plan.trials.push({ entry: i, patientEntry, input }),
      );
    } else if (type === 'MedicationStatement') {
      const p = subjectPatient(i, r, type);
      const med = isObj(r.medicationCodeableConcept) ? r.medicationCodeableConcept : undefined;
      const rx = arr(med?.coding)
        .filter(isObj)
        .find((c) => c.system === RXNORM);
      const name = str(med?.text) ?? str(rx?.display);
      if (!name) issue(i, type, 'medicationCodeableConcept', 'needs a medication name (text or display)');
      const dosage = arr(r.dosage).filter(isObj)[0];
      const dose = arr(dosage?.doseAndRate).filter(isObj)[0];
      const qty = isObj(dose?.doseQuantity) ? dose.doseQuantity : undefined;
      const period = isObj(r.effectivePeriod) ? r.effectivePeriod : undefined;
      if (p !== undefined) {
        plan.medications.push({
          entry: i,
          patientEntry: p,
          input: {
            name,
            rxnormCode: str(rx?.code) ?? null,
            dose: typeof qty?.value === 'number' ? qty.value : null,
            doseUnit: str(qty?.unit) ?? null,
            frequency: str(dosage?.text)?.slice(0, 100) ?? null,
            startDate: str(period?.start)?.slice(0, 10) ?? null,
            stopDate: str(period?.end)?.slice(0, 10),
          },
        });
      }
    } else if (type === 'Observation') {
      const instrument = loincCodes(r.code)
        .map((c) => TOTALS[c])
        .find(Boolean);
      if (!instrument) return; // item Observations and others: handled below / skipped
      const p = subjectPatient(i, r, type);
      const def = getInstrument(instrument);
      const byLoinc = new Map(def.items.filter((it) => it.loinc).map((it) => [it.loinc!.code, it.id]));
      const answers: Record<string, number> = {};
      const take = (codes: string[], value: number | undefined) => {
        const id = codes.map((c) => byLoinc.get(c)).find(Boolean);
        if (id && value !== undefined) answers[id] = value;
      };
      for (const m of arr(r.hasMember)) {
        const mi = resolve(m);
        const mr = mi === undefined ? undefined : resourceAt(mi);
        if (mi === undefined || !mr) {
          issue(
            i,
            type,
            'hasMember',
            `member ${str(isObj(m) ? m.reference : undefined) ?? '?'} is not in this Bundle`,
          );
          continue;
        }
        memberItems.add(mi);
        take(loincCodes(mr.code), itemValue(mr));
      }
      for (const c of arr(r.component).filter(isObj)) take(loincCodes(c.code), itemValue(c));
      const at = str(r.effectiveDateTime);
      if (!at || Number.isNaN(Date.parse(at)))
        issue(i, type, 'effectiveDateTime', 'needs the date-time it was answered');
      const missing = def.items.filter((it) => it.scored && answers[it.id] === undefined).map((it) => it.id);
      if (missing.length) {
        issue(
          i,
          type,
          'hasMember',
          `${def.title}: item answers missing for item(s) ${missing.join(', ')}; a total alone cannot be imported`,
        );
        return;
      }
      try {
        const scored = scoreInstrument(def.id, answers);
        const total = itemValue(r);
        if (total !== undefined && scored.total !== total) {
          issue(i, type, 'valueInteger', `total ${total} does not match the items (${scored.total})`);
          return;
        }
      } catch (e) {
        issue(i, type, 'hasMember', e instanceof Error ? e.message : String(e));
        return;
      }
      if (p !== undefined && at) {
        plan.assessments.push({ entry: i, patientEntry: p, instrument, administeredAt: at, answers });
      }
    } else if (type === 'DocumentReference') {
      // A signed note carries its writer's signature; an import would make it the importer's.
      plan.skipped.push({
        entry: i,
        resourceType: type,
        reason: 'clinical notes are not imported: a note is signed by the clinician who wrote it',
      });
    } else {
      plan.skipped.push({
        entry: i,
        resourceType: type,
        reason:
          'not imported (Patient, MedicationStatement, AllergyIntolerance, Condition, PHQ-9/GAD-7 Observation only)',
      });
    }
  });
  // Observations that are neither importable totals nor members of one are skipped, not errors.
  entries.forEach((_, i) => {
    const r = resourceAt(i);
    if (r?.resourceType !== 'Observation' || memberItems.has(i)) return;
    if (loincCodes(r.code).some((c) => TOTALS[c])) return;
    plan.skipped.push({ entry: i, resourceType: 'Observation', reason: 'not a PHQ-9 or GAD-7 total' });
  });
  return plan;
}
