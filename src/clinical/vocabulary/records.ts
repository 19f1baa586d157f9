/** Small lists of the patient record that the web, the schemas and the store share. */

/** Sex assigned at birth as recorded (drives sex-specific checks such as pregnancy testing). */
export const SEX_AT_BIRTH = ['female', 'male', 'intersex', 'unknown'] as const;
export type SexAtBirthValue = (typeof SEX_AT_BIRTH)[number];

/**
 * A recorded value is `active` or `entered-in-error` (FHIR's term): a wrong entry is never deleted;
 * marking it is a new version with who, when and why, and it stops counting anywhere.
 */
export const RECORD_STATUSES = ['active', 'entered-in-error'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Who gave the answers: the patient (self-report, via the portal or on paper) or a clinician rater. */
export const RESPONDENTS = ['patient', 'clinician'] as const;
export type Respondent = (typeof RESPONDENTS)[number];

export const ALERT_KINDS = ['suicidality', 'cssrs-risk'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the clinician did about an alert (recorded at acknowledgement). */
export const ALERT_ACTIONS = [
  'contacted-patient',
  'safety-plan-reviewed',
  'same-day-assessment',
  'crisis-referral',
  'emergency-services',
  'reviewed-no-action-needed',
  'other',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];
