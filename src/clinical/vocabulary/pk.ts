/**
 * 100–250 ng/mL: plasma range associated with dissociation during a 40-min infusion (Krystal 1994
 * via Zanos 2018 Pharmacol Rev Table 1) [S]; charts shade it.
 */
export const DISSOCIATION_BAND_NG_PER_ML = {
  low: 100,
  high: 250,
  status: 'S',
  source: 'Krystal 1994 via Zanos 2018 Pharmacol Rev Table 1',
} as const;

/** One Spravato device delivers 28 mg; wait 5 min between devices [V] (clinical-protocols.md §3). */
export const ESKETAMINE_DEVICE_MG = 28;
export const ESKETAMINE_DEVICE_INTERVAL_MIN = 5;

/** Which weight a mg/kg dose multiplies: actual, ideal (Devine) or adjusted (IBW + 0.4 × excess). */
export const DOSING_WEIGHT_BASES = ['actual', 'ideal', 'adjusted'] as const;
export type DosingWeightBasis = (typeof DOSING_WEIGHT_BASES)[number];
