import type { Command } from 'commander';
import { createProgressBar } from './progress';
import { ClinicalInputError } from '../app/errors';
import { mechanismFromRegimen, toSnakeCaseJson } from '../app/calculators';
import type { MechanismFromRegimenResult } from '../clinical/mechanism/fromRegimen';
import { collect, parseNumberArg } from './args';
import { UsageError } from './errors';

/**
 * `rein mechanism simulate`: the mechanism chain for a regimen.
 *   rein mechanism simulate --model ID --weight KG --dose "…" [--dose "…"] [--until MIN] [--step MIN] [--json]
 *
 * Progress: a text bar on stderr once a run has taken longer than a second. It is drawn only
 * when stderr is a terminal (so pipes, logs and --json consumers see nothing), unless
 * `--progress` forces it on or `--no-progress` turns it off.
 */

/** Request field → the option that supplies it, so errors name what the user typed. */
const OPTION_FOR_FIELD: Record<string, string> = {
  model: '--model',
  weightKg: '--weight',
  ageYears: '--age',
  heightCm: '--height',
  sex: '--sex',
  weightBasis: '--weight-basis',
  doses: '--dose',
  dose: '--dose',
  untilMin: '--until',
  until: '--until',
  stepMin: '--step',
  step: '--step',
  timesMin: '--until',
  times: '--until',
};

function optionFor(field: string): string {
  const head = field.split('.')[0]!;
  if (field.startsWith('dose ') || head.startsWith('doses')) return '--dose';
  return OPTION_FOR_FIELD[head] ?? field;
}

function withOptionNames<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ClinicalInputError) {
      const option = optionFor(err.field);
      const detail = err.field.startsWith('dose ') ? `${err.field}: ${err.message}` : err.message;
      throw new UsageError(option, option === err.field ? err.message : detail);
    }
    throw err;
  }
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const hours = (min: number): string => `${fmt(min / 60, min % 60 === 0 ? 0 : 2)} h`;

/** Hours shown in the text table (those within the horizon). */
const TABLE_HOURS = [
  0, 0.5, 0.75, 1, 2, 3, 4, 6, 9, 12, 18, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 672,
];

/** Parses --until / --step: minutes, or hours with an `h` suffix ("48h"). */
export function parseMinutesArg(name: string, raw: string): number {
  const m = /^\s*(.+?)\s*h\s*$/i.exec(raw);
  return positiveArg(name, m ? m[1]! : raw) * (m ? 60 : 1);
}

function positiveArg(name: string, raw: string): number {
  const v = parseNumberArg(name, raw);
  if (!(v > 0)) throw new UsageError(name, `must be positive, got ${v}`);
  return v;
}

function parseSex(raw: string | undefined): 'F' | 'M' | undefined {
  if (raw === undefined) return undefined;
  const s = raw.toUpperCase();
  if (s !== 'F' && s !== 'M') throw new UsageError('--sex', `expected F or M, got "${raw}"`);
  return s;
}

function parseBasis(raw: string | undefined): 'actual' | 'ideal' | 'adjusted' | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'actual' && raw !== 'ideal' && raw !== 'adjusted') {
    throw new UsageError('--weight-basis', `expected actual, ideal or adjusted, got "${raw}"`);
  }
  return raw;
}

export function formatMechanism(r: MechanismFromRegimenResult): string {
  const rule = '─'.repeat(78);
  const out: string[] = [
    rule,
    `!! ${r.banner}`,
    rule,
    `PK model: ${r.pk.modelName} [${r.pk.status}] — ${r.pk.citation}`,
    r.pk.doses.length > 0
      ? `Doses (dosing weight ${fmt(r.pk.dosingWeightKg)} kg): ${r.pk.doses.map((d) => `${d.text} = ${fmt(d.doseMg, 2)} mg`).join('; ')}`
      : 'Doses: none',
    `Drug at the receptor: ${r.drug}${r.pk.metaboliteAnalyte ? ` (+ ${r.pk.metaboliteAnalyte})` : ''}; horizon ${hours(r.grid.untilMin)}, ${r.grid.points} time points`,
    '',
    `Peak NMDA-receptor occupancy   ${pct(r.summary.peakOccupancy)} at ${hours(r.summary.peakOccupancyTimeMin)}`,
    `Peak trapped block             ${pct(r.summary.peakTrappedBlock)} at ${hours(r.summary.peakTrappedBlockTimeMin)}`,
    `Peak burst suppression (LHb)   ${pct(r.summary.peakBurstSuppression)}`,
    `At ${hours(r.grid.untilMin)}: trapped block ${pct(r.summary.trappedBlockAtEnd)}, spine component ${fmt(r.summary.spineComponentAtEnd, 3)} (illustrative index)`,
    '',
    ['time', 'plasma ng/mL', 'occupancy', 'trapped block', 'burst supp.', 'spine index']
      .map((h, i) => (i === 0 ? h.padStart(8) : h.padStart(15)))
      .join(''),
  ];
  for (const h of TABLE_HOURS) {
    const t = h * 60;
    if (t > r.grid.untilMin) break;
    // The last grid time at or before t (the grid holds every whole hour only for some steps).
    let i = 0;
    while (i + 1 < r.timesMin.length && r.timesMin[i + 1]! <= t + 1e-9) i++;
    out.push(
      [
        hours(r.timesMin[i]!).padStart(8),
        fmt(r.plasmaNgPerMl[i]!).padStart(15),
        pct(r.occupancy[i]!).padStart(15),
        pct(r.trappedBlock[i]!).padStart(15),
        pct(r.burstSuppression[i]!).padStart(15),
        fmt(r.spineComponent[i]!, 3).padStart(15),
      ].join(''),
    );
  }
  out.push('', 'Assumptions:');
  for (const a of r.assumptions) out.push(`  - ${a}`);
  const byStatus = new Map<string, number>();
  for (const p of r.parameters) byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
  out.push(
    '',
    `Parameters: ${r.parameters.length} (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}); --json lists each with its source and status.`,
  );
  for (const n of r.pk.notes) out.push(`Note: ${n}`);
  return out.join('\n');
}

export function register(program: Command): void {
  const mechanism = program
    .command('mechanism')
    .description(
      'Educational mechanism model: NMDA-receptor block → lateral-habenula bursting → spines (not a prediction for the individual)',
    );

  mechanism
    .command('simulate')
    .description(
      'Run the PK model for a regimen and show plasma → occupancy and trapped block → burst suppression → spine component',
    )
    .option('--model <id>', 'PK model id (see `rein pk models`)')
    .option('--weight <kg>', 'body weight in kg (required)')
    .option('--age <years>', 'age in years (Perez-Ruixo covariate)')
    .option('--height <cm>', 'height in cm (ideal/adjusted body weight)')
    .option('--sex <F|M>', 'sex at birth (ideal/adjusted body weight)')
    .option('--weight-basis <basis>', 'dosing weight for mg/kg doses: actual (default), ideal or adjusted')
    .option('--asian', 'Perez-Ruixo covariate: Asian')
    .option('--japanese', 'Perez-Ruixo covariate: Japanese')
    .option(
      '--dose <regimen>',
      'a dose, e.g. "0.5 mg/kg over 40 min" or "56 mg intranasal at 0 min" (repeatable; at least one)',
      collect,
      [],
    )
    .option('--until <min>', 'horizon in min, or hours with h ("48h"); default 72 h, at most 28 days')
    .option('--step <min>', 'grid step in min (default: automatic, ≤ 1500 points)')
    .option('--json', 'print JSON (snake_case keys), with every series, parameter and assumption')
    .option('--progress', 'always draw the progress bar on stderr (default: only when stderr is a terminal)')
    .option('--no-progress', 'never draw the progress bar')
    .addHelpText(
      'after',
      '\nThe progress bar appears on stderr once a run takes longer than a second.\n' +
        '\nExamples:\n  rein mechanism simulate --model domino-1984 --weight 70 --dose "0.5 mg/kg over 40 min"\n' +
        '  rein mechanism simulate --model perez-ruixo-2021 --weight 70 --dose "56 mg intranasal at 0 min" --until 48h --json\n',
    )
    .action(
      (opts: {
        model?: string;
        weight?: string;
        age?: string;
        height?: string;
        sex?: string;
        weightBasis?: string;
        asian?: boolean;
        japanese?: boolean;
        dose: string[];
        until?: string;
        step?: string;
        json?: boolean;
        progress?: boolean;
      }) => {
        if (opts.model === undefined) throw new UsageError('--model', 'required (see `rein pk models`)');
        if (opts.weight === undefined) throw new UsageError('--weight', 'required (kg)');
        if (opts.dose.length === 0)
          throw new UsageError('--dose', 'at least one --dose is required, e.g. "0.5 mg/kg over 40 min"');
        const request = {
          model: opts.model,
          weightKg: positiveArg('--weight', opts.weight),
          ageYears: opts.age === undefined ? undefined : parseNumberArg('--age', opts.age, { min: 0 }),
          heightCm: opts.height === undefined ? undefined : positiveArg('--height', opts.height),
          sex: parseSex(opts.sex),
          weightBasis: parseBasis(opts.weightBasis),
          asian: opts.asian === true ? true : undefined,
          japanese: opts.japanese === true ? true : undefined,
          doses: opts.dose,
          untilMin: opts.until === undefined ? undefined : parseMinutesArg('--until', opts.until),
          stepMin: opts.step === undefined ? undefined : parseMinutesArg('--step', opts.step),
        };
        // --progress defined before --no-progress: undefined unless one of them is given.
        const showBar = opts.progress ?? process.stderr.isTTY === true;
        const bar = showBar ? createProgressBar(process.stderr, { label: 'mechanism ' }) : null;
        let result: MechanismFromRegimenResult;
        try {
          result = withOptionNames(() => mechanismFromRegimen(request, (f) => bar?.update(f)));
        } finally {
          bar?.done();
        }
        if (opts.json) write(JSON.stringify(toSnakeCaseJson(result), null, 2));
        else write(formatMechanism(result));
      },
    );
}
