import { describe, expect, it } from 'vitest';
import { mechanismResponseSchema, runMechanism } from './api';
import { ClinicalInputError } from '../errors';

const body = {
  timesMin: [0, 10, 20, 40, 50, 80, 110, 120, 230, 360, 1440],
  plasmaNgPerMl: [0, 181.8, 209.6, 240.4, 71.1, 45.8, 38.1, 35.8, 18.4, 8.4, 0],
};

const fieldOf = (b: unknown): string => {
  try {
    runMechanism(b);
  } catch (e) {
    if (e instanceof ClinicalInputError) return e.field;
    throw e;
  }
  return 'no error';
};

describe('mechanism request/response schemas', () => {
  it('a real result satisfies the strict response schema', () => {
    const out = runMechanism({ ...body, drug: 'esketamine', receptorOverrides: { kiParentUm: 1 } });
    const parsed = mechanismResponseSchema.safeParse(out);
    expect(parsed.success).toBe(true);
    expect(out.parameters.find((p) => p.id === 'kiParentUm')!.status).toBe('user-set');
  });

  it('names the bad field for schema and model errors', () => {
    expect(fieldOf({ ...body, plasmaNgPerMl: body.plasmaNgPerMl.map((c, i) => (i === 3 ? -1 : c)) })).toBe(
      'plasmaNgPerMl.3',
    );
    expect(fieldOf({ ...body, drug: 'memantine' })).toBe('drug');
    expect(fieldOf({ ...body, receptorOverrides: { kiParentUM: 1 } })).toBe('receptorOverrides');
    expect(fieldOf({ ...body, timesMin: [...body.timesMin].reverse() })).toBe('timesMin[1]');
    expect(fieldOf({ ...body, spineOverrides: { delayStages: 0 } })).toBe('delayStages');
    expect(fieldOf(null)).toBe('request');
  });
});
