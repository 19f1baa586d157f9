import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import type { Citation, EvidenceStatus } from './evidence';
import { addDays, localDateSchema } from '../calendar';
import { SOURCES } from './evidence';
import type { BoosterBasis } from '../vocabulary/suggestions';

/**
 * Titration and booster suggestions. Suggestions only: nothing here changes a
 * dose or books a session. Every suggestion carries its rule id and citations.
 */

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.join('.');
    throw new ClinicalInputError(path ? `${field}.${path}` : field, issue.message);
  }
  return r.data;
}

/** Cusin 2017: 3 infusions at 0.5 mg/kg, then 0.75 mg/kg over 45 min [V]. */
export const CUSIN_INFUSIONS_BEFORE_ESCALATION = 3;
export const CUSIN_STARTING_DOSE_MG_PER_KG = 0.5;
export const CUSIN_ESCALATED_DOSE_MG_PER_KG = 0.75;
export const CUSIN_ESCALATED_INFUSION_MIN = 45;
/** Response = at least 50 % reduction from baseline (instruments.md; clinical-protocols.md §1) [V]. */
export const RESPONSE_REDUCTION_FRACTION = 0.5;
/** Murrough 2013: median time to relapse among responders after 6 infusions, 18 days [V]. */
export const MURROUGH_MEDIAN_DAYS_TO_RELAPSE = 18;

export const titrationInputSchema = z.object({
  /** Completed infusions of the current course, oldest first. */
  infusionDosesMgPerKg: z.array(z.number().positive()),
  /** Depression score (same instrument) at baseline and now; higher = worse. */
  baselineScore: z.number().positive(),
  latestScore: z.number().min(0),
  instrument: z.string().min(1),
  /** The clinic's maximum dose (clinic setting; required). */
  clinicMaxDoseMgPerKg: z.number().positive(),
});
export type TitrationInput = z.infer<typeof titrationInputSchema>;

export type TitrationSuggestion =
  | {
      kind: 'consider-dose-increase';
      ruleId: 'TIT-CUSIN-0.75';
      doseMgPerKg: number;
      infusionDurationMin: number;
      message: string;
      status: EvidenceStatus;
      citations: Citation[];
    }
  | {
      kind: 'no-suggestion';
      ruleId: 'TIT-CUSIN-0.75';
      reason: 'too-few-infusions' | 'adequate-improvement' | 'above-clinic-maximum' | 'not-at-starting-dose';
      message: string;
      status: EvidenceStatus;
      citations: Citation[];
    };

const CUSIN: Citation = {
  source: SOURCES.cusin2017,
  status: 'V',
  note: '14 TRD outpatients: 0.5 mg/kg × 3 then 0.75 mg/kg over 45 min × 3; response 7.1 % after 3, 41.7 % of completers after 6.',
};
const RESPONSE: Citation = {
  source: 'Response = >= 50 % reduction from baseline (instruments.md)',
  status: 'V',
};

export function suggestTitration(input: unknown): TitrationSuggestion {
  const t = parseOrThrow(titrationInputSchema, input, 'titration');
  const reduction = (t.baselineScore - t.latestScore) / t.baselineScore;
  const pct = Math.round(reduction * 1000) / 10;
  const citations = [CUSIN, RESPONSE];
  const none = (reason: Extract<TitrationSuggestion, { kind: 'no-suggestion' }>['reason'], message: string) =>
    ({ kind: 'no-suggestion', ruleId: 'TIT-CUSIN-0.75', reason, message, status: 'V', citations }) as const;

  const lastThree = t.infusionDosesMgPerKg.slice(-CUSIN_INFUSIONS_BEFORE_ESCALATION);
  if (lastThree.length < CUSIN_INFUSIONS_BEFORE_ESCALATION) {
    return none(
      'too-few-infusions',
      `${t.infusionDosesMgPerKg.length} infusion(s) so far; the Cusin 2017 rule is assessed after ${CUSIN_INFUSIONS_BEFORE_ESCALATION}.`,
    );
  }
  if (!lastThree.every((d) => d === CUSIN_STARTING_DOSE_MG_PER_KG)) {
    return none(
      'not-at-starting-dose',
      `The last ${CUSIN_INFUSIONS_BEFORE_ESCALATION} infusions were not all at ${CUSIN_STARTING_DOSE_MG_PER_KG} mg/kg; the Cusin 2017 step applies only from 0.5 mg/kg. No guideline endorsing routine escalation beyond 0.75 mg/kg was identified [U].`,
    );
  }
  if (reduction >= RESPONSE_REDUCTION_FRACTION) {
    return none(
      'adequate-improvement',
      `${t.instrument} improved ${pct} % from baseline (response is >= 50 %).`,
    );
  }
  if (CUSIN_ESCALATED_DOSE_MG_PER_KG > t.clinicMaxDoseMgPerKg) {
    return none(
      'above-clinic-maximum',
      `${t.instrument} improved only ${pct} % after ${t.infusionDosesMgPerKg.length} infusions, but ${CUSIN_ESCALATED_DOSE_MG_PER_KG} mg/kg exceeds the clinic maximum of ${t.clinicMaxDoseMgPerKg} mg/kg; no increase suggested.`,
    );
  }
  return {
    kind: 'consider-dose-increase',
    ruleId: 'TIT-CUSIN-0.75',
    doseMgPerKg: CUSIN_ESCALATED_DOSE_MG_PER_KG,
    infusionDurationMin: CUSIN_ESCALATED_INFUSION_MIN,
    message: `${t.instrument} improved only ${pct} % from baseline after ${t.infusionDosesMgPerKg.length} infusions at 0.5 mg/kg. Consider 0.75 mg/kg over 45 min (Cusin 2017), within the clinic maximum of ${t.clinicMaxDoseMgPerKg} mg/kg. A suggestion for the prescriber, not an order.`,
    status: 'V',
    citations,
  };
}

export const boosterInputSchema = z.object({
  lastInfusionDate: localDateSchema,
  /** This patient's own measured time from last infusion to relapse, in days, when known. */
  measuredDaysToRelapse: z.number().int().positive().optional(),
  /** Book this many days before the expected relapse (clinic setting; default 0). */
  leadDays: z.number().int().min(0).default(0),
});
export type BoosterInput = z.input<typeof boosterInputSchema>;

export interface BoosterSuggestion {
  ruleId: 'BOOST-PATIENT-RELAPSE' | 'BOOST-MURROUGH-MEDIAN-DEFAULT';
  dueDate: string;
  daysToRelapseUsed: number;
  basis: BoosterBasis;
  message: string;
  status: EvidenceStatus;
  citations: Citation[];
}

export function suggestBoosterDueDate(input: BoosterInput): BoosterSuggestion {
  const b = parseOrThrow(boosterInputSchema, input, 'booster');
  const andrade: Citation = {
    source: SOURCES.andrade2017,
    status: 'V',
    note: 'Maintenance frequency is individualised: each dose a little before the previous effect is expected to wear off. How many days before is a clinic setting (leadDays).',
  };
  const canmat: Citation = {
    source: SOURCES.canmat2021,
    status: 'V',
    note: 'No validated maintenance schedule (Level 3).',
  };
  if (b.leadDays >= (b.measuredDaysToRelapse ?? MURROUGH_MEDIAN_DAYS_TO_RELAPSE)) {
    throw new ClinicalInputError('leadDays', 'must be shorter than the time to relapse');
  }
  if (b.measuredDaysToRelapse !== undefined) {
    const due = addDays(b.lastInfusionDate, b.measuredDaysToRelapse - b.leadDays, 'lastInfusionDate');
    return {
      ruleId: 'BOOST-PATIENT-RELAPSE',
      dueDate: due,
      daysToRelapseUsed: b.measuredDaysToRelapse,
      basis: 'patient-measured',
      message: `Booster suggested by ${due}: this patient's measured time to relapse is ${b.measuredDaysToRelapse} days${b.leadDays ? `, booked ${b.leadDays} day(s) ahead` : ''}.`,
      status: 'V',
      citations: [andrade, canmat],
    };
  }
  const due = addDays(b.lastInfusionDate, MURROUGH_MEDIAN_DAYS_TO_RELAPSE - b.leadDays, 'lastInfusionDate');
  return {
    ruleId: 'BOOST-MURROUGH-MEDIAN-DEFAULT',
    dueDate: due,
    daysToRelapseUsed: MURROUGH_MEDIAN_DAYS_TO_RELAPSE,
    basis: 'population-median-default',
    message: `Booster suggested by ${due}. DEFAULT: no measured relapse time for this patient, so the population median of ${MURROUGH_MEDIAN_DAYS_TO_RELAPSE} days (Murrough 2013, responders after 6 infusions) is used. Replace it with the patient's own time to relapse once known.`,
    status: 'V',
    citations: [
      {
        source: SOURCES.murrough2013,
        status: 'V',
        note: 'Median time to relapse among responders, 18 days (abstract via secondary reproduction). Other data: Cusin 2017 all but one responder relapsed within 2 weeks; ORKA-1 ~80 % still responding at 4 weeks.',
      },
      andrade,
      canmat,
    ],
  };
}
