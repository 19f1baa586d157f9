/**
 * The events of one synthetic treatment session, built the way the session routes build them
 * (src/server/routes/sessions.ts): the same request bodies, the same pure-core calls for the
 * checklist result, the pump program and the discharge decision, and the same stored payloads.
 *
 * The clinic's own session settings apply (src/app/session-settings.ts getSessionSettings): its vitals
 * thresholds per modality (else the core defaults, as the routes' thresholdsFor), vial and bag, and
 * maximum dose. Every reading that raises a hold alert under those thresholds gets an alert decision,
 * as the app requires before discharge.
 *
 * Rates (per dosed session), all synthetic:
 * - severe hypertension (a post-dose reading above 180/100, the default hold threshold of
 *   src/clinical/protocols/vitals.ts): 0.98 % of sessions — Yale 7-year review, 0.98 % of IV infusions
 *   (Gen Hosp Psychiatry 2024, doi 10.1016/j.genhosppsych.2024.07.001; clinical-protocols.md §2.7);
 * - BP peak at ~40 min, mean rise +16/+11 mmHg (same Yale review, IV infusions);
 * - both IV figures are applied to esketamine sessions too, by assumption: the reference has no
 *   per-session rate for esketamine (the label's 8–19 % with a rise of >= 40/25 mmHg is per patient
 *   over the first 4 weeks, clinical-protocols.md §3.4, not a per-session figure); the label's ~40-min
 *   peak matches the IV curve's;
 * - other adverse events (nausea, vomiting, dizziness, headache, emergence reaction, dissociation,
 *   sedation): illustrative rates chosen for the demo; the reference states no per-session rate
 *   for IV ketamine, so these are not benchmarks and the dashboard does not compare them to any.
 */
import { planDose } from '../clinical/pk';
import {
  defaultDischargeSettings,
  defaultPreSessionSettings,
  earliestDischargeMin,
  evaluateDischarge,
  evaluatePreSessionChecklist,
  infusionStatus,
  pregnancyTestRequired,
  vitalsEvaluator,
  type VitalsThresholds,
  type DoseSpec,
  type Modality,
} from '../clinical/protocols';
import {
  decideDosingStart,
  decideRescue,
  decideSignOrder,
  decideVerifyDose,
  esketamineDevices,
  esketamineDosingEndMin,
  EMPTY_SESSION_RECORD,
  foldSessionFrom,
  orderInForce,
  sessionState,
  sessionThresholds,
  standingOrder,
  type NewSessionEvent,
  type SessionEvent,
  type SessionEventKind,
  type SessionPayloadOf,
  type SessionState,
} from '../clinical/session';
import type { ChecklistSubmit, DischargeSubmit } from '../clinical/session';
import type { AllergyForCheck } from '../clinical/record';
import {
  decideCosign,
  decideSign,
  decideWrite,
  NOTE_TEMPLATES,
  noteKindOfModality,
  noteSessionSummary,
  prefillNote,
  type NoteActor,
  type NoteFields,
  type PreviousNote,
} from '../clinical/notes';
import type { ClinicalNoteInsert, SessionEventInsert, SessionSettings } from '../app/demo';
import { type Rand, clampInt, int, normal, pick, seededUuidv7, weighted } from './random';

export type { ClinicalNoteInsert, SessionEventInsert };

/** The nurse's discharge checklist, every item answered yes (the demo's sessions all end well). */
const ALL_RESOLVED = {
  sedationResolved: true,
  dissociationResolved: true,
  respiratoryDepressionResolved: true,
  mentalStatusAtBaseline: true,
  clinicallyStable: true,
  escortPresent: true,
} as const;

/**
 * Yale 7-year review: severe hypertension in 0.98 % of IV infusions (clinical-protocols.md §2.7);
 * applied to esketamine sessions by assumption (no per-session esketamine figure in the reference).
 */
export const SEVERE_HYPERTENSION_PER_SESSION = 0.0098;
/**
 * Yale 7-year review: SBP/DBP peak at 40 min, mean +16.0/+11.0 mmHg (IV; clinical-protocols.md §2.7);
 * applied to esketamine by assumption (the label gives the ~40-min peak but no mean rise, §3.4).
 */
const PEAK_RISE = { sbp: 16, dbp: 11 };

/** Illustrative (synthetic) adverse-event rates per session; no reference rate exists. */
const ADVERSE_EVENTS: {
  chance: number;
  category: 'nausea' | 'vomiting' | 'emergence-reaction' | 'sedation' | 'dissociation' | 'other';
  description?: string;
  severity: readonly (readonly ['mild' | 'moderate' | 'severe', number])[];
  action: readonly (readonly [
    'none' | 'observed' | 'paused' | 'stopped' | 'medication-given' | 'escalated-emergency',
    number,
  ])[];
}[] = [
  {
    chance: 0.06,
    category: 'nausea',
    severity: [
      ['mild', 0.8],
      ['moderate', 0.2],
    ],
    action: [
      ['observed', 0.6],
      ['medication-given', 0.4],
    ],
  },
  {
    chance: 0.015,
    category: 'vomiting',
    severity: [
      ['mild', 0.6],
      ['moderate', 0.4],
    ],
    action: [
      ['medication-given', 0.7],
      ['observed', 0.3],
    ],
  },
  {
    chance: 0.05,
    category: 'other',
    description: 'Dizziness',
    severity: [
      ['mild', 0.9],
      ['moderate', 0.1],
    ],
    action: [
      ['observed', 0.8],
      ['none', 0.2],
    ],
  },
  {
    chance: 0.03,
    category: 'other',
    description: 'Headache',
    severity: [
      ['mild', 0.85],
      ['moderate', 0.15],
    ],
    action: [
      ['none', 0.5],
      ['medication-given', 0.5],
    ],
  },
  {
    chance: 0.01,
    category: 'emergence-reaction',
    severity: [
      ['mild', 0.6],
      ['moderate', 0.4],
    ],
    action: [
      ['observed', 0.7],
      ['paused', 0.3],
    ],
  },
  {
    chance: 0.02,
    category: 'dissociation',
    description: 'Distressing dissociation',
    severity: [
      ['mild', 0.5],
      ['moderate', 0.5],
    ],
    action: [
      ['observed', 0.8],
      ['paused', 0.2],
    ],
  },
  {
    chance: 0.01,
    category: 'sedation',
    severity: [['mild', 1]],
    action: [['observed', 1]],
  },
  {
    chance: 0.0005,
    category: 'other',
    description: 'Vasovagal syncope (synthetic serious event)',
    severity: [['severe', 1]],
    action: [['escalated-emergency', 1]],
  },
];

export interface PatientVitals {
  sbp: number;
  dbp: number;
  hr: number;
}

export interface SessionPlan {
  clinicId: string;
  sessionId: string;
  modality: Modality;
  dose: DoseSpec;
  fixedDoseMg: number | null;
  /** The session's local date (for the checklist's "today"). */
  date: string;
  /** Dosing start (infusion start / first device). */
  dosingStart: Date;
  nurseId: string;
  prescriberId: string;
  weightKg: number;
  sexAtBirth: 'female' | 'male' | 'intersex' | 'unknown';
  ageYears: number;
  vitals: PatientVitals;
  /** Sequence within the course (1-based), for the esketamine dose choice. */
  sequence: number;
  /** The clinic's session settings (thresholds, vial and bag, maximum dose). */
  settings: SessionSettings;
  /** The patient's allergies (the order and every rescue are checked against them). */
  allergies: readonly AllergyForCheck[];
  /** Who verifies the drawn-up dose (someone other than the nurse). */
  verifier: { userId: string; name: string };
  patientId: string;
  /** The clinic's now: nothing is signed or co-signed after it. */
  now: Date;
  /** The patient's previous signed administration note of this kind (its plan is carried forward). */
  previousNote: PreviousNote | null;
  /**
   * A stream for the record's own choices (note timing, co-signature), kept apart from `rand` so
   * the session's readings and outcomes stay what they were.
   */
  recordRand: Rand;
}

/** The thresholds the session judges readings against (the session core's rule). */
export function clinicThresholds(settings: SessionSettings, modality: Modality): VitalsThresholds {
  return sessionThresholds(settings, modality).thresholds;
}

export interface SessionOutput {
  events: SessionEventInsert[];
  /** Today's weight as recorded with the checklist (IV), for body_measurements. */
  weighedAt: Date | null;
  /** When the patient left (discharge recorded). */
  dischargedAt: Date;
  severeHypertension: boolean;
  adverseEvents: number;
  /** The nurse's signed administration note (null when it would be signed after `now`). */
  note: DemoNote | null;
}

/** A generated note row (its id always set: the next note carries its plan from it). */
export type DemoNote = ClinicalNoteInsert & { id: string };

const MIN = 60_000;
const at = (t0: Date, minutes: number) => new Date(t0.getTime() + minutes * MIN);

/** The REMS lot numbers and pharmacy lots here are invented (prefix DEMO). */
function lotNumber(rand: Rand, modality: Modality): string {
  return `DEMO-${modality === 'esketamine' ? 'ESK' : 'KET'}-${int(rand, 1000, 9999)}`;
}

export function buildSessionEvents(rand: Rand, ids: Rand, p: SessionPlan): SessionOutput {
  const events: SessionEventInsert[] = [];
  /**
   * The same events, typed, for the session core's fold (orders, rescues and the note read it), in
   * the order the store reads them back: by recordedAt, ties in the order recorded.
   */
  const recorded: SessionEvent[] = [];
  /** The fold of recorded[0, folded), kept while later events land after it (a left fold extends). */
  let record = EMPTY_SESSION_RECORD;
  let folded = 0;
  const t0 = p.dosingStart;
  /** Appends one event, both as the row to insert and as the core reads it back. */
  const pushEvent = (e: NewSessionEvent, recordedAt: Date, by = p.nurseId) => {
    const id = seededUuidv7(ids, recordedAt);
    // Field by field rather than spread: much cheaper to build, and an event has just these.
    const { kind, timeMin, payload } = e;
    events.push({
      clinicId: p.clinicId,
      id,
      sessionId: p.sessionId,
      kind,
      timeMin,
      payload,
      recordedBy: by,
      recordedAt,
    });
    const typed = { id, kind, timeMin, payload, recordedBy: by, recordedByName: '', recordedAt };
    // Events are mostly recorded in time order: find the place from the end.
    const t = recordedAt.getTime();
    let k = recorded.length;
    while (k > 0 && recorded[k - 1]!.recordedAt.getTime() > t) k--;
    if (k === recorded.length) recorded.push(typed as SessionEvent);
    else recorded.splice(k, 0, typed as SessionEvent);
    if (k < folded) {
      record = EMPTY_SESSION_RECORD;
      folded = 0;
    }
    return id;
  };
  const push = <K extends SessionEventKind>(
    kind: K,
    recordedAt: Date,
    timeMin: number | null,
    payload: SessionPayloadOf<K>,
    by = p.nurseId,
  ) => pushEvent({ kind, timeMin, payload } as NewSessionEvent, recordedAt, by);
  /** The session as the core judges it at `now`, from the events recorded so far. */
  const stateAt = (now: Date): SessionState => {
    record = foldSessionFrom(record, recorded.slice(folded));
    folded = recorded.length;
    return sessionState(record, p.modality, p.settings, now);
  };
  /** Records the one event a core decision returned, as its use case appends it. */
  const pushDecided = (decided: { events: NewSessionEvent[] }, recordedAt: Date, by = p.nurseId) => {
    return pushEvent(decided.events[0]!, recordedAt, by);
  };
  const thresholds = clinicThresholds(p.settings, p.modality);
  const evaluate = vitalsEvaluator(thresholds);
  const esk = p.modality === 'esketamine';
  // Baseline readings stay below the clinic's hold thresholds (a patient above them is not dosed).
  const hold = {
    sbp: thresholds.holdSbpAboveMmHg.value,
    dbp: thresholds.holdDbpAboveMmHg.value,
    hr: thresholds.holdHeartRateAboveBpm.value,
    spo2: thresholds.spo2BelowPct.value,
  };
  // The demo illustrates the hypertension alarm only: readings stay clear of the low-side alarms.
  const low = {
    sbp: Math.ceil(thresholds.hypotensionSbpBelowMmHg.value),
    sbpFallPct: thresholds.hypotensionSbpFallFromBaselinePct.value,
    hr: Math.ceil(thresholds.bradycardiaHeartRateBelowBpm.value),
    spo2FallPts: Math.ceil(thresholds.spo2FallFromBaselinePctPoints.value),
  };

  // Check-in, baseline vitals with the checklist, dose plan (route order).
  push('check-in', at(t0, -int(rand, 25, 40)), null, { note: null });
  const base = {
    sbpMmHg: Math.max(
      Math.min(clampInt(p.vitals.sbp + normal(rand, 0, 7, -20, 20), 90, 176), Math.floor(hold.sbp)),
      low.sbp,
    ),
    dbpMmHg: Math.min(clampInt(p.vitals.dbp + normal(rand, 0, 5, -14, 14), 55, 98), Math.floor(hold.dbp)),
    heartRateBpm: Math.max(
      Math.min(clampInt(p.vitals.hr + normal(rand, 0, 6, -15, 15), 50, 105), Math.floor(hold.hr)),
      low.hr,
    ),
    spo2Pct: Math.max(clampInt(normal(rand, 98, 1, 95, 100), 95, 100), Math.min(100, Math.ceil(hold.spo2))),
  };
  const checklistAt = at(t0, -int(rand, 12, 20));
  const patient = { sexAtBirth: p.sexAtBirth, ageYears: p.ageYears };
  push('vitals', checklistAt, 0, base);
  const body: ChecklistSubmit = {
    identityConfirmed: true,
    ...(esk ? {} : { weightKg: p.weightKg }),
    baselineSbpMmHg: base.sbpMmHg,
    baselineDbpMmHg: base.dbpMmHg,
    baselineHeartRateBpm: base.heartRateBpm,
    baselineSpo2Pct: base.spo2Pct,
    lastFoodMinBeforeDose: int(rand, 150, 720),
    lastLiquidMinBeforeDose: int(rand, 45, 240),
    escortArranged: true,
    // A negative test wherever the clinic's rule asks for one.
    pregnancyTest: pregnancyTestRequired(patient, p.settings.checklist) ? 'negative' : 'not-applicable',
    interactionReviewDone: true,
    ...(esk ? { remsPatientEnrolled: true } : {}),
  };
  const result = evaluatePreSessionChecklist(
    {
      modality: p.modality,
      sessionDate: p.date,
      identityConfirmed: body.identityConfirmed,
      ...(esk ? {} : { weight: { weightKg: p.weightKg, measuredOn: p.date } }),
      baselineVitals: { timeMin: 0, ...base },
      lastFoodMinBeforeDose: body.lastFoodMinBeforeDose,
      lastLiquidMinBeforeDose: body.lastLiquidMinBeforeDose,
      escortArranged: body.escortArranged,
      pregnancyTest: body.pregnancyTest,
      patient,
      interactionReviewDone: body.interactionReviewDone,
      // The generator records the pre-session PHQ-9 and C-SSRS screener on the session day.
      phq9AdministeredOn: p.date,
      cssrsAdministeredOn: p.date,
      ...(esk ? { remsPatientEnrolled: true } : {}),
    },
    defaultPreSessionSettings(thresholds, p.settings.checklist),
  );
  if (result.overall === 'blocked') {
    throw new Error(`demo generator: checklist blocked (${JSON.stringify(result.items)})`);
  }
  push('checklist', at(checklistAt, 1), null, { input: body, result });

  const settings = p.settings;
  let dosingEndMin: number;
  let doseMgGiven: number;
  let planPayload: SessionPayloadOf<'dose-plan'>;
  let planAt: Date;
  const lot = lotNumber(rand, p.modality);
  if (p.dose.kind === 'weight-based') {
    const plan = planDose({
      weightKg: p.weightKg,
      dose: {
        doseMgPerKg: p.dose.doseMgPerKg,
        route: 'iv',
        durationMin: p.dose.infusionDurationMin,
        startMin: 0,
      },
      vialMgPerMl: settings.vialMgPerMl,
      bagMl: settings.bagMl,
      maxMgPerKgPerSession: settings.clinicMaxDoseMgPerKg,
    });
    dosingEndMin = plan.durationMin;
    doseMgGiven = plan.doseMg;
    planAt = at(t0, -int(rand, 3, 9));
    planPayload = {
      modality: 'iv-ketamine',
      doseMg: plan.doseMg,
      doseMgPerKg: p.dose.doseMgPerKg,
      weightKg: p.weightKg,
      devices: null,
      lotNumber: lot,
      dosingEndMin: plan.durationMin,
      pump: plan,
    };
  } else {
    const options = p.dose.doseMgOptions;
    const doseMg = p.fixedDoseMg ?? (options.includes(84) && rand() < 0.6 ? 84 : options[0]!);
    // The esketamine device rule (28-mg devices, 5 min apart) is the session core's.
    const devices = esketamineDevices(doseMg);
    if (devices === null) throw new Error(`demo generator: ${doseMg} mg is not a whole number of devices`);
    dosingEndMin = esketamineDosingEndMin(devices);
    doseMgGiven = doseMg;
    planAt = at(t0, -int(rand, 3, 9));
    planPayload = {
      modality: 'esketamine',
      doseMg,
      doseMgPerKg: null,
      weightKg: p.weightKg,
      devices,
      lotNumber: lot,
      dosingEndMin,
      pump: null,
    };
  }

  // The prescriber signs the session order once today's weight is recorded (the standing order of
  // the course, signed through the core's rule: allergies, the clinic maximum, the order's maximum).
  const standing = standingOrder({
    modality: p.modality,
    dose: p.dose,
    doseMg: esk ? doseMgGiven : null,
    weightKg: p.weightKg,
    thresholds,
  });
  // The pump rounds the dose to what it can deliver: the maximum covers the planned mg.
  const maxDoseMg = Math.max(standing.maxDoseMg ?? doseMgGiven, doseMgGiven);
  const orderAt = at(checklistAt, 2);
  pushDecided(
    decideSignOrder(
      stateAt(orderAt),
      {
        ...(p.dose.kind === 'weight-based'
          ? { doseMgPerKg: p.dose.doseMgPerKg, durationMin: p.dose.infusionDurationMin }
          : { doseMg: doseMgGiven }),
        maxDoseMg,
        holdConditions: standing.holdConditions,
        rescues: standing.rescues,
      },
      {
        allergies: p.allergies,
        latestWeightKg: p.weightKg,
        clinicMaxDoseMgPerKg: settings.clinicMaxDoseMgPerKg,
        standing,
        mayPrescribe: true,
      },
    ),
    orderAt,
    p.prescriberId,
  );
  push('dose-plan', planAt, null, planPayload);
  // A second person checks the drawn-up dose against the order: always for an infusion, and for
  // the devices too when the clinic requires it.
  const verifyAt = at(planAt, 1);
  if (!esk || settings.orders.secondPersonVerification) {
    pushDecided(
      decideVerifyDose(stateAt(verifyAt), { verifier: p.verifier, recorderUserId: p.nurseId }),
      verifyAt,
    );
  }
  // Dosing starts against the signed order, as the rule that requires one decides it.
  pushDecided(
    decideDosingStart(
      stateAt(t0),
      { deviationReason: 'Synthetic demo: the pump rounds the dose it can deliver' },
      { secondPersonVerification: settings.orders.secondPersonVerification },
    ),
    t0,
  );
  // Sedation before dosing and at the last reading (discharge needs MOAA/S back to the pre-dose score).
  push('moaas', at(t0, -1), 0, { score: 5, scoreMax: 5, unverified: [] });

  // Readings: every 10 min during an infusion and every 15 min after (Riva-Posse 2018 cadence,
  // src/clinical/protocols/vitals.ts); esketamine: ~40 min, then every 15–30 min to >= 120 min.
  // IV: through the 60-min observation after the infusion ends.
  const times = esk ? [40, 70, 100, 125] : [10, 20, 30, 40, 55, 70, 85, 100];
  const severe = rand() < SEVERE_HYPERTENSION_PER_SESSION;
  const severeAt = esk ? 40 : pick(rand, [30, 40]);
  const riseScale = normal(rand, 1, 0.6, 0, 2.6);
  let last = { sbpMmHg: base.sbpMmHg, dbpMmHg: base.dbpMmHg };
  const readings: { timeMin: number; sbpMmHg: number; dbpMmHg: number }[] = [
    { timeMin: 0, sbpMmHg: base.sbpMmHg, dbpMmHg: base.dbpMmHg },
  ];
  const vitalsReadings: { timeMin: number; heartRateBpm: number; spo2Pct: number }[] = [
    { timeMin: 0, heartRateBpm: base.heartRateBpm, spo2Pct: base.spo2Pct },
  ];
  const dosingActions: { action: 'pause' | 'resume'; atMin: number }[] = [];
  let adverse = 0;
  const addReading = (m: number) => {
    // Rise shaped like the Yale curve: building to the 40-min peak, then falling back.
    const shape = m <= 40 ? m / 40 : Math.max(0, 1 - (m - 40) / 60);
    let sbp = clampInt(base.sbpMmHg + PEAK_RISE.sbp * riseScale * shape + normal(rand, 0, 4, -9, 9), 85, 180);
    let dbp = clampInt(base.dbpMmHg + PEAK_RISE.dbp * riseScale * shape + normal(rand, 0, 3, -7, 7), 50, 100);
    if (m > 40) {
      // Falling after the peak (never higher than the previous reading).
      sbp = Math.min(sbp, last.sbpMmHg);
      dbp = Math.min(dbp, last.dbpMmHg);
    }
    const hypertensive = severe && m === severeAt;
    if (hypertensive) {
      sbp = int(rand, 182, 204);
      dbp = int(rand, 96, 112);
    } else if (m > severeAt && severe) {
      sbp = Math.min(sbp, 176 - Math.round((m - severeAt) / 2));
      dbp = Math.min(dbp, 98);
    }
    let hr = clampInt(base.heartRateBpm + 6 * shape + normal(rand, 0, 4, -9, 9), 48, 108);
    let spo2 = clampInt(normal(rand, 97.5, 1, 94, 100), 94, 100);
    if (m === times[times.length - 1]) {
      // The patient leaves once the readings are back within the clinic's hold thresholds.
      sbp = Math.min(sbp, Math.floor(hold.sbp));
      dbp = Math.min(dbp, Math.floor(hold.dbp));
      hr = Math.min(hr, Math.floor(hold.hr));
      spo2 = Math.max(spo2, Math.min(100, Math.ceil(hold.spo2)));
    }
    sbp = Math.max(sbp, low.sbp, Math.floor(base.sbpMmHg * (1 - low.sbpFallPct / 100)) + 1);
    hr = Math.max(hr, low.hr);
    spo2 = Math.max(spo2, Math.ceil(hold.spo2), base.spo2Pct - low.spo2FallPts + 1);
    const readAt = at(t0, m + rand() * 2);
    const values = { sbpMmHg: sbp, dbpMmHg: dbp, heartRateBpm: hr, spo2Pct: spo2 };
    const vitalsId = push('vitals', readAt, m, values);
    readings.push({ timeMin: m, sbpMmHg: sbp, dbpMmHg: dbp });
    vitalsReadings.push({ timeMin: m, heartRateBpm: hr, spo2Pct: spo2 });
    last = { sbpMmHg: sbp, dbpMmHg: dbp };
    // Every hold alert under the clinic's thresholds gets a prescriber's decision (as the app asks).
    const mayHold = sbp > hold.sbp || dbp > hold.dbp || hr > hold.hr || spo2 < hold.spo2;
    const holds = mayHold
      ? evaluate({ timeMin: m, ...values }, { timeMin: 0, ...base })
          .filter((a) => a.requiresDecision)
          .map((a) => a.id)
      : [];
    // A pause applies only to a running infusion (alertDecisionOptions); one decision per reading.
    const canPause = !esk && m < dosingEndMin;
    const decision = hypertensive && rand() < 0.6 && canPause ? 'pause' : 'continue';
    if (holds.length > 0) {
      push(
        'alert-decision',
        at(readAt, 2 + rand() * 3),
        m,
        {
          vitalsEventId: vitalsId,
          alertId: holds[0]!,
          alertIds: holds,
          decision,
          note:
            decision === 'pause'
              ? 'Synthetic demo: infusion paused, BP rechecked'
              : 'Synthetic demo: asymptomatic, continue with closer monitoring',
        },
        p.prescriberId,
      );
    }
    if (decision === 'pause') {
      // The pump is paused after the decision and resumed 5 min later once BP is rechecked.
      for (const [action, atMin] of [
        ['pause', m + 7],
        ['resume', m + 12],
      ] as const) {
        dosingActions.push({ action, atMin });
        const s = infusionStatus({ doseMg: doseMgGiven, durationMin: dosingEndMin }, dosingActions, atMin);
        push(
          'dosing-action',
          at(t0, atMin),
          atMin,
          {
            action,
            note:
              action === 'pause' ? 'Synthetic demo: paused for BP' : 'Synthetic demo: BP rechecked, resumed',
            ...(action === 'pause' ? { vitalsEventId: vitalsId } : {}),
            amountGivenMg: s.amountGivenMg,
            runningMin: s.runningMin,
          },
          p.prescriberId,
        );
      }
    }
    if (hypertensive) {
      push('adverse-event', at(readAt, 4 + rand() * 3), m, {
        category: 'hypertension',
        severity: 'moderate',
        actionTaken: decision === 'pause' ? 'paused' : 'observed',
        timeMin: m,
        serious: false,
      });
      adverse++;
    }
  };
  for (const m of times) addReading(m);

  for (const ae of ADVERSE_EVENTS) {
    if (rand() >= ae.chance) continue;
    const m = int(rand, 10, 60);
    const serious = ae.severity.length === 1 && ae.severity[0]![0] === 'severe';
    const severity = weighted(rand, ae.severity);
    const actionTaken = weighted(rand, ae.action);
    push('adverse-event', at(t0, m + 1), m, {
      category: ae.category,
      ...(ae.description ? { description: ae.description } : {}),
      severity,
      actionTaken,
      timeMin: m,
      serious,
    });
    adverse++;
    // Nausea or vomiting treated with medication: the ondansetron line of the signed order, given
    // two minutes later (the core refuses a drug not on the order or one the patient is allergic to).
    if ((ae.category === 'nausea' || ae.category === 'vomiting') && actionTaken === 'medication-given') {
      const givenAt = at(t0, m + 3);
      const state = stateAt(givenAt);
      const line = orderInForce(state.record)?.payload.rescues.find((l) => l.drug === 'ondansetron');
      if (line) {
        pushDecided(
          decideRescue(
            state,
            {
              drug: 'ondansetron',
              doseMg: line.doseMg,
              route: line.route,
              reason: `Synthetic demo: ${ae.category}`,
              atMin: m + 2,
            },
            p.allergies,
          ),
          givenAt,
        );
      }
    }
  }

  // Discharge: within 15 min of the last reading (preDischargeBpWithinMin); esketamine >= 120 min;
  // IV: the observation minimum after the infusion ended (a pause moves the end).
  const lastTime = times[times.length - 1]!;
  push('moaas', at(t0, lastTime + 1), lastTime, { score: 5, scoreMax: 5, unverified: [] });
  const endMin = esk
    ? dosingEndMin
    : (infusionStatus({ doseMg: doseMgGiven, durationMin: dosingEndMin }, dosingActions, 24 * 60)
        .dosingEndMin ?? dosingEndMin);
  const dischargeSettings = defaultDischargeSettings(thresholds);
  // The time rule alone (what evaluateDischarge reports as earliestDischargeMin).
  const earliest = earliestDischargeMin(p.modality, endMin, dischargeSettings) ?? 0;
  const answers: DischargeSubmit = {
    dischargeAtMin: Math.max(lastTime + int(rand, 2, 12), Math.ceil(earliest)),
    ...ALL_RESOLVED,
    ...(esk ? { readyToLeaveMinFromStart: int(rand, 90, 125) } : {}),
  };
  const discharge = evaluateDischarge(
    {
      modality: p.modality,
      dosingEndMin: endMin,
      bpReadings: readings,
      vitalsReadings,
      moaas: [
        { timeMin: 0, score: 5 },
        { timeMin: lastTime, score: 5 },
      ],
      dischargeAtMin: answers.dischargeAtMin!,
      ...ALL_RESOLVED,
    },
    dischargeSettings,
  );
  if (!discharge.allowed) throw new Error(`demo generator: discharge refused (${discharge.message})`);
  const dischargedAt = at(t0, answers.dischargeAtMin! + rand());
  push('discharge', dischargedAt, answers.dischargeAtMin!, {
    atMin: answers.dischargeAtMin!,
    ...(answers.readyToLeaveMinFromStart !== undefined
      ? { readyToLeaveMinFromStart: answers.readyToLeaveMinFromStart }
      : {}),
    answers,
    result: discharge,
  });
  return {
    events,
    weighedAt: esk ? null : checklistAt,
    dischargedAt,
    severeHypertension: severe,
    adverseEvents: adverse,
    note: administrationNote(p, dischargedAt, stateAt, ids),
  };
}

/** Illustrative wording of the demo's administration notes, under the template's headings. */
const NOTE_TEXT: Record<'iv-ketamine' | 'esketamine', readonly string[]> = {
  'iv-ketamine': [
    'Peripheral IV placed, patent, removed intact after the infusion (synthetic demo).',
    'Calm; mild dissociation as expected; vitals recorded in the session (synthetic demo).',
    'Back to baseline, discharged with escort (synthetic demo).',
  ],
  esketamine: [
    'Devices self-administered under direct observation, 5 minutes apart (synthetic demo).',
    'Monitored per REMS; vitals recorded in the session (synthetic demo).',
    'Clinically stable, discharged with escort (synthetic demo).',
  ],
};

/**
 * The nurse's administration note as the notes use cases make it: started from the prefill (the
 * session summary from the record and the previous note's plan), written, signed under the
 * clinic's co-signature rule, and co-signed by the prescriber within a day and a half for most
 * notes old enough (the rest still await it). Null when it would be signed after `now`.
 */
function administrationNote(
  p: SessionPlan,
  dischargedAt: Date,
  stateAt: (now: Date) => SessionState,
  ids: Rand,
): DemoNote | null {
  const kind = noteKindOfModality(p.modality);
  const nurse: NoteActor = { userId: p.nurseId, role: 'nurse' };
  const prescriber: NoteActor = { userId: p.prescriberId, role: 'prescriber' };
  decideWrite(kind, nurse);
  const createdAt = at(dischargedAt, int(p.recordRand, 2, 6));
  const signedAt = at(createdAt, int(p.recordRand, 3, 10));
  if (signedAt.getTime() > p.now.getTime()) return null;
  const summary = noteSessionSummary(stateAt(signedAt), {
    id: p.sessionId,
    sequence: p.sequence,
    date: p.date,
  });
  const prefill = prefillNote(kind, summary, p.previousNote);
  const fields: NoteFields = {
    ...prefill.fields,
    assessment: 'Tolerated the treatment; discharge criteria met (synthetic demo).',
    plan: prefill.fields.plan || 'Continue the course as scheduled (synthetic demo).',
  };
  const text = NOTE_TEMPLATES[kind].textHeadings
    .map((h, i) => `${h}:\n${NOTE_TEXT[p.modality][i] ?? ''}\n`)
    .join('\n');
  const draft = {
    kind,
    status: 'draft' as const,
    authorId: nurse.userId,
    cosignRequired: false,
    cosignedBy: null,
  };
  const cosignRequired = decideSign(draft, nurse, p.settings.notes);
  let cosignedAt: Date | null = null;
  if (cosignRequired && p.recordRand() < 0.9) {
    const at36h = at(signedAt, int(p.recordRand, 30, 36 * 60));
    if (at36h.getTime() <= p.now.getTime()) {
      decideCosign({ ...draft, status: 'signed', cosignRequired }, prescriber);
      cosignedAt = at36h;
    }
  }
  return {
    clinicId: p.clinicId,
    id: seededUuidv7(ids, createdAt),
    patientId: p.patientId,
    sessionId: p.sessionId,
    kind,
    status: 'signed',
    fields,
    text,
    authorId: nurse.userId,
    authorRole: 'nurse',
    // Started (1), the draft saved (2), signed (3): the versions the use cases would have written.
    version: 3,
    createdAt,
    updatedAt: signedAt,
    signedAt,
    cosignRequired,
    cosignedBy: cosignedAt ? prescriber.userId : null,
    cosignedAt,
  };
}
