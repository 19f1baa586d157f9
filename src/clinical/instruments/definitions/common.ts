import type { AnswerOption, LoincCode, SourceStatus } from '../types';

export function loinc(code: string, status: SourceStatus): LoincCode {
  return { code, status };
}

/**
 * The PHQ/GAD frequency answer scale, 0–3, with its LOINC answer codes.
 * Source: reference instruments.md §1.1 and §2.1 (LA6568-5 … LA6571-9) [V]; Kroenke 2001; Spitzer 2006.
 */
export function frequencyOptions(): AnswerOption[] {
  return [
    { value: 0, label: 'Not at all', text: 'Not at all', loinc: loinc('LA6568-5', 'V') },
    { value: 1, label: 'Several days', text: 'Several days', loinc: loinc('LA6569-3', 'V') },
    {
      value: 2,
      label: 'More than half the days',
      text: 'More than half the days',
      loinc: loinc('LA6570-1', 'V'),
    },
    { value: 3, label: 'Nearly every day', text: 'Nearly every day', loinc: loinc('LA6571-9', 'V') },
  ];
}

/** Options valued from..to (inclusive) with the number as label; for instruments shipped as labels only. */
export function numericOptions(from: number, to: number): AnswerOption[] {
  const options: AnswerOption[] = [];
  for (let v = from; v <= to; v += 1) options.push({ value: v, label: String(v) });
  return options;
}

/**
 * No = 0, Yes = 1, with the generic LOINC answer codes LA32-8 "No" and LA33-6 "Yes" [S] (LOINC
 * answer codes as used in HL7 implementation guides' yes/no value sets; docs/clinical-sources/
 * outcomes.md §4).
 */
export function yesNoOptions(): AnswerOption[] {
  return [
    { value: 0, label: 'No', loinc: loinc('LA32-8', 'S') },
    { value: 1, label: 'Yes', loinc: loinc('LA33-6', 'S') },
  ];
}
