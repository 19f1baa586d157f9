import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { simulate } from '../pk';
import {
  autoStepMin,
  DEFAULT_MECHANISM_UNTIL_MIN,
  mechanismFromRegimen,
  mechanismFromRegimenResponseSchema,
  mechanismTimeGrid,
} from './fromRegimen';
import { MECHANISM_BANNER } from './pipeline';

const base = { model: 'domino-1984', weightKg: 70, untilMin: 48 * 60 };
const low = mechanismFromRegimen({ ...base, doses: ['0.25 mg/kg over 40 min'] });
const std = mechanismFromRegimen({ ...base, doses: ['0.5 mg/kg over 40 min'] });
const high = mechanismFromRegimen({ ...base, doses: ['1 mg/kg over 40 min'] });

const maxOf = (xs: number[]) => Math.max(...xs);
const SERIES = [
  'plasmaNgPerMl',
  'freeBrainUm',
  'totalBrainUm',
  'occupancy',
  'trappedBlock',
  'burstSuppression',
  'spineFormationIndex',
  'spineComponent',
] as const;

describe('mechanismFromRegimen', () => {
  it('puts the PK series and every mechanism series on one strictly increasing time axis', () => {
    const t = std.timesMin;
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(48 * 60);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    for (const key of SERIES) expect(std[key]).toHaveLength(t.length);
    expect(std.grid.points).toBe(t.length);
    // The plasma series is the PK engine's own output at those times.
    const pk = simulate({ ...base, doses: ['0.5 mg/kg over 40 min'], timesMin: t });
    expect(std.plasmaNgPerMl).toEqual(pk.analytes.ketamine!.map((c) => Math.max(0, c)));
  });

  it('resolves the end of the infusion exactly, whatever the grid step', () => {
    const coarse = mechanismFromRegimen({ ...base, doses: ['0.5 mg/kg over 37 min at 13 min'], stepMin: 60 });
    expect(coarse.timesMin).toContain(50);
    expect(coarse.summary.peakOccupancyTimeMin).toBe(50);
  });

  it('a higher dose gives higher peak occupancy, more trapped block and more burst suppression', () => {
    expect(maxOf(low.plasmaNgPerMl)).toBeLessThan(maxOf(std.plasmaNgPerMl));
    expect(low.summary.peakOccupancy).toBeLessThan(std.summary.peakOccupancy);
    expect(std.summary.peakOccupancy).toBeLessThan(high.summary.peakOccupancy);
    expect(low.summary.peakTrappedBlock).toBeLessThan(std.summary.peakTrappedBlock);
    expect(std.summary.peakTrappedBlock).toBeLessThan(high.summary.peakTrappedBlock);
    expect(low.summary.peakBurstSuppression).toBeLessThan(std.summary.peakBurstSuppression);
    expect(std.summary.peakBurstSuppression).toBeLessThan(high.summary.peakBurstSuppression);
    expect(maxOf(low.spineComponent)).toBeLessThan(maxOf(high.spineComponent));
  });

  it('no drug gives nothing downstream', () => {
    const none = mechanismFromRegimen({ ...base, doses: [] });
    for (const key of SERIES) expect(maxOf(none[key])).toBe(0);
    expect(none.pk.doses).toEqual([]);
    expect(none.assumptions[0]).toMatch(/No dose/);
  });

  it('a later dose shifts the chain: nothing before it, block after it, spines a day later', () => {
    const late = mechanismFromRegimen({ ...base, doses: ['0.5 mg/kg over 40 min at 6 h'] });
    const at = (min: number) => late.timesMin.findIndex((t) => t >= min);
    expect(late.occupancy.slice(0, at(360)).every((o) => o === 0)).toBe(true);
    expect(late.trappedBlock[at(360 + 60)]!).toBeGreaterThan(0.1);
    // Spine component: near zero 3 h after the dose, clearly up 24 h after it.
    expect(late.spineComponent[at(360 + 180)]!).toBeLessThan(0.01);
    expect(late.spineComponent[at(360 + 24 * 60)]!).toBeGreaterThan(0.1);
  });

  it('carries the banner, every assumption (the PK model first) and sourced parameters', () => {
    expect(std.banner).toBe(MECHANISM_BANNER);
    expect(std.banner.toLowerCase()).toContain('educational model, not a prediction for the individual');
    expect(std.assumptions[0]).toContain('Domino');
    expect(std.assumptions.join(' ')).toContain('Time axis');
    expect(std.assumptions.length).toBeGreaterThanOrEqual(10);
    expect(std.parameters.length).toBeGreaterThan(10);
    for (const p of std.parameters) expect(p.source.length).toBeGreaterThan(0);
    expect(std.pk.parameters.length).toBeGreaterThan(0);
    expect(std.pk.model).toBe('domino-1984');
    expect(std.drug).toBe('racemic-ketamine');
    expect(std.norketamineNgPerMl).toBeNull();
    // The response matches the schema the HTTP API publishes.
    expect(() => mechanismFromRegimenResponseSchema.parse(std)).not.toThrow();
  });

  it('uses esketamine and its metabolite for the Perez-Ruixo model (intranasal)', () => {
    const e = mechanismFromRegimen({
      model: 'perez-ruixo-2021',
      weightKg: 70,
      doses: ['56 mg intranasal at 0 min'],
      untilMin: 24 * 60,
    });
    expect(e.drug).toBe('esketamine');
    expect(e.pk.metaboliteAnalyte).toBe('noresketamine');
    expect(maxOf(e.norketamineNgPerMl!)).toBeGreaterThan(0);
    expect(e.summary.peakOccupancy).toBeGreaterThan(0);
    for (const c of e.plasmaNgPerMl) expect(c).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic and reports progress from 0 to 1', () => {
    const seen: number[] = [];
    const again = mechanismFromRegimen({ ...base, doses: ['0.5 mg/kg over 40 min'] }, (f) => seen.push(f));
    expect(again).toEqual(std);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });

  it('defaults to 72 h on an automatic grid of at most ~1500 uniform points', () => {
    const d = mechanismFromRegimen({ model: 'domino-1984', weightKg: 70, doses: ['0.5 mg/kg over 40 min'] });
    expect(d.grid.untilMin).toBe(DEFAULT_MECHANISM_UNTIL_MIN);
    expect(d.grid.stepMin).toBe(autoStepMin(DEFAULT_MECHANISM_UNTIL_MIN));
    expect(DEFAULT_MECHANISM_UNTIL_MIN / d.grid.stepMin).toBeLessThanOrEqual(1500);
    expect(autoStepMin(60)).toBe(0.5);
  });

  it('adds a point just before an IV bolus so the jump is not smeared back in time', () => {
    const t = mechanismTimeGrid(120, 10, [{ route: 'iv', startMin: 60, durationMin: null }]);
    expect(t.some((x) => x < 60 && x > 59.99)).toBe(true);
    expect(t).toContain(60);
    expect(t).toContain(60.5);
  });

  it('names the bad input', () => {
    const field = (body: unknown) => {
      try {
        mechanismFromRegimen(body);
      } catch (e) {
        if (e instanceof ClinicalInputError) return e.field;
        throw e;
      }
      return null;
    };
    expect(field({ ...base, doses: ['0.5 mg/kilo over 40 min'] })).toBe('dose token "mg/kilo"');
    expect(field({ ...base, model: 'nope', doses: [] })).toBe('model');
    expect(field({ ...base, weightKg: -1, doses: [] })).toBe('weightKg');
    expect(field({ ...base, untilMin: 0, doses: [] })).toBe('untilMin');
    expect(field({ ...base, stepMin: 0.001, doses: [] })).toBe('stepMin');
  });
});
