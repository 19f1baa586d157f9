import { describe, expect, it } from 'vitest';
import { BenchArgError, benchUsage, parseBenchArgs, type BenchArgs, type BenchOption } from './args';

const OPTIONS: Record<string, BenchOption> = {
  duration: { help: 'S seconds per measurement (default 10)' },
  connections: { help: 'N connections (default 100)' },
  store: { help: 'pglite|postgres|both (default both)' },
  drop: { flag: true, help: 'drop the database at the end' },
};

const parse = (argv: string[]): BenchArgs => {
  const parsed = parseBenchArgs(argv, OPTIONS);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
};
const refusal = (read: () => unknown): string => {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(BenchArgError);
    return (err as Error).message;
  }
  throw new Error('not refused');
};

describe('benchmark options', () => {
  it('reads values, flags and defaults', () => {
    const a = parse(['--duration', '0.2', '--connections=2', '--drop', '--store', 'pglite']);
    expect(a.seconds('duration', 10, 0.1, 600)).toBe(0.2);
    expect(a.int('connections', 100, 1, 1000)).toBe(2);
    expect(a.flag('drop')).toBe(true);
    expect(a.oneOf('store', ['pglite', 'postgres', 'both'], 'both')).toBe('pglite');
    const none = parse([]);
    expect(none.seconds('duration', 10, 0.1, 600)).toBe(10);
    expect(none.int('connections', 100, 1, 1000)).toBe(100);
    expect(none.flag('drop')).toBe(false);
    expect(none.text('store')).toBeUndefined();
    expect(none.oneOf('store', ['pglite', 'postgres', 'both'], 'both')).toBe('both');
  });

  it('refuses an unknown option, a missing value and a stray argument, naming them', () => {
    expect(refusal(() => parse(['--duraton', '5']))).toBe(
      'unknown option --duraton (options: --duration, --connections, --store, --drop, --help)',
    );
    expect(refusal(() => parse(['--connections']))).toBe('--connections needs a value');
    expect(refusal(() => parse(['--duration', '--drop']))).toBe('--duration needs a value');
    expect(refusal(() => parse(['--drop=yes']))).toBe('--drop takes no value');
    expect(refusal(() => parse(['5']))).toBe(
      'unexpected argument "5": every value follows its option (see --help)',
    );
  });

  it('refuses a value out of range or of the wrong kind, naming the option and the value', () => {
    expect(refusal(() => parse(['--connections', '2.5']).int('connections', 100, 1, 1000))).toBe(
      '--connections must be a whole number from 1 to 1000 (got "2.5")',
    );
    expect(refusal(() => parse(['--connections', '']).int('connections', 100, 1, 1000))).toMatch(
      /^--connections must be a whole number/,
    );
    expect(refusal(() => parse(['--duration', '0']).seconds('duration', 10, 0.1, 600))).toBe(
      '--duration must be a number of seconds from 0.1 to 600 (got "0")',
    );
    expect(refusal(() => parse(['--store', 'mysql']).oneOf('store', ['pglite', 'postgres'], 'pglite'))).toBe(
      '--store must be one of: "pglite", "postgres"',
    );
  });

  it('answers --help with the usage, one line per option', () => {
    expect(parseBenchArgs(['--duration', '5', '--help'], OPTIONS)).toBe('help');
    const usage = benchUsage('npm run bench:http --', OPTIONS);
    expect(usage.split('\n')).toHaveLength(1 + Object.keys(OPTIONS).length + 1);
    expect(usage).toMatch(/^Usage: npm run bench:http -- \[options\]$/m);
    expect(usage).toMatch(/^ {2}--drop +drop the database at the end$/m);
    expect(usage).toMatch(/^ {2}--help +print this and exit$/m);
  });
});
