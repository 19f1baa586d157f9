import { describe, expect, it } from 'vitest';
import { runRein } from './test-run';
import { mechanismFromRegimen } from '../clinical/mechanism/fromRegimen';
import { UsageError } from './errors';
import { formatMechanism, parseMinutesArg } from './mechanism';
import { createProgressBar } from './progress';

/** `rein ARGS…` in process (the same main() the binary runs). */
const rein = (args: string[]) => runRein(args);

const args = ['mechanism', 'simulate', '--model', 'domino-1984', '--weight', '70'];

describe('rein mechanism simulate', () => {
  it('--json gives the chain on one time axis with the banner, assumptions and sourced parameters', async () => {
    const r = await rein([...args, '--dose', '0.5 mg/kg over 40 min', '--until', '24h', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // not a terminal: no progress bar
    const j = JSON.parse(r.stdout) as {
      banner: string;
      times_min: number[];
      plasma_ng_per_ml: number[];
      occupancy: number[];
      trapped_block: number[];
      burst_suppression: number[];
      spine_component: number[];
      summary: { peak_occupancy: number; peak_occupancy_time_min: number };
      assumptions: string[];
      parameters: { id: string; source: string; status: string }[];
      pk: { model: string; doses: { dose_mg: number }[] };
      grid: { until_min: number };
    };
    expect(j.banner).toMatch(/Educational model, not a prediction for the individual/);
    expect(j.times_min[0]).toBe(0);
    expect(j.times_min.at(-1)).toBe(24 * 60);
    expect(j.grid.until_min).toBe(24 * 60);
    for (const s of [
      j.plasma_ng_per_ml,
      j.occupancy,
      j.trapped_block,
      j.burst_suppression,
      j.spine_component,
    ])
      expect(s).toHaveLength(j.times_min.length);
    expect(j.pk.model).toBe('domino-1984');
    expect(j.pk.doses[0]!.dose_mg).toBeCloseTo(35, 10);
    expect(j.summary.peak_occupancy_time_min).toBe(40); // end of the infusion
    expect(j.summary.peak_occupancy).toBeGreaterThan(0);
    expect(j.assumptions.length).toBeGreaterThan(5);
    expect(j.parameters.every((p) => p.source.length > 0 && p.status.length > 0)).toBe(true);
  });

  it('a malformed dose exits 2 naming --dose and the token; a missing dose names --dose', async () => {
    const bad = await rein([...args, '--dose', '0.5 mg/kilo over 40 min']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^rein: --dose: .*"mg\/kilo"/);
    const none = await rein(args);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--dose/);
  });

  it('--help describes the options and the progress behaviour', async () => {
    const r = await rein(['mechanism', 'simulate', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--model', '--weight', '--dose', '--until', '--json', '--progress'])
      expect(r.stdout).toContain(opt);
    expect(r.stdout).toMatch(/longer than a second/);
  });
});

describe('rein mechanism helpers (in process)', () => {
  it('the progress bar stays silent for the first second, then draws and ends its line', () => {
    let clock = 0;
    let out = '';
    const bar = createProgressBar({ write: (t: string) => (out += t) }, { now: () => clock, width: 10 });
    bar.update(0.2);
    expect(out).toBe('');
    clock = 1500;
    bar.update(0.5);
    expect(out).toBe('\r[#####-----]  50%');
    bar.update(1);
    bar.done();
    expect(out.endsWith('\r[##########] 100%\n')).toBe(true);
    let quiet = '';
    const fast = createProgressBar({ write: (t: string) => (quiet += t) }, { now: () => 0 });
    fast.update(1);
    fast.done();
    expect(quiet).toBe('');
  });

  it('--until and --step take minutes or hours and must be positive', () => {
    expect(parseMinutesArg('--until', '90')).toBe(90);
    expect(parseMinutesArg('--until', '48h')).toBe(2880);
    expect(() => parseMinutesArg('--until', '0')).toThrow(UsageError);
    expect(() => parseMinutesArg('--until', 'soon')).toThrow(/expected a number/);
  });

  it('the text output starts with the banner and tabulates the chain within the horizon', () => {
    const r = mechanismFromRegimen({
      model: 'domino-1984',
      weightKg: 70,
      doses: ['0.5 mg/kg over 40 min'],
      untilMin: 12 * 60,
    });
    const text = formatMechanism(r);
    const lines = text.split('\n');
    expect(lines[1]).toContain(r.banner);
    expect(text).toMatch(/Peak NMDA-receptor occupancy/);
    expect(text).toMatch(/^ {4}12 h/m);
    expect(text).not.toMatch(/^ {4}18 h/m);
    expect(text).toContain('Assumptions:');
  });
});
