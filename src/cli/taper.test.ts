import { describe, expect, it } from 'vitest';
import { runRein } from './test-run';

/** `rein ARGS…` in process (the same main() the binary runs). */
const rein = (...args: string[]) => runRein(args);

interface StepJson {
  day: number;
  date: string | null;
  dose_mg: number | null;
  occupancy_pct: number | null;
  how: string;
  shifted_from?: string;
  limited_by?: string;
}

describe('rein taper', () => {
  it('lists drugs with occupancy models (status shown) and dose forms as JSON', async () => {
    const r = await rein('taper', 'drugs', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      drugs: {
        name: string;
        occupancy_models: { status: string; ed50_mg: number }[];
        forms: { label: string }[];
      }[];
      equivalence_tables: { id: string }[];
    };
    const sertraline = out.drugs.find((d) => d.name === 'sertraline')!;
    expect(sertraline.occupancy_models).toEqual([expect.objectContaining({ status: 'S', ed50_mg: 7.72 })]);
    expect(sertraline.forms.map((f) => f.label)).toContain('sertraline 20 mg/mL oral concentrate');
    expect(out.equivalence_tables.map((t) => t.id)).toContain('ashton');
  });

  it('plans an occupancy taper ending at 0 mg; the first cut is held to the 50 % limit (hand-checked)', async () => {
    // 100 mg = 85.4 %; −10 pp asks for 35.1 mg (a 65 % cut) → limited to 50 mg, one 50 mg tablet.
    const r = await rein(
      'taper',
      'plan',
      '--drug',
      'sertraline',
      '--from-mg',
      '100',
      '--step-pp',
      '10',
      '--max-cut-pct',
      '50',
      '--json',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { drug: string; mode: string; steps: StepJson[] };
    expect(plan.drug).toBe('sertraline');
    expect(plan.mode).toBe('occupancy');
    expect(plan.steps[0]).toMatchObject({ day: 0, dose_mg: 100, occupancy_pct: 85.42, date: null });
    expect(plan.steps[1]).toMatchObject({ day: 28, dose_mg: 50, limited_by: 'maudsley-cut-10-25pct' });
    expect(plan.steps[1]!.how).toContain('sertraline 50 mg tablet: 1 tablet');
    expect(plan.steps.at(-1)).toMatchObject({ dose_mg: 0, how: 'stop taking sertraline' });
  });

  it('moves a dose change away from infusions and flags benzodiazepine > 8 mg/day DE on infusion days', async () => {
    const r = await rein(
      'taper',
      'plan',
      '--drug',
      'diazepam',
      '--from-mg',
      '20',
      '--step-pct',
      '10',
      '--interval-days',
      '14',
      '--start',
      '2026-01-05',
      '--infusions',
      '2026-01-19,2026-01-21',
      '--final-mg',
      '5',
      '--json',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      steps: StepJson[];
      infusion_flags: { date: string; level: string }[];
    };
    expect(plan.steps[1]).toMatchObject({ date: '2026-01-22', shifted_from: '2026-01-19', dose_mg: 18 });
    expect(plan.infusion_flags.map((f) => f.date)).toEqual(['2026-01-19', '2026-01-21']);
  });

  it('exits 2 naming the bad argument', async () => {
    const interval = await rein(
      'taper',
      'plan',
      '--drug',
      'sertraline',
      '--from-mg',
      '100',
      '--step-pct',
      '10',
      '--interval-days',
      '7',
    );
    expect(interval.code).toBe(2);
    expect(interval.stderr).toMatch(/--interval-days/);
    const drug = await rein('taper', 'plan', '--drug', 'aspirin', '--from-mg', '100', '--step-pct', '10');
    expect(drug.code).toBe(2);
    expect(drug.stderr).toMatch(/--drug: unknown drug "aspirin"/);
  });

  it('venlafaxine 225 mg, 10 %, US: duration first, each step says what to take and how often, no abrupt stop', async () => {
    const args = [
      'taper',
      'plan',
      '--drug',
      'venlafaxine',
      '--from-mg',
      '225',
      '--step-pct',
      '10',
      '--market',
      'US',
    ];
    const text = await rein(...args);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^total duration: \d+ weeks \(about \d+ years?( \d+ months?)?\), \d+ change\(s\); stops on day \d+$/,
    );
    expect(text.stdout).not.toMatch(/NOT DELIVERABLE/);
    expect(text.stdout).toMatch(/day 28: venlafaxine 100 mg tablet: 1 tablet twice a day \(200 mg a day\)/);
    expect(text.stdout).toMatch(/COMPOUNDED: No listed product gives this dose/);
    expect(text.stdout).toMatch(/final dose before stopping: 0\.77 mg: same modelled SERT occupancy/);

    const json = await rein(...args, '--json');
    const plan = JSON.parse(json.stdout) as {
      status: string;
      total_duration_days: number;
      duration: string;
      steps: (StepJson & { take: string | null; cap_pct: number | null; deliverable: boolean })[];
    };
    expect(plan.status).toBe('complete');
    expect(plan.total_duration_days).toBe(plan.steps.at(-1)!.day);
    const doses = plan.steps.map((s) => s.dose_mg!);
    plan.steps.forEach((s, i) => {
      if (i === 0 || s.dose_mg === 0) return;
      expect(s.deliverable).toBe(true);
      expect(s.take).toMatch(/twice a day$/);
      expect((100 * (doses[i - 1]! - doses[i]!)) / doses[i - 1]!).toBeLessThanOrEqual(s.cap_pct! + 1e-3);
    });
    expect(doses.at(-2)!).toBeLessThan(1); // stops from below 1 mg, not from 37.5–75 mg
  });

  it('--no-compounding ends the plan before zero with the reason; --release and --doses-per-day are checked', async () => {
    const r = await rein(
      'taper',
      'plan',
      '--drug',
      'duloxetine',
      '--from-mg',
      '60',
      '--step-pct',
      '10',
      '--no-compounding',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ENDS BEFORE ZERO on day 84/);
    expect(r.stdout).toMatch(/why it ends before zero: .*stays at 30 mg a day/);
    expect(r.stdout).not.toMatch(/stop taking duloxetine/);
    const bad = await rein(
      'taper',
      'plan',
      '--drug',
      'paroxetine',
      '--from-mg',
      '20',
      '--step-pct',
      '10',
      '--release',
      'XR',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--release/);
    const er = await rein(
      'taper',
      'plan',
      '--drug',
      'sertraline',
      '--from-mg',
      '50',
      '--step-pct',
      '10',
      '--release',
      'ER',
    );
    expect(er.code).toBe(2);
    expect(er.stderr).toMatch(/--release: sertraline has no ER product/);
    const doses = await rein(
      'taper',
      'plan',
      '--drug',
      'lorazepam',
      '--from-mg',
      '3',
      '--step-pct',
      '10',
      '--doses-per-day',
      '3',
    );
    expect(doses.stdout).toMatch(
      /current dose: lorazepam 1 mg tablet: 1 tablet three times a day \(3 mg a day\)/,
    );
  });
});
