export interface PlausibleRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/**
 * Body measurements of a patient. The upper bounds are the extremes of recorded human size; the
 * lower bounds keep out typing slips (0.5 kg, a height typed in metres) while admitting any
 * adolescent or adult, including very small adults. A value outside is refused, never changed.
 */
export const PLAUSIBLE = {
  weightKg: { min: 10, max: 500, unit: 'kg' },
  heightCm: { min: 50, max: 272, unit: 'cm' },
} as const satisfies Record<string, PlausibleRange>;
