import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import type { Citation, EvidenceStatus, Modality } from './evidence';
import { modalitySchema, SOURCES } from './evidence';

/**
 * Intake eligibility screening (issue 5, item 1). Pure: answers in, decision out.
 * A prescriber signs the result off; this module never treats its output as the final decision.
 */

const yesNoUnknown = z.enum(['yes', 'no', 'unknown']);
export type YesNoUnknown = z.infer<typeof yesNoUnknown>;

export const intakeAnswersSchema = z.object({
  modality: modalitySchema,
  ageYears: z.number().int().min(0).max(130),
  // Contraindications (Spravato US PI §4)
  aneurysmalVascularDiseaseOrAvm: yesNoUnknown,
  intracerebralHemorrhageHistory: yesNoUnknown,
  ketamineOrEsketamineHypersensitivity: yesNoUnknown,
  // Cautions
  hypertension: z.enum(['none', 'controlled', 'uncontrolled', 'unknown']),
  unstableCardiovascularOrCerebrovascularDisease: yesNoUnknown,
  hypertensiveEncephalopathyHistory: yesNoUnknown,
  psychosisHistory: yesNoUnknown,
  substanceUseDisorder: z.enum(['none', 'past', 'current', 'unknown']),
  /** Ketamine or phencyclidine misuse specifically (a subset of substance use disorder). */
  ketamineOrPcpMisuseHistory: yesNoUnknown,
  pregnant: z.enum(['yes', 'no', 'unknown', 'not-applicable']),
  breastfeeding: z.enum(['yes', 'no', 'unknown', 'not-applicable']),
  hepaticImpairment: z.enum(['none', 'mild', 'moderate', 'severe', 'unknown']),
  /** A prior adverse reaction to ketamine other than hypersensitivity (e.g. severe emergence reaction). */
  priorAdverseReactionToKetamine: yesNoUnknown,
  ulcerativeOrInterstitialCystitis: yesNoUnknown,
});
export type IntakeAnswers = z.infer<typeof intakeAnswersSchema>;

export type RuleKind = 'contraindication' | 'caution' | 'note';

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

export type EligibilityStatus = 'eligible' | 'needs-review' | 'not-eligible';

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
  {
    id: 'ELIG-CA-HTN-UNCONTROLLED',
    kind: 'caution',
    title: 'Uncontrolled hypertension',
    appliesTo: BOTH,
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
    appliesTo: BOTH,
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

function triggers(a: IntakeAnswers): Record<EligibilityRuleId, Trigger> {
  const yn = (v: YesNoUnknown): Trigger => (v === 'no' ? null : v);
  const isUnderAge = a.ageYears < ADULT_AGE_YEARS ? 'yes' : null;
  return {
    'ELIG-CI-ANEURYSM-AVM': yn(a.aneurysmalVascularDiseaseOrAvm),
    'ELIG-CI-ICH': yn(a.intracerebralHemorrhageHistory),
    'ELIG-CI-HYPERSENSITIVITY': yn(a.ketamineOrEsketamineHypersensitivity),
    'ELIG-CA-HTN-UNCONTROLLED':
      a.hypertension === 'uncontrolled' ? 'yes' : a.hypertension === 'unknown' ? 'unknown' : null,
    'ELIG-CA-CV-UNSTABLE': yn(a.unstableCardiovascularOrCerebrovascularDisease),
    'ELIG-CA-HYPERTENSIVE-ENCEPHALOPATHY': yn(a.hypertensiveEncephalopathyHistory),
    'ELIG-CA-PSYCHOSIS': yn(a.psychosisHistory),
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
    'ELIG-CA-ESKETAMINE-ADULTS-ONLY': isUnderAge,
    'ELIG-CA-IV-UNDER-18': isUnderAge,
    'ELIG-NOTE-HTN-CONTROLLED': a.hypertension === 'controlled' ? 'yes' : null,
    'ELIG-NOTE-AGE-50': a.ageYears >= CLOSER_MONITORING_AGE_YEARS ? 'yes' : null,
  };
}

/**
 * Screen intake answers. Any contraindication answered "yes" → not-eligible. A contraindication
 * answered "unknown", or any caution → needs-review. Otherwise eligible (notes may still be present).
 * Throws ClinicalInputError naming the first invalid field.
 */
export function screenEligibility(input: unknown): EligibilityResult {
  const parsed = intakeAnswersSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClinicalInputError(issue.path.join('.') || 'answers', issue.message);
  }
  const answers = parsed.data;
  const fired = triggers(answers);
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
      message: unanswered ? `Not answered: ${rule.title}` : rule.title,
      status: rule.status,
      citations: rule.citations,
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
