/**
 * Sourced parameters for the mechanism model. Every number carries its unit, source and the
 * status tag from ../shared/reference/pharmacology.md ([V], [S], [U], [C]) or `illustrative`
 * (chosen by us to reproduce a qualitative published finding; not a measured value).
 * The same table is in docs/clinical-sources/mechanism.md.
 */
import { ClinicalInputError } from '../errors';

export type ParameterStatus =
  'V' | 'V abstract' | 'S' | 'U' | 'C' | 'illustrative' | 'assumption' | 'user-set';

export interface SourcedParameter {
  readonly id: string;
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly status: ParameterStatus;
  readonly note?: string;
}

/** Replace the value of a parameter by a caller-chosen one; the status then says so. */
export function overrideParameter(p: SourcedParameter, value: number | undefined): SourcedParameter {
  if (value === undefined) return p;
  if (!Number.isFinite(value))
    throw new ClinicalInputError(p.id, `${p.id} must be a finite number (${p.unit})`);
  return {
    ...p,
    value,
    status: 'user-set',
    source: `set by the caller (default ${p.value} ${p.unit}: ${p.source})`,
  };
}

export function requirePositive(p: SourcedParameter): void {
  if (!(p.value > 0)) throw new ClinicalInputError(p.id, `${p.id} must be > 0 (${p.unit})`);
}

export function requireFraction(p: SourcedParameter, allowZero = false): void {
  const ok = allowZero ? p.value >= 0 && p.value <= 1 : p.value > 0 && p.value <= 1;
  if (!ok) throw new ClinicalInputError(p.id, `${p.id} must be in ${allowZero ? '[0, 1]' : '(0, 1]'}`);
}
