import { describe, expect, it } from 'vitest';
import { runRein } from './test-run';
import { simulate } from '../clinical/pk';
import { UsageError } from './errors';
import { parseTargets, simulationCsv } from './pk';

/** `rein ARGS…` in process (the same main() the binary runs). */
const rein = (args: string[]) => runRein(args);

describe('rein pk', () => {
  it('simulate --json has the documented shape and the reference values (§1.11: 181.8, 240.4, 45.8)', async () => {
    const r = await rein([
      'pk',
      'simulate',
      '--model',
      'domino-1984',
      '--weight',
      '70',
      '--dose',
      '0.5 mg/kg over 40 min',
      '--times',
      '0,10,40,80',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      model: string;
      unit: string;
      times_min: number[];
      analytes: Record<string, number[]>;
      metrics: Record<
        string,
        { cmax_ng_per_ml: number; end_of_infusion: { concentration_ng_per_ml: number }[] }
      >;
    };
    expect(j.model).toBe('domino-1984');
    expect(j.unit).toBe('ng/mL');
    expect(j.times_min).toEqual([0, 10, 40, 80]);
    expect(Object.keys(j.analytes)).toEqual(['ketamine']);
    const k = j.analytes.ketamine!;
    expect(k[0]).toBe(0);
    expect(k[1]).toBeCloseTo(181.8, 1);
    expect(k[2]).toBeCloseTo(240.4, 1);
    expect(k[3]).toBeCloseTo(45.8, 1);
    expect(j.metrics.ketamine!.end_of_infusion[0]!.concentration_ng_per_ml).toBeCloseTo(240.4, 1);
  });

  it('a malformed regimen exits 2 naming --dose and the token', async () => {
    const r = await rein([
      'pk',
      'simulate',
      '--model',
      'kamp-2020',
      '--weight',
      '70',
      '--dose',
      '35 mg for 40 min',
      '--times',
      '0',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dose/);
    expect(r.stderr).toMatch(/"for"/);
  });

  it('plan prints the pump program; a dose above the session maximum exits 2', async () => {
    const ok = await rein([
      'pk',
      'plan',
      '--weight',
      '70',
      '--dose',
      '0.5 mg/kg over 45 min',
      '--vial-mg-per-ml',
      '50',
      '--bag-ml',
      '100',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const p = JSON.parse(ok.stdout) as { dose_mg: number; rate_ml_per_h: number; total_volume_ml: number };
    expect(p.dose_mg).toBeCloseTo(35, 10);
    expect(p.total_volume_ml).toBeCloseTo(100.7, 10);
    expect(p.rate_ml_per_h).toBe(134.3);
    const bad = await rein([
      'pk',
      'plan',
      '--weight',
      '70',
      '--dose',
      '1.5 mg/kg over 40 min',
      '--vial-mg-per-ml',
      '50',
      '--bag-ml',
      '100',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dose.*maximum/);
  });

  it('tci --json gives the loading bolus (target × V1) and verifies its own schedule', async () => {
    const r = await rein([
      'pk',
      'tci',
      '--model',
      'kamp-2020',
      '--weight',
      '70',
      '--target',
      '150',
      '--duration',
      '20',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as {
      boluses: { dose_mg: number }[];
      verification: { segments: { overshoot_percent: number; reached_within_one_percent_at_min: number }[] };
    };
    expect(t.boluses[0]!.dose_mg).toBeCloseTo(3.75, 10); // 150 ng/mL × V1 25 L = 3.75 mg
    expect(t.verification.segments[0]!.overshoot_percent).toBeLessThanOrEqual(5);
  });
});

describe('rein pk helpers (in process)', () => {
  it('CSV has one row per time with ng/mL, µM and effect-site columns', () => {
    const r = simulate({
      model: 'clements-1981',
      weightKg: 70,
      doses: ['35 mg over 40 min'],
      timesMin: [0, 40],
    });
    const lines = simulationCsv(r).split('\n');
    expect(lines[0]).toBe('time_min,ketamine_ng_per_ml,ketamine_um,effect_site_ng_per_ml');
    expect(lines).toHaveLength(3);
    const [t, ng, um] = lines[2]!.split(',').map(Number);
    expect(t).toBe(40);
    expect(ng).toBeCloseTo(177.3, 1); // reference §1.11
    expect(um).toBeCloseTo(ng! / 237.73, 12);
  });

  it('parses constant and stepped TCI targets, naming --target on error', () => {
    expect(parseTargets('150')).toEqual([{ targetNgPerMl: 150, startMin: 0 }]);
    expect(parseTargets('150@0,250@30')).toEqual([
      { targetNgPerMl: 150, startMin: 0 },
      { targetNgPerMl: 250, startMin: 30 },
    ]);
    expect(() => parseTargets('150@0@1')).toThrowError(UsageError);
    expect(() => parseTargets('abc')).toThrowError(expect.objectContaining({ argument: '--target' }));
  });
});
