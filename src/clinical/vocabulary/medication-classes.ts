/**
 * Class tags on a patient's medication list: the one list shared by the record, the interaction
 * flags (protocols/interactions.ts), the REMS form and the web forms. Tags are entered by clinicians;
 * rules key on them (e.g. benzodiazepines → diazepam-equivalent check, MAOIs → hypertensive-crisis flag).
 */
export const MEDICATION_CLASSES = [
  'benzodiazepine',
  /** Non-benzodiazepine sedative hypnotics (z-drugs etc.); a REMS Patient Monitoring Form field. */
  'sedative-hypnotic',
  'ssri',
  'snri',
  'tca',
  'maoi',
  'antipsychotic',
  'mood-stabilizer',
  'stimulant',
  'opioid',
  'lamotrigine',
  'naltrexone',
  'antihypertensive',
  'cns-depressant',
  'cyp2b6-cyp3a4-inducer',
  'cyp2b6-cyp3a4-inhibitor',
  'other',
] as const;
export type MedicationClass = (typeof MEDICATION_CLASSES)[number];

/** Classes that change what happens at a ketamine session; the web highlights them. */
export const SESSION_RELEVANT_CLASSES: ReadonlySet<MedicationClass> = new Set([
  'benzodiazepine',
  'sedative-hypnotic',
  'maoi',
  'stimulant',
  'opioid',
  'lamotrigine',
  'naltrexone',
  'cns-depressant',
  'cyp2b6-cyp3a4-inducer',
  'cyp2b6-cyp3a4-inhibitor',
]);
