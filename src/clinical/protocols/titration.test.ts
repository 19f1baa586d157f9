import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { daysBetween } from '../calendar';
import { suggestBoosterDueDate, suggestTitration } from './titration';

const base = {
  infusionDosesMgPerKg: [0.5, 0.5, 0.5],
  baselineScore: 20,
  latestScore: 16,
  instrument: 'PHQ-9',
  clinicMaxDoseMgPerKg: 1,
};

describe('suggestTitration (Cusin 2017)', () => {
  it('inadequate improvement after 3 infusions at 0.5 → consider 0.75 mg/kg over 45 min', () => {
    const s = suggestTitration(base);
    expect(s).toMatchObject({ kind: 'consider-dose-increase', doseMgPerKg: 0.75, infusionDurationMin: 45 });
    expect(s.message).toContain('20 %'); // (20 − 16) / 20
    expect(s.citations[0]!.source).toContain('Cusin');
  });
  it('exactly 50 % improvement is a response: no suggestion; 45 % is not', () => {
    expect(suggestTitration({ ...base, latestScore: 10 })).toMatchObject({ reason: 'adequate-improvement' });
    expect(suggestTitration({ ...base, latestScore: 11 }).kind).toBe('consider-dose-increase');
  });
  it('two infusions are too few', () => {
    expect(suggestTitration({ ...base, infusionDosesMgPerKg: [0.5, 0.5] })).toMatchObject({
      reason: 'too-few-infusions',
    });
  });
  it('respects the clinic maximum: 0.75 allowed at max 0.75, refused at max 0.7', () => {
    expect(suggestTitration({ ...base, clinicMaxDoseMgPerKg: 0.75 }).kind).toBe('consider-dose-increase');
    expect(suggestTitration({ ...base, clinicMaxDoseMgPerKg: 0.7 })).toMatchObject({
      reason: 'above-clinic-maximum',
    });
  });
  it('already escalated: no further step is suggested', () => {
    expect(
      suggestTitration({ ...base, infusionDosesMgPerKg: [0.5, 0.5, 0.5, 0.75, 0.75, 0.75] }),
    ).toMatchObject({
      reason: 'not-at-starting-dose',
    });
  });
  it('rejects a zero baseline naming the field', () => {
    try {
      suggestTitration({ ...base, baselineScore: 0 });
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('titration.baselineScore');
    }
    expect.assertions(1);
  });
  it('property: an increase is suggested only with < 50 % improvement and never above the clinic maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        (b, l, max) => {
          const s = suggestTitration({
            ...base,
            baselineScore: b,
            latestScore: l,
            clinicMaxDoseMgPerKg: max,
          });
          if (s.kind === 'consider-dose-increase') {
            expect((b - l) / b).toBeLessThan(0.5);
            expect(s.doseMgPerKg).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });
});

describe('suggestBoosterDueDate', () => {
  it('uses the patient’s own measured time to relapse when known', () => {
    const s = suggestBoosterDueDate({ lastInfusionDate: '2026-12-11', measuredDaysToRelapse: 25 });
    expect(s).toMatchObject({
      basis: 'patient-measured',
      dueDate: '2027-01-05',
      ruleId: 'BOOST-PATIENT-RELAPSE',
    });
  });
  it('otherwise the labelled default of 18 days (Murrough 2013)', () => {
    const s = suggestBoosterDueDate({ lastInfusionDate: '2026-12-11' });
    expect(s.dueDate).toBe('2026-12-29');
    expect(s.basis).toBe('population-median-default');
    expect(s.message).toMatch(/DEFAULT/);
    expect(s.citations[0]!.source).toContain('Murrough');
  });
  it('lead days bring the date forward; a lead as long as the relapse time is refused', () => {
    expect(suggestBoosterDueDate({ lastInfusionDate: '2026-12-11', leadDays: 3 }).dueDate).toBe('2026-12-26');
    expect(() =>
      suggestBoosterDueDate({ lastInfusionDate: '2026-12-11', measuredDaysToRelapse: 5, leadDays: 5 }),
    ).toThrow(ClinicalInputError);
  });
  it('property: due date = last infusion + relapse days − lead', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 199 }), (days, lead) => {
        fc.pre(lead < days);
        const s = suggestBoosterDueDate({
          lastInfusionDate: '2026-06-30',
          measuredDaysToRelapse: days,
          leadDays: lead,
        });
        expect(daysBetween('2026-06-30', s.dueDate)).toBe(days - lead);
      }),
    );
  });
});
