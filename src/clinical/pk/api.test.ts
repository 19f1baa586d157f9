import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ClinicalInputError } from '../errors';
import {
  modelsCatalogue,
  modelsResponseSchema,
  planInfusion,
  planResponseSchema,
  planTci,
  simulate,
  simulateRequestSchema,
  simulateResponseSchema,
  tciResponseSchema,
  toSnakeCaseJson,
} from './api';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClinicalInputError);
    return (e as ClinicalInputError).field;
  }
  throw new Error('expected a ClinicalInputError');
}

describe('pure API entry points', () => {
  it('simulate accepts a step grid and returns JSON-serialisable results', () => {
    const r = simulate({
      model: 'herd-2007',
      weightKg: 70,
      doses: ['0.5 mg/kg over 40 min'],
      stepMin: 10,
      untilMin: 40,
    });
    expect(r.timesMin).toEqual([0, 10, 20, 30, 40]);
    expect(r.analytes.ketamine![4]).toBeCloseTo(253.4, 1); // reference §1.11
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('doses mg/kg on ideal body weight when asked (Devine, 170 cm male = 65.94 kg)', () => {
    const r = simulate({
      model: 'kamp-2020',
      weightKg: 100,
      heightCm: 170,
      sex: 'M',
      weightBasis: 'ideal',
      doses: ['0.5 mg/kg over 40 min'],
      timesMin: [40],
    });
    expect(r.doses[0]!.doseMg).toBeCloseTo(0.5 * (50 + 2.3 * (170 / 2.54 - 60)), 9);
  });

  it('refuses bad requests naming the field', () => {
    expect(fieldOf(() => simulate({ model: 'x', weightKg: 70, doses: ['1 mg'], timesMin: [0] }))).toBe(
      'model',
    );
    expect(
      fieldOf(() => simulate({ model: 'kamp-2020', weightKg: -1, doses: ['1 mg'], timesMin: [0] })),
    ).toBe('weightKg');
    expect(fieldOf(() => simulate({ model: 'kamp-2020', weightKg: 70, doses: ['1 mg'] }))).toBe('timesMin');
    expect(fieldOf(() => simulate({ model: 'kamp-2020', weightKg: 70, doses: [], timesMin: [0] }))).toBe(
      'doses',
    );
    expect(
      fieldOf(() => simulate({ model: 'kamp-2020', weightKg: 70, doses: ['1 mgs'], timesMin: [0] })),
    ).toBe('dose token "mgs"');
    expect(fieldOf(() => planInfusion({ weightKg: 70, dose: '0.5 mg/kg over 40 min', bagMl: 100 }))).toBe(
      'vialMgPerMl',
    );
    expect(fieldOf(() => planTci({ model: 'kamp-2020', weightKg: 70, durationMin: 10 }))).toBe(
      'targetNgPerMl',
    );
    expect(
      simulateRequestSchema.safeParse({ model: 'kamp-2020', weightKg: 70, doses: ['1 mg'], timesMin: [0] })
        .success,
    ).toBe(true);
  });

  it('planTci with a constant target holds it', () => {
    const r = planTci({ model: 'hijazi-2003', weightKg: 70, targetNgPerMl: 200, durationMin: 30 });
    expect(r.verification.segments[0]!.overshootPercent).toBeLessThanOrEqual(5);
    expect(r.boluses[0]!.doseMg).toBeCloseTo(200e-3 * 1.08 * 70, 9); // target (mg/L) × V1
  });

  it('responses match the exported response schemas exactly (strict)', () => {
    const sim = simulate({
      model: 'perez-ruixo-2021',
      weightKg: 70,
      doses: ['56 mg intranasal at 0 min', '20 mg over 40 min at 600 min'],
      timesMin: [0, 60],
      ke0PerMin: 0.5,
    });
    const strict = (s: z.ZodType, v: unknown): void => {
      expect(s.parse(v)).toEqual(v); // nothing stripped, nothing missing
    };
    strict(simulateResponseSchema, sim);
    strict(
      planResponseSchema,
      planInfusion({ weightKg: 70, dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 }),
    );
    strict(
      tciResponseSchema,
      planTci({ model: 'kamp-2020', weightKg: 70, targetNgPerMl: 100, durationMin: 5 }),
    );
    strict(modelsResponseSchema, modelsCatalogue());
  });

  it('toSnakeCaseJson converts nested keys only', () => {
    expect(toSnakeCaseJson({ timesMin: [1], analytes: { ketamine: [2] }, a: [{ cmaxNgPerMl: 3 }] })).toEqual({
      times_min: [1],
      analytes: { ketamine: [2] },
      a: [{ cmax_ng_per_ml: 3 }],
    });
  });
});
