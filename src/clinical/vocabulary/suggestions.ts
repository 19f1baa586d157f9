/** The words of the course page's suggestions: what a titration or booster suggestion is based on. */

export const TITRATION_SUGGESTION_KINDS = ['consider-dose-increase', 'no-suggestion'] as const;
export type TitrationSuggestionKind = (typeof TITRATION_SUGGESTION_KINDS)[number];

/** A titration suggestion's kind as a prescriber reads it; the rule id stays a tooltip. */
export const TITRATION_SUGGESTION_LABELS: Readonly<Record<TitrationSuggestionKind, string>> = {
  'consider-dose-increase': 'Consider a dose increase',
  'no-suggestion': 'No dose change suggested',
};

export const BOOSTER_BASES = ['patient-measured', 'population-median-default'] as const;
export type BoosterBasis = (typeof BOOSTER_BASES)[number];

/** What a booster date rests on: this patient's own relapse time, or the population default. */
export const BOOSTER_BASIS_LABELS: Readonly<Record<BoosterBasis, string>> = {
  'patient-measured': "From this patient's relapse time",
  'population-median-default': 'Population default',
};

/** Every kind a course suggestion carries: a titration's kind or a booster's basis. */
export const SUGGESTION_KINDS = [...TITRATION_SUGGESTION_KINDS, ...BOOSTER_BASES] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export const SUGGESTION_KIND_LABELS: Readonly<Record<SuggestionKind, string>> = {
  ...TITRATION_SUGGESTION_LABELS,
  ...BOOSTER_BASIS_LABELS,
};
