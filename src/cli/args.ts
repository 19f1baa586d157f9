import { UsageError } from './errors';

/** Parses a finite number for option `name`, or throws a UsageError naming it. */
export function parseNumberArg(name: string, raw: string, opts: { min?: number; max?: number } = {}): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(name, `expected a number, got "${raw}"`);
  }
  if (opts.min !== undefined && value < opts.min) {
    throw new UsageError(name, `must be at least ${opts.min}, got ${value}`);
  }
  if (opts.max !== undefined && value > opts.max) {
    throw new UsageError(name, `must be at most ${opts.max}, got ${value}`);
  }
  return value;
}

/** Parses a comma-separated list of numbers for option `name`. */
export function parseNumberListArg(name: string, raw: string): number[] {
  return raw.split(',').map((part) => parseNumberArg(name, part.trim()));
}

/** Collects a repeatable option into an array (commander's `.option(flags, desc, collect, [])`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
