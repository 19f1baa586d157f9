import type { EvidenceStatus } from './sources';

/** The guideline and design rules the planner applies, each with an id, citation and status. */
export interface TaperRule {
  readonly id: string;
  readonly text: string;
  readonly citation: string;
  readonly status: EvidenceStatus;
}

const r = (id: string, text: string, citation: string, status: EvidenceStatus): TaperRule => ({
  id,
  text,
  citation,
  status,
});

export const TAPER_RULES = {
  intervalTwoToFourWeeks: r(
    'interval-2-4-weeks',
    'Reduce every 2–4 weeks (14–28 days).',
    'Maudsley Prescribing Guidelines 14th ed. ch. 3; ASAM 2025 Joint Guideline',
    'V',
  ),
  antidepressantMaxCut: r(
    'maudsley-cut-10-25pct',
    'Antidepressants: reduce by 10–25 % of the most recent dose per step (default limit 25 %).',
    'Maudsley Prescribing Guidelines 14th ed. ch. 3, "Pattern of tapering"',
    'V',
  ),
  antidepressantNiceCut: r(
    'nice-cut-50pct',
    'Antidepressants: NICE gives 50 % of the previous dose as an example step, smaller (25 %) as the dose gets lower; the per-step limit may be raised to at most 50 %.',
    'NICE NG222 (2022) recs 1.4.17–1.4.22',
    'V',
  ),
  bzdMaxCut: r(
    'asam-bzd-max-25pct-per-2wk',
    'Benzodiazepines: the taper should typically not exceed 25 % every 2 weeks.',
    'ASAM 2025 Joint Guideline on Benzodiazepine Tapering, doi:10.1007/s11606-025-09499-2',
    'V',
  ),
  bzdInitialPace: r(
    'asam-bzd-initial-5-10pct',
    'Benzodiazepines: the initial pace should generally be 5–10 % every 2–4 weeks; faster only for short-term (<3 months) use.',
    'ASAM 2025 Joint Guideline on Benzodiazepine Tapering',
    'V',
  ),
  noAlternateDay: r(
    'no-alternate-day',
    'Daily doses only: every-other-day dosing (other than fluoxetine) is likely to cause withdrawal.',
    'Maudsley Deprescribing Guidelines 2024, ch. 2 abstract',
    'V',
  ),
  smallFinalDose: r(
    'final-dose-may-be-below-1mg',
    'The final dose before stopping may need to be very small (<1 mg).',
    'Maudsley Prescribing Guidelines 14th ed. ch. 3',
    'V',
  ),
  occupancyStep: r(
    'occupancy-equal-decrements',
    'Occupancy mode: equal SERT occupancy decrements on an Emax curve; stop when the next target occupancy would be ≤ 0. Parameters [S]; the 5–10 pp paraphrase is [U].',
    'Horowitz & Taylor 2019, Lancet Psychiatry 6:538; Sørensen 2022 parameters; tapering.md §1.5 [D]',
    'S',
  ),
  roundingShare: r(
    'rounding-within-half-cut',
    'Each realised dose lies within ± half of the planned reduction of its target, never below the guideline limit and always below the previous dose; otherwise the step is reported as not deliverable.',
    'Planner design choice (tapering.md §5 planner rule [D])',
    'D',
  ),
  proportionalStop: r(
    'proportional-final-dose',
    'Proportional mode stops after the last dose ≥ the final dose (default: the smallest dose the available forms deliver).',
    'Planner design choice [D]; Maudsley 14th ed. (very small final doses)',
    'D',
  ),
  infusionSpacing: r(
    'no-change-before-infusion',
    'No dose change within the clinic-set window before a ketamine infusion (default 48 h); changes are postponed, never brought forward.',
    'Issue 6 product default, clinic setting [D]',
    'D',
  ),
} as const satisfies Record<string, TaperRule>;
