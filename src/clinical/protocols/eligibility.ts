import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import type { Citation, EvidenceStatus, Modality, SourcedNumber } from './evidence';
import { daysBetween, localDateSchema } from '../calendar';
import { modalitySchema, SOURCES, sourcedNumberSchema } from './evidence';
import type { VitalsThresholds } from './vitals';
import { defaultVitalsThresholds } from './vitals';
import type { EligibilityStatus, RuleKind } from '../vocabulary/eligibility';

/**
 * Intake eligibility screening. Pure: answers in, decision out.
 * A prescriber signs the result off; this module never treats its output as the final decision.
 */

/**
 * A safety question has no default answer: a missing answer is refused naming the question, so a
 * screening can never pass because nobody asked.
 */
function answer<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined || iss.input === null
        ? 'not answered: every safety question needs an answer'
        : `must be one of ${values.join(', ')}`,
  });
}

const yesNoUnknown = answer(['yes', 'no', 'unknown']);
export type YesNoUnknown = z.infer<typeof yesNoUnknown>;

/** Diagnoses the clinic screens for; esketamine is indicated for TRD and for MDD with acute suicidal ideation. */
export const DIAGNOSES = [
  'mdd-treatment-resistant',
  'mdd-with-suicidal-ideation',
  'mdd',
  'bipolar-depression',
  'other',
] as const;

export const intakeAnswersSchema = z
  .object({
    modality: modalitySchema,
    ageYears: z.number().int().min(0).max(130),
    diagnosis: answer(DIAGNOSES),
    /** Adequate antidepressant trials that failed in the current episode. */
    failedAntidepressantTrials: z
      .number({ error: 'not answered: enter the number of failed antidepressant trials (0 if none)' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .max(50, 'must be at most 50'),
    /** Whether the patient takes (or will start) an oral antidepressant alongside treatment. */
    concurrentOralAntidepressant: yesNoUnknown,
    /** Blood pressure measured at screening. */
    baselineSbpMmHg: z
      .number({ error: 'not answered: enter the baseline systolic BP' })
      .int('must be a whole number')
      .min(40, 'must be at least 40 mmHg')
      .max(300, 'must be at most 300 mmHg'),
    baselineDbpMmHg: z
      .number({ error: 'not answered: enter the baseline diastolic BP' })
      .int('must be a whole number')
      .min(20, 'must be at least 20 mmHg')
      .max(200, 'must be at most 200 mmHg'),
    knownAllergies: answer(['none', 'yes']),
    /** What the patient is allergic to and the reaction; required when knownAllergies is yes. */
    allergyDetails: z.string().trim().max(500).optional(),
    // Contraindications (Spravato US PI §4)
    aneurysmalVascularDiseaseOrAvm: yesNoUnknown,
    intracerebralHemorrhageHistory: yesNoUnknown,
    ketamineOrEsketamineHypersensitivity: yesNoUnknown,
    // Conditions where a rise in BP or intracranial pressure is a hazard
    hypertension: answer(['none', 'controlled', 'uncontrolled', 'unknown']),
    unstableCardiovascularOrCerebrovascularDisease: yesNoUnknown,
    hypertensiveEncephalopathyHistory: yesNoUnknown,
    raisedIntracranialPressure: yesNoUnknown,
    raisedIntraocularPressure: yesNoUnknown,
    seizureDisorder: yesNoUnknown,
    // Psychiatric
    psychosisHistory: yesNoUnknown,
    bipolarOrManiaHistory: yesNoUnknown,
    currentSuicidalIntent: yesNoUnknown,
    substanceUseDisorder: answer(['none', 'past', 'current', 'unknown']),
    /** Ketamine or phencyclidine misuse specifically (a subset of substance use disorder). */
    ketamineOrPcpMisuseHistory: yesNoUnknown,
    pregnant: answer(['yes', 'no', 'unknown', 'not-applicable']),
    breastfeeding: answer(['yes', 'no', 'unknown', 'not-applicable']),
    hepaticImpairment: answer(['none', 'mild', 'moderate', 'severe', 'unknown']),
    /** A prior adverse reaction to ketamine other than hypersensitivity (e.g. severe emergence reaction). */
    priorAdverseReactionToKetamine: yesNoUnknown,
    ulcerativeOrInterstitialCystitis: yesNoUnknown,
  })
  .refine((a) => a.knownAllergies !== 'yes' || (a.allergyDetails?.length ?? 0) > 0, {
    message: 'describe the allergies (substance and reaction)',
    path: ['allergyDetails'],
  })
  .refine((a) => a.baselineDbpMmHg < a.baselineSbpMmHg, {
    message: 'diastolic must be below systolic',
    path: ['baselineDbpMmHg'],
  });
export type IntakeAnswers = z.infer<typeof intakeAnswersSchema>;

export type { RuleKind };

export interface EligibilityRule {
  id: string;
  kind: RuleKind;
  title: string;
  appliesTo: readonly Modality[];
  /** The strongest evidence status among the citations that support the rule. */
  status: EvidenceStatus;
  citations: readonly Citation[];
}

export interface EligibilityReason {
  ruleId: string;
  kind: RuleKind;
  message: string;
  status: EvidenceStatus;
  citations: readonly Citation[];
  /** True when the reason exists only because the answer was "unknown". */
  unanswered: boolean;
}

export type { EligibilityStatus };

export interface EligibilityResult {
  status: EligibilityStatus;
  /** Contraindications and cautions that set the status (empty when eligible). */
  reasons: EligibilityReason[];
  /** Advisory notes that do not change the status (e.g. closer monitoring). */
  notes: EligibilityReason[];
}

const BOTH: readonly Modality[] = ['iv-ketamine', 'esketamine'];

const labelCi = (note?: string): Citation => ({
  source: SOURCES.spravatoLabelContraindications,
  status: 'V',
  ...(note ? { note } : {}),
});
const IV_EXTRAPOLATION =
  'Stated in the esketamine label; applied to IV racemic ketamine as clinic policy (same molecule family).';

const KETALAR_BP_HAZARD: readonly Citation[] = [
  {
    source: SOURCES.ketalarLabel,
    status: 'S',
    note: 'Contraindicated where a significant elevation of blood pressure would constitute a serious hazard (secondary summary of the FDA label; confirm against DailyMed).',
  },
  {
    source: SOURCES.spravatoLabelBp,
    status: 'V',
    note: 'Esketamine label: do not give if a rise in BP or intracranial pressure poses a serious risk.',
  },
];
const NO_REFERENCE_SOURCE: Citation = {
  source: 'Clinic screening practice',
  status: 'U',
  note: 'No source in the reference states this rule; screened conservatively as a caution for prescriber review.',
};

/** TRD: failure of at least 2 adequate treatments in the current episode (Fava 2018 inclusion) [V]. */
export const TRD_MIN_FAILED_TRIALS = 2;

/** Every eligibility rule, in the order it is evaluated. Exported so docs and UI can list them. */
export const ELIGIBILITY_RULES = [
  {
    id: 'ELIG-CI-ANEURYSM-AVM',
    kind: 'contraindication',
    title:
      'Aneurysmal vascular disease (thoracic/abdominal aorta, intracranial or peripheral arteries) or arteriovenous malformation',
    appliesTo: BOTH,
    status: 'V',
    citations: [labelCi(IV_EXTRAPOLATION)],
  },
  {
    id: 'ELIG-CI-ICH',
    kind: 'contraindication',
    title: 'History of intracerebral haemorrhage',
    appliesTo: BOTH,
    status: 'V',
    citations: [labelCi(IV_EXTRAPOLATION)],
  },
  {
    id: 'ELIG-CI-HYPERSENSITIVITY',
    kind: 'contraindication',
    title: 'Hypersensitivity to esketamine, ketamine or any excipient',
    appliesTo: BOTH,
    status: 'V',
    citations: [labelCi()],
  },
  // IV racemic ketamine: the Ketalar label contraindicates it where a significant rise in BP would
  // be a serious hazard, so these conditions exclude rather than ask for a signed-off caution.
  {
    id: 'ELIG-CI-IV-HTN-UNCONTROLLED',
    kind: 'contraindication',
    title: 'Uncontrolled hypertension: a significant rise in BP would be a serious hazard',
    appliesTo: ['iv-ketamine'],
    status: 'S',
    citations: KETALAR_BP_HAZARD,
  },
  {
    id: 'ELIG-CI-IV-CV-UNSTABLE',
    kind: 'contraindication',
    title:
      'Unstable cardiovascular or cerebrovascular disease: a significant rise in BP would be a serious hazard',
    appliesTo: ['iv-ketamine'],
    status: 'S',
    citations: KETALAR_BP_HAZARD,
  },
  {
    id: 'ELIG-CI-IV-RAISED-ICP',
    kind: 'contraindication',
    title: 'Raised intracranial pressure: a rise in BP or intracranial pressure would be a serious hazard',
    appliesTo: ['iv-ketamine'],
    status: 'S',
    citations: KETALAR_BP_HAZARD,
  },
  {
    id: 'ELIG-CA-HTN-UNCONTROLLED',
    kind: 'caution',
    title: 'Uncontrolled hypertension',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelBp,
        status: 'V',
        note: 'Do not give if a rise in BP or intracranial pressure poses a serious risk.',
      },
      { source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' },
      { source: SOURCES.ketalarLabel, status: 'S' },
    ],
  },
  {
    id: 'ELIG-CA-CV-UNSTABLE',
    kind: 'caution',
    title: 'Unstable cardiovascular or cerebrovascular disease',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelBp,
        status: 'V',
        note: 'Do not give if a rise in BP or intracranial pressure poses a serious risk.',
      },
      { source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' },
    ],
  },
  {
    id: 'ELIG-CA-RAISED-ICP',
    kind: 'caution',
    title:
      'Raised intracranial pressure (label: do not give if a rise in BP or intracranial pressure poses a serious risk)',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelBp,
        status: 'V',
        note: 'Do not give if a rise in BP or intracranial pressure poses a serious risk; the prescriber judges whether it does.',
      },
    ],
  },
  {
    id: 'ELIG-CA-BASELINE-BP-RAISED',
    kind: 'caution',
    title: 'Baseline BP above the pre-dose caution threshold',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelBp,
        status: 'V',
        note: 'Esketamine: >140/90 mmHg, weigh the short-term BP rise against benefit. IV: the clinic threshold (default unverified, Sanacora 2017 attribution).',
      },
    ],
  },
  {
    id: 'ELIG-CA-HYPERTENSIVE-ENCEPHALOPATHY',
    kind: 'caution',
    title: 'History of hypertensive encephalopathy (more intensive BP monitoring)',
    appliesTo: BOTH,
    status: 'V',
    citations: [{ source: SOURCES.spravatoLabelBp, status: 'V' }],
  },
  {
    id: 'ELIG-CA-PSYCHOSIS',
    kind: 'caution',
    title: 'History of psychosis (assess benefit and risk)',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      { source: SOURCES.spravatoLabelWarnings, status: 'V' },
      { source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' },
    ],
  },
  {
    id: 'ELIG-CA-BIPOLAR-MANIA',
    kind: 'caution',
    title: 'History of bipolar disorder or mania (risk of switching; review mood stabiliser cover)',
    appliesTo: BOTH,
    status: 'U',
    citations: [NO_REFERENCE_SOURCE],
  },
  {
    id: 'ELIG-CA-SUICIDAL-INTENT',
    kind: 'caution',
    title:
      'Current suicidal intent: assess safety now; treatment does not replace crisis care or hospitalisation',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelIndications,
        status: 'V',
        note: 'Limitation of use: effectiveness in preventing suicide not shown; does not replace hospitalisation.',
      },
    ],
  },
  {
    id: 'ELIG-CA-SUD',
    kind: 'caution',
    title: 'Substance use disorder, current or past (abuse and misuse risk, CIII)',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      { source: SOURCES.spravatoLabelWarnings, status: 'V', note: 'Abuse and misuse: assess risk, monitor.' },
      { source: SOURCES.sanacora2017, status: 'U', note: 'Especially ketamine/PCP; full text not verified.' },
    ],
  },
  {
    id: 'ELIG-CA-KETAMINE-PCP-MISUSE',
    kind: 'caution',
    title: 'History of ketamine or phencyclidine misuse',
    appliesTo: BOTH,
    status: 'U',
    citations: [{ source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' }],
  },
  {
    id: 'ELIG-CA-PREGNANCY',
    kind: 'caution',
    title: 'Pregnancy (embryo-fetal toxicity; not recommended)',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      { source: SOURCES.spravatoLabelWarnings, status: 'V' },
      { source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' },
    ],
  },
  {
    id: 'ELIG-CA-BREASTFEEDING',
    kind: 'caution',
    title: 'Breastfeeding (not recommended)',
    appliesTo: BOTH,
    status: 'V',
    citations: [{ source: SOURCES.spravatoLabelWarnings, status: 'V' }],
  },
  {
    id: 'ELIG-CA-HEPATIC-MODERATE',
    kind: 'caution',
    title: 'Moderate hepatic impairment (may need longer monitoring)',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelWarnings,
        status: 'V',
        note: 'Label statement is for esketamine; for IV ketamine this is an extrapolation.',
      },
    ],
  },
  {
    id: 'ELIG-CA-HEPATIC-SEVERE',
    kind: 'caution',
    title: 'Severe hepatic impairment, Child-Pugh C (not recommended)',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelWarnings,
        status: 'V',
        note: 'Label statement is for esketamine; for IV ketamine this is an extrapolation.',
      },
    ],
  },
  {
    id: 'ELIG-CA-PRIOR-ADVERSE-REACTION',
    kind: 'caution',
    title: 'Prior adverse reaction to ketamine',
    appliesTo: BOTH,
    status: 'U',
    citations: [{ source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' }],
  },
  {
    id: 'ELIG-CA-CYSTITIS',
    kind: 'caution',
    title: 'Ulcerative or interstitial cystitis',
    appliesTo: BOTH,
    status: 'V',
    citations: [{ source: SOURCES.spravatoLabelWarnings, status: 'V' }],
  },
  {
    id: 'ELIG-CA-SEIZURE',
    kind: 'caution',
    title: 'Seizure disorder',
    appliesTo: BOTH,
    status: 'U',
    citations: [NO_REFERENCE_SOURCE],
  },
  {
    id: 'ELIG-CA-RAISED-IOP',
    kind: 'caution',
    title: 'Raised intra-ocular pressure (e.g. glaucoma)',
    appliesTo: BOTH,
    status: 'U',
    citations: [NO_REFERENCE_SOURCE],
  },
  {
    id: 'ELIG-CA-ESK-OFF-LABEL-DIAGNOSIS',
    kind: 'caution',
    title:
      'Diagnosis outside the esketamine indications (treatment-resistant depression; MDD with acute suicidal ideation or behaviour)',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [{ source: SOURCES.spravatoLabelIndications, status: 'V' }],
  },
  {
    id: 'ELIG-CA-ESK-MDSI-WITHOUT-ORAL-AD',
    kind: 'caution',
    title:
      'MDD with suicidal ideation: esketamine is indicated together with an oral antidepressant (not confirmed)',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [
      {
        source: SOURCES.spravatoLabelIndications,
        status: 'V',
        note: 'Treatment-resistant depression may be treated with esketamine alone (monotherapy approved January 2025); MDD with acute suicidal ideation or behaviour is indicated with an oral antidepressant.',
      },
    ],
  },
  {
    id: 'ELIG-CA-IV-DIAGNOSIS',
    kind: 'caution',
    title:
      'Diagnosis other than major depressive disorder: IV ketamine evidence is strongest for MDD, including TRD',
    appliesTo: ['iv-ketamine'],
    status: 'U',
    citations: [{ source: SOURCES.sanacora2017, status: 'U', note: 'Full text not verified.' }],
  },
  {
    id: 'ELIG-CA-TRD-FEWER-TRIALS',
    kind: 'caution',
    title: `Treatment-resistant depression recorded with fewer than ${TRD_MIN_FAILED_TRIALS} failed antidepressant trials`,
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.fava2018,
        status: 'V',
        note: 'TRD defined as failure of >= 2 adequate treatments in the current episode.',
      },
    ],
  },
  {
    id: 'ELIG-CA-ESKETAMINE-ADULTS-ONLY',
    kind: 'caution',
    title: 'Under 18: esketamine is indicated for adults only',
    appliesTo: ['esketamine'],
    status: 'V',
    citations: [{ source: 'Spravato US PI §1 Indications (adults)', status: 'V' }],
  },
  {
    id: 'ELIG-CA-IV-UNDER-18',
    kind: 'caution',
    title: 'Under 18: IV ketamine evidence in the reference comes from adult studies',
    appliesTo: ['iv-ketamine'],
    status: 'V',
    citations: [
      {
        source: SOURCES.fava2018,
        status: 'V',
        note: 'The dosing studies cited (Fava 2018, Murrough 2013, ELEKT-D) enrolled adults.',
      },
    ],
  },
  {
    id: 'ELIG-NOTE-HTN-CONTROLLED',
    kind: 'note',
    title: 'Known hypertension: closer BP monitoring during infusions',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      {
        source: SOURCES.yale2024,
        status: 'V',
        note: 'Everyone with prior hypertension had a BP surge; severe hypertension in 0.98% of infusions.',
      },
    ],
  },
  {
    id: 'ELIG-NOTE-ALLERGIES',
    kind: 'note',
    title: 'Allergies recorded',
    appliesTo: BOTH,
    status: 'clinic',
    citations: [{ source: 'Clinic intake', status: 'clinic' }],
  },
  {
    id: 'ELIG-NOTE-AGE-50',
    kind: 'note',
    title: 'Age 50 or over: larger BP rises reported; closer monitoring',
    appliesTo: BOTH,
    status: 'V',
    citations: [
      { source: SOURCES.cardiovascular135, status: 'V', note: 'Larger rises with age >= 50.' },
      { source: SOURCES.yale2024, status: 'V', note: 'Severe hypertension: age OR 1.04 per year.' },
    ],
  },
] as const satisfies readonly EligibilityRule[];

export type EligibilityRuleId = (typeof ELIGIBILITY_RULES)[number]['id'];

/** Age at and above which closer BP monitoring is noted (135-patient hemodynamics study) [V]. */
export const CLOSER_MONITORING_AGE_YEARS = 50;
/** Esketamine is indicated for adults (Spravato US PI §1) [V]. */
export const ADULT_AGE_YEARS = 18;

type Trigger = 'yes' | 'unknown' | null;

function triggers(a: IntakeAnswers, t: VitalsThresholds): Record<EligibilityRuleId, Trigger> {
  const yn = (v: YesNoUnknown): Trigger => (v === 'no' ? null : v);
  const isUnderAge = a.ageYears < ADULT_AGE_YEARS ? 'yes' : null;
  const htnUncontrolled: Trigger =
    a.hypertension === 'uncontrolled' ? 'yes' : a.hypertension === 'unknown' ? 'unknown' : null;
  const onLabelEsk =
    a.diagnosis === 'mdd-treatment-resistant' || a.diagnosis === 'mdd-with-suicidal-ideation';
  const mdd = onLabelEsk || a.diagnosis === 'mdd';
  return {
    'ELIG-CI-ANEURYSM-AVM': yn(a.aneurysmalVascularDiseaseOrAvm),
    'ELIG-CI-ICH': yn(a.intracerebralHemorrhageHistory),
    'ELIG-CI-HYPERSENSITIVITY': yn(a.ketamineOrEsketamineHypersensitivity),
    'ELIG-CI-IV-HTN-UNCONTROLLED': htnUncontrolled,
    'ELIG-CI-IV-CV-UNSTABLE': yn(a.unstableCardiovascularOrCerebrovascularDisease),
    'ELIG-CI-IV-RAISED-ICP': yn(a.raisedIntracranialPressure),
    'ELIG-CA-HTN-UNCONTROLLED': htnUncontrolled,
    'ELIG-CA-CV-UNSTABLE': yn(a.unstableCardiovascularOrCerebrovascularDisease),
    'ELIG-CA-RAISED-ICP': yn(a.raisedIntracranialPressure),
    'ELIG-CA-BASELINE-BP-RAISED':
      a.baselineSbpMmHg > t.preDoseCautionSbpAboveMmHg.value ||
      a.baselineDbpMmHg > t.preDoseCautionDbpAboveMmHg.value
        ? 'yes'
        : null,
    'ELIG-CA-HYPERTENSIVE-ENCEPHALOPATHY': yn(a.hypertensiveEncephalopathyHistory),
    'ELIG-CA-PSYCHOSIS': yn(a.psychosisHistory),
    'ELIG-CA-BIPOLAR-MANIA': a.diagnosis === 'bipolar-depression' ? 'yes' : yn(a.bipolarOrManiaHistory),
    'ELIG-CA-SUICIDAL-INTENT': yn(a.currentSuicidalIntent),
    'ELIG-CA-SUD':
      a.substanceUseDisorder === 'current' || a.substanceUseDisorder === 'past'
        ? 'yes'
        : a.substanceUseDisorder === 'unknown'
          ? 'unknown'
          : null,
    'ELIG-CA-KETAMINE-PCP-MISUSE': yn(a.ketamineOrPcpMisuseHistory),
    'ELIG-CA-PREGNANCY': a.pregnant === 'yes' || a.pregnant === 'unknown' ? a.pregnant : null,
    'ELIG-CA-BREASTFEEDING':
      a.breastfeeding === 'yes' || a.breastfeeding === 'unknown' ? a.breastfeeding : null,
    'ELIG-CA-HEPATIC-MODERATE':
      a.hepaticImpairment === 'moderate' ? 'yes' : a.hepaticImpairment === 'unknown' ? 'unknown' : null,
    'ELIG-CA-HEPATIC-SEVERE': a.hepaticImpairment === 'severe' ? 'yes' : null,
    'ELIG-CA-PRIOR-ADVERSE-REACTION': yn(a.priorAdverseReactionToKetamine),
    'ELIG-CA-CYSTITIS': yn(a.ulcerativeOrInterstitialCystitis),
    'ELIG-CA-SEIZURE': yn(a.seizureDisorder),
    'ELIG-CA-RAISED-IOP': yn(a.raisedIntraocularPressure),
    'ELIG-CA-ESK-OFF-LABEL-DIAGNOSIS': onLabelEsk ? null : 'yes',
    // Only MDD with suicidal ideation needs the oral antidepressant; TRD may be esketamine alone.
    'ELIG-CA-ESK-MDSI-WITHOUT-ORAL-AD':
      a.diagnosis === 'mdd-with-suicidal-ideation' && a.concurrentOralAntidepressant !== 'yes'
        ? a.concurrentOralAntidepressant === 'unknown'
          ? 'unknown'
          : 'yes'
        : null,
    'ELIG-CA-IV-DIAGNOSIS': mdd ? null : 'yes',
    'ELIG-CA-TRD-FEWER-TRIALS':
      a.diagnosis === 'mdd-treatment-resistant' && a.failedAntidepressantTrials < TRD_MIN_FAILED_TRIALS
        ? 'yes'
        : null,
    'ELIG-CA-ESKETAMINE-ADULTS-ONLY': isUnderAge,
    'ELIG-CA-IV-UNDER-18': isUnderAge,
    'ELIG-NOTE-HTN-CONTROLLED': a.hypertension === 'controlled' ? 'yes' : null,
    'ELIG-NOTE-ALLERGIES': a.knownAllergies === 'yes' ? 'yes' : null,
    'ELIG-NOTE-AGE-50': a.ageYears >= CLOSER_MONITORING_AGE_YEARS ? 'yes' : null,
  };
}

/** Rule-specific detail appended to a fired rule's title (the measured value, the recorded text). */
function detail(ruleId: EligibilityRuleId, a: IntakeAnswers, t: VitalsThresholds): string {
  switch (ruleId) {
    case 'ELIG-CA-BASELINE-BP-RAISED':
      return `: ${a.baselineSbpMmHg}/${a.baselineDbpMmHg} mmHg (threshold ${t.preDoseCautionSbpAboveMmHg.value}/${t.preDoseCautionDbpAboveMmHg.value}, ${t.preDoseCautionSbpAboveMmHg.status})`;
    case 'ELIG-NOTE-ALLERGIES':
      return `: ${a.allergyDetails ?? ''}`;
    case 'ELIG-CA-TRD-FEWER-TRIALS':
      return ` (${a.failedAntidepressantTrials} recorded)`;
    default:
      return '';
  }
}

export interface ScreeningOptions {
  /** The clinic's vital-sign thresholds for the modality (default: the core's cited defaults). */
  thresholds?: VitalsThresholds;
}

/**
 * Screen intake answers. Any contraindication answered "yes" → not-eligible. A contraindication
 * answered "unknown", or any caution → needs-review. Otherwise eligible (notes may still be present).
 * Every safety question must be answered: a missing answer throws ClinicalInputError naming it.
 */
export function screenEligibility(input: unknown, options: ScreeningOptions = {}): EligibilityResult {
  const parsed = intakeAnswersSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'answers', issue.message);
  }
  const answers = parsed.data;
  const thresholds = options.thresholds ?? defaultVitalsThresholds(answers.modality);
  const fired = triggers(answers, thresholds);
  const reasons: EligibilityReason[] = [];
  const notes: EligibilityReason[] = [];
  let notEligible = false;
  for (const rule of ELIGIBILITY_RULES) {
    if (!(rule.appliesTo as readonly Modality[]).includes(answers.modality)) continue;
    const t = fired[rule.id];
    if (t === null) continue;
    const unanswered = t === 'unknown';
    const reason: EligibilityReason = {
      ruleId: rule.id,
      // An unanswered contraindication is not a contraindication; it must be reviewed.
      kind: rule.kind === 'contraindication' && unanswered ? 'caution' : rule.kind,
      message: unanswered ? `Not answered: ${rule.title}` : rule.title + detail(rule.id, answers, thresholds),
      status:
        rule.id === 'ELIG-CA-BASELINE-BP-RAISED' ? thresholds.preDoseCautionSbpAboveMmHg.status : rule.status,
      citations:
        rule.id === 'ELIG-CA-BASELINE-BP-RAISED'
          ? [
              {
                source: thresholds.preDoseCautionSbpAboveMmHg.source,
                status: thresholds.preDoseCautionSbpAboveMmHg.status,
                ...(thresholds.preDoseCautionSbpAboveMmHg.note
                  ? { note: thresholds.preDoseCautionSbpAboveMmHg.note }
                  : {}),
              },
            ]
          : rule.citations,
      unanswered,
    };
    if (rule.kind === 'note') {
      notes.push(reason);
      continue;
    }
    if (rule.kind === 'contraindication' && !unanswered) notEligible = true;
    reasons.push(reason);
  }
  const status: EligibilityStatus = notEligible
    ? 'not-eligible'
    : reasons.length > 0
      ? 'needs-review'
      : 'eligible';
  return { status, reasons, notes };
}

export const eligibilitySignOffSchema = z.object({
  prescriberId: z.string().min(1),
  /** ISO 8601 instant supplied by the caller (the core has no clock). */
  signedAt: z.string().min(1),
  decision: z.enum(['approve', 'decline']),
  note: z.string().optional(),
});
export type EligibilitySignOff = z.infer<typeof eligibilitySignOffSchema>;

/**
 * Validate a prescriber's sign-off against the screening result. Approving a `needs-review` result
 * requires a note saying why; approving a `not-eligible` result is refused (the contraindication
 * must be corrected in the answers first, which creates a new screening).
 */
export function validateSignOff(result: EligibilityResult, signOff: unknown): EligibilitySignOff {
  const parsed = eligibilitySignOffSchema.safeParse(signOff);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'signOff', issue.message);
  }
  const s = parsed.data;
  if (s.decision === 'approve' && result.status === 'not-eligible') {
    const ids = result.reasons.filter((r) => r.kind === 'contraindication').map((r) => r.ruleId);
    throw new ClinicalInputError('decision', `cannot approve: contraindication(s) ${ids.join(', ')}`);
  }
  if (s.decision === 'approve' && result.status === 'needs-review' && !s.note?.trim()) {
    throw new ClinicalInputError('note', 'approving a needs-review screening requires a note on the reasons');
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// A current screening: the gate for scheduling a course and for checking a patient in

/**
 * How long a screening stays current, in days from the clinic-local date it was recorded. No source
 * gives a re-screening interval; 90 days covers an induction series and its first maintenance
 * month, then asks for a fresh screening at least quarterly. A clinic setting.
 */
export const DEFAULT_SCREENING_VALID_DAYS: SourcedNumber = {
  value: 90,
  status: 'clinic',
  source: 'Clinic setting',
  note: 'No source in the reference gives a re-screening interval; conservative default: screen again at least every 90 days.',
};

export const screeningRecordSchema = z.object({
  id: z.string().min(1),
  modality: modalitySchema,
  status: z.enum(['eligible', 'needs-review', 'not-eligible']),
  /** The clinic-local date the screening was recorded. */
  screenedOn: localDateSchema,
  signOff: z.object({ decision: z.enum(['approve', 'decline']) }).nullable(),
});
export type ScreeningRecord = z.infer<typeof screeningRecordSchema>;

export const screeningGateInputSchema = z.object({
  modality: modalitySchema,
  /** The clinic-local date of the act (today). */
  onDate: localDateSchema,
  /** Every screening of the patient, any order. */
  screenings: z.array(screeningRecordSchema),
  validDays: sourcedNumberSchema,
});

export type ScreeningGate =
  | { ok: true; screeningId: string; message: string }
  | { ok: false; screeningId: string | null; message: string };

/**
 * Whether the patient has a current screening for the modality: the newest one recorded on or
 * before `onDate` decides, and it must be no older than `validDays`, not declined, and either
 * eligible or a needs-review result approved by a prescriber. A newer not-eligible or declined
 * screening is never outweighed by an older eligible one.
 */
export function currentScreening(input: z.input<typeof screeningGateInputSchema>): ScreeningGate {
  const parsed = screeningGateInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'screening', issue.message);
  }
  const { modality, onDate, screenings, validDays } = parsed.data;
  const latest = screenings
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.modality === modality && s.screenedOn <= onDate)
    .sort((a, b) =>
      a.s.screenedOn === b.s.screenedOn ? a.i - b.i : a.s.screenedOn < b.s.screenedOn ? -1 : 1,
    )
    .at(-1)?.s;
  const what = modality === 'esketamine' ? 'esketamine' : 'IV ketamine';
  if (!latest) {
    return {
      ok: false,
      screeningId: null,
      message: `no eligibility screening for ${what}: screen the patient first`,
    };
  }
  const age = daysBetween(latest.screenedOn, onDate);
  if (age > validDays.value) {
    return {
      ok: false,
      screeningId: latest.id,
      message: `the latest ${what} screening (${latest.screenedOn}) is ${age} days old; the clinic requires one within ${validDays.value} days: screen again`,
    };
  }
  if (latest.signOff?.decision === 'decline') {
    return {
      ok: false,
      screeningId: latest.id,
      message: `the latest ${what} screening was declined by the prescriber`,
    };
  }
  if (latest.status === 'not-eligible') {
    return {
      ok: false,
      screeningId: latest.id,
      message: `the latest ${what} screening is not eligible (contraindication)`,
    };
  }
  if (latest.status === 'needs-review' && latest.signOff?.decision !== 'approve') {
    return {
      ok: false,
      screeningId: latest.id,
      message: `the latest ${what} screening needs review and has not been approved by a prescriber`,
    };
  }
  return {
    ok: true,
    screeningId: latest.id,
    message: `${latest.status === 'eligible' ? 'Eligible' : 'Approved'} screening of ${latest.screenedOn}`,
  };
}
