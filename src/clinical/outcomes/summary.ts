import type { CourseOutcome } from './course';
import { countFacts, courseFact, summariseCounts } from './facts';
import type { KaplanMeierResult, ProportionEstimate, survivalAt } from './stats';

/**
 * Clinic-level summary of per-course outcomes, with Wilson intervals and the Kaplan–Meier
 * durability curve, next to the published real-world benchmarks of the reference.
 */

export interface Benchmark {
  label: string;
  /** Percent. */
  value: number;
  source: string;
  status: 'V' | 'S' | 'U';
}

/** Published real-world figures (clinical-protocols.md §2.8, §4.2). */
export const BENCHMARKS = {
  response: {
    label: 'ORKA-1 PHQ-9 response (≥50%) at 14–31 days',
    value: 53.6,
    source: 'McInnes LA et al. J Affect Disord 2022 (ORKA-1); clinical-protocols.md §2.8',
    status: 'V',
  },
  remission: {
    label: 'ORKA-1 PHQ-9 remission (<5)',
    value: 28.9,
    source: 'McInnes 2022 (ORKA-1); clinical-protocols.md §2.8',
    status: 'V',
  },
  suicidalityDecreased: {
    label: 'ORKA-1 SI decreased among those with baseline SI (item 9 ≥ 1)',
    value: 73.0,
    source: 'McInnes 2022 (ORKA-1); clinical-protocols.md §2.8',
    status: 'V',
  },
  suicidalityIncreased: {
    label: 'ORKA-1 increased SI',
    value: 6.0,
    source: 'McInnes 2022 (ORKA-1); clinical-protocols.md §2.8',
    status: 'V',
  },
  durability4w: {
    label: 'ORKA-1 still responding at 4 weeks, no maintenance',
    value: 80,
    source: 'McInnes 2022 (ORKA-1, "≈80%"); clinical-protocols.md §2.8',
    status: 'V',
  },
  durability8w: {
    label: 'ORKA-1 still responding at 8 weeks, no maintenance',
    value: 60,
    source: 'McInnes 2022 (ORKA-1, "≈60%"); clinical-protocols.md §2.8',
    status: 'V',
  },
  severeHypertensionPerInfusion: {
    label: 'Yale 7-year review: severe hypertension per infusion',
    value: 0.98,
    source: 'Gen Hosp Psychiatry 2024, doi 10.1016/j.genhosppsych.2024.07.001; clinical-protocols.md §2.7',
    status: 'V',
  },
} as const satisfies Record<string, Benchmark>;

export interface OutcomeSummary {
  courses: number;
  /** Courses with a baseline and an end-of-induction score (baseline > 0). */
  evaluable: number;
  response: ProportionEstimate;
  remission: ProportionEstimate;
  rapidResponse4h: ProportionEstimate;
  rapidResponse24h: ProportionEstimate;
  /** Among courses with a positive suicidality item at baseline: item fell by end of induction. */
  suicidalityDecreased: ProportionEstimate;
  /** Among courses with both item values: item rose. */
  suicidalityIncreased: ProportionEstimate;
  meanSuicidalityChange: number | null;
  durability: KaplanMeierResult;
  durabilityAt: {
    days28: ReturnType<typeof survivalAt>;
    days56: ReturnType<typeof survivalAt>;
  };
}

/**
 * The clinic summary of a list of course outcomes: the same path the dashboard takes through
 * pre-aggregated facts (facts.ts), so both give the same figures.
 */
export function summariseOutcomes(outcomes: readonly CourseOutcome[]): OutcomeSummary {
  const { sessions: _sessions, ...summary } = summariseCounts(
    countFacts(outcomes.map((o) => courseFact(o, []))),
  );
  return summary;
}
