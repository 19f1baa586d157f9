import type { Command } from 'commander';
import { getInstrument, instruments, scoreInstrument } from '../app/calculators';
import type { InstrumentDefinition, ScoreResult } from '../clinical/instruments';
import { UsageError } from './errors';

/**
 * `rein score`: score a validated instrument from the command line.
 *   rein score --list [--json]
 *   rein score INSTRUMENT --answers 1,2,0,3,… [--json]
 * Answers are item values in order; `-` marks an item the skip logic leaves out (C-SSRS screener:
 * Q1–Q6 then "within the past 3 months", e.g. `1,0,-,-,-,0,-`).
 */
export function register(program: Command): void {
  program
    .command('score')
    .description(
      'Score a rating scale (PHQ-9, PHQ-2, GAD-7, QIDS-SR16, MADRS, C-SSRS screener, CADSS, CADSS-6, SSI)',
    )
    .argument('[instrument]', `instrument id: ${instruments.map((d) => d.id).join(', ')}`)
    .option('--list', 'list the instruments with their items, ranges and licence status')
    .option(
      '--answers <values>',
      'comma-separated item values in item order; "-" for an item skipped by the skip logic',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  rein score phq9 --answers 1,1,2,0,1,0,0,1,1\n  rein score cssrs-screener --answers 1,0,-,-,-,0,- --json\n',
    )
    .action((instrument: string | undefined, opts: { list?: boolean; answers?: string; json?: boolean }) => {
      if (opts.list) {
        printList(opts.json === true);
        return;
      }
      if (!instrument) throw new UsageError('instrument', 'name an instrument, or use --list');
      const def = getInstrument(instrument);
      if (opts.answers === undefined) throw new UsageError('--answers', `required: ${describeExpected(def)}`);
      const result = scoreInstrument(def.id, parseAnswers(def, opts.answers));
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(formatResult(def, result));
    });
}

function describeExpected(def: InstrumentDefinition): string {
  const ids = def.items.map((i) => (i.required ? i.id : `[${i.id}]`));
  return `${def.items.length === 1 ? 'one value' : 'values'} for items ${ids.join(', ')}`;
}

/** Splits `1,0,-,…` into item values; a token that is not a whole number is named by its item. */
export function parseAnswers(def: InstrumentDefinition, raw: string): (number | null)[] {
  const tokens = raw.split(',').map((t) => t.trim());
  if (tokens.length > def.items.length) {
    throw new UsageError('--answers', `${def.id} has ${def.items.length} items, got ${tokens.length} values`);
  }
  return tokens.map((token, index) => {
    const item = def.items[index]!;
    if (token === '-') return null;
    if (!/^-?\d+$/.test(token)) {
      throw new UsageError(
        `item ${item.id}`,
        `${def.id} item ${item.id} (${item.label}): "${token}" is not a whole number or "-"`,
      );
    }
    return Number(token);
  });
}

function printList(json: boolean): void {
  const rows = instruments.map((d) => ({
    id: d.id,
    version: d.version,
    title: d.title,
    rater: d.rater,
    items: d.items.length,
    totalRange: d.totalRange,
    severityBands: d.severityBands?.map((b) => `${b.label} ${b.min}–${b.max}`) ?? [],
    licence: d.licence.status,
    itemTextShipped: d.licence.itemTextShipped,
    unverified: d.unverified,
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const lines = rows.map((r) => {
    const range = r.totalRange ? `total ${r.totalRange.min}–${r.totalRange.max}` : 'risk level';
    const text = r.itemTextShipped ? 'item text' : 'labels only';
    return `${r.id.padEnd(15)} ${r.rater.padEnd(9)} ${String(r.items).padStart(2)} items  ${range.padEnd(12)} ${text.padEnd(11)} ${r.title}`;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

function formatResult(def: InstrumentDefinition, r: ScoreResult): string {
  const out: string[] = [`${def.title} — ${def.id} v${def.version}`];
  if (r.total !== null && r.totalRange) {
    out.push(
      `Total: ${r.total} (range ${r.totalRange.min}–${r.totalRange.max})${r.severity ? `, ${r.severity}` : ''}`,
    );
  }
  for (const d of r.domains ?? []) out.push(`  ${d.label}: ${d.score} (items ${d.itemIds.join(', ')})`);
  if (r.risk) out.push(`Risk: ${r.risk}`);
  if (r.flags.includes('suicidality')) {
    out.push('FLAG suicidality: a suicide item is positive');
    if (def.id === 'phq9')
      out.push('  PHQ-9 item 9: any positive response requires immediate clinical evaluation (MII PRO IG)');
  }
  if (r.flags.includes('positive-screen')) out.push('FLAG positive-screen');
  out.push(`Items: ${r.items.map((i) => `${i.id}=${i.value ?? '-'}`).join(' ')}`);
  if (r.unverified.length > 0) out.push(`Unverified: ${r.unverified.join('; ')}`);
  return `${out.join('\n')}\n`;
}
