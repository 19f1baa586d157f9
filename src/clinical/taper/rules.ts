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
  capOnDoseTaken: r(
    'cap-on-dose-taken',
    "No step cuts more than the plan's cap, measured on the dose the patient actually takes (benzodiazepines: the stated step percentage; antidepressants: maxCutPct). Rounding to a product never makes a cut larger than the cap.",
    'Maudsley 14th ed. ch. 3 (10–25 %); ASAM 2025 (5–10 %, never above 25 % / 2 weeks); NICE NG222 1.4.17',
    'V',
  ),
  smallerCutsAtLowDose: r(
    'nice-smaller-cuts-at-low-dose',
    'Plans allowed cuts above 25 % (NICE 50 % example) cut at most 25 % once the dose is at or below half the start dose.',
    'NICE NG222 1.4.17 ("consider using smaller reductions (for example, 25 %) as the dose becomes lower") [V]; the half-start threshold is a planner choice [D]',
    'D',
  ),
  finalDoseAntidepressant: r(
    'final-dose-occupancy-of-sertraline-1mg',
    'Antidepressants (proportional mode): the default final dose before stopping is the dose with the same modelled SERT occupancy as sertraline 1 mg (≈ 10.5 pp), the Maudsley example of a final dose; with several regional models the lowest such dose.',
    'Maudsley Prescribing Guidelines 14th ed. ch. 3 ("final dose … may need to be very small (<1 mg)", e.g. 1 mg sertraline) [V]; occupancy equivalence from the Sørensen 2022 parameters [S]; the scaling is derived [D]',
    'D',
  ),
  finalDoseBenzodiazepine: r(
    'final-dose-diazepam-0.5mg-equivalent',
    "Benzodiazepines: the default final dose before stopping is the equivalent of diazepam 0.5 mg in the plan's equivalence table.",
    'lescanico/bzd-taper stops at diazepam 0.5 mg [S, code]; Ashton schedules shrink to 0.5 mg diazepam steps [U]; equivalence tables ASAM 2025 Table 7 [V]',
    'S',
  ),
  compoundedStep: r(
    'compounded-when-no-product',
    'When no listed product delivers a step within the cap, the step names a compounded preparation (custom-dose capsules or liquid from a compounding pharmacy) at the exact dose; when compounding is switched off the plan ends at the last deliverable dose with the reason, never with an abrupt stop.',
    'Maudsley Deprescribing Guidelines 2024 ch. 2 abstract; Horowitz 2025; tapering.md §5',
    'V',
  ),
  releaseFormsKept: r(
    'release-forms-kept-apart',
    'A plan stays in the release form the patient takes (IR, CR, ER, DR); it changes form only where a source states the equivalence, as an explicit flagged step.',
    'tapering.md §5 (paroxetine CR, venlafaxine ER and duloxetine DR are separate products, never split); Effexor XR label (IR ↔ ER at the same daily dose) [S]',
    'S',
  ),
} as const satisfies Record<string, TaperRule>;
