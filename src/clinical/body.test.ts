import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjustedBodyWeight, bmi, dosingWeightKg, idealBodyWeightDevine } from './body';
import { ClinicalInputError } from './errors';

describe('bmi', () => {
  it('is weight over height squared', () => {
    expect(bmi(70, 175)).toBeCloseTo(70 / 1.75 ** 2, 10); // 22.857
    expect(bmi(100, 200)).toBeCloseTo(25, 10);
  });
  it('rejects non-positive and implausible inputs naming the field', () => {
    expect(() => bmi(0, 170)).toThrow(ClinicalInputError);
    expect(() => bmi(70, -1)).toThrowError(/heightCm|must be a positive/);
    try {
      bmi(70, Number.NaN);
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('heightCm');
    }
    expect(() => bmi(900, 170)).toThrowError(/at most 500/);
  });
});

describe('idealBodyWeightDevine', () => {
  it('gives the base weight at exactly 5 ft (152.4 cm)', () => {
    expect(idealBodyWeightDevine(152.4, 'male').idealKg).toBeCloseTo(50, 10);
    expect(idealBodyWeightDevine(152.4, 'female').idealKg).toBeCloseTo(45.5, 10);
  });
  it('adds 2.3 kg per inch: 5 ft 10 in male = 73 kg, 5 ft 6 in female = 59.3 kg', () => {
    expect(idealBodyWeightDevine(70 * 2.54, 'male').idealKg).toBeCloseTo(73, 10);
    expect(idealBodyWeightDevine(66 * 2.54, 'female').idealKg).toBeCloseTo(59.3, 10);
    expect(idealBodyWeightDevine(70 * 2.54, 'male').belowSourceHeightRange).toBe(false);
  });
  it('marks heights below 5 ft as outside the source range', () => {
    expect(idealBodyWeightDevine(150, 'female').belowSourceHeightRange).toBe(true);
  });
  it('male exceeds female by 4.5 kg at every height', () => {
    fc.assert(
      fc.property(fc.double({ min: 140, max: 220, noNaN: true }), (h) => {
        const d = idealBodyWeightDevine(h, 'male').idealKg - idealBodyWeightDevine(h, 'female').idealKg;
        return Math.abs(d - 4.5) < 1e-9;
      }),
    );
  });
});

describe('adjustedBodyWeight', () => {
  it('is IBW + 0.4 × excess', () => {
    // 5 ft 10 in male, IBW 73 kg, actual 123 kg -> 73 + 0.4 × 50 = 93 kg
    expect(adjustedBodyWeight(123, 70 * 2.54, 'male')).toBeCloseTo(93, 10);
  });
  it('uses the actual weight when it is at or below ideal', () => {
    expect(adjustedBodyWeight(60, 70 * 2.54, 'male')).toBe(60);
  });
  it('lies between ideal and actual weight', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 40, max: 250, noNaN: true }),
        fc.double({ min: 150, max: 210, noNaN: true }),
        fc.constantFrom('male' as const, 'female' as const),
        (w, h, sex) => {
          const ibw = idealBodyWeightDevine(h, sex).idealKg;
          const abw = adjustedBodyWeight(w, h, sex);
          return abw <= w + 1e-9 && abw >= Math.min(ibw, w) - 1e-9;
        },
      ),
    );
  });
});

describe('dosingWeightKg', () => {
  it('selects the basis and requires height and sex for ideal/adjusted', () => {
    expect(dosingWeightKg('actual', 80)).toBe(80);
    expect(dosingWeightKg('ideal', 80, 70 * 2.54, 'male')).toBeCloseTo(73, 10);
    expect(() => dosingWeightKg('ideal', 80)).toThrowError(/height is required/);
    expect(() => dosingWeightKg('adjusted', 80, 170)).toThrowError(/sex at birth is required/);
    try {
      dosingWeightKg('ideal', 80, 170, undefined, { sexAtBirth: 'sex' });
      expect.unreachable();
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('sex');
    }
  });
});
