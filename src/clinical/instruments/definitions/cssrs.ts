import type { InstrumentDefinition } from '../types';
import { loinc, yesNoOptions } from './common';

/**
 * C-SSRS screener ("recent"). Electronic implementations are exclusively licensed to
 * eResearch Technology/Clario [V]; whether an EHR rendering needs that licence is unverified [U],
 * so Rein ships labels (our own short descriptions), not the question wording.
 * Items, skip logic and LOINC codes: reference instruments.md §1.7 [V].
 */
// Skip logic (reference §1.7 [V]): "If NO [to Q2], skip to Q6" — Q3–Q5 are asked only after Q2 yes;
// the past-3-months question only after Q6 yes.
const AFTER_Q2_YES = { itemId: 'q2', value: 1 };
const ITEMS: { id: string; label: string; loinc: string; askedWhen?: { itemId: string; value: number } }[] = [
  { id: 'q1', label: 'Wish to be dead', loinc: '93246-7' },
  { id: 'q2', label: 'Thoughts of killing oneself', loinc: '93247-5' },
  { id: 'q3', label: 'Thinking about a method', loinc: '93248-3', askedWhen: AFTER_Q2_YES },
  { id: 'q4', label: 'Some intention of acting on the thoughts', loinc: '93249-1', askedWhen: AFTER_Q2_YES },
  {
    id: 'q5',
    label: 'Worked out details of a plan; intends to carry it out',
    loinc: '93250-9',
    askedWhen: AFTER_Q2_YES,
  },
  { id: 'q6', label: 'Suicidal behaviour, ever (done, started or prepared anything)', loinc: '93267-3' },
  {
    id: 'q6-recent',
    label: 'If Q6 yes: within the past 3 months',
    loinc: '93269-9',
    askedWhen: { itemId: 'q6', value: 1 },
  },
];

export const CSSRS_ITEM_IDS = ITEMS.map((i) => i.id);

export const cssrsScreener: InstrumentDefinition = {
  id: 'cssrs-screener',
  version: '1.0.0',
  title: 'Columbia Suicide Severity Rating Scale — Screener, recent (C-SSRS)',
  rater: 'clinician',
  // Past month unless stated; Q6 lifetime with a past-3-months follow-up (reference §1.7 [V]).
  recallPeriod: { days: null, description: 'Past month (Q1–Q5); Q6 ever, with a past-3-months follow-up' },
  items: ITEMS.map((item) => ({
    id: item.id,
    label: item.label,
    options: yesNoOptions(),
    loinc: loinc(item.loinc, 'V'),
    ...(item.askedWhen ? { askedWhen: { ...item.askedWhen } } : {}),
    scored: true,
    required: true,
    suicideItem: true,
  })),
  loinc: { panel: loinc('93373-9', 'V'), riskLevel: loinc('93374-7', 'V') },
  licence: {
    status: 'licence-required',
    itemTextShipped: false,
    note:
      'Copyright Research Foundation for Mental Hygiene. Electronic implementations are exclusively ' +
      'licensed to eResearch Technology/Clario (licence agreement, certification of each electronic ' +
      'version, per-administration fees) [V]. Whether a clinic EHR rendering needs this licence is ' +
      'unverified [U]: obtain a legal opinion.',
    source:
      'https://clario.com/about/legal-and-privacy/c-ssrs-licensing-application; CDISC QRS (reference §1.7)',
    sourceStatus: 'V',
  },
  totalRange: null,
  scoringSource:
    'Clinical Triage Guidelines Using the C-SSRS (docsbay copy); Rula (reference §1.7): highest item endorsed, not a sum',
  unverified: ['cssrs-screener.electronicLicence [U]'],
};
