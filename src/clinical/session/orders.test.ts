import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { resolveVitalsThresholds, type Modality } from '../protocols';
import type { AllergyForCheck } from '../record/allergies';
import type { NewSessionEvent, OrderPayload, SessionEvent } from './events';
import { foldSession } from './fold';
import { SessionRefusal, decideDosingStart } from './decide';
import {
  RESCUE_FORMULARY,
  decideRescue,
  decideSignOrder,
  decideVerifyDose,
  planDeviations,
  rescueAllergyRefusal,
  standingOrder,
  type OrderDraft,
  type SignOrderCommand,
} from './orders';
import { sessionState } from './state';
import { checkIn, eskOrder, eskPlan, ivOrder, ivPlan, recorded, SETTINGS, start, T0 } from './test-fixtures';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const stateOf = (
  events: (NewSessionEvent | SessionEvent)[],
  nowMin = 0,
  modality: Modality = 'iv-ketamine',
) =>
  sessionState(
    foldSession(events.map((e, i) => ('id' in e ? e : recorded(e, e.kind === 'dosing-start' ? 0 : -30 + i)))),
    modality,
    SETTINGS,
    at(nowMin),
  );

const refusal = (fn: () => unknown): SessionRefusal | ClinicalInputError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SessionRefusal || err instanceof ClinicalInputError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

const allergy = (substance: string, status: AllergyForCheck['status'] = 'active'): AllergyForCheck => ({
  id: substance,
  substance,
  status,
  reaction: null,
});

const EMPTY: OrderDraft = {
  drug: 'ketamine',
  route: 'iv',
  doseMgPerKg: null,
  doseMg: null,
  weightKg: null,
  durationMin: null,
  rateMgPerMin: null,
  maxDoseMg: null,
  holdConditions: [],
  rescues: [],
};
const facts = (o: Partial<Parameters<typeof decideSignOrder>[2]> = {}) => ({
  allergies: [],
  latestWeightKg: 80,
  clinicMaxDoseMgPerKg: 1,
  standing: EMPTY,
  mayPrescribe: true,
  ...o,
});
const ivCmd: SignOrderCommand = {
  doseMgPerKg: 0.5,
  durationMin: 40,
  maxDoseMg: 40,
  holdConditions: ['Hold if SBP > 180 mmHg'],
  rescues: [],
};

describe('signing the order', () => {
  it('IV: mg/kg on the latest weight gives the mg and the rate', () => {
    const d = decideSignOrder(stateOf([checkIn]), ivCmd, facts());
    expect(d.events[0]).toMatchObject({
      kind: 'order-signed',
      payload: {
        drug: 'ketamine',
        route: 'iv',
        doseMgPerKg: 0.5,
        doseMg: 40,
        rateMgPerMin: 1,
        maxDoseMg: 40,
      },
    });
  });

  it('only a prescriber signs', () => {
    const r = refusal(() => decideSignOrder(stateOf([checkIn]), ivCmd, facts({ mayPrescribe: false })));
    expect(r).toBeInstanceOf(SessionRefusal);
    expect((r as SessionRefusal).reason).toBe('forbidden');
  });

  it('an order for a drug the patient is allergic to is refused with the reason', () => {
    const r = refusal(() =>
      decideSignOrder(stateOf([checkIn]), ivCmd, facts({ allergies: [allergy('Ketalar')] })),
    );
    expect(r.field).toBe('allergies');
    expect(r.message).toMatch(/active allergy to Ketalar: ketamine is contraindicated/);
    // An inactive allergy does not refuse.
    expect(() =>
      decideSignOrder(stateOf([checkIn]), ivCmd, facts({ allergies: [allergy('ketamine', 'inactive')] })),
    ).not.toThrow();
  });

  it('a rescue line for a drug the patient is allergic to is refused, naming the line', () => {
    const cmd = {
      ...ivCmd,
      rescues: [{ drug: 'ondansetron' as const, doseMg: 4, route: 'iv' as const, indication: 'nausea' }],
    };
    const r = refusal(() =>
      decideSignOrder(stateOf([checkIn]), cmd, facts({ allergies: [allergy('Zofran')] })),
    );
    expect(r.field).toBe('rescues.0.drug');
    expect(r.message).toMatch(/Zofran/);
  });

  it('refuses above the clinic mg/kg maximum and a dose above its own maximum', () => {
    expect(refusal(() => decideSignOrder(stateOf([]), { ...ivCmd, doseMgPerKg: 1.5 }, facts())).field).toBe(
      'doseMgPerKg',
    );
    expect(refusal(() => decideSignOrder(stateOf([]), { ...ivCmd, maxDoseMg: 30 }, facts())).field).toBe(
      'maxDoseMg',
    );
  });

  it('esketamine: a dose in mg, no mg/kg', () => {
    const d = decideSignOrder(
      stateOf([checkIn], 0, 'esketamine'),
      { doseMg: 56, maxDoseMg: 56, holdConditions: [], rescues: [] },
      facts(),
    );
    expect(d.events[0]).toMatchObject({ payload: { drug: 'esketamine', route: 'intranasal', doseMg: 56 } });
    expect(
      refusal(() =>
        decideSignOrder(
          stateOf([], 0, 'esketamine'),
          { maxDoseMg: 56, holdConditions: [], rescues: [] },
          facts(),
        ),
      ).field,
    ).toBe('doseMg');
  });

  it('after dosing starts only rescue lines and hold conditions may change', () => {
    const s = stateOf([checkIn, ivOrder(), ivPlan(), start], 5);
    expect(
      refusal(() => decideSignOrder(s, { ...ivCmd, doseMgPerKg: 0.6, maxDoseMg: 60 }, facts())).field,
    ).toBe('order');
    const rescues = [{ drug: 'labetalol' as const, doseMg: 10, route: 'iv' as const, indication: 'BP' }];
    expect(decideSignOrder(s, { ...ivCmd, rescues }, facts()).events[0]!.kind).toBe('order-signed');
  });

  it('records whether the order was signed unchanged from the standing order', () => {
    const standing = standingOrder({
      modality: 'iv-ketamine',
      dose: { kind: 'weight-based', doseMgPerKg: 0.5, infusionDurationMin: 40 },
      doseMg: null,
      weightKg: 80,
      thresholds: resolveVitalsThresholds('iv-ketamine', null),
    });
    const same: SignOrderCommand = {
      doseMgPerKg: standing.doseMgPerKg!,
      durationMin: standing.durationMin!,
      maxDoseMg: standing.maxDoseMg!,
      holdConditions: standing.holdConditions,
      rescues: standing.rescues,
    };
    const signed = (cmd: SignOrderCommand) =>
      (decideSignOrder(stateOf([]), cmd, facts({ standing })).events[0]!.payload as OrderPayload).standing;
    expect(signed(same)).toBe(true);
    expect(signed({ ...same, holdConditions: ['Hold if SBP > 170 mmHg'] })).toBe(false);
  });
});

describe('the standing order', () => {
  it('pre-fills the phase dose, the hold thresholds and only the cited rescue defaults', () => {
    const t = resolveVitalsThresholds('iv-ketamine', null);
    const o = standingOrder({
      modality: 'iv-ketamine',
      dose: { kind: 'weight-based', doseMgPerKg: 0.5, infusionDurationMin: 40 },
      doseMg: null,
      weightKg: 70,
      thresholds: t,
    });
    expect(o).toMatchObject({
      doseMgPerKg: 0.5,
      doseMg: 35,
      durationMin: 40,
      rateMgPerMin: 0.875,
      maxDoseMg: 35,
    });
    expect(o.holdConditions[0]).toContain(`${t.holdSbpAboveMmHg.value} mmHg`);
    const withDefault = Object.values(RESCUE_FORMULARY).filter((e) => e.defaultLine !== null);
    expect(o.rescues.map((r) => r.drug)).toEqual(withDefault.map((e) => e.drug));
    // Every default carries a citation; drugs without one are marked unverified.
    for (const e of Object.values(RESCUE_FORMULARY)) {
      if (e.defaultLine) expect(e.defaultLine.citation.source).not.toBe('');
      else expect(e.citation.status).toBe('U');
    }
  });

  it('IV without a weight on record leaves the mg and the maximum for the prescriber', () => {
    const o = standingOrder({
      modality: 'iv-ketamine',
      dose: { kind: 'weight-based', doseMgPerKg: 0.5, infusionDurationMin: 40 },
      doseMg: null,
      weightKg: null,
      thresholds: resolveVitalsThresholds('iv-ketamine', null),
    });
    expect(o.doseMg).toBeNull();
    expect(o.maxDoseMg).toBeNull();
  });
});

describe('dosing against the order', () => {
  const required = { secondPersonVerification: false };

  it('without a signed order dosing is refused, with or without the clinic setting, IV and esketamine', () => {
    const r = refusal(() => decideDosingStart(stateOf([checkIn, ivPlan()]), {}, required));
    expect(r.field).toBe('order');
    expect(r.message).toBe('A prescriber must sign the order for this session before dosing starts.');
    expect(refusal(() => decideDosingStart(stateOf([checkIn, ivPlan()]), {})).field).toBe('order');
    const esk = stateOf([checkIn, eskPlan()], 0, 'esketamine');
    expect(refusal(() => decideDosingStart(esk, {}, required)).field).toBe('order');
  });

  it('dosing as ordered records the order it started against', () => {
    const order = recorded(ivOrder(), -20);
    const d = decideDosingStart(stateOf([checkIn, order, ivPlan()]), {}, required);
    expect(d.events[0]).toMatchObject({ kind: 'dosing-start', payload: { orderEventId: order.id } });
    expect(d.events[0]!.payload).not.toHaveProperty('orderDeviation');
    const esk = recorded(eskOrder(2), -20);
    const first = decideDosingStart(stateOf([checkIn, esk, eskPlan(2)], 0, 'esketamine'), {}, required);
    expect(first.events[0]).toMatchObject({ kind: 'dosing-start', payload: { orderEventId: esk.id } });
  });

  it('a plan that differs from the order needs a reason, which is recorded', () => {
    const s = stateOf([checkIn, ivOrder({ maxDoseMg: 60 }), ivPlan(48, 40)]);
    const plan48 = { ...(ivPlan(48, 40).payload as object), doseMgPerKg: 0.6 };
    const s2 = stateOf([
      checkIn,
      ivOrder({ maxDoseMg: 60 }),
      { kind: 'dose-plan', timeMin: null, payload: plan48 } as NewSessionEvent,
    ]);
    expect(decideDosingStart(s, {}, required).events[0]!.payload).not.toHaveProperty('orderDeviation');
    expect(refusal(() => decideDosingStart(s2, {}, required)).field).toBe('deviationReason');
    const d = decideDosingStart(s2, { deviationReason: 'weight-based titration agreed by phone' }, required);
    expect(d.events[0]!.payload).toMatchObject({
      orderDeviation: {
        reason: 'weight-based titration agreed by phone',
        differences: ['dose 0.6 mg/kg, ordered 0.5 mg/kg'],
      },
    });
  });

  it('a plan above the order maximum is refused whatever the reason', () => {
    const s = stateOf([checkIn, ivOrder({ maxDoseMg: 40 }), ivPlan(48, 40)]);
    expect(refusal(() => decideDosingStart(s, { deviationReason: 'x' }, required)).field).toBe('doseMg');
  });

  it('with second-person verification on, the current plan must be verified', () => {
    const plan = recorded(ivPlan(), -10);
    const check = { secondPersonVerification: true };
    const s = stateOf([checkIn, ivOrder(), plan]);
    expect(refusal(() => decideDosingStart(s, {}, check)).field).toBe('verification');
    const v = decideVerifyDose(s, { verifier: { userId: 'u2', name: 'Nurse Two' }, recorderUserId: 'u1' });
    const verified = stateOf([checkIn, ivOrder(), plan, recorded(v.events[0]!, -5)]);
    expect(decideDosingStart(verified, {}, check).events[0]!.kind).toBe('dosing-start');
    // A verification of an earlier plan does not count for a new one.
    const replanned = stateOf([checkIn, ivOrder(), plan, recorded(v.events[0]!, -5), recorded(ivPlan(), -4)]);
    expect(refusal(() => decideDosingStart(replanned, {}, check)).field).toBe('verification');
  });

  it('the second person must be someone else', () => {
    const s = stateOf([checkIn, ivOrder(), ivPlan()]);
    expect(
      refusal(() => decideVerifyDose(s, { verifier: { userId: 'u1', name: 'Me' }, recorderUserId: 'u1' }))
        .field,
    ).toBe('verifierEmail');
  });

  it('property: the plan deviates exactly when mg/kg or duration differ from the order', () => {
    fc.assert(
      fc.property(fc.constantFrom(0.4, 0.5, 0.6), fc.constantFrom(40, 60), (mgPerKg, minutes) => {
        const order = ivOrder({ maxDoseMg: 1000 }).payload as OrderPayload;
        const plan = { ...(ivPlan(mgPerKg * 80, minutes).payload as object), doseMgPerKg: mgPerKg };
        const d = planDeviations(plan as Parameters<typeof planDeviations>[0], order);
        expect(d.length).toBe((mgPerKg !== 0.5 ? 1 : 0) + (minutes !== 40 ? 1 : 0));
      }),
    );
  });

  it('esketamine: a dose other than the ordered mg deviates', () => {
    const order: NewSessionEvent = {
      kind: 'order-signed',
      timeMin: null,
      payload: {
        ...(ivOrder().payload as OrderPayload),
        drug: 'esketamine',
        route: 'intranasal',
        doseMgPerKg: null,
        doseMg: 56,
        durationMin: null,
        rateMgPerMin: null,
        maxDoseMg: 84,
      },
    };
    const s = stateOf([checkIn, order, eskPlan(3)], 0, 'esketamine');
    expect(refusal(() => decideDosingStart(s, {}, required)).message).toMatch(/dose 84 mg, ordered 56 mg/);
  });
});

describe('rescue medications', () => {
  const dosing = (extra: NewSessionEvent[] = []) =>
    stateOf([checkIn, ivOrder(), ivPlan(), start, ...extra], 12);

  it('a rescue on the order is recorded against it, at the minute given', () => {
    const s = dosing();
    const d = decideRescue(
      s,
      { drug: 'ondansetron', doseMg: 4, route: 'iv', reason: 'nausea', atMin: 10 },
      [],
    );
    expect(d.events[0]).toMatchObject({
      kind: 'rescue-given',
      timeMin: 10,
      payload: {
        drug: 'ondansetron',
        doseMg: 4,
        deviationReason: null,
        orderEventId: s.record.orders[0]!.id,
      },
    });
  });

  it('refuses without an order, a drug not on it, an allergy, or more than ordered', () => {
    const noOrder = stateOf([checkIn, ivPlan(), start], 12);
    const cmd = { drug: 'ondansetron' as const, doseMg: 4, route: 'iv' as const, reason: 'nausea' };
    expect(refusal(() => decideRescue(noOrder, cmd, [])).field).toBe('order');
    expect(refusal(() => decideRescue(dosing(), { ...cmd, drug: 'midazolam' }, [])).field).toBe('drug');
    expect(refusal(() => decideRescue(dosing(), cmd, [allergy('ondansetron')])).message).toMatch(
      /active allergy to ondansetron/,
    );
    expect(refusal(() => decideRescue(dosing(), { ...cmd, doseMg: 8 }, [])).field).toBe('doseMg');
  });

  it('a lower dose or another route needs a reason, recorded with the rescue', () => {
    const cmd = { drug: 'ondansetron' as const, doseMg: 2, route: 'iv' as const, reason: 'nausea' };
    expect(refusal(() => decideRescue(dosing(), cmd, [])).field).toBe('deviationReason');
    const d = decideRescue(dosing(), { ...cmd, deviationReason: 'small patient, prescriber agreed' }, []);
    expect(d.events[0]!.payload).toMatchObject({ deviationReason: 'small patient, prescriber agreed' });
  });

  it('cannot be in the future', () => {
    const cmd = { drug: 'ondansetron' as const, doseMg: 4, route: 'iv' as const, reason: 'n', atMin: 30 };
    expect(refusal(() => decideRescue(dosing(), cmd, [])).field).toBe('atMin');
  });

  it('allergy matching: brand names count, other drugs and inactive entries do not', () => {
    expect(rescueAllergyRefusal([allergy('Versed')], 'midazolam')).toMatch(/Versed/);
    expect(rescueAllergyRefusal([allergy('penicillin')], 'midazolam')).toBeNull();
    expect(rescueAllergyRefusal([allergy('midazolam', 'entered-in-error')], 'midazolam')).toBeNull();
  });
});
