import type { Command } from 'commander';
import { ClinicalInputError } from '../app/errors';
import {
  bzdKetamineFlag,
  CHECK_IN_ITEMS,
  EQUIVALENCE_TABLES,
  OCCUPANCY_MODELS,
  planTaper,
  TAPER_DRUGS,
} from '../app/calculators';
import type {
  EquivalenceTableId,
  Market,
  MedicationDose,
  Release,
  TaperPlan,
  TaperPlanInput,
} from '../clinical/taper';
import { parseNumberArg } from './args';
import { UsageError } from './errors';

/**
 * `rein taper`: the medication taper planner from the command line.
 *   rein taper drugs [--json]
 *   rein taper plan --drug NAME --from-mg N (--step-pp N | --step-pct N) [--interval-days 28] …
 *   rein taper equivalence --meds lorazepam:2,clonazepam:0.5 [--table ashton] [--json]
 *   rein taper checklist [--json]
 */
export function register(program: Command): void {
  const taper = program
    .command('taper')
    .description(
      'Plan a hyperbolic medication taper (SSRIs/SNRIs, benzodiazepines) beside a ketamine course',
    );

  taper
    .command('drugs')
    .description('list the drugs, occupancy models (with status) and dose forms the planner knows')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(drugsJson(), null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      for (const d of TAPER_DRUGS) {
        const models = OCCUPANCY_MODELS.filter((m) => m.drug === d.name);
        lines.push(`${d.name} (${d.taperClass})`);
        for (const m of models) {
          lines.push(`  occupancy model ${m.id}: Emax ${m.emaxPct} %, ED50 ${m.ed50Mg} mg [${m.status}]`);
        }
        if (models.length === 0) lines.push('  no occupancy model: proportional mode only');
        for (const f of d.forms) {
          const split = f.kind === 'liquid' ? '' : f.scored ? ', scored (¼ splits)' : ', not split';
          const market = f.markets.length > 0 ? ` ${f.markets.join('/')}` : '';
          lines.push(`  form ${f.id}: ${f.label}${split}${market} [${f.status}]`);
        }
        if (d.forms.length === 0) lines.push('  no dose forms in the reference');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  taper
    .command('plan')
    .description('build a dated taper schedule realised with real dose forms, ending at 0 mg')
    .requiredOption('--drug <name>', 'drug name, e.g. sertraline (see `rein taper drugs`)')
    .option('--from-mg <mg>', 'current total daily dose in mg')
    .option('--dose-mg <mg>', 'same as --from-mg')
    .option('--mode <mode>', 'occupancy or proportional (default: from --step-pp / --step-pct)')
    .option('--step-pp <pp>', 'occupancy mode: percentage points of SERT occupancy per step')
    .option('--step-pct <pct>', 'proportional mode: percent of the most recent dose per step')
    .option('--step <n>', 'with --mode: pp (occupancy) or percent (proportional) per step')
    .option('--interval-days <days>', 'days between reductions, 14–28', '28')
    .option('--interval-weeks <weeks>', 'weeks between reductions, 2–4 (instead of --interval-days)')
    .option('--start <date>', 'plan start date YYYY-MM-DD (required with --infusions)')
    .option('--model <region>', 'occupancy model id or region when the drug has several (e.g. thalamus)')
    .option('--max-cut-pct <pct>', 'per-step limit on the cut (default 25; antidepressants up to 50)')
    .option('--final-mg <mg>', 'proportional mode: last dose before stopping (default: smallest deliverable)')
    .option('--market <market>', 'use dose forms listed for US or UK only')
    .option('--liquid-ml <ml>', 'smallest measurable liquid volume in mL (default 0.1)')
    .option('--verified-forms-only', 'leave out dose forms whose strengths are unverified [U]')
    .option(
      '--short-term-bzd',
      'benzodiazepine taken daily for < 3 months: steps above 10 % allowed (ASAM 2025)',
    )
    .option('--infusions <dates>', 'comma-separated ketamine infusion dates YYYY-MM-DD')
    .option(
      '--change-free-hours <h>',
      'no dose change within this many hours before an infusion (default 48)',
    )
    .option(
      '--other-bzd <list>',
      'other benzodiazepines for the infusion flag, e.g. lorazepam:1,clonazepam:0.5',
    )
    .option('--table <id>', `benzodiazepine equivalence table: ${Object.keys(EQUIVALENCE_TABLES).join(', ')}`)
    .option('--release <form>', 'release form the patient takes now: IR, CR, ER, DR or ODT')
    .option('--doses-per-day <n>', 'how many times a day the patient takes it (1–4; default from the label)')
    .option(
      '--no-compounding',
      'never plan compounded doses: end the plan at the last deliverable dose with the reason',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  rein taper plan --drug sertraline --from-mg 100 --step-pct 10 --start 2026-01-05\n' +
        '  rein taper plan --drug citalopram --from-mg 20 --step-pp 5 --max-cut-pct 50 --json\n' +
        '  rein taper plan --drug diazepam --from-mg 20 --step-pct 10 --interval-days 14 \\\n' +
        '      --start 2026-01-05 --infusions 2026-01-19,2026-01-21\n',
    )
    .action((opts: PlanOptions) => {
      const { input, dated } = planInput(opts);
      const plan = withCliFieldNames(() => planTaper(input));
      if (opts.json) process.stdout.write(`${JSON.stringify(planJson(plan, dated), null, 2)}\n`);
      else process.stdout.write(formatPlan(plan, dated));
    });

  taper
    .command('equivalence')
    .description('total diazepam-equivalent mg/day for a medication list, and the ketamine > 8 mg/day flag')
    .requiredOption('--meds <list>', 'drug:mg-per-day pairs, e.g. lorazepam:2,clonazepam:0.5')
    .option(
      '--table <id>',
      `equivalence table: ${Object.keys(EQUIVALENCE_TABLES).join(', ')} (default ashton)`,
    )
    .option('--json', 'print JSON')
    .action((opts: { meds: string; table?: string; json?: boolean }) => {
      const meds = parseMeds('--meds', opts.meds);
      const table = parseTable(opts.table);
      const flag = withCliFieldNames(() => bzdKetamineFlag(meds, table === undefined ? {} : { table }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(flag, null, 2)}\n`);
        return;
      }
      const e = flag.equivalent;
      const total =
        e.lowMgPerDay === e.highMgPerDay
          ? fmt(e.lowMgPerDay)
          : `${fmt(e.lowMgPerDay)}–${fmt(e.highMgPerDay)}`;
      const lines = [
        `diazepam-equivalent: ${total} mg/day (${e.tableName})`,
        ...e.items.map((i) => `  ${i.drug} ${i.doseMgPerDay} mg/day → ${fmt(i.lowMgPerDay)} mg DE`),
        ...(e.notInTable.length > 0 ? [`  not in this table (not counted): ${e.notInTable.join(', ')}`] : []),
        `ketamine flag (> ${flag.thresholdMgPerDay} mg/day DE): ${flag.level} — ${flag.citation}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  taper
    .command('checklist')
    .description('the weekly withdrawal check-in items (a free checklist, not the DESS)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(CHECK_IN_ITEMS, null, 2)}\n`);
        return;
      }
      const lines = CHECK_IN_ITEMS.map((i) => `${i.redFlag ? '!' : ' '} ${i.id.padEnd(12)} ${i.text}`);
      lines.push(
        'Each item: 0 none, 1 mild, 2 moderate, 3 severe; plus "are your symptoms tolerable?". ! = red flag.',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

interface PlanOptions {
  drug: string;
  fromMg?: string;
  doseMg?: string;
  mode?: string;
  stepPp?: string;
  stepPct?: string;
  step?: string;
  intervalDays: string;
  intervalWeeks?: string;
  start?: string;
  model?: string;
  maxCutPct?: string;
  finalMg?: string;
  market?: string;
  liquidMl?: string;
  verifiedFormsOnly?: boolean;
  shortTermBzd?: boolean;
  infusions?: string;
  changeFreeHours?: string;
  otherBzd?: string;
  table?: string;
  release?: string;
  dosesPerDay?: string;
  compounding?: boolean;
  json?: boolean;
}

/** Core input field → the CLI argument that sets it, so exit-2 messages name the argument. */
const FIELD_TO_ARG: Record<string, string> = {
  drug: '--drug',
  startDoseMg: '--from-mg',
  mode: '--mode',
  stepPp: '--step-pp',
  stepPct: '--step-pct',
  intervalDays: '--interval-days',
  startDate: '--start',
  model: '--model',
  maxCutPct: '--max-cut-pct',
  finalDoseMg: '--final-mg',
  liquidResolutionMl: '--liquid-ml',
  noChangeHoursBeforeInfusion: '--change-free-hours',
  table: '--table',
  release: '--release',
  dosesPerDay: '--doses-per-day',
};

function withCliFieldNames<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ClinicalInputError) {
      const arg =
        FIELD_TO_ARG[err.field] ??
        (err.field.startsWith('infusionDates')
          ? '--infusions'
          : err.field.startsWith('meds')
            ? '--meds'
            : err.field);
      throw new UsageError(arg, err.message);
    }
    throw err;
  }
}

const PLACEHOLDER_START = '2000-01-03';
const RELEASES: readonly Release[] = ['IR', 'CR', 'ER', 'DR', 'ODT'];

function planInput(opts: PlanOptions): { input: TaperPlanInput; dated: boolean } {
  const rawDose = opts.fromMg ?? opts.doseMg;
  if (rawDose === undefined)
    throw new UsageError('--from-mg', 'required: the current total daily dose in mg');
  const startDoseMg = parseNumberArg(opts.fromMg !== undefined ? '--from-mg' : '--dose-mg', rawDose, {
    min: 0,
  });
  if (opts.step !== undefined) {
    if (opts.mode === undefined)
      throw new UsageError('--step', 'needs --mode occupancy or --mode proportional');
    if (opts.stepPp !== undefined || opts.stepPct !== undefined) {
      throw new UsageError('--step', 'give --step or --step-pp/--step-pct, not both');
    }
    opts = opts.mode === 'occupancy' ? { ...opts, stepPp: opts.step } : { ...opts, stepPct: opts.step };
  }
  if (opts.stepPp !== undefined && opts.stepPct !== undefined) {
    throw new UsageError(
      '--step-pp',
      'give either --step-pp (occupancy) or --step-pct (proportional), not both',
    );
  }
  let mode = opts.mode;
  if (mode === undefined) mode = opts.stepPp !== undefined ? 'occupancy' : 'proportional';
  if (mode !== 'occupancy' && mode !== 'proportional') {
    throw new UsageError('--mode', `must be occupancy or proportional, got "${mode}"`);
  }
  if (mode === 'occupancy' && opts.stepPp === undefined)
    throw new UsageError('--step-pp', 'required in occupancy mode');
  if (mode === 'proportional' && opts.stepPct === undefined)
    throw new UsageError('--step-pct', 'required in proportional mode');
  let intervalDays = parseNumberArg('--interval-days', opts.intervalDays);
  if (opts.intervalWeeks !== undefined) {
    intervalDays = parseNumberArg('--interval-weeks', opts.intervalWeeks, { min: 2, max: 4 }) * 7;
    if (!Number.isInteger(intervalDays)) {
      throw new UsageError(
        '--interval-weeks',
        `must give a whole number of days, got ${opts.intervalWeeks} weeks`,
      );
    }
  }
  const infusionDates = opts.infusions?.split(',').map((s) => s.trim());
  if (infusionDates && opts.start === undefined) throw new UsageError('--start', 'required with --infusions');
  if (opts.market !== undefined && opts.market !== 'US' && opts.market !== 'UK') {
    throw new UsageError('--market', `must be US or UK, got "${opts.market}"`);
  }
  const table = parseTable(opts.table);
  if (opts.release !== undefined && !RELEASES.includes(opts.release as Release)) {
    throw new UsageError('--release', `must be one of ${RELEASES.join(', ')}, got "${opts.release}"`);
  }
  const input: TaperPlanInput = {
    drug: opts.drug,
    startDoseMg,
    mode,
    ...(opts.stepPp === undefined ? {} : { stepPp: parseNumberArg('--step-pp', opts.stepPp) }),
    ...(opts.stepPct === undefined ? {} : { stepPct: parseNumberArg('--step-pct', opts.stepPct) }),
    intervalDays,
    startDate: opts.start ?? PLACEHOLDER_START,
    ...(opts.model === undefined ? {} : { modelId: opts.model }),
    ...(opts.maxCutPct === undefined ? {} : { maxCutPct: parseNumberArg('--max-cut-pct', opts.maxCutPct) }),
    ...(opts.finalMg === undefined ? {} : { finalDoseMg: parseNumberArg('--final-mg', opts.finalMg) }),
    ...(opts.shortTermBzd ? { shortTermBzdUse: true } : {}),
    forms: {
      ...(opts.market === undefined ? {} : { market: opts.market as Market }),
      ...(opts.liquidMl === undefined
        ? {}
        : { liquidResolutionMl: parseNumberArg('--liquid-ml', opts.liquidMl) }),
      ...(opts.verifiedFormsOnly ? { excludeUnverifiedForms: true } : {}),
    },
    ...(infusionDates === undefined ? {} : { infusionDates }),
    ...(opts.changeFreeHours === undefined
      ? {}
      : {
          infusionSpacing: {
            noChangeHoursBeforeInfusion: parseNumberArg('--change-free-hours', opts.changeFreeHours),
          },
        }),
    ...(opts.otherBzd === undefined ? {} : { otherBenzodiazepines: parseMeds('--other-bzd', opts.otherBzd) }),
    ...(table === undefined ? {} : { equivalenceTable: table }),
    ...(opts.release === undefined ? {} : { release: opts.release as Release }),
    ...(opts.dosesPerDay === undefined
      ? {}
      : { dosesPerDay: parseNumberArg('--doses-per-day', opts.dosesPerDay, { min: 1, max: 4 }) }),
    ...(opts.compounding === false ? { allowCompounding: false } : {}),
  };
  return { input, dated: opts.start !== undefined };
}

function parseTable(raw: string | undefined): EquivalenceTableId | undefined {
  if (raw === undefined) return undefined;
  if (!(raw in EQUIVALENCE_TABLES)) {
    throw new UsageError(
      '--table',
      `unknown table "${raw}"; choose ${Object.keys(EQUIVALENCE_TABLES).join(', ')}`,
    );
  }
  return raw as EquivalenceTableId;
}

function parseMeds(arg: string, raw: string): MedicationDose[] {
  return raw.split(',').map((pair) => {
    const [drug, mg, extra] = pair.split(':').map((s) => s.trim());
    if (!drug || mg === undefined || extra !== undefined) {
      throw new UsageError(arg, `expected drug:mg pairs like lorazepam:2, got "${pair}"`);
    }
    return { drug, doseMgPerDay: parseNumberArg(arg, mg, { min: 0 }) };
  });
}

function fmt(x: number, digits = 3): string {
  return String(Number(x.toFixed(digits)));
}

function drugsJson() {
  return {
    drugs: TAPER_DRUGS.map((d) => ({
      name: d.name,
      class: d.taperClass,
      occupancy_models: OCCUPANCY_MODELS.filter((m) => m.drug === d.name).map((m) => ({
        id: m.id,
        region: m.region,
        emax_pct: m.emaxPct,
        ed50_mg: m.ed50Mg,
        status: m.status,
        source: m.source,
      })),
      forms: d.forms.map((f) => ({
        id: f.id,
        kind: f.kind,
        label: f.label,
        ...(f.kind === 'liquid'
          ? { concentration_mg_per_ml: f.concentrationMgPerMl }
          : { strength_mg: f.strengthMg, release: f.release, scored: f.scored }),
        markets: f.markets,
        status: f.status,
        source: f.source,
      })),
      notes: d.notes,
    })),
    equivalence_tables: Object.values(EQUIVALENCE_TABLES).map((t) => ({
      id: t.id,
      name: t.name,
      diazepam_mg: t.diazepamMg,
      equivalent_mg: t.equivalentMg,
      status: t.status,
      citation: t.citation,
    })),
  };
}

function planJson(plan: TaperPlan, dated: boolean) {
  return {
    drug: plan.drug,
    class: plan.taperClass,
    mode: plan.mode,
    step_pp: plan.stepPp,
    step_pct: plan.stepPct,
    interval_days: plan.intervalDays,
    max_cut_pct: plan.maxCutPct,
    start_date: dated ? plan.startDate : null,
    status: plan.status,
    end_reason: plan.endReason,
    total_duration_days: plan.totalDurationDays,
    duration: plan.durationText,
    end_date: dated ? plan.endDate : null,
    release: plan.release,
    doses_per_day: plan.dosesPerDay,
    doses_per_day_source: plan.dosesPerDaySource,
    final_dose_mg: plan.finalDoseMg,
    final_dose_source: plan.finalDoseSource,
    model: plan.model && {
      id: plan.model.id,
      emax_pct: plan.model.emaxPct,
      ed50_mg: plan.model.ed50Mg,
      status: plan.model.status,
      note: plan.model.note,
    },
    steps: plan.steps.map((s) => ({
      day: s.day,
      date: dated ? s.date : null,
      dose_mg: s.doseMg,
      target_dose_mg: Number(s.targetDoseMg.toFixed(6)),
      occupancy_pct: s.occupancyPct === null ? null : Number(s.occupancyPct.toFixed(2)),
      target_occupancy_pct: s.targetOccupancyPct === null ? null : Number(s.targetOccupancyPct.toFixed(2)),
      cut_pct: s.cutPct === null ? null : Number(s.cutPct.toFixed(2)),
      deliverable: s.deliverable,
      how: s.how,
      take: s.take?.text ?? null,
      cap_pct: s.capPct === null ? null : Number(s.capPct.toFixed(2)),
      ...(s.preparation ? { preparation: s.preparation } : {}),
      ...(s.formSwitch ? { form_switch: s.formSwitch } : {}),
      ...(s.realisation?.administration === undefined
        ? {}
        : { administration: s.realisation.administration }),
      ...(s.realisation ? { form_statuses: s.realisation.formStatuses } : {}),
      ...(s.limitedBy === undefined ? {} : { limited_by: s.limitedBy }),
      ...(s.shiftedFromDate === undefined
        ? {}
        : { shifted_from: s.shiftedFromDate, shift_reason: s.shiftReason }),
      ...(s.problems.length > 0 ? { problems: s.problems } : {}),
    })),
    undeliverable_steps: plan.undeliverableSteps,
    compounded_steps: plan.compoundedSteps,
    form_switches: plan.formSwitches,
    infusion_dates: plan.infusionDates,
    infusion_flags: plan.infusionFlags,
    rules: plan.rules,
    warnings: plan.warnings,
  };
}

function formatPlan(plan: TaperPlan, dated: boolean): string {
  const head =
    `${plan.drug} taper, ${plan.mode} mode, ` +
    (plan.mode === 'occupancy' ? `${plan.stepPp} pp` : `${plan.stepPct} %`) +
    ` every ${plan.intervalDays} days (max cut ${plan.maxCutPct} % per step)`;
  const ends =
    plan.status === 'complete'
      ? `stops ${dated ? `on ${plan.endDate}` : `on day ${plan.totalDurationDays}`}`
      : `ENDS BEFORE ZERO ${dated ? `on ${plan.endDate}` : `on day ${plan.totalDurationDays}`}`;
  const lines = [
    head,
    `total duration: ${plan.durationText}, ${plan.steps.length - 1} change(s); ${ends}`,
    ...(plan.endReason ? [`why it ends before zero: ${plan.endReason}`] : []),
    `doses a day: ${plan.dosesPerDay} (${plan.dosesPerDaySource.text} [${plan.dosesPerDaySource.status}])` +
      (plan.release ? `; release form ${plan.release}` : ''),
    ...(plan.finalDoseSource
      ? [`final dose before stopping: ${plan.finalDoseSource.text} [${plan.finalDoseSource.status}]`]
      : []),
  ];
  const shownAdministration = new Set<string>();
  if (plan.model) {
    lines.push(
      `occupancy model ${plan.model.id}: Emax ${plan.model.emaxPct} %, ED50 ${plan.model.ed50Mg} mg [${plan.model.status}: not yet verified]`,
    );
  }
  for (const s of plan.steps) {
    const when = dated ? `${s.date} (day ${s.day})` : `day ${s.day}`;
    const occ = s.occupancyPct === null ? '' : ` ~${s.occupancyPct.toFixed(1)} % SERT`;
    const flags = [
      s.limitedBy ? `limited by ${s.limitedBy}` : '',
      s.shiftedFromDate ? `moved from ${s.shiftedFromDate}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`${when}: ${s.how}${occ}${flags ? ` [${flags}]` : ''}`);
    if (s.formSwitch) {
      lines.push(
        `    FORM SWITCH ${s.formSwitch.from} → ${s.formSwitch.to}: ${s.formSwitch.equivalence} (${s.formSwitch.citation} [${s.formSwitch.status}])`,
      );
    }
    if (s.preparation) lines.push(`    COMPOUNDED: ${s.preparation.text}`);
    const admin = s.realisation?.administration;
    if (admin && !shownAdministration.has(admin)) {
      shownAdministration.add(admin);
      lines.push(`    ${admin}`);
    }
  }
  for (const f of plan.infusionFlags) {
    lines.push(
      `! infusion ${f.date}: benzodiazepine ${fmt(f.lowMgPerDayDe)} mg/day diazepam-equivalent (${f.level} ${f.thresholdMgPerDay} mg; ${f.ruleId})`,
    );
  }
  for (const w of plan.warnings) lines.push(`note: ${w}`);
  return `${lines.join('\n')}\n`;
}
