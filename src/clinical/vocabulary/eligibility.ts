/** The words of an eligibility screening: what a rule is and what a screening concluded. */

export const RULE_KINDS = ['contraindication', 'caution', 'note'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A rule's kind as a clinician reads it beside the rule's message. */
export const RULE_KIND_LABELS: Readonly<Record<RuleKind, string>> = {
  contraindication: 'Contraindication',
  caution: 'Caution',
  note: 'Note',
};

export const ELIGIBILITY_STATUSES = ['eligible', 'needs-review', 'not-eligible'] as const;
export type EligibilityStatus = (typeof ELIGIBILITY_STATUSES)[number];

/** A screening's outcome in words. */
export const ELIGIBILITY_STATUS_LABELS: Readonly<Record<EligibilityStatus, string>> = {
  eligible: 'eligible',
  'needs-review': 'needs review',
  'not-eligible': 'not eligible',
};
