import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import {
  assessRemission,
  assessResponse,
  MADRS_REMISSION_OPTIONS,
  rapidResponse,
  reliableChange,
  type RemissionThreshold,
} from './outcomes';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClinicalInputError);
    return (err as ClinicalInputError).field;
  }
  return 'no error';
}

describe('response (≥50 % fall from baseline)', () => {
  it.each([
    [20, 10, 50, true],
    [20, 11, 45, false],
    [15, 7, (8 / 15) * 100, true],
    [15, 8, (7 / 15) * 100, false],
    [10, 12, -20, false],
    [27, 0, 100, true],
  ])('baseline %i → %i: fall %f %%, response %s', (baseline, current, percent, response) => {
    const r = assessResponse(baseline, current);
    expect(r.fallPercent).toBeCloseTo(percent, 10);
    expect(r.response).toBe(response);
  });

  it('uses a clinic threshold when given', () => {
    expect(assessResponse(20, 14, 30).response).toBe(true); // 6/20 = 30 %
    expect(assessResponse(20, 15, 30).response).toBe(false); // 5/20 = 25 %
  });

  it('rejects a zero baseline and bad inputs, naming them', () => {
    expect(fieldOf(() => assessResponse(0, 0))).toBe('baselineScore');
    expect(fieldOf(() => assessResponse(10, -1))).toBe('currentScore');
    expect(fieldOf(() => assessResponse(10, 5, 0))).toBe('minimumFallPercent');
  });

  it('is exactly "2 × fall ≥ baseline" for integer scores (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), (b, c) => {
        expect(assessResponse(b, c).response).toBe(2 * (b - c) >= b);
      }),
    );
  });
});

describe('remission', () => {
  it.each<[string, number, boolean]>([
    ['phq9', 4, true],
    ['phq9', 5, false],
    ['qids-sr16', 5, true],
    ['qids-sr16', 6, false],
    ['madrs', 10, true],
    ['madrs', 11, false],
  ])('default %s at %i → %s', (id, score, remission) => {
    expect(assessRemission(id, score).remission).toBe(remission);
  });

  it('offers the MADRS ≤12 and <10 options', () => {
    const le12 = { madrs: MADRS_REMISSION_OPTIONS['esketamine-le12'] };
    expect(assessRemission('madrs', 12, le12).remission).toBe(true);
    expect(assessRemission('madrs', 13, le12).remission).toBe(false);
    const lt10 = { madrs: MADRS_REMISSION_OPTIONS['hawley-lt10'] };
    expect(assessRemission('madrs', 9, lt10).remission).toBe(true);
    expect(assessRemission('madrs', 10, lt10).remission).toBe(false);
  });

  it('needs a clinic threshold where the reference gives none', () => {
    expect(fieldOf(() => assessRemission('gad7', 3))).toBe('remissionThreshold');
    const custom: RemissionThreshold = { comparator: '<', value: 5, source: 'clinic policy', status: 'U' };
    expect(assessRemission('gad7', 4, { gad7: custom }).remission).toBe(true);
  });
});

describe('reliable change (Jacobson–Truax)', () => {
  const settings = { reliability: 0.84, baselineSd: 5, source: 'test values' };
  // SE = 5·√0.16 = 2; S_diff = √(2·4) = 2.8284…
  it.each([
    [20, 10, -10 / Math.sqrt(8), 'reliable-improvement'],
    [20, 16, -4 / Math.sqrt(8), 'no-reliable-change'],
    [10, 18, 8 / Math.sqrt(8), 'reliable-deterioration'],
    [12, 12, 0, 'no-reliable-change'],
  ])('%i → %i: RCI %f (%s)', (b, c, rci, cls) => {
    const r = reliableChange(b, c, settings);
    expect(r.standardErrorOfMeasurement).toBeCloseTo(2, 12);
    expect(r.rci).toBeCloseTo(rci, 10);
    expect(r.classification).toBe(cls);
  });

  it('has no default reliability or SD and rejects impossible ones', () => {
    expect(fieldOf(() => reliableChange(10, 5, { ...settings, reliability: 1 }))).toBe('reliability');
    expect(fieldOf(() => reliableChange(10, 5, { ...settings, baselineSd: 0 }))).toBe('baselineSd');
    expect(fieldOf(() => reliableChange(10, 5, { ...settings, source: ' ' }))).toBe('source');
  });

  it('is antisymmetric in baseline and current (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (a, b) => {
        expect(reliableChange(a, b, settings).rci).toBeCloseTo(-reliableChange(b, a, settings).rci, 10);
      }),
    );
  });
});

describe('rapid response at +4 h and +24 h', () => {
  const sessionAt = new Date('2026-01-05T10:00:00Z');
  const at = (iso: string) => new Date(iso);
  const observations = [
    { at: at('2026-01-05T13:50:00Z'), score: 12 },
    { at: at('2026-01-05T14:10:00Z'), score: 9 },
    { at: at('2026-01-05T14:20:00Z'), score: 8 },
    { at: at('2026-01-06T09:00:00Z'), score: 6 },
    { at: at('2026-01-06T11:30:00Z'), score: 11 },
  ];

  it('picks the nearest observation in each window (earlier on a tie) and compares with pre-session', () => {
    const r = rapidResponse({
      sessionAt,
      preSessionScore: 20,
      observations,
      remissionThreshold: { comparator: '<', value: 5, source: 't', status: 'V' },
    });
    expect(r.post4h.targetAt.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(r.post4h.observed?.score).toBe(12); // 13:50 and 14:10 are both 10 min away; earlier wins
    expect(r.post4h.observed?.minutesAfterSession).toBe(230);
    expect(r.post4h.response?.response).toBe(false); // 8/20 = 40 %
    expect(r.post24h.observed?.score).toBe(6); // 09:00 is 60 min from 10:00, 11:30 is 90 min
    expect(r.post24h.response?.response).toBe(true); // 14/20 = 70 %
    expect(r.post24h.remission).toBe(false); // 6 is not < 5
  });

  it('reports nothing observed outside the windows', () => {
    const r = rapidResponse({
      sessionAt,
      preSessionScore: 20,
      observations: [{ at: at('2026-01-05T12:30:00Z'), score: 2 }],
    });
    expect(r.post4h.observed).toBeNull(); // 12:30 is before the 13:00–15:00 window
    expect(r.post4h.response).toBeNull();
    expect(r.post24h.observed).toBeNull();
  });

  it('leaves response undefined for a pre-session score of 0', () => {
    const r = rapidResponse({ sessionAt, preSessionScore: 0, observations });
    expect(r.post4h.observed).not.toBeNull();
    expect(r.post4h.response).toBeNull();
  });

  it('rejects invalid times and windows, naming them', () => {
    expect(
      fieldOf(() => rapidResponse({ sessionAt: new Date('nope'), preSessionScore: 3, observations: [] })),
    ).toBe('sessionAt');
    expect(
      fieldOf(() =>
        rapidResponse({
          sessionAt,
          preSessionScore: 3,
          observations: [],
          windows: {
            post4h: { offsetMin: 240, toleranceMin: 300 },
            post24h: { offsetMin: 1440, toleranceMin: 60 },
          },
        }),
      ),
    ).toBe('windows.post4h.toleranceMin');
    expect(
      fieldOf(() =>
        rapidResponse({ sessionAt, preSessionScore: 3, observations: [{ at: sessionAt, score: -2 }] }),
      ),
    ).toBe('observations.0.score');
  });
});
