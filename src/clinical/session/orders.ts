/**
 * Session orders: the prescriber's signed order for the session's ketamine or esketamine dose
 * (mg/kg and mg, route, duration and rate, maximum, hold conditions) with its rescue medication
 * lines; the standing order a course's template pre-fills; the check of the dose plan against the
 * order at dosing start (a difference needs a reason); second-person verification of the drawn-up
 * dose; and rescue medications given against the order. Sources: docs/clinical-sources/orders.md.
 */
import { ClinicalInputError } from '../errors';
import type { Citation, DoseSpec, Modality, VitalsThresholds } from '../protocols';
import { TREATMENT_DRUG_OF_MODALITY, allergyRefusal, type AllergyForCheck } from '../record/allergies';
import type { MedicationRoute, OrderDrug, RescueDrug } from '../vocabulary/orders';
import type { NewSessionEvent, OrderPayload, RescueOrderLine, SessionEventOf } from './events';
import { orderInForce } from './fold';
import { SessionRefusal, refuseIfDischarged, type Decided } from './decide';
import type { SessionState } from './state';

const conflict = (field: string, message: string) => new SessionRefusal('conflict', field, message);

export interface RescueFormularyEntry {
  drug: RescueDrug;
  /** Names an allergy entry may use for the drug (generic first, then brands). */
  names: readonly string[];
  indication: string;
  /** The default line the order form offers; null where no source gives a dose Rein can cite. */
  defaultLine: { doseMg: number; route: MedicationRoute; citation: Citation } | null;
  /** Why there is no default (or what the default rests on). */
  citation: Citation;
}

const NO_DEFAULT: Citation = {
  source: 'No source gathered for this rescue dose in a ketamine clinic',
  status: 'U',
  note: 'The prescriber enters the dose; Rein ships no default it cannot cite.',
};

const ONDANSETRON_LABEL: Citation = {
  source:
    'Ondansetron injection US PI §2.2 (prevention of postoperative nausea and/or vomiting: 4 mg IV, undiluted, single dose)',
  status: 'S',
  note: 'The labelled dose for postoperative nausea; nausea during ketamine treatment is not a labelled indication.',
};

/** The clinic's rescue formulary: the drugs a session order may list, with cited default doses. */
export const RESCUE_FORMULARY: Readonly<Record<RescueDrug, RescueFormularyEntry>> = {
  ondansetron: {
    drug: 'ondansetron',
    names: ['ondansetron', 'zofran'],
    indication: 'nausea or vomiting',
    defaultLine: { doseMg: 4, route: 'iv', citation: ONDANSETRON_LABEL },
    citation: ONDANSETRON_LABEL,
  },
  labetalol: {
    drug: 'labetalol',
    names: ['labetalol', 'trandate', 'normodyne'],
    indication: 'blood pressure above the hold threshold',
    defaultLine: null,
    citation: NO_DEFAULT,
  },
  midazolam: {
    drug: 'midazolam',
    names: ['midazolam', 'versed'],
    indication: 'severe agitation or distressing dissociation',
    defaultLine: null,
    citation: NO_DEFAULT,
  },
  clonidine: {
    drug: 'clonidine',
    names: ['clonidine', 'catapres'],
    indication: 'blood pressure above the hold threshold',
    defaultLine: null,
    citation: NO_DEFAULT,
  },
};

/**
 * Why giving a rescue drug must be refused: an active allergy whose substance names the drug
 * (generic or brand). No cross-reactivity class is claimed: no gathered source states one.
 */
export function rescueAllergyRefusal(allergies: readonly AllergyForCheck[], drug: RescueDrug): string | null {
  const names = RESCUE_FORMULARY[drug].names;
  const hits = allergies.filter(
    (a) =>
      a.status === 'active' &&
      a.substance
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((w) => names.includes(w)),
  );
  if (hits.length === 0) return null;
  return hits
    .map(
      (a) => `active allergy to ${a.substance}${a.reaction ? ` (${a.reaction})` : ''}: ${drug} is not given`,
    )
    .join('; ');
}

const ROUTE_OF_MODALITY: Readonly<Record<Modality, MedicationRoute>> = {
  'iv-ketamine': 'iv',
  esketamine: 'intranasal',
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

export interface StandingOrderFacts {
  modality: Modality;
  /** The session's dose as its course phase schedules it. */
  dose: DoseSpec;
  /** Esketamine: the dose the schedule fixes or the session is ordered at (else null). */
  doseMg: number | null;
  /** The latest weight on record (IV: the mg of the order). */
  weightKg: number | null;
  thresholds: VitalsThresholds;
}

/** An order as the form shows it before it is signed (a standing order from the course). */
export type OrderDraft = Omit<OrderPayload, 'maxDoseMg' | 'standing'> & { maxDoseMg: number | null };

/**
 * The standing order a session's course pre-fills: the phase's dose (IV: mg/kg on the latest
 * weight over the template's infusion time), the maximum equal to that dose, the clinic's hold
 * thresholds as hold conditions, and every rescue line the formulary has a cited default for.
 */
export function standingOrder(f: StandingOrderFacts): OrderDraft {
  const drug: OrderDrug = TREATMENT_DRUG_OF_MODALITY[f.modality];
  const t = f.thresholds;
  const holdConditions = [
    `Hold if systolic BP > ${t.holdSbpAboveMmHg.value} mmHg or diastolic BP > ${t.holdDbpAboveMmHg.value} mmHg`,
    `Hold if heart rate > ${t.holdHeartRateAboveBpm.value} bpm`,
  ];
  const rescues: RescueOrderLine[] = Object.values(RESCUE_FORMULARY).flatMap((e) =>
    e.defaultLine
      ? [{ drug: e.drug, doseMg: e.defaultLine.doseMg, route: e.defaultLine.route, indication: e.indication }]
      : [],
  );
  const base = { drug, route: ROUTE_OF_MODALITY[f.modality], holdConditions, rescues };
  if (f.dose.kind === 'weight-based') {
    const doseMg = f.weightKg !== null ? round1(f.dose.doseMgPerKg * f.weightKg) : null;
    const durationMin = f.dose.infusionDurationMin;
    return {
      ...base,
      doseMgPerKg: f.dose.doseMgPerKg,
      doseMg,
      weightKg: f.weightKg,
      durationMin,
      rateMgPerMin: doseMg !== null ? round3(doseMg / durationMin) : null,
      maxDoseMg: doseMg,
    };
  }
  return {
    ...base,
    doseMgPerKg: null,
    doseMg: f.doseMg,
    weightKg: null,
    durationMin: null,
    rateMgPerMin: null,
    maxDoseMg: f.doseMg,
  };
}

export interface SignOrderCommand {
  /** IV: mg/kg (required for IV; ignored for esketamine). */
  doseMgPerKg?: number | undefined;
  /** Esketamine: the dose in mg (required); IV: computed from the weight. */
  doseMg?: number | undefined;
  /** IV: infusion minutes. */
  durationMin?: number | undefined;
  maxDoseMg: number;
  holdConditions: string[];
  rescues: RescueOrderLine[];
}

export interface SignOrderFacts {
  /** The patient's allergies (the treatment drug and every rescue line are checked). */
  allergies: readonly AllergyForCheck[];
  latestWeightKg: number | null;
  clinicMaxDoseMgPerKg: number;
  /** The standing order, to record whether this one was signed unchanged. */
  standing: OrderDraft;
  /** Only a prescriber (or admin) signs an order. */
  mayPrescribe: boolean;
}

/**
 * A prescriber signs the session's order. Refused for a drug the patient is allergic to (the
 * treatment drug or a rescue line), above the clinic's mg/kg maximum, or with a dose above its own
 * maximum. A new order replaces the previous one; once dosing has started the dose part is fixed
 * and only the rescue lines and hold conditions may change.
 */
export function decideSignOrder(
  state: SessionState,
  cmd: SignOrderCommand,
  facts: SignOrderFacts,
): Decided<{ drug: OrderDrug; doseMg: number | null; rescues: number; standing: boolean }> {
  refuseIfDischarged(state);
  if (!facts.mayPrescribe) throw new SessionRefusal('forbidden', 'order', 'only a prescriber signs an order');
  const drug = TREATMENT_DRUG_OF_MODALITY[state.modality];
  const refusal = allergyRefusal(facts.allergies, drug);
  if (refusal) throw conflict('allergies', refusal);
  cmd.rescues.forEach((line, i) => {
    const r = rescueAllergyRefusal(facts.allergies, line.drug);
    if (r) throw conflict(`rescues.${i}.drug`, r);
  });
  let dose: Pick<OrderPayload, 'doseMgPerKg' | 'doseMg' | 'weightKg' | 'durationMin' | 'rateMgPerMin'>;
  if (state.modality === 'iv-ketamine') {
    if (cmd.doseMgPerKg === undefined) throw new ClinicalInputError('doseMgPerKg', 'enter the dose in mg/kg');
    if (cmd.durationMin === undefined) throw new ClinicalInputError('durationMin', 'enter the infusion time');
    if (cmd.doseMgPerKg > facts.clinicMaxDoseMgPerKg) {
      throw new ClinicalInputError(
        'doseMgPerKg',
        `${cmd.doseMgPerKg} mg/kg is above the clinic maximum of ${facts.clinicMaxDoseMgPerKg} mg/kg`,
      );
    }
    const w = facts.latestWeightKg;
    const doseMg = w !== null ? round1(cmd.doseMgPerKg * w) : null;
    dose = {
      doseMgPerKg: cmd.doseMgPerKg,
      doseMg,
      weightKg: w,
      durationMin: cmd.durationMin,
      rateMgPerMin: doseMg !== null ? round3(doseMg / cmd.durationMin) : null,
    };
  } else {
    if (cmd.doseMg === undefined) throw new ClinicalInputError('doseMg', 'enter the dose in mg');
    dose = { doseMgPerKg: null, doseMg: cmd.doseMg, weightKg: null, durationMin: null, rateMgPerMin: null };
  }
  if (dose.doseMg !== null && dose.doseMg > cmd.maxDoseMg) {
    throw new ClinicalInputError(
      'maxDoseMg',
      `the dose (${dose.doseMg} mg) is above the order's maximum of ${cmd.maxDoseMg} mg`,
    );
  }
  const holdConditions = cmd.holdConditions.map((h) => h.trim()).filter((h) => h !== '');
  const before = orderInForce(state.record);
  if (state.record.dosingStart && before) {
    const p = before.payload;
    const same =
      p.doseMgPerKg === dose.doseMgPerKg &&
      p.durationMin === dose.durationMin &&
      p.maxDoseMg === cmd.maxDoseMg &&
      (state.modality === 'iv-ketamine' || p.doseMg === dose.doseMg);
    if (!same) {
      throw conflict(
        'order',
        'dosing has started: the dose, duration and maximum stay as ordered; only rescue lines and hold conditions may change',
      );
    }
  }
  const s = facts.standing;
  const standing =
    s.doseMgPerKg === dose.doseMgPerKg &&
    s.doseMg === dose.doseMg &&
    s.durationMin === dose.durationMin &&
    s.maxDoseMg === cmd.maxDoseMg &&
    JSON.stringify(s.holdConditions) === JSON.stringify(holdConditions) &&
    JSON.stringify(s.rescues) === JSON.stringify(cmd.rescues);
  const payload: OrderPayload = {
    drug,
    route: ROUTE_OF_MODALITY[state.modality],
    ...dose,
    maxDoseMg: cmd.maxDoseMg,
    holdConditions,
    rescues: cmd.rescues,
    standing,
  };
  return {
    events: [{ kind: 'order-signed', timeMin: null, payload }],
    details: { drug, doseMg: dose.doseMg, rescues: cmd.rescues.length, standing },
  };
}

/** How the dose plan differs from the order (empty: as ordered). A plan above the maximum is refused. */
export function planDeviations(plan: SessionEventOf<'dose-plan'>['payload'], order: OrderPayload): string[] {
  if (plan.doseMg > order.maxDoseMg) {
    throw conflict(
      'doseMg',
      `the planned ${plan.doseMg} mg is above the order's maximum of ${order.maxDoseMg} mg`,
    );
  }
  const out: string[] = [];
  if (order.doseMgPerKg !== null && plan.doseMgPerKg !== order.doseMgPerKg) {
    out.push(`dose ${plan.doseMgPerKg ?? '?'} mg/kg, ordered ${order.doseMgPerKg} mg/kg`);
  }
  if (order.doseMgPerKg === null && order.doseMg !== null && plan.doseMg !== order.doseMg) {
    out.push(`dose ${plan.doseMg} mg, ordered ${order.doseMg} mg`);
  }
  if (order.durationMin !== null && plan.dosingEndMin !== order.durationMin) {
    out.push(`infusion ${plan.dosingEndMin} min, ordered ${order.durationMin} min`);
  }
  return out;
}

export interface OrderCheckAtStart {
  /** Whether the clinic requires a second person to verify the drawn-up dose. */
  secondPersonVerification: boolean;
}

/** Why dosing without a signed order is refused, in the words the nurse reads. */
export const NO_SIGNED_ORDER = 'A prescriber must sign the order for this session before dosing starts.';

/**
 * The order check at dosing start: the events' order fields, or a refusal. No signed order →
 * refused, always: a prescription drug is given only against a prescriber's order, so no clinic
 * setting lifts this. A plan that differs from the order needs `deviationReason`; with the
 * clinic's second-person setting on, the current plan must have been verified.
 */
export function orderAtStart(
  state: SessionState,
  deviationReason: string | undefined,
  check: OrderCheckAtStart,
): { orderEventId: string; orderDeviation?: { reason: string; differences: string[] } } {
  const order = orderInForce(state.record);
  const plan = state.record.dosePlan;
  if (!order) throw conflict('order', NO_SIGNED_ORDER);
  if (!plan) return { orderEventId: order.id };
  const differences = planDeviations(plan.payload, order.payload);
  const reason = deviationReason?.trim() ?? '';
  if (differences.length > 0 && reason === '') {
    throw new ClinicalInputError(
      'deviationReason',
      `the dose differs from the signed order (${differences.join('; ')}): give the reason`,
    );
  }
  if (check.secondPersonVerification) {
    const verified = state.record.doseVerifications.some((v) => v.payload.planEventId === plan.id);
    if (!verified) {
      throw conflict('verification', 'a second person must verify the drawn-up dose before dosing starts');
    }
  }
  return {
    orderEventId: order.id,
    ...(differences.length > 0 ? { orderDeviation: { reason, differences } } : {}),
  };
}

export interface VerifyDoseFacts {
  /** The verifier, whose password the use case has already checked. */
  verifier: { userId: string; name: string };
  /** Who is recording (the verifier must be someone else). */
  recorderUserId: string;
}

/** A second person verifies the drawn-up dose of the current plan against the signed order. */
export function decideVerifyDose(state: SessionState, facts: VerifyDoseFacts): Decided {
  refuseIfDischarged(state);
  const plan = state.record.dosePlan;
  if (!orderInForce(state.record)) throw conflict('order', 'there is no signed order to verify against');
  if (!plan) throw conflict('session', 'compute the dose plan first');
  if (state.record.dosingStart) throw conflict('session', 'dosing has started; verify before the start');
  if (facts.verifier.userId === facts.recorderUserId) {
    throw new ClinicalInputError('verifierEmail', 'the second person must be someone other than you');
  }
  return {
    events: [
      {
        kind: 'dose-verified',
        timeMin: null,
        payload: {
          planEventId: plan.id,
          doseMg: plan.payload.doseMg,
          verifierUserId: facts.verifier.userId,
          verifierName: facts.verifier.name,
        },
      },
    ],
    details: { planEventId: plan.id, verifierUserId: facts.verifier.userId },
  };
}

export interface RescueCommand {
  drug: RescueDrug;
  doseMg: number;
  route: MedicationRoute;
  /** Why it was given, e.g. "vomited twice". */
  reason: string;
  /** Minutes after dosing start (before dosing: a negative or zero minute); default now. */
  atMin?: number | undefined;
  /** Required when the dose or route differs from the order's line. */
  deviationReason?: string | undefined;
}

/**
 * A rescue medication given against the signed order: the drug must be on the order's rescue
 * lines, the patient not allergic to it, and a dose or route other than the line's needs a reason.
 * A dose above the line's is refused: more than ordered needs a new order.
 */
export function decideRescue(
  state: SessionState,
  cmd: RescueCommand,
  allergies: readonly AllergyForCheck[],
): Decided {
  refuseIfDischarged(state);
  if (!state.record.checkIn) throw conflict('session', 'check the patient in first');
  const order = orderInForce(state.record);
  if (!order) throw conflict('order', 'there is no signed order: a prescriber orders rescue medications');
  const lines = order.payload.rescues.filter((l) => l.drug === cmd.drug);
  if (lines.length === 0) {
    throw conflict('drug', `the signed order has no ${cmd.drug} line: a prescriber must add it to the order`);
  }
  const refusal = rescueAllergyRefusal(allergies, cmd.drug);
  if (refusal) throw conflict('drug', refusal);
  const line = lines.find((l) => l.route === cmd.route && l.doseMg === cmd.doseMg) ?? lines[0]!;
  if (cmd.doseMg > Math.max(...lines.map((l) => l.doseMg))) {
    throw new ClinicalInputError(
      'doseMg',
      `${cmd.doseMg} mg is more than the ${line.doseMg} mg ordered: a prescriber must order it`,
    );
  }
  const differs = line.doseMg !== cmd.doseMg || line.route !== cmd.route;
  const deviationReason = cmd.deviationReason?.trim() ? cmd.deviationReason.trim() : null;
  if (differs && deviationReason === null) {
    throw new ClinicalInputError(
      'deviationReason',
      `the order says ${line.doseMg} mg ${line.route}: give the reason for giving ${cmd.doseMg} mg ${cmd.route}`,
    );
  }
  const nowMin = state.nowMin;
  if (cmd.atMin !== undefined && nowMin !== null && cmd.atMin > nowMin) {
    throw new ClinicalInputError('atMin', `cannot be in the future (now is ${Math.floor(nowMin)} min)`);
  }
  if (cmd.atMin !== undefined && nowMin === null && cmd.atMin > 0) {
    throw new ClinicalInputError('atMin', 'dosing has not started: a rescue now is before dosing (<= 0 min)');
  }
  const timeMin = cmd.atMin ?? (nowMin === null ? 0 : Math.max(0, Math.floor(nowMin)));
  const event: NewSessionEvent = {
    kind: 'rescue-given',
    timeMin,
    payload: {
      drug: cmd.drug,
      doseMg: cmd.doseMg,
      route: cmd.route,
      reason: cmd.reason.trim(),
      orderEventId: order.id,
      deviationReason: differs ? deviationReason : null,
    },
  };
  return { events: [event], details: { drug: cmd.drug, doseMg: cmd.doseMg, deviation: differs } };
}
