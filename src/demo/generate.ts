/**
 * The synthetic clinic generator (pure and deterministic: the same seed, clinic id, time zone and
 * `now` give the same rows, ids included). Each patient is generated from their own seeded stream,
 * so patients can be produced in batches without holding a clinic in memory.
 *
 * Everything is invented and marked as such (MRNs start DEMO-, emails at example.org, phone numbers
 * in the 555-01xx range reserved for fiction, lot numbers DEMO-…). What is modelled, per patient:
 * intake (weight, height, medication list, baseline PHQ-9 and GAD-7), a first treatment course from
 * a built-in template, its sessions with everything recorded in them, PHQ-9 before each session and
 * after the first one, weekly follow-up, and after relapse a booster or a second course. Sessions
 * are booked in free slots of the clinic's own rooms and opening hours (./bookings.ts; pass one
 * DemoBookings to all batches of a clinic) and recorded under its own settings (thresholds, vial and
 * bag, maximum dose); esketamine treatments get their REMS Patient Monitoring Form marked submitted.
 *
 * Trajectories are drawn from patient-level latent traits so that the dashboard, which derives
 * everything from the raw rows, lands near the published real-world figures for large clinics
 * (docs/scaling.md "Synthetic network"; sources in docs/clinical-sources/outcomes.md):
 * - response 53.6 % and remission 28.9 % at the end of induction (ORKA-1, McInnes 2022;
 *   clinical-protocols.md §2.8);
 * - durability without maintenance ≈80 % at 4 weeks and ≈60 % at 8 weeks among responders (ORKA-1):
 *   time to loss of response ~ Weibull(shape 1.2, scale 98 days), which gives S(28) = 0.80 and
 *   S(56) = 0.60;
 * - suicidal ideation (item 9 ≥ 1) decreased in 73.0 % of those with baseline SI, increased in
 *   6.0 % overall (ORKA-1);
 * - rapid response after the first session: response at 4 h predicted end-of-study response with
 *   94 % sensitivity and 71 % specificity (Murrough 2013, clinical-protocols.md §2.2), applied to
 *   the +4 h and +24 h PHQ-9;
 * - GAD-7 falls about 30 % (Oliver 2022, clinical-protocols.md §2.8).
 * Baseline severity (PHQ-9 mostly 15–22), the share with baseline SI, dropout and the choice of
 * booster or second course are illustrative choices, not published figures.
 */
import {
  BUILT_IN_TEMPLATES,
  resolveVitalsThresholds,
  REMS_SUBMIT_WITHIN_DAYS,
  screenEligibility,
  type CourseTemplate,
  type IntakeAnswers,
  type Modality,
} from '../clinical/protocols';
import {
  DEFAULT_SESSION_SETTINGS,
  SYNTHETIC_ROW_KEYS,
  type BodyMeasurementInsert,
  type CourseInsert,
  type MedicationInsert,
  type PatientInsert,
  type ScreeningInsert,
  type SessionSettings,
  type SignOffInsert,
  type SyntheticRows,
  type TreatmentSessionInsert,
} from '../app/demo';
import type { SexAtBirthValue } from '../clinical/vocabulary/records';
import {
  addAssessment,
  gad7Answers,
  phq9Answers,
  type AlertAcknowledgement,
  type ResponseInsert,
} from './assessments';
import { DemoBookings } from './bookings';
import { dateFromDayNumber, dayNumber, localDateOf, localToUtc } from '../clinical/calendar';
import {
  ANTIDEPRESSANTS,
  BENZODIAZEPINES,
  FAMILY_NAMES,
  FEMALE_NAMES,
  MALE_NAMES,
  MAOIS,
  OTHERS,
  type DemoMedication,
} from './names';
import { clampInt, hashSeed, int, normal, pick, prng, seededUuidv7, weibull, weighted } from './random';
import { buildSessionEvents } from './session-events';
import { noteKindOfModality as noteKind } from '../clinical/notes';
import { clinicalRecord } from './record';
import type { PreviousNote } from '../clinical/notes';
import type { NoteKind } from '../clinical/vocabulary/notes';

export const DEFAULT_DEMO_SEED = 20261126;

export type {
  BodyMeasurementInsert,
  CourseInsert,
  MedicationInsert,
  PatientInsert,
  ScreeningInsert,
  SignOffInsert,
  TreatmentSessionInsert,
};

/** The rows of some patients, one array per table, in foreign-key order. */
export type DemoRows = SyntheticRows;

export const DEMO_ROW_KEYS = SYNTHETIC_ROW_KEYS;

export function emptyRows(): DemoRows {
  return {
    patients: [],
    bodyMeasurements: [],
    medications: [],
    allergies: [],
    allergyStatements: [],
    diagnoses: [],
    treatmentTrials: [],
    eligibilityScreenings: [],
    eligibilitySignOffs: [],
    courses: [],
    treatmentSessions: [],
    sessionEvents: [],
    clinicalNotes: [],
    assessmentResponses: [],
    assessmentItemAnswers: [],
    alerts: [],
  };
}

export interface DemoStaffMember {
  id: string;
  email: string;
  name: string;
  role: 'prescriber' | 'nurse';
}

export interface DemoClinicSpec {
  clinicId: string;
  timeZone: string;
  now: Date;
  seed: number;
  /** Prescribers and nurses the records are attributed to (demoStaff()). */
  staff: readonly DemoStaffMember[];
  /**
   * The clinic's session settings (getSessionSettings): rooms, opening hours, closed dates, chair
   * time per modality, vitals thresholds, vial and bag, maximum dose. Default DEFAULT_SESSION_SETTINGS.
   */
  settings?: SessionSettings;
  /** Days of history over which first courses start (default 365; see demoHistoryDays()). */
  historyDays?: number;
}

const DAY = 86_400_000;
const MIN = 60_000;

/**
 * 2–3 prescribers and 2–3 nurses with invented names. The email carries a tag derived from the
 * clinic id, since an email identifies one account across all clinics.
 */
export function demoStaff(clinicId: string, seed: number): DemoStaffMember[] {
  const rand = prng(hashSeed(seed, 'staff'));
  const ids = prng(hashSeed(seed, clinicId, 'staff-ids'));
  const tag = clinicId.replace(/-/g, '').slice(-8);
  const used = new Set<string>();
  const out: DemoStaffMember[] = [];
  const counts = { prescriber: int(rand, 2, 3), nurse: int(rand, 2, 3) };
  for (const role of ['prescriber', 'nurse'] as const) {
    for (let i = 0; i < counts[role]; i++) {
      let given: string;
      let family: string;
      do {
        given = pick(rand, rand() < 0.6 ? FEMALE_NAMES : MALE_NAMES);
        family = pick(rand, FAMILY_NAMES);
      } while (used.has(`${given} ${family}`));
      used.add(`${given} ${family}`);
      out.push({
        id: seededUuidv7(ids, Date.UTC(2025, 0, 1)),
        email: `${given}.${family}.${tag}@demo.example.org`.toLowerCase(),
        name: role === 'prescriber' ? `Dr ${given} ${family} (demo)` : `${given} ${family}, RN (demo)`,
        role,
      });
    }
  }
  return out;
}

const template = (id: string): CourseTemplate => {
  const t = BUILT_IN_TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`built-in template ${id} is missing`);
  return t;
};

const INDUCTION = new Set(['induction', 'mdsi']);

type Category = 'remit' | 'respond' | 'non';

/** ORKA-1 (McInnes 2022): response 53.6 %, remission 28.9 % (clinical-protocols.md §2.8). */
export const TARGET_RESPONSE = 0.536;
export const TARGET_REMISSION = 0.289;
/** Murrough 2013: response at 4 h predicted end-of-study response, sensitivity 94 %, specificity 71 %. */
const RAPID_GIVEN_RESPONSE = 0.94;
const RAPID_GIVEN_NON_RESPONSE = 1 - 0.71;
/** ORKA-1 durability S(28) ≈ 0.80, S(56) ≈ 0.60 → Weibull shape 1.2, scale 98 days. */
const RELAPSE_SHAPE = 1.2;
const RELAPSE_SCALE_DAYS = 98;
/** ORKA-1: SI decreased in 73.0 % of those with baseline SI; 6.0 % had increased SI. */
const SI_DECREASED = 0.73;
const SI_INCREASED_OVERALL = 0.06;
/** Illustrative: share of patients with item 9 ≥ 1 at baseline (no figure in the reference). */
const BASELINE_SI = 0.35;
const SI_INCREASED_IF_POSITIVE = 0.03;
const SI_INCREASED_IF_NEGATIVE =
  (SI_INCREASED_OVERALL - BASELINE_SI * SI_INCREASED_IF_POSITIVE) / (1 - BASELINE_SI);

/** REMS Patient Monitoring Form (illustrative): 95 % marked submitted within the 7-day window. */
const REMS_ON_TIME = 0.95;
/** Illustrative: of the rest, 60 % are submitted late (days 8–20); the others are still outstanding. */
const REMS_LATE = 0.6;

/**
 * Generates the rows of patients `from` (inclusive) to `to` (exclusive) of a clinic. `bookings` holds
 * the clinic's room bookings: pass the same one to consecutive batches of a clinic (a fresh one is
 * made when omitted, which suits a single batch).
 */
export function generatePatients(
  spec: DemoClinicSpec,
  from: number,
  to: number,
  bookings: DemoBookings = new DemoBookings(spec.settings ?? DEFAULT_SESSION_SETTINGS),
): DemoRows {
  const rows = emptyRows();
  for (let i = from; i < to; i++) generatePatient(spec, i, rows, bookings);
  return rows;
}

export function generatePatient(
  spec: DemoClinicSpec,
  index: number,
  rows: DemoRows = emptyRows(),
  bookings: DemoBookings = new DemoBookings(spec.settings ?? DEFAULT_SESSION_SETTINGS),
): DemoRows {
  const { clinicId, timeZone: tz, now } = spec;
  const settings = bookings.settings;
  const historyDays = spec.historyDays ?? 365;
  const rand = prng(hashSeed(spec.seed, 'patient', index));
  const ids = prng(hashSeed(spec.seed, clinicId, 'ids', index));
  const nowMs = now.getTime();
  const today = dayNumber(localDateOf(now, tz));
  const prescribers = spec.staff.filter((s) => s.role === 'prescriber');
  const nurses = spec.staff.filter((s) => s.role === 'nurse');
  if (prescribers.length === 0 || nurses.length === 0) {
    throw new Error('demo generator: the clinic needs at least one prescriber and one nurse');
  }
  const prescriber = pick(rand, prescribers).id;
  const prescriberName = prescribers.find((s) => s.id === prescriber)!.name;
  /** The patient's latest signed administration note of each kind (the next one carries its plan). */
  const lastNote = new Map<NoteKind, PreviousNote>();
  const nurse = () => pick(rand, nurses).id;
  const dateOf = (day: number) => dateFromDayNumber(day);
  const dayTime = (day: number, fromMin = 8 * 60, toMin = 19 * 60) =>
    localToUtc(dateOf(day), int(rand, fromMin, toMin), tz);

  // ---- Demographics (as the original 60-patient demo).
  const sexAtBirth: SexAtBirthValue = rand() < 0.58 ? 'female' : 'male';
  const givenName = pick(rand, sexAtBirth === 'female' ? FEMALE_NAMES : MALE_NAMES);
  const familyName = pick(rand, FAMILY_NAMES);
  const ageYears = Math.floor(normal(rand, 41, 12, 19, 78));
  const dob = new Date(nowMs - (ageYears * 365.25 + rand() * 300) * DAY);

  // ---- Timeline: the first course starts within the history (a year unless the clinic is too small
  // for its patients), up to a week ahead (scheduled, not yet started).
  const startDay = today + 7 - Math.round(historyDays * rand() ** 0.8);
  const intakeDay = startDay - int(rand, 4, 14);
  const intakeAt = dayTime(intakeDay, 9 * 60, 16 * 60);
  const createdAt = new Date(Math.min(intakeAt.getTime() - int(rand, 1, 10) * DAY, nowMs - 2 * 3600_000));
  const id = seededUuidv7(ids, createdAt);
  const phone = (k: number) => `555-01${String(k % 100).padStart(2, '0')}`;
  rows.patients.push({
    clinicId,
    id,
    mrn: `DEMO-${String(1001 + index)}`,
    givenName,
    familyName,
    dateOfBirth: dob.toISOString().slice(0, 10),
    sexAtBirth,
    genderIdentity: rand() < 0.06 ? 'non-binary' : null,
    pronouns: null,
    phone: phone(index),
    email: `${givenName.toLowerCase()}.${familyName.toLowerCase()}.${index}@example.org`,
    emergencyContactName: `${pick(rand, [...FEMALE_NAMES, ...MALE_NAMES])} ${familyName}`,
    emergencyContactPhone: phone(index + 37),
    emergencyContactRelationship: pick(rand, ['partner', 'parent', 'sibling', 'friend']),
    version: 1,
    createdAt,
    updatedAt: createdAt,
  });

  // ---- Body: height and weight at intake; today's weight at every IV session.
  const heightCm =
    Math.round(
      (sexAtBirth === 'female' ? normal(rand, 164, 7, 148, 185) : normal(rand, 177, 7, 158, 200)) * 10,
    ) / 10;
  let weightKg = Math.round(normal(rand, 27, 5, 18.5, 42) * (heightCm / 100) ** 2 * 10) / 10;
  const intakeMeasuredAt = intakeAt.getTime() <= nowMs ? intakeAt : createdAt;
  const intakeNurse = nurse();
  rows.bodyMeasurements.push({
    clinicId,
    id: seededUuidv7(ids, intakeMeasuredAt),
    patientId: id,
    measuredAt: intakeMeasuredAt,
    weightKg,
    heightCm,
    recordedBy: intakeNurse,
    createdAt: intakeMeasuredAt,
  });

  // ---- Medications (the realistic lists of the original demo).
  const started = (monthsAgo: number) => localDateOf(new Date(nowMs - monthsAgo * 30 * DAY), tz);
  const meds: DemoMedication[] = [];
  const onMaoi = rand() < 0.06;
  meds.push(onMaoi ? pick(rand, MAOIS) : pick(rand, ANTIDEPRESSANTS));
  if (rand() < 0.28) meds.push(pick(rand, BENZODIAZEPINES));
  for (const { chance, med } of OTHERS) {
    // Stimulants and opioids are not combined with an MAOI in this invented clinic.
    if (onMaoi && (med.classTags.includes('stimulant') || med.classTags.includes('opioid'))) continue;
    if (rand() < chance) meds.push(med);
  }
  const hypertensive = meds.some((m) => m.classTags.includes('antihypertensive'));
  for (const med of meds) {
    rows.medications.push({
      clinicId,
      id: seededUuidv7(ids, createdAt),
      patientId: id,
      name: med.name,
      rxnormCode: null,
      dose: med.dose,
      doseUnit: med.doseUnit,
      frequency: med.frequency,
      classTags: med.classTags,
      startDate: started(2 + Math.floor(rand() * 40)),
      stopDate: null,
      notes: null,
      version: 1,
      createdBy: intakeNurse,
      createdAt,
      updatedAt: createdAt,
    });
  }

  const vitals = {
    sbp: normal(rand, 121 + (ageYears - 41) * 0.3 + (hypertensive ? 12 : 0), 11, 96, 165),
    dbp: normal(rand, 77 + (hypertensive ? 6 : 0), 7, 58, 95),
    hr: normal(rand, 73, 8, 55, 98),
  };

  // ---- Assessments.
  const acknowledge = (at: Date): AlertAcknowledgement | null => {
    if (at.getTime() > nowMs - 2 * DAY || rand() < 0.08) return null;
    const ackAt = Math.min(at.getTime() + int(rand, 30, 1440) * MIN, nowMs - MIN);
    const action = weighted(rand, [
      ['contacted-patient', 0.45],
      ['safety-plan-reviewed', 0.35],
      ['same-day-assessment', 0.1],
      ['reviewed-no-action-needed', 0.1],
    ] as const);
    return {
      at: new Date(ackAt),
      by: prescriber,
      note: 'Synthetic demo: patient contacted, safety plan reviewed',
      action,
    };
  };
  // ---- Eligibility screenings (their own random stream, so the outcome draws stay as they were):
  // one before the first course, and again whenever the last screening of the modality is older
  // than the clinic's window when a course is created or a session checked in (the routes' gates).
  const screenRand = prng(hashSeed(spec.seed, 'screening', index));
  const validDays = settings.screening.validDays.value;
  const screenedDays: { modality: Modality; day: number }[] = [];
  const allergy =
    screenRand() < 0.12
      ? pick(screenRand, ['penicillin: rash', 'sulfonamides: hives', 'latex: itching'])
      : null;
  const failedTrials = int(screenRand, 2, 5);
  // The chart's allergies, problem list and prior trials, consistent with the screening answers
  // (their own random stream, so the screening and outcome draws stay as they were).
  const chart = clinicalRecord({
    rand: prng(hashSeed(spec.seed, 'record', index)),
    ids,
    clinicId,
    patientId: id,
    recordedAt: intakeMeasuredAt,
    nurseId: intakeNurse,
    prescriberId: prescriber,
    allergy,
    failedTrials,
    currentAntidepressant: meds[0]!.name,
    antidepressants: ANTIDEPRESSANTS,
    today: localDateOf(intakeMeasuredAt, tz),
  });
  for (const key of ['allergies', 'allergyStatements', 'diagnoses', 'treatmentTrials'] as const) {
    (rows[key] as unknown[]).push(...chart.rows[key]);
  }
  const localDay = (at: Date) => dayNumber(localDateOf(at, tz));
  const screen = (modality: Modality, at: Date) => {
    const answers: IntakeAnswers = {
      modality,
      ageYears,
      diagnosis: 'mdd-treatment-resistant',
      failedAntidepressantTrials: failedTrials,
      concurrentOralAntidepressant: 'yes',
      baselineSbpMmHg: clampInt(vitals.sbp + normal(screenRand, 0, 6, -12, 12), 95, 170),
      baselineDbpMmHg: clampInt(vitals.dbp + normal(screenRand, 0, 4, -8, 8), 55, 94),
      knownAllergies: allergy ? 'yes' : 'none',
      ...(allergy ? { allergyDetails: allergy } : {}),
      aneurysmalVascularDiseaseOrAvm: 'no',
      intracerebralHemorrhageHistory: 'no',
      ketamineOrEsketamineHypersensitivity: 'no',
      hypertension: hypertensive ? 'controlled' : 'none',
      unstableCardiovascularOrCerebrovascularDisease: 'no',
      hypertensiveEncephalopathyHistory: 'no',
      raisedIntracranialPressure: 'no',
      raisedIntraocularPressure: 'no',
      seizureDisorder: 'no',
      psychosisHistory: 'no',
      bipolarOrManiaHistory: 'no',
      currentSuicidalIntent: 'no',
      substanceUseDisorder: 'none',
      ketamineOrPcpMisuseHistory: 'no',
      pregnant: sexAtBirth === 'female' ? 'no' : 'not-applicable',
      breastfeeding: sexAtBirth === 'female' ? 'no' : 'not-applicable',
      hepaticImpairment: 'none',
      priorAdverseReactionToKetamine: 'no',
      ulcerativeOrInterstitialCystitis: 'no',
    };
    const result = screenEligibility(answers, {
      thresholds: resolveVitalsThresholds(modality, settings.thresholds[modality]),
    });
    if (result.status === 'not-eligible')
      throw new Error('demo generator: a demo patient screened not eligible');
    const screeningId = seededUuidv7(ids, at);
    rows.eligibilityScreenings.push({
      clinicId,
      id: screeningId,
      patientId: id,
      modality,
      answers,
      result,
      status: result.status,
      screenedBy: pick(screenRand, nurses).id,
      createdAt: at,
    });
    // The prescriber approves it (a needs-review result, e.g. a raised baseline BP, with a note).
    const signedAt = new Date(Math.min(at.getTime() + int(screenRand, 5, 30) * MIN, nowMs));
    rows.eligibilitySignOffs.push({
      clinicId,
      id: seededUuidv7(ids, signedAt),
      screeningId,
      decision: 'approve',
      note:
        result.status === 'needs-review'
          ? 'Synthetic demo: reviewed; BP rechecked, benefit outweighs the short-term rise'
          : null,
      signedBy: prescriber,
      signedAt,
    });
    screenedDays.push({ modality, day: localDay(at) });
  };
  /** Screens before `at` unless a screening of the modality is still current on that day. */
  const ensureScreened = (modality: Modality, at: Date) => {
    const day = localDay(at);
    if (screenedDays.some((x) => x.modality === modality && x.day <= day && day - x.day <= validDays)) return;
    // Screened 45–90 min before, signed off 5–30 min later: both before the act.
    screen(modality, new Date(at.getTime() - int(screenRand, 45, 90) * MIN));
  };
  /** The pre-session C-SSRS screener, consistent with the same day's PHQ-9 item 9. */
  const preSessionCssrs = (at: Date, item9: number, sessionId: string) => {
    const createdAt = new Date(at.getTime() + int(screenRand, 0, 5) * MIN);
    if (createdAt.getTime() > nowMs) return;
    addAssessment(
      rows,
      ids,
      {
        clinicId,
        patientId: id,
        instrument: 'cssrs-screener',
        context: 'pre-session',
        sessionId,
        administeredAt: at,
        createdAt,
        enteredBy: pick(screenRand, nurses).id,
      },
      { q1: item9 >= 1 ? 1 : 0, q2: 0, q6: 0 },
      (alertAt) =>
        alertAt.getTime() > nowMs - 2 * DAY
          ? null
          : {
              at: new Date(Math.min(alertAt.getTime() + int(screenRand, 30, 1440) * MIN, nowMs - MIN)),
              by: prescriber,
              note: 'Synthetic demo: passive wish to be dead, no ideation; safety plan reviewed',
              action: 'safety-plan-reviewed',
            },
    );
  };

  const record = (
    instrument: 'phq9' | 'gad7',
    context: ResponseInsert['context'],
    administeredAt: Date,
    answers: Record<string, number>,
    sessionId: string | null = null,
    itemIds?: string[],
  ): boolean => {
    const createdAt = new Date(administeredAt.getTime() + int(rand, 0, 10) * MIN);
    if (createdAt.getTime() > nowMs) return false;
    addAssessment(
      rows,
      ids,
      {
        clinicId,
        patientId: id,
        instrument,
        context,
        sessionId,
        administeredAt,
        createdAt,
        enteredBy: nurse(),
        ...(itemIds ? { itemIds } : {}),
      },
      answers,
      acknowledge,
    );
    return true;
  };
  const phq9 = (
    context: ResponseInsert['context'],
    at: Date,
    total: number,
    item9: number,
    sessionId: string | null = null,
  ) => record('phq9', context, at, phq9Answers(rand, total, item9), sessionId);

  // Latent traits: baseline severity (PHQ-9 mostly 15–22), baseline SI, anxiety.
  let baseline = clampInt(normal(rand, 18.5, 2.8, 12, 27), 12, 27);
  const baseItem9 =
    rand() < BASELINE_SI
      ? weighted(rand, [
          [1, 0.7],
          [2, 0.22],
          [3, 0.08],
        ] as const)
      : 0;
  let item9Now = baseItem9;
  const gadBaseline = clampInt(normal(rand, 13, 3.5, 4, 21), 0, 21);
  if (intakeAt.getTime() <= nowMs) {
    phq9('baseline', intakeAt, clampInt(baseline + normal(rand, 0, 1.2, -2, 2), 10, 27), baseItem9);
    record('gad7', 'baseline', new Date(intakeAt.getTime() + 4 * MIN), gad7Answers(rand, gadBaseline));
  }

  // ---- Courses.
  let courseStartDay = startDay;
  let tmpl = template(
    rand() < 0.15
      ? 'esketamine-trd-label'
      : rand() < 0.6
        ? 'iv-induction-2x-weekly-3wk'
        : 'iv-induction-3x-weekly-12d',
  );
  let coursesLeft = 3;
  let firstCourse = true;
  let boostersLeft = 6;
  /** A later course is planned after the assessment that prompted it. */
  let plannedAfter = createdAt.getTime();

  /**
   * Creates a course with its sessions in free slots of the clinic's rooms (the scheduler's cadence,
   * each session on the first day from its planned one, after the phase's minimum gap, with a free
   * slot); returns the sessions with their local start instants.
   */
  const createCourse = (t: CourseTemplate, day: number) => {
    const duration = settings.sessionDurationMin[t.modality];
    const phases = new Map(t.phases.map((ph) => [ph.id, ph]));
    const sessions: (ReturnType<DemoBookings['plan']>[number] & { day: number })[] = [];
    let previous: number | null = null;
    for (const planned of bookings.plan(t, dateOf(day))) {
      const gap = phases.get(planned.phaseId)?.minDaysBetweenSessions ?? 0;
      const from = Math.max(dayNumber(planned.date), previous === null ? -Infinity : previous + gap);
      const slot = bookings.book(from, duration, rand);
      if (!slot) break; // the clinic is full for months: the rest of the course is not booked
      previous = slot.day;
      sessions.push({
        ...planned,
        day: slot.day,
        date: dateOf(slot.day),
        startMin: slot.startMin,
        endMin: slot.endMin,
        roomId: slot.roomId,
        shiftedDays: slot.day - dayNumber(planned.targetDate),
      });
    }
    if (sessions.length === 0) return [];
    const firstAt = localToUtc(sessions[0]!.date, sessions[0]!.startMin, tz).getTime();
    const courseCreated = new Date(
      Math.min(Math.max(firstAt - int(rand, 1, 6) * DAY, plannedAfter + 3600_000), firstAt, nowMs - 3600_000),
    );
    ensureScreened(t.modality, courseCreated);
    const courseId = seededUuidv7(ids, courseCreated);
    rows.courses.push({
      clinicId,
      id: courseId,
      patientId: id,
      templateKey: t.id,
      template: t,
      modality: t.modality,
      startDate: dateOf(day),
      conflicts: [],
      primaryDiagnosisId: chart.primaryDiagnosisId,
      createdBy: prescriber,
      createdAt: courseCreated,
    });
    return sessions.map((s) => {
      const sessionId = seededUuidv7(ids, courseCreated);
      rows.treatmentSessions.push({
        clinicId,
        id: sessionId,
        courseId,
        patientId: id,
        sequence: s.sequence,
        phaseId: s.phaseId,
        phaseLabel: s.phaseLabel,
        date: s.date,
        startMin: s.startMin,
        endMin: s.endMin,
        roomId: s.roomId,
        targetDate: s.targetDate,
        shiftedDays: s.shiftedDays,
        dose: s.dose,
        fixedDoseMg: s.fixedDoseMg ?? null,
        createdAt: courseCreated,
      });
      return { s, sessionId, startAt: localToUtc(s.date, s.startMin, tz), template: t };
    });
  };

  /**
   * The REMS Patient Monitoring Form of an esketamine treatment, marked submitted as the route does
   * (kind rems-submitted, body { submittedOn }): mostly within the REMS's 7 days, some late, a few
   * still outstanding (illustrative shares); nothing is marked before it happens.
   */
  const remsSubmitted = (sessionId: string, sessionDate: string, dischargedAt: Date) => {
    const u = rand();
    const late = u >= REMS_ON_TIME;
    if (late && u >= REMS_ON_TIME + (1 - REMS_ON_TIME) * REMS_LATE) return;
    const afterDays = late
      ? int(rand, REMS_SUBMIT_WITHIN_DAYS + 1, 20)
      : weighted(rand, [
          [0, 0.45],
          [1, 0.25],
          [2, 0.1],
          [3, 0.08],
          [4, 0.05],
          [5, 0.03],
          [6, 0.02],
          [REMS_SUBMIT_WITHIN_DAYS, 0.02],
        ] as const);
    const submittedOn = dateOf(dayNumber(sessionDate) + afterDays);
    const at = new Date(
      Math.max(
        dischargedAt.getTime() + int(rand, 10, 60) * MIN,
        localToUtc(submittedOn, int(rand, 9 * 60, 17 * 60), tz).getTime(),
      ),
    );
    // Not in the future, and on `submittedOn` (a late-evening discharge can push it past midnight).
    if (at.getTime() > nowMs || at.getTime() >= localToUtc(submittedOn, 1440, tz).getTime()) return;
    rows.sessionEvents.push({
      clinicId,
      id: seededUuidv7(ids, at),
      sessionId,
      kind: 'rems-submitted',
      timeMin: null,
      payload: { submittedOn },
      recordedBy: nurse(),
      recordedAt: at,
    });
  };

  /** Runs one dosed session if it lies wholly in the past; returns its dosing start or null. */
  const runSession = (
    x: ReturnType<typeof createCourse>[number],
    preScore: number,
    preItem9: number,
  ): Date | null => {
    const dosingStart = new Date(x.startAt.getTime() + int(rand, 10, 20) * MIN);
    if (dosingStart.getTime() + 150 * MIN > nowMs) return null;
    // Check-in (25–40 min before dosing) needs a current screening.
    ensureScreened(x.template.modality, new Date(dosingStart.getTime() - 45 * MIN));
    phq9(
      'pre-session',
      new Date(dosingStart.getTime() - int(rand, 20, 45) * MIN),
      preScore,
      preItem9,
      x.sessionId,
    );
    preSessionCssrs(new Date(dosingStart.getTime() - int(screenRand, 20, 45) * MIN), preItem9, x.sessionId);
    weightKg = Math.round((weightKg + normal(rand, 0, 0.4, -1, 1)) * 10) / 10;
    const out = buildSessionEvents(rand, ids, {
      clinicId,
      sessionId: x.sessionId,
      modality: x.template.modality,
      dose: x.s.dose,
      fixedDoseMg: x.s.fixedDoseMg ?? null,
      date: x.s.date,
      dosingStart,
      nurseId: nurse(),
      prescriberId: prescriber,
      weightKg,
      sexAtBirth,
      ageYears,
      vitals,
      sequence: x.s.sequence,
      settings,
      allergies: chart.allergiesForCheck,
      verifier: { userId: prescriber, name: prescriberName },
      patientId: id,
      now,
      previousNote: lastNote.get(noteKind(x.template.modality)) ?? null,
      recordRand: chart.rand,
    });
    rows.sessionEvents.push(...out.events);
    if (out.note) {
      rows.clinicalNotes.push(out.note);
      lastNote.set(out.note.kind, { id: out.note.id, fields: out.note.fields });
    }
    if (x.template.modality === 'esketamine') remsSubmitted(x.sessionId, x.s.date, out.dischargedAt);
    if (out.weighedAt) {
      rows.bodyMeasurements.push({
        clinicId,
        id: seededUuidv7(ids, out.weighedAt),
        patientId: id,
        measuredAt: out.weighedAt,
        weightKg,
        heightCm: null,
        recordedBy: out.events[0]!.recordedBy,
        createdAt: out.weighedAt,
      });
    }
    return dosingStart;
  };

  const dayOf = (at: Date) => dayNumber(localDateOf(at, tz));

  // Each pass of the loop is one induction course; follow-up decides whether another follows.
  while (coursesLeft-- > 0) {
    const half = Math.floor(baseline / 2);
    // First courses are stratified (golden-ratio sequence over the patient index), so even a small
    // demo clinic lands near the target proportions; later courses draw at random.
    const u = firstCourse ? (spec.seed / 4294967296 + index * 0.6180339887498949) % 1 : rand();
    firstCourse = false;
    const category: Category = u < TARGET_REMISSION ? 'remit' : u < TARGET_RESPONSE ? 'respond' : 'non';
    const responder = category !== 'non';
    const endScore =
      category === 'remit'
        ? int(rand, 0, 4)
        : category === 'respond'
          ? int(rand, 5, half)
          : clampInt(baseline * (0.62 + rand() * 0.4), half + 1, 27);
    const endItem9 =
      item9Now >= 1
        ? rand() < SI_DECREASED
          ? int(rand, 0, item9Now - 1)
          : item9Now < 3 && rand() < SI_INCREASED_IF_POSITIVE / (1 - SI_DECREASED)
            ? item9Now + 1
            : item9Now
        : rand() < SI_INCREASED_IF_NEGATIVE
          ? 1
          : 0;
    const rapid = rand() < (responder ? RAPID_GIVEN_RESPONSE : RAPID_GIVEN_NON_RESPONSE);
    // Level scores: responders stay at or below half the baseline, non-responders above it.
    const level = (kind: 'responding' | 'relapsed' | Category, center: number) => {
      const x = center + normal(rand, 0, 1.3, -3, 3);
      if (kind === 'remit') return clampInt(x, 0, 4);
      if (kind === 'respond') return clampInt(x, 5, half);
      if (kind === 'responding') return clampInt(x, 0, half);
      return clampInt(x, half + 1, 27);
    };

    const sessions = createCourse(tmpl, courseStartDay);
    const induction = sessions.filter((x) => INDUCTION.has(x.s.phaseId));
    // Illustrative: 8 % stop after 1–3 sessions.
    const dropAfter = rand() < 0.08 ? int(rand, 1, 3) : Infinity;
    let lastInduction: Date | null = null;
    let completed = true;
    for (let k = 0; k < induction.length; k++) {
      const f = k / induction.length;
      const pre =
        k === 0
          ? baseline
          : clampInt(baseline + (endScore - baseline) * f ** 0.7 + normal(rand, 0, 1.5, -3, 3), 0, 27);
      const preItem9 = Math.round(item9Now + (endItem9 - item9Now) * f);
      const started = k < dropAfter ? runSession(induction[k]!, pre, preItem9) : null;
      if (!started) {
        completed = false;
        break;
      }
      lastInduction = started;
      if (k === 0) {
        // After the first session: PHQ-9 at +4 h (item 9 alone for most), and at +24 h.
        const rapidScore = () =>
          rapid
            ? clampInt(baseline * (0.2 + rand() * 0.3), 0, half)
            : clampInt(baseline * (0.55 + rand() * 0.4), half + 1, 27);
        const rapidItem9 = rapid ? Math.min(item9Now, endItem9) : item9Now;
        const at4 = new Date(started.getTime() + (240 + int(rand, -30, 30)) * MIN);
        const r4 = rand();
        if (r4 < 0.25) phq9('post-4h', at4, rapidScore(), rapidItem9, induction[k]!.sessionId);
        else if (r4 < 0.75) {
          record('phq9', 'post-4h', at4, { '9': rapidItem9 }, induction[k]!.sessionId, ['9']);
        }
        if (rand() < 0.7) {
          const at24 = new Date(started.getTime() + (1440 + int(rand, -120, 120)) * MIN);
          phq9('post-24h', at24, rapidScore(), rapidItem9, induction[k]!.sessionId);
        }
      }
    }
    if (!completed || !lastInduction) break;
    const lastDay = dayOf(lastInduction);
    item9Now = endItem9;

    // End of induction: PHQ-9 and GAD-7 2–6 days after the last induction session (90 % attend).
    if (rand() < 0.9) {
      const at = dayTime(lastDay + int(rand, 2, 6));
      if (at.getTime() - lastInduction.getTime() < 7 * DAY) {
        phq9('weekly', at, endScore, endItem9);
        const fall = (baseline - endScore) / baseline;
        const gad = clampInt(gadBaseline * (1 - 0.67 * fall) + normal(rand, 0, 1.5, -3, 3), 0, 21);
        record('gad7', 'weekly', new Date(at.getTime() + 3 * MIN), gad7Answers(rand, gad));
      }
    }

    // Esketamine: the maintenance sessions of the label schedule follow, PHQ-9 before each.
    const maintenance = sessions.filter((x) => !INDUCTION.has(x.s.phaseId));
    for (const x of maintenance) {
      if (!runSession(x, level(category, endScore), endItem9)) break;
    }
    if (maintenance.length > 0) break;

    if (!responder) {
      // Weekly follow-up for 2–3 weeks; a quarter then try esketamine (illustrative).
      let last = endScore;
      const weeks = int(rand, 2, 3);
      for (let w = 1; w <= weeks; w++) {
        const at = dayTime(lastDay + 7 * w + int(rand, 1, 2));
        if (at.getTime() > nowMs) break;
        last = level('non', endScore);
        phq9('weekly', at, last, endItem9);
      }
      if (tmpl.modality === 'iv-ketamine' && rand() < 0.25) {
        tmpl = template('esketamine-trd-label');
        courseStartDay = lastDay + int(rand, 28, 45);
        plannedAfter = dayTime(lastDay + 21).getTime();
        baseline = Math.max(12, last);
        continue;
      }
      break;
    }

    // Responders: weekly follow-up to 12 weeks, then every 4 weeks, until loss of response
    // (ORKA-1 durability) or loss to follow-up; after relapse a booster, a second course, or nothing.
    let anchor = lastInduction.getTime();
    let relapseAfterDays = Math.max(8, weibull(rand, RELAPSE_SHAPE, RELAPSE_SCALE_DAYS) - 3.5);
    // Starting a day later keeps the first weekly PHQ-9 out of the 7-day end-of-induction window.
    let day = lastDay + 1;
    let sinceAnchor = 0;
    let next: 'course' | null = null;
    for (;;) {
      const step = sinceAnchor < 84 ? 7 : 28;
      day += step + (step === 7 ? 0 : int(rand, -3, 3));
      sinceAnchor += step;
      const at = dayTime(day);
      if (at.getTime() > nowMs || rand() < 0.03) break;
      if ((at.getTime() - anchor) / DAY < relapseAfterDays) {
        phq9('weekly', at, level('responding', endScore), endItem9);
        continue;
      }
      const relapseScore = clampInt(baseline * (0.7 + rand() * 0.35), half + 1, 27);
      phq9('weekly', at, relapseScore, baseItem9);
      const action = weighted(rand, [
        ['booster', 0.55],
        ['course', 0.2],
        ['stop', 0.25],
      ] as const);
      if (action === 'stop') break;
      if (action === 'course' || boostersLeft <= 0) {
        next = 'course';
        courseStartDay = dayOf(at) + int(rand, 7, 21);
        plannedAfter = at.getTime();
        baseline = Math.max(12, relapseScore);
        item9Now = baseItem9;
        break;
      }
      boostersLeft--;
      plannedAfter = at.getTime();
      const [booster] = createCourse(template('iv-booster-single'), dayOf(at) + int(rand, 2, 10));
      if (!booster) break;
      const boosted = runSession(
        booster!,
        clampInt(relapseScore + normal(rand, 0, 1, -2, 2), 0, 27),
        baseItem9,
      );
      if (!boosted) break;
      anchor = boosted.getTime();
      relapseAfterDays = Math.max(8, weibull(rand, RELAPSE_SHAPE, RELAPSE_SCALE_DAYS) - 3.5);
      day = dayOf(boosted);
      sinceAnchor = 84; // after a booster, follow-up every 4 weeks
    }
    if (next !== 'course') break;
  }
  return rows;
}

/** Number of rows in a batch, per table. */
export function countRows(rows: DemoRows): Record<keyof DemoRows, number> {
  return Object.fromEntries(DEMO_ROW_KEYS.map((k) => [k, rows[k].length])) as Record<keyof DemoRows, number>;
}
