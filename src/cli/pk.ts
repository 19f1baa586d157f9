import type { Command } from 'commander';
import { ClinicalInputError } from '../app/errors';
import { listModels, planInfusion, planTci, simulate, toSnakeCaseJson } from '../app/calculators';
import type { InfusionPlan, PkModelInfo, SimulationResult, TciResult } from '../clinical/pk';
import { collect, parseNumberArg, parseNumberListArg } from './args';
import { UsageError } from './errors';

/**
 * `rein pk`: the pharmacokinetic engine from the command line.
 *   rein pk models [--json]
 *   rein pk simulate --model ID --weight KG --dose "…" [--dose "…"] (--times 0,10,40 | --step MIN --until MIN) [--json|--csv]
 *   rein pk plan --weight KG --dose "0.5 mg/kg over 40 min" --vial-mg-per-ml 50 --bag-ml 100 [--json]
 *   rein pk tci --model ID --weight KG --target NG_PER_ML --duration MIN [--json]
 */

/** Request field → the option that supplies it, so errors name what the user typed. */
const OPTION_FOR_FIELD: Record<string, string> = {
  model: '--model',
  weightKg: '--weight',
  ageYears: '--age',
  heightCm: '--height',
  sex: '--sex',
  sexAtBirth: '--sex',
  weightBasis: '--weight-basis',
  doses: '--dose',
  dose: '--dose',
  timesMin: '--times',
  times: '--times',
  stepMin: '--step',
  untilMin: '--until',
  until: '--until',
  ke0PerMin: '--ke0',
  thresholdNgPerMl: '--threshold',
  threshold: '--threshold',
  vialMgPerMl: '--vial-mg-per-ml',
  bagMl: '--bag-ml',
  pumpResolutionMlPerH: '--pump-resolution',
  maxMgPerKgPerSession: '--max-mg-per-kg',
  targetNgPerMl: '--target',
  targets: '--target',
  target: '--target',
  durationMin: '--duration',
  updateIntervalMin: '--update-interval',
  targetSite: '--site',
};

function optionFor(field: string): string {
  const head = field.split('.')[0]!;
  if (field.startsWith('dose ') || head.startsWith('doses')) return '--dose';
  return OPTION_FOR_FIELD[head] ?? field;
}

/** Runs fn, re-labelling ClinicalInputErrors with the CLI option they came from. */
function withOptionNames<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ClinicalInputError) {
      const option = optionFor(err.field);
      const detail =
        option === err.field
          ? err.message
          : `${err.field.startsWith('dose ') ? `${err.field}: ` : ''}${err.message}`;
      throw new UsageError(option, detail);
    }
    throw err;
  }
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

const fmt = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

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

interface PatientOpts {
  weight?: string;
  age?: string;
  height?: string;
  sex?: string;
  weightBasis?: string;
  asian?: boolean;
  japanese?: boolean;
}

function patientFields(o: PatientOpts) {
  if (o.weight === undefined) throw new UsageError('--weight', 'required (kg)');
  return {
    weightKg: parseNumberArg('--weight', o.weight, { min: Number.MIN_VALUE }),
    ageYears: o.age === undefined ? undefined : parseNumberArg('--age', o.age, { min: 0 }),
    heightCm:
      o.height === undefined ? undefined : parseNumberArg('--height', o.height, { min: Number.MIN_VALUE }),
    sex: parseSex(o.sex),
    weightBasis: parseBasis(o.weightBasis),
    asian: o.asian === true ? true : undefined,
    japanese: o.japanese === true ? true : undefined,
  };
}

function ke0Option(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'none') return null;
  return parseNumberArg('--ke0', raw, { min: Number.MIN_VALUE });
}

const patientOptions = (cmd: Command): Command =>
  cmd
    .option('--weight <kg>', 'body weight in kg (required)')
    .option('--age <years>', 'age in years (Perez-Ruixo: hepatic blood flow falls after 60)')
    .option('--height <cm>', 'height in cm (ideal/adjusted body weight)')
    .option('--sex <F|M>', 'sex at birth (ideal/adjusted body weight)')
    .option(
      '--weight-basis <basis>',
      'dosing weight for mg/kg doses: actual (default), ideal (Devine) or adjusted',
    )
    .option('--asian', 'Perez-Ruixo covariate: Asian (kel ×0.36, CLn/F ×0.81)')
    .option('--japanese', 'Perez-Ruixo covariate: Japanese (nasal fraction ×1.34)');

export function register(program: Command): void {
  const pk = program
    .command('pk')
    .description('Ketamine/esketamine pharmacokinetics: published models, simulation, pump plans, TCI');

  pk.command('models')
    .description('List the published PK models with citations, status and scaling')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const models = listModels();
      if (opts.json) write(JSON.stringify(toSnakeCaseJson(models), null, 2));
      else write(formatModels(models));
    });

  patientOptions(
    pk
      .command('simulate')
      .description('Simulate plasma concentrations for a regimen (exact solution)')
      .option('--model <id>', 'model id (see `rein pk models`)'),
  )
    .option(
      '--dose <regimen>',
      'a dose, e.g. "0.5 mg/kg over 40 min" or "56 mg intranasal at 0 min" (repeatable)',
      collect,
      [],
    )
    .option('--times <list>', 'comma-separated times in min, e.g. 0,10,40')
    .option('--step <min>', 'grid step in min (with --until)')
    .option('--until <min>', 'grid end in min (with --step)')
    .option(
      '--ke0 <per_min>',
      'effect-site ke0 in 1/min, or "none" (default: the model’s, labelled unverified)',
    )
    .option('--threshold <ng_per_ml>', 'threshold for time-above metrics (default 100 ng/mL)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .addHelpText(
      'after',
      '\nExamples:\n  rein pk simulate --model domino-1984 --weight 70 --dose "0.5 mg/kg over 40 min" --times 0,10,40,80\n' +
        '  rein pk simulate --model perez-ruixo-2021 --weight 70 --dose "56 mg intranasal at 0 min" --step 10 --until 240 --json\n',
    )
    .action(
      (
        opts: PatientOpts & {
          model?: string;
          dose: string[];
          times?: string;
          step?: string;
          until?: string;
          ke0?: string;
          threshold?: string;
          json?: boolean;
          csv?: boolean;
        },
      ) => {
        if (opts.model === undefined) throw new UsageError('--model', 'required (see `rein pk models`)');
        if (opts.dose.length === 0) throw new UsageError('--dose', 'at least one --dose is required');
        if (opts.json && opts.csv) throw new UsageError('--csv', 'choose one of --json and --csv');
        let timesMin: number[] | undefined;
        let stepMin: number | undefined;
        let untilMin: number | undefined;
        if (opts.times !== undefined) {
          if (opts.step !== undefined || opts.until !== undefined) {
            throw new UsageError('--times', 'give either --times or --step with --until, not both');
          }
          timesMin = parseNumberListArg('--times', opts.times);
        } else {
          if (opts.step === undefined || opts.until === undefined) {
            throw new UsageError('--times', 'give --times, or --step and --until');
          }
          stepMin = parseNumberArg('--step', opts.step, { min: Number.MIN_VALUE });
          untilMin = parseNumberArg('--until', opts.until, { min: 0 });
        }
        const request = {
          model: opts.model,
          ...patientFields(opts),
          doses: opts.dose,
          timesMin,
          stepMin,
          untilMin,
          ke0PerMin: ke0Option(opts.ke0),
          thresholdNgPerMl:
            opts.threshold === undefined ? undefined : parseNumberArg('--threshold', opts.threshold),
        };
        const result = withOptionNames(() => simulate(request));
        if (opts.json) write(JSON.stringify(simulationJson(result), null, 2));
        else if (opts.csv) write(simulationCsv(result));
        else write(formatSimulation(result));
      },
    );

  pk.command('plan')
    .description('Dose and pump program for one IV infusion')
    .option('--weight <kg>', 'body weight in kg (required)')
    .option('--height <cm>', 'height in cm (ideal/adjusted body weight)')
    .option('--sex <F|M>', 'sex at birth (ideal/adjusted body weight)')
    .option('--weight-basis <basis>', 'actual (default), ideal (Devine) or adjusted (IBW + 0.4 × excess)')
    .option('--dose <regimen>', 'the infusion, e.g. "0.5 mg/kg over 40 min"')
    .option('--vial-mg-per-ml <mg_per_ml>', 'vial concentration in mg/mL')
    .option('--bag-ml <ml>', 'bag or syringe diluent volume in mL')
    .option('--pump-resolution <ml_per_h>', 'pump rate resolution in mL/h (default 0.1)')
    .option('--max-mg-per-kg <mg_per_kg>', 'maximum mg/kg per session (default 1.0)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  rein pk plan --weight 70 --dose "0.5 mg/kg over 40 min" --vial-mg-per-ml 50 --bag-ml 100\n',
    )
    .action(
      (
        opts: PatientOpts & {
          dose?: string;
          vialMgPerMl?: string;
          bagMl?: string;
          pumpResolution?: string;
          maxMgPerKg?: string;
          json?: boolean;
        },
      ) => {
        const p = patientFields(opts);
        if (opts.dose === undefined) throw new UsageError('--dose', 'required, e.g. "0.5 mg/kg over 40 min"');
        if (opts.vialMgPerMl === undefined) throw new UsageError('--vial-mg-per-ml', 'required');
        if (opts.bagMl === undefined) throw new UsageError('--bag-ml', 'required');
        const request = {
          weightKg: p.weightKg,
          heightCm: p.heightCm,
          sex: p.sex,
          weightBasis: p.weightBasis,
          dose: opts.dose,
          vialMgPerMl: parseNumberArg('--vial-mg-per-ml', opts.vialMgPerMl),
          bagMl: parseNumberArg('--bag-ml', opts.bagMl),
          pumpResolutionMlPerH:
            opts.pumpResolution === undefined
              ? undefined
              : parseNumberArg('--pump-resolution', opts.pumpResolution),
          maxMgPerKgPerSession:
            opts.maxMgPerKg === undefined ? undefined : parseNumberArg('--max-mg-per-kg', opts.maxMgPerKg),
        };
        const plan = withOptionNames(() => planInfusion(request));
        if (opts.json) write(JSON.stringify(toSnakeCaseJson(plan), null, 2));
        else write(formatPlan(plan));
      },
    );

  patientOptions(
    pk
      .command('tci')
      .description('Target-controlled infusion schedule (bolus + stepwise rates), verified by simulation')
      .option('--model <id>', 'model id (see `rein pk models`)'),
  )
    .option('--target <ng_per_ml>', 'target in ng/mL, or stepped targets "150@0,250@30" (value@start min)')
    .option('--duration <min>', 'duration in min')
    .option('--site <site>', 'plasma (default) or effect (needs a ke0)')
    .option('--update-interval <min>', 'rate update interval in min (default 10 s = 0.1667)')
    .option('--max-rate <mg_per_min>', 'maximum pump rate in mg/min')
    .option('--ke0 <per_min>', 'effect-site ke0 in 1/min (default: the model’s, labelled unverified)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  rein pk tci --model kamp-2020 --weight 70 --target 150 --duration 40\n',
    )
    .action(
      (
        opts: PatientOpts & {
          model?: string;
          target?: string;
          duration?: string;
          site?: string;
          updateInterval?: string;
          maxRate?: string;
          ke0?: string;
          json?: boolean;
        },
      ) => {
        if (opts.model === undefined) throw new UsageError('--model', 'required (see `rein pk models`)');
        if (opts.target === undefined) throw new UsageError('--target', 'required (ng/mL)');
        if (opts.duration === undefined) throw new UsageError('--duration', 'required (min)');
        if (opts.site !== undefined && opts.site !== 'plasma' && opts.site !== 'effect') {
          throw new UsageError('--site', `expected plasma or effect, got "${opts.site}"`);
        }
        const targets = parseTargets(opts.target);
        const request = {
          model: opts.model,
          ...patientFields(opts),
          targetSite: opts.site as 'plasma' | 'effect' | undefined,
          targets,
          durationMin: parseNumberArg('--duration', opts.duration),
          updateIntervalMin:
            opts.updateInterval === undefined
              ? undefined
              : parseNumberArg('--update-interval', opts.updateInterval),
          maxRateMgPerMin:
            opts.maxRate === undefined ? undefined : parseNumberArg('--max-rate', opts.maxRate),
          ke0PerMin: ke0Option(opts.ke0),
        };
        const result = withOptionNames(() => planTci(request));
        if (opts.json) write(JSON.stringify(toSnakeCaseJson(result), null, 2));
        else write(formatTci(result));
      },
    );
}

/** "150" or "150@0,250@30" → stepped targets. */
export function parseTargets(raw: string): { startMin: number; targetNgPerMl: number }[] {
  return raw.split(',').map((part) => {
    const [value, start, extra] = part.trim().split('@');
    if (extra !== undefined) throw new UsageError('--target', `"${part}" is not VALUE or VALUE@START_MIN`);
    return {
      targetNgPerMl: parseNumberArg('--target', value ?? ''),
      startMin: start === undefined ? 0 : parseNumberArg('--target', start),
    };
  });
}

/** The planner's JSON shape, extended with µM values, the effect site and notes. */
export function simulationJson(r: SimulationResult): Record<string, unknown> {
  const info = listModels().find((m) => m.id === r.model)!;
  return {
    model: r.model,
    unit: r.unit,
    times_min: r.timesMin,
    analytes: r.analytes,
    metrics: toSnakeCaseJson(r.metrics),
    analytes_um: r.analytesUm,
    effect_site: toSnakeCaseJson(r.effectSite),
    doses: toSnakeCaseJson(r.doses),
    dosing_weight_kg: r.dosingWeightKg,
    model_status: info.status,
    model_status_note: info.statusNote,
    observations: toSnakeCaseJson(info.observations),
    method: r.method,
    metrics_resolution_min: r.metricsResolutionMin,
    notes: r.notes,
  };
}

export function simulationCsv(r: SimulationResult): string {
  const names = Object.keys(r.analytes);
  const header = [
    'time_min',
    ...names.map((n) => `${n}_ng_per_ml`),
    ...names.map((n) => `${n}_um`),
    ...(r.effectSite ? ['effect_site_ng_per_ml'] : []),
  ];
  const lines = r.timesMin.map((t, i) =>
    [
      t,
      ...names.map((n) => r.analytes[n]![i]!),
      ...names.map((n) => r.analytesUm[n]![i]!),
      ...(r.effectSite ? [r.effectSite.ngPerMl[i]!] : []),
    ].join(','),
  );
  return [header.join(','), ...lines].join('\n');
}

function formatSimulation(r: SimulationResult): string {
  const info = listModels().find((m) => m.id === r.model)!;
  const names = Object.keys(r.analytes);
  const out: string[] = [
    `${info.name} [${info.status}] — ${info.citation}`,
    `Doses (dosing weight ${fmt(r.dosingWeightKg)} kg): ${r.doses.map((d) => `${d.text} = ${fmt(d.doseMg, 2)} mg`).join('; ')}`,
    '',
    ['time_min', ...names.map((n) => `${n} ng/mL`), ...(r.effectSite ? ['effect site ng/mL'] : [])]
      .map((h) => h.padStart(18))
      .join(''),
  ];
  r.timesMin.forEach((t, i) => {
    out.push(
      [
        fmt(t, 2),
        ...names.map((n) => fmt(r.analytes[n]![i]!, 2)),
        ...(r.effectSite ? [fmt(r.effectSite.ngPerMl[i]!, 2)] : []),
      ]
        .map((c) => c.padStart(18))
        .join(''),
    );
  });
  out.push('');
  for (const [name, m] of Object.entries(r.metrics)) {
    out.push(
      `${name}: Cmax ${fmt(m.cmaxNgPerMl)} ng/mL (${fmt(m.cmaxUm, 3)} µM) at ${fmt(m.tmaxMin)} min; ` +
        `AUC(0–t) ${fmt(m.aucToEndNgHPerMl)} ng·h/mL; AUC(0–∞) ${fmt(m.aucInfNgHPerMl)} ng·h/mL`,
    );
    for (const e of m.endOfInfusion)
      out.push(`  end of infusion at ${fmt(e.timeMin)} min: ${fmt(e.concentrationNgPerMl)} ng/mL`);
    if (m.threshold) {
      const th = m.threshold;
      const below = th.aboveAtEnd
        ? 'still above at the end'
        : th.fallsBelowAtMin === null
          ? 'never above'
          : `falls below at ${fmt(th.fallsBelowAtMin)} min`;
      out.push(`  time above ${th.thresholdNgPerMl} ng/mL: ${fmt(th.timeAboveMin)} min; ${below}`);
    }
  }
  if (r.effectSite) out.push(`Effect site: ke0 ${r.effectSite.ke0PerMin}/min — ${r.effectSite.ke0Status}`);
  const obs = info.observations.filter((o) => o.valueNgPerMl !== undefined || o.valueText !== undefined);
  if (obs.length > 0) {
    out.push('Published observations:');
    for (const o of obs) {
      const value = o.valueNgPerMl !== undefined ? `${o.valueNgPerMl} ng/mL` : o.valueText;
      out.push(
        `  [${o.status}] ${o.description}: ${value} (${o.regimen}${o.timeMin !== null ? `, ${o.timeMin} min` : ''}) — ${o.source}`,
      );
    }
  }
  for (const n of r.notes) out.push(`Note: ${n}`);
  return out.join('\n');
}

function formatModels(models: PkModelInfo[]): string {
  return models
    .map((m) =>
      [
        `${m.id}  [${m.status}]  ${m.name}`,
        `  ${m.citation} (${m.doiOrPmid})`,
        `  population: ${m.population}`,
        `  sampling: ${m.sampling}`,
        `  scaling: ${m.scaling}`,
        `  routes: ${m.routes.join(', ')}; analytes: ${m.analytes.map((a) => a.name).join(', ')}`,
        `  ke0: ${m.ke0.defaultPerMin === null ? 'none' : `${m.ke0.defaultPerMin}/min`} [${m.ke0.status}] ${m.ke0.note}`,
        `  status: ${m.statusNote}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function formatPlan(p: InfusionPlan): string {
  return [
    `Dose: ${p.dose} → ${fmt(p.doseMg, 2)} mg (${p.weightBasis} weight ${fmt(p.dosingWeightKg, 1)} kg; ${fmt(p.doseMgPerKgActual, 3)} mg/kg actual; max ${p.maxMgPerKgPerSession} mg/kg)`,
    `Draw ${fmt(p.drugVolumeMl, 2)} mL of ${p.vialMgPerMl} mg/mL into ${p.bagMl} mL → ${fmt(p.totalVolumeMl, 2)} mL at ${fmt(p.finalConcentrationMgPerMl, 4)} mg/mL`,
    `Pump: rate ${p.rateMlPerH} mL/h (exact ${fmt(p.exactRateMlPerH, 3)}, resolution ${p.pumpResolutionMlPerH}), VTBI ${fmt(p.vtbiMl, 2)} mL, over ${fmt(p.durationMin, 0)} min`,
    `Rounding: at ${p.rateMlPerH} mL/h for ${fmt(p.durationMin, 0)} min the dose is ${fmt(p.deliveredAtPlannedDurationMg, 3)} mg (error ${fmt(p.doseErrorMg, 3)} mg, ${fmt(p.doseErrorPercent, 3)}%); the full VTBI takes ${fmt(p.durationAtRoundedRateMin, 1)} min`,
    ...p.assumptions.map((a) => `Assumption: ${a}`),
  ].join('\n');
}

function formatTci(r: TciResult): string {
  const out: string[] = [
    `TCI ${r.model}, ${r.targetSite} target, update every ${fmt(r.updateIntervalMin * 60, 0)} s`,
  ];
  for (const b of r.boluses) out.push(`Bolus at ${fmt(b.timeMin, 2)} min: ${fmt(b.doseMg, 2)} mg`);
  out.push('     start_min   rate_mg_per_h');
  const every = Math.max(1, Math.round(1 / r.updateIntervalMin));
  r.infusions.forEach((s, i) => {
    if (i < 6 || i % every === 0)
      out.push(`${fmt(s.startMin, 2).padStart(14)}${fmt(s.rateMgPerH, 2).padStart(16)}`);
  });
  if (r.infusions.length > 6) out.push(`  (${r.infusions.length} steps in all; --json for every step)`);
  out.push(`Total ${fmt(r.totalDoseMg, 2)} mg`);
  for (const s of r.verification.segments) {
    out.push(
      `Verified ${s.targetNgPerMl} ng/mL from ${s.startMin} min: within 1% at ${s.reachedWithinOnePercentAtMin === null ? 'never' : `${fmt(s.reachedWithinOnePercentAtMin, 2)} min`}, overshoot ${fmt(s.overshootPercent, 2)}%, max deviation after ${s.maxDeviationAfterReachPercent === null ? '-' : `${fmt(s.maxDeviationAfterReachPercent, 2)}%`}`,
    );
  }
  return out.join('\n');
}
