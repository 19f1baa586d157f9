/**
 * Command-line options of the benchmark scripts. A benchmark runs for minutes, so a mistyped or
 * unknown option, a missing value or a stray argument is refused by name at once (exit 2) instead of
 * being ignored while the defaults run; `--help` prints the script's options and exits.
 */
import { parseArgs } from 'node:util';

export interface BenchOption {
  /** A flag takes no value; every other option takes one. */
  flag?: true;
  /** One line of help: the value and what it does, its default included. */
  help: string;
}

export class BenchArgError extends Error {}

export interface BenchArgs {
  /** Whether a flag was given. */
  flag(name: string): boolean;
  /** An option's value as given, or undefined. */
  text(name: string): string | undefined;
  /** A whole number from min to max; `fallback` when absent. */
  int(name: string, fallback: number, min: number, max: number): number;
  /** A number of seconds from min to max, fractions allowed; `fallback` when absent. */
  seconds(name: string, fallback: number, min: number, max: number): number;
  /** One of `choices`; `fallback` when absent. */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T;
}

/** The usage text: the command, then one line per option. */
export function benchUsage(command: string, options: Record<string, BenchOption>): string {
  const lines = Object.entries(options).map(([name, o]) => `  --${name.padEnd(14)} ${o.help}`);
  return [`Usage: ${command} [options]`, ...lines, `  --${'help'.padEnd(14)} print this and exit`].join('\n');
}

/**
 * Parses `argv` (without node and the script) against `options`; 'help' when --help is given.
 * Refuses with a message naming the option (by default, throws it as a BenchArgError): at parse time
 * for unknown options and missing values, at the first read for a value out of range.
 */
export function parseBenchArgs(
  argv: string[],
  options: Record<string, BenchOption>,
  refuse: (message: string) => never = (message) => {
    throw new BenchArgError(message);
  },
): BenchArgs | 'help' {
  const spec = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.flag ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: { ...spec, help: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    return refuse(describeParseError(err, options));
  }
  if (values.help) return 'help';
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const number = (name: string, fallback: number, ok: (n: number) => boolean, wanted: string): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!ok(n)) refuse(`--${name} must be ${wanted} (got "${raw}")`);
    return n;
  };
  return {
    flag: (name) => values[name] === true,
    text,
    int: (name, fallback, min, max) =>
      number(
        name,
        fallback,
        (n) => Number.isInteger(n) && n >= min && n <= max,
        `a whole number from ${min} to ${max}`,
      ),
    seconds: (name, fallback, min, max) =>
      number(
        name,
        fallback,
        (n) => Number.isFinite(n) && n >= min && n <= max,
        `a number of seconds from ${min} to ${max}`,
      ),
    oneOf: (name, choices, fallback) => {
      const raw = text(name);
      if (raw === undefined) return fallback;
      const found = choices.find((c) => c === raw);
      return found ?? refuse(`--${name} must be one of: ${choices.map((c) => `"${c}"`).join(', ')}`);
    },
  };
}

function describeParseError(err: unknown, options: Record<string, BenchOption>): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.keys(options).map((n) => `--${n}`);
    return `unknown option ${quoted} (options: ${known.join(', ')}, --help)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // Node quotes the option as '--name' or '--name <value>'.
    const name = quoted.split(' ')[0]!.replace(/^--/, '');
    return options[name]?.flag ? `--${name} takes no value` : `--${name} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument "${quoted}": every value follows its option (see --help)`;
  }
  return message;
}

/**
 * The script's options from process.argv: prints usage and exits 0 on --help; prints the refusal as
 * `bench:NAME: …` and exits 2 on a bad option or value.
 */
export function benchArgs(bench: string, options: Record<string, BenchOption>): BenchArgs {
  const parsed = parseBenchArgs(process.argv.slice(2), options, (message) => {
    process.stderr.write(`bench:${bench}: ${message}\n`);
    process.exit(2);
  });
  if (parsed === 'help') {
    process.stdout.write(`${benchUsage(`npm run bench:${bench} --`, options)}\n`);
    process.exit(0);
  }
  return parsed;
}
