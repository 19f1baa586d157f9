import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { dayNumber } from '../calendar';
import { TAPER_DRUGS } from './drugs';
import { blockingInfusion, DEFAULT_INFUSION_SPACING } from './ketamine';
import { occupancyModelsFor, occupancyPct } from './occupancy';
import type { TaperPlan, TaperPlanInput } from './plan';
import { planStateOn, planTaper, replanAfterDecision } from './plan';

const base = { intervalDays: 28, startDate: '2026-01-05' } as const;

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return undefined;
}

/** Invariants every plan must satisfy, checked independently of how the planner built it. */
function checkInvariants(plan: TaperPlan, input: TaperPlanInput): void {
  const steps = plan.steps;
  expect(steps[0]!.kind).toBe('start');
  expect(steps.at(-1)!.kind).toBe('stop');
  expect(steps.at(-1)!.doseMg).toBe(0);
  const effective = steps.map((s) => s.doseMg ?? s.targetDoseMg);
  for (let i = 1; i < steps.length; i++) {
    const s = steps[i]!;
    const prev = effective[i - 1]!;
    // monotone: each step strictly lower than the one before
    expect(effective[i]!).toBeLessThan(prev);
    // guideline limit per step (the stop step is exempt: stopping is the final dose's end)
    if (s.kind === 'reduce') {
      expect(((prev - effective[i]!) / prev) * 100).toBeLessThanOrEqual(plan.maxCutPct + 1e-3); // doses are kept to 1e-6 mg
      // deliverable, or explicitly flagged with a reason
      if (s.deliverable) {
        expect(s.doseMg).not.toBeNull();
        expect(s.realisation).not.toBeNull();
        // realised within ± half the planned cut of the target
        expect(Math.abs(s.doseMg! - s.targetDoseMg)).toBeLessThanOrEqual(
          0.5 * (prev - s.targetDoseMg) + 1e-5,
        );
      } else {
        expect(s.doseMg).toBeNull();
        expect(s.how).toMatch(/NOT DELIVERABLE/);
        expect(s.problems.length).toBeGreaterThan(0);
      }
    }
    // intervals never shorter than asked; dates and day offsets agree
    expect(s.day - steps[i - 1]!.day).toBeGreaterThanOrEqual(input.intervalDays);
    expect(dayNumber(s.date, 'd') - dayNumber(steps[0]!.date, 'd')).toBe(s.day);
    // daily doses only: nothing generates alternate-day dosing
    expect(s.how).not.toMatch(/other day|alternate/i);
  }
  expect(plan.undeliverableSteps).toBe(steps.filter((s) => s.kind === 'reduce' && !s.deliverable).length);
}

describe('planTaper: occupancy mode', () => {
  it('worked example: citalopram 20 mg, −5 pp targets follow tapering.md §1.5 [D] while the cut stays ≤ 50 %', () => {
    const plan = planTaper({
      ...base,
      drug: 'citalopram',
      startDoseMg: 20,
      mode: 'occupancy',
      stepPp: 5,
      maxCutPct: 50,
    });
    const printed = [11.9, 8.1, 5.9, 4.5, 3.5, 2.7, 2.1, 1.7];
    plan.steps
      .slice(1, 9)
      .forEach((s, i) => expect(Math.abs(s.targetDoseMg - printed[i]!)).toBeLessThanOrEqual(0.1));
    expect(plan.steps[1]!.limitedBy).toBeUndefined();
    checkInvariants(plan, { ...base, drug: 'citalopram', startDoseMg: 20, mode: 'occupancy', stepPp: 5 });
  });

  it('target occupancy decrements are exactly the step unless a flagged guideline limit binds (property)', () => {
    const drugs = [
      ...new Set(TAPER_DRUGS.filter((d) => occupancyModelsFor(d.name).length > 0).map((d) => d.name)),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...drugs),
        fc.double({ min: 5, max: 200, noNaN: true }),
        fc.constantFrom(5, 10),
        fc.constantFrom(25, 50),
        fc.integer({ min: 14, max: 28 }),
        (drug, startDoseMg, stepPp, maxCutPct, intervalDays) => {
          const model = occupancyModelsFor(drug)[0]!;
          if (occupancyPct(model, startDoseMg) <= stepPp) return;
          const input: TaperPlanInput = {
            drug,
            startDoseMg,
            mode: 'occupancy',
            stepPp,
            maxCutPct,
            intervalDays,
            startDate: '2026-03-02',
            modelId: model.id,
          };
          const plan = planTaper(input);
          checkInvariants(plan, input);
          for (let i = 1; i < plan.steps.length - 1; i++) {
            const s = plan.steps[i]!;
            const drop = plan.steps[i - 1]!.targetOccupancyPct! - s.targetOccupancyPct!;
            if (s.limitedBy === undefined) expect(drop).toBeCloseTo(stepPp, 6);
            else expect(drop).toBeLessThan(stepPp);
            // realised occupancy lies between the neighbouring targets' midpoints (form rounding)
            if (s.occupancyPct !== null)
              expect(Math.abs(s.occupancyPct - s.targetOccupancyPct!)).toBeLessThan(stepPp);
          }
          // the stop comes when one more step would take occupancy to ≤ 0
          const last = plan.steps.at(-2)!;
          expect(last.targetOccupancyPct!).toBeLessThanOrEqual(stepPp + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('requires a region for drugs with several models and rejects a step above the start occupancy', () => {
    expect(
      fieldOf(() =>
        planTaper({ ...base, drug: 'escitalopram', startDoseMg: 10, mode: 'occupancy', stepPp: 10 }),
      ),
    ).toBe('model');
    expect(
      fieldOf(() =>
        planTaper({ ...base, drug: 'sertraline', startDoseMg: 1, mode: 'occupancy', stepPp: 20 }),
      ),
    ).toBe('stepPp');
    expect(
      fieldOf(() => planTaper({ ...base, drug: 'diazepam', startDoseMg: 10, mode: 'occupancy', stepPp: 5 })),
    ).toBe('mode');
  });
});

describe('planTaper: proportional mode', () => {
  it('worked example (hand-checked): citalopram 20 mg −25 % → 15 mg as 10 mg + ¼ of a scored 20 mg tablet', () => {
    const input: TaperPlanInput = {
      ...base,
      drug: 'citalopram',
      startDoseMg: 20,
      mode: 'proportional',
      stepPct: 25,
    };
    const plan = planTaper(input);
    expect(plan.steps[1]!.doseMg).toBe(15);
    expect(plan.steps[1]!.date).toBe('2026-02-02');
    expect(plan.steps[1]!.how).toContain('citalopram 20 mg tablet: ¼ tablet');
    // 15 × 0.75 = 11.25 mg: no tablet combination within ±1.875 mg, so the 2 mg/mL solution (5.6–5.7 mL)
    expect(plan.steps[2]!.realisation?.kind).toBe('liquid');
    expect(Math.abs(plan.steps[2]!.doseMg! - 11.25)).toBeLessThanOrEqual(0.2);
    checkInvariants(plan, input);
  });

  it('respects the limits and is monotone across drugs, doses and step sizes (property)', () => {
    const withForms = TAPER_DRUGS.filter((d) => d.forms.length > 0).map((d) => d.name);
    fc.assert(
      fc.property(
        fc.constantFrom(...withForms),
        fc.double({ min: 0.5, max: 150, noNaN: true }),
        fc.constantFrom(5, 10, 20, 25),
        fc.integer({ min: 14, max: 28 }),
        (drug, startDoseMg, stepPct, intervalDays) => {
          const isBzd = TAPER_DRUGS.find((d) => d.name === drug)!.taperClass === 'benzodiazepine';
          const input: TaperPlanInput = {
            drug,
            startDoseMg,
            mode: 'proportional',
            stepPct: isBzd ? Math.min(stepPct, 10) : stepPct,
            intervalDays,
            startDate: '2026-03-02',
            finalDoseMg: Math.min(startDoseMg, Math.max(0.5, startDoseMg / 20)),
          };
          checkInvariants(planTaper(input), input);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('applies ASAM 2025 to benzodiazepines: initial pace ≤ 10 %, never above 25 % per 2 weeks', () => {
    const bzd = { ...base, drug: 'diazepam', startDoseMg: 20, mode: 'proportional' as const };
    expect(fieldOf(() => planTaper({ ...bzd, stepPct: 15 }))).toBe('stepPct');
    expect(planTaper({ ...bzd, stepPct: 15, shortTermBzdUse: true }).stepPct).toBe(15);
    expect(fieldOf(() => planTaper({ ...bzd, stepPct: 30, shortTermBzdUse: true }))).toBe('stepPct');
    expect(fieldOf(() => planTaper({ ...bzd, stepPct: 10, maxCutPct: 30 }))).toBe('maxCutPct');
    expect(planTaper({ ...bzd, stepPct: 10 }).rules.map((r) => r.id)).toContain('asam-bzd-max-25pct-per-2wk');
  });

  it('limits antidepressant cuts to 25 % (Maudsley) unless raised, at most to 50 % (NICE example)', () => {
    const ad = { ...base, drug: 'sertraline', startDoseMg: 100, mode: 'proportional' as const };
    expect(fieldOf(() => planTaper({ ...ad, stepPct: 30 }))).toBe('stepPct');
    expect(planTaper({ ...ad, stepPct: 30, maxCutPct: 50 }).maxCutPct).toBe(50);
    expect(fieldOf(() => planTaper({ ...ad, stepPct: 30, maxCutPct: 60 }))).toBe('maxCutPct');
  });

  it('rejects intervals outside 2–4 weeks, bad dates and unknown drugs, naming the input', () => {
    const ok = { ...base, drug: 'sertraline', startDoseMg: 100, mode: 'proportional' as const, stepPct: 10 };
    expect(fieldOf(() => planTaper({ ...ok, intervalDays: 7 }))).toBe('intervalDays');
    expect(fieldOf(() => planTaper({ ...ok, intervalDays: 35 }))).toBe('intervalDays');
    expect(fieldOf(() => planTaper({ ...ok, startDate: '2026-02-30' }))).toBe('startDate');
    expect(fieldOf(() => planTaper({ ...ok, drug: 'aspirin' }))).toBe('drug');
    expect(fieldOf(() => planTaper({ ...ok, startDoseMg: -5 }))).toBe('startDoseMg');
    expect(fieldOf(() => planTaper({ ...ok, stepPct: 10, maxSteps: 3 }))).toBe('stepPct');
  });

  it('reports every step of a drug without dose forms as not deliverable', () => {
    const plan = planTaper({
      ...base,
      drug: 'vortioxetine',
      startDoseMg: 20,
      mode: 'proportional',
      stepPct: 25,
      finalDoseMg: 5,
    });
    expect(plan.steps.filter((s) => s.kind === 'reduce').every((s) => !s.deliverable)).toBe(true);
    expect(
      fieldOf(() =>
        planTaper({ ...base, drug: 'vortioxetine', startDoseMg: 20, mode: 'proportional', stepPct: 25 }),
      ),
    ).toBe('finalDoseMg');
  });

  it('keeps a liquid once started instead of switching back to tablets', () => {
    const plan = planTaper({
      ...base,
      drug: 'sertraline',
      startDoseMg: 50,
      mode: 'proportional',
      stepPct: 10,
      finalDoseMg: 2,
    });
    const kinds = plan.steps.filter((s) => s.realisation).map((s) => s.realisation!.kind);
    const firstLiquid = kinds.indexOf('liquid');
    expect(firstLiquid).toBeGreaterThan(0);
    // after the first liquid step, tablets return only where the liquid cannot deliver the target
    const back = plan.steps.slice(1).filter((s, i) => i > firstLiquid && s.realisation?.kind === 'solid');
    expect(back.length).toBeLessThanOrEqual(1);
  });
});

describe('planTaper: ketamine infusions', () => {
  it('worked example: a change due on an infusion day moves past the 48 h window (hand-checked)', () => {
    // Reduction due 2026-01-19. Infusions 01-19 and 01-21 block 01-17…01-19 and 01-19…01-21 → 01-22.
    const plan = planTaper({
      drug: 'diazepam',
      startDoseMg: 20,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 14,
      startDate: '2026-01-05',
      infusionDates: ['2026-01-19', '2026-01-21'],
    });
    expect(plan.steps[1]!.date).toBe('2026-01-22');
    expect(plan.steps[1]!.shiftedFromDate).toBe('2026-01-19');
    expect(plan.steps[2]!.date).toBe('2026-02-05'); // next interval counts from the shifted date
    // 20 mg diazepam on both infusion days: above 8 mg/day DE (Andrashko 2020)
    expect(plan.infusionFlags.map((f) => [f.date, f.level])).toEqual([
      ['2026-01-19', 'above'],
      ['2026-01-21', 'above'],
    ]);
  });

  it('flags only infusion days whose benzodiazepine dose is above 8 mg/day DE', () => {
    const plan = planTaper({
      drug: 'diazepam',
      startDoseMg: 9,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 28,
      startDate: '2026-01-05',
      infusionDates: ['2026-01-06', '2026-06-01'],
      infusionSpacing: { noChangeHoursBeforeInfusion: 0 },
    });
    expect(plan.infusionFlags.map((f) => f.date)).toEqual(['2026-01-06']);
    const ssri = planTaper({
      ...base,
      drug: 'sertraline',
      startDoseMg: 50,
      mode: 'proportional',
      stepPct: 10,
      infusionDates: ['2026-01-06'],
    });
    expect(ssri.infusionFlags).toEqual([]);
    const withOther = planTaper({
      ...base,
      drug: 'sertraline',
      startDoseMg: 50,
      mode: 'proportional',
      stepPct: 10,
      infusionDates: ['2026-01-06'],
      otherBenzodiazepines: [{ drug: 'lorazepam', doseMgPerDay: 1 }],
    });
    expect(withOther.infusionFlags.map((f) => f.level)).toEqual(['above']); // lorazepam 1 mg = 10 mg DE (Ashton)
  });

  it('never places a dose change inside the no-change window (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 12 }),
        fc.constantFrom(24, 48, 72),
        (offsets, hours) => {
          const start = dayNumber('2026-01-05', 'd');
          const infusionDates = offsets.map((o) =>
            new Date((start + o) * 86_400_000).toISOString().slice(0, 10),
          );
          const plan = planTaper({
            drug: 'sertraline',
            startDoseMg: 100,
            mode: 'proportional',
            stepPct: 25,
            intervalDays: 14,
            startDate: '2026-01-05',
            infusionDates,
            infusionSpacing: { noChangeHoursBeforeInfusion: hours },
          });
          const days = infusionDates.map((d) => dayNumber(d, 'd'));
          const spacing = { ...DEFAULT_INFUSION_SPACING, noChangeHoursBeforeInfusion: hours };
          for (const s of plan.steps.slice(1)) {
            const d = dayNumber(s.date, 'd');
            expect(blockingInfusion(d, days, spacing)).toBeUndefined();
            for (const inf of days) expect(inf - d < 0 || inf - d > Math.ceil(hours / 24)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('replanAfterDecision', () => {
  const input: TaperPlanInput = {
    ...base,
    drug: 'sertraline',
    startDoseMg: 100,
    mode: 'proportional',
    stepPct: 25,
  };
  const plan = planTaper(input);

  it('hold: stays on the current dose and the next reduction comes a full interval later', () => {
    const held = replanAfterDecision(input, plan, { decision: 'hold', date: '2026-02-10' });
    expect(held.steps[0]!.doseMg).toBe(plan.steps[1]!.doseMg); // 75 mg in effect since 2026-02-02
    expect(held.steps[1]!.date).toBe('2026-03-10');
  });

  it('step-back: restarts the previous dose with a strictly smaller step (NICE 1.4.22)', () => {
    const back = replanAfterDecision(input, plan, { decision: 'step-back', date: '2026-03-05', stepPct: 10 });
    expect(back.steps[0]!.doseMg).toBe(plan.steps[1]!.doseMg); // back from 56.25 mg to 75 mg
    expect(back.stepPct).toBe(10);
    expect(
      fieldOf(() =>
        replanAfterDecision(input, plan, { decision: 'step-back', date: '2026-03-05', stepPct: 25 }),
      ),
    ).toBe('stepPct');
    expect(
      fieldOf(() =>
        replanAfterDecision(input, plan, { decision: 'step-back', date: '2026-01-06', stepPct: 10 }),
      ),
    ).toBe('date');
  });
});

describe('planStateOn', () => {
  it('reports the step in effect and the next change for a date', () => {
    const plan = planTaper({
      ...base,
      drug: 'sertraline',
      startDoseMg: 100,
      mode: 'proportional',
      stepPct: 25,
    });
    const st = planStateOn(plan, '2026-02-10');
    expect(st).toMatchObject({ stepIndex: 1, doseMg: 75, lastChangeDate: '2026-02-02' });
    expect(st.next).toMatchObject({ date: '2026-03-02', daysAway: 20 });
    expect(fieldOf(() => planStateOn(plan, '2025-12-31'))).toBe('date');
  });
});
