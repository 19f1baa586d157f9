import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableForms,
  liquidRealisation,
  realiseDose,
  realiseExactly,
  solidCombinations,
} from './doseForms';
import type { LiquidForm, SolidForm } from './drugs';
import { findTaperDrug, TAPER_DRUGS } from './drugs';

const drug = (name: string) => findTaperDrug(name)!;

describe('dose forms', () => {
  it('says what to take in words: sertraline 20 mg/mL concentrate, 0.6 mL = 12 mg', () => {
    const form = drug('sertraline').forms.find((f): f is LiquidForm => f.kind === 'liquid')!;
    const r = liquidRealisation(form, 6, 0.1);
    expect(r.doseMg).toBe(12);
    expect(r.how).toContain('sertraline 20 mg/mL oral concentrate, 0.6 mL');
    expect(r.administration).toMatch(/Dilute/);
  });

  it('splits scored tablets into quarters but never splits capsules, unscored, CR/ER/DR tablets', () => {
    const esc = solidCombinations(
      availableForms(drug('escitalopram')).filter((f): f is SolidForm => f.kind !== 'liquid'),
    );
    const doses = esc.map((r) => r.doseMg);
    expect(doses).toContain(2.5); // ¼ of 10 mg (scored)
    expect(doses).not.toContain(1.25); // ¼ of 5 mg would need splitting an unscored tablet
    const dul = solidCombinations(
      availableForms(drug('duloxetine')).filter((f): f is SolidForm => f.kind !== 'liquid'),
    );
    expect(Math.min(...dul.map((r) => r.doseMg))).toBe(20);
    const parCr = drug('paroxetine').forms.filter(
      (f): f is SolidForm => f.kind !== 'liquid' && f.release === 'CR',
    );
    expect(solidCombinations(parCr).map((r) => r.doseMg)).not.toContain(6.25);
  });

  it('prefers tablets when they fit, and reports an undeliverable dose instead of rounding it', () => {
    const ok = realiseDose(drug('sertraline'), 50, { minMg: 40, belowMg: 60, maxDeviationMg: 1 });
    expect(ok.ok && ok.realisation.kind).toBe('solid');
    // Duloxetine 10 mg: smallest capsule 20 mg, no liquid.
    const no = realiseDose(drug('duloxetine'), 10, { minMg: 7.5, belowMg: 13.6, maxDeviationMg: 2 });
    expect(no.ok).toBe(false);
    if (!no.ok) expect(no.reason).toMatch(/no available form of duloxetine delivers 10 mg/);
  });

  it('a liquid dose below one 0.1 mL graduation is not deliverable', () => {
    // citalopram 2 mg/mL: 0.1 mL = 0.2 mg; 0.05 mg cannot be measured
    expect(
      realiseDose(drug('citalopram'), 0.05, { minMg: 0.03, belowMg: 0.1, maxDeviationMg: 0.03 }).ok,
    ).toBe(false);
    // with a 0.05 mL syringe resolution, 0.1 mg is measurable
    const r = realiseDose(
      drug('citalopram'),
      0.1,
      { minMg: 0.08, belowMg: 0.2, maxDeviationMg: 0.01 },
      { liquidResolutionMl: 0.05 },
    );
    expect(r.ok && r.realisation.liquid?.volumeMl).toBe(0.05);
  });

  it('market filter removes UK-only venlafaxine liquids', () => {
    const us = availableForms(drug('venlafaxine'), { market: 'US' });
    expect(us.some((f) => f.kind === 'liquid')).toBe(false);
    expect(availableForms(drug('venlafaxine'), { market: 'UK' }).some((f) => f.kind === 'liquid')).toBe(true);
  });

  it('every realised dose equals the sum of its parts and respects the constraints (property)', () => {
    const withForms = TAPER_DRUGS.filter((d) => d.forms.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...withForms),
        fc.double({ min: 0.05, max: 200, noNaN: true }),
        (d, target) => {
          const c = { minMg: target * 0.75, belowMg: target * 1.2, maxDeviationMg: target * 0.1 };
          const r = realiseDose(d, target, c);
          if (!r.ok) return;
          const x = r.realisation;
          expect(x.doseMg).toBeGreaterThanOrEqual(c.minMg - 1e-9);
          expect(x.doseMg).toBeLessThan(c.belowMg);
          expect(Math.abs(x.doseMg - target)).toBeLessThanOrEqual(c.maxDeviationMg + 1e-9);
          const byId = new Map(d.forms.map((f) => [f.id, f]));
          const sum = x.liquid
            ? x.liquid.volumeMl * (byId.get(x.liquid.formId) as LiquidForm).concentrationMgPerMl
            : (x.solid ?? []).reduce((s, p) => s + p.units * (byId.get(p.formId) as SolidForm).strengthMg, 0);
          expect(sum).toBeCloseTo(x.doseMg, 5);
          if (x.liquid) {
            // whole number of 0.1 mL graduations
            expect(Math.abs(x.liquid.volumeMl * 10 - Math.round(x.liquid.volumeMl * 10))).toBeLessThan(1e-6);
          }
          for (const p of x.solid ?? []) {
            const f = byId.get(p.formId) as SolidForm;
            const step = f.scored ? 0.25 : 1;
            expect(Math.abs(p.units / step - Math.round(p.units / step))).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('realises a current dose exactly or returns null', () => {
    expect(realiseExactly(drug('sertraline'), 150)?.how).toMatch(/150 mg capsule/);
    expect(realiseExactly(drug('duloxetine'), 15)).toBeNull();
  });
});
