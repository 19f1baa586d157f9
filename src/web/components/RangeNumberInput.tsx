import { NumberInput, type NumberInputProps } from '@mantine/core';

/**
 * A number input that never changes what was typed. Mantine's NumberInput clamps to min/max on
 * blur by default (900 kg would silently become 500 kg); this one keeps the typed value and shows
 * the allowed range as an error until it is corrected. Forms refuse to submit while
 * `outOfRange` is true for any field.
 */
export interface RangeNumberInputProps extends Omit<NumberInputProps, 'clampBehavior'> {
  /** Unit shown in the range message, e.g. "kg". */
  unit?: string;
}

export function outOfRange(value: number | string, min?: number, max?: number): boolean {
  if (value === '' || value === '-') return false;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return true;
  return (min !== undefined && n < min) || (max !== undefined && n > max);
}

export function rangeText(min?: number, max?: number, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}${u}`;
  if (min !== undefined) return `must be at least ${min}${u}`;
  return `must be at most ${max}${u}`;
}

export function RangeNumberInput({ unit, error, min, max, value, ...rest }: RangeNumberInputProps) {
  const invalid = value !== undefined && outOfRange(value, min, max);
  return (
    <NumberInput
      {...rest}
      value={value}
      min={min}
      max={max}
      clampBehavior="none"
      error={error ?? (invalid ? rangeText(min, max, unit) : undefined)}
    />
  );
}
