import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { parseDose, parseRegimen } from './regimen';

describe('regimen language', () => {
  it('parses the examples of the specification', () => {
    expect(parseDose('0.5 mg/kg over 40 min')).toMatchObject({
      amount: 0.5,
      unit: 'mg/kg',
      route: 'iv',
      durationMin: 40,
      startMin: 0,
    });
    expect(parseDose('35 mg over 40 min at 0 min')).toMatchObject({
      amount: 35,
      unit: 'mg',
      durationMin: 40,
      startMin: 0,
    });
    expect(parseDose('20 mg at 60 min')).toMatchObject({
      amount: 20,
      unit: 'mg',
      durationMin: null,
      startMin: 60,
    });
    expect(parseDose('0.75 mg/kg over 45 min at 2880 min')).toMatchObject({
      amount: 0.75,
      durationMin: 45,
      startMin: 2880,
    });
    expect(parseDose('56 mg intranasal at 0 min')).toMatchObject({
      amount: 56,
      route: 'intranasal',
      durationMin: null,
      startMin: 0,
    });
    expect(parseDose('  35   MG over 1 h at 2 h ')).toMatchObject({
      durationMin: 60,
      startMin: 120,
      text: '35   MG over 1 h at 2 h',
    });
  });

  const bad: [string, string][] = [
    ['0.5mg/kg over 40 min', 'dose token "0.5mg/kg"'],
    ['abc mg', 'dose token "abc"'],
    ['0.5 mg/lb over 40 min', 'dose token "mg/lb"'],
    ['35 mg over 40 sec', 'dose token "sec"'],
    ['35 mg for 40 min', 'dose token "for"'],
    ['35 mg over 40', 'dose'],
    ['35 mg over 40 min at', 'dose'],
    ['-5 mg', 'dose token "-5"'],
    ['0 mg at 0 min', 'dose token "0"'],
    ['35 mg over 0 min', 'dose token "0"'],
    ['56 mg intranasal over 10 min', 'dose token "over"'],
    ['0.5 mg/kg intranasal', 'dose token "mg/kg"'],
    ['35 mg at 0 min at 5 min', 'dose token "at"'],
    ['35 mg at 0 min iv', 'dose token "iv"'],
    ['35', 'dose'],
    ['', 'dose'],
  ];
  for (const [text, field] of bad) {
    it(`refuses "${text}" naming ${field}`, () => {
      let err: unknown;
      try {
        parseDose(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ClinicalInputError);
      expect((err as ClinicalInputError).field).toBe(field);
      expect((err as ClinicalInputError).message.length).toBeGreaterThan(5);
    });
  }

  it('refuses an empty regimen', () => {
    expect(() => parseRegimen([])).toThrow(ClinicalInputError);
  });

  it('round-trips any well-formed dose (fast-check)', () => {
    const num = fc.integer({ min: 1, max: 100_000 }).map((n) => n / 100);
    fc.assert(
      fc.property(
        num,
        fc.constantFrom('mg', 'mg/kg'),
        fc.option(num, { nil: null }),
        fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: null }),
        (amount, unit, dur, start) => {
          const text = `${amount} ${unit}${dur === null ? '' : ` over ${dur} min`}${start === null ? '' : ` at ${start} min`}`;
          const d = parseDose(text);
          expect(d).toMatchObject({ amount, unit, durationMin: dur, startMin: start ?? 0, route: 'iv' });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any other string is either a dose or a ClinicalInputError (fast-check)', () => {
    const word = fc.constantFrom(
      '35',
      '0.5',
      'mg',
      'mg/kg',
      'over',
      'at',
      'min',
      'h',
      'iv',
      'oral',
      'intranasal',
      'x',
      '-1',
      '1e3',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        try {
          parseDose(words.join(' '));
        } catch (e) {
          expect(e).toBeInstanceOf(ClinicalInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
