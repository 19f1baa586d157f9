import type { InstrumentDefinition } from '../types';

/**
 * QIDS-SR16, paper version. The ids-qids.org statement says the pencil-and-paper versions "may be
 * downloaded … and used without permission" (reference instruments.md §1.4 [V]), so the paper wording
 * ships. Terms for electronic/commercial software are unverified [U] and recorded in `licence` and
 * `unverified`. Wording transcribed from the paper QIDS-SR16 (Rush AJ et al. Biol Psychiatry
 * 2003;54:573–583); proofread against the current ids-qids.org form before release.
 */
const ITEMS: { label: string; options: [string, string, string, string] }[] = [
  {
    label: 'Falling asleep',
    options: [
      'I never take longer than 30 minutes to fall asleep.',
      'I take at least 30 minutes to fall asleep, less than half the time.',
      'I take at least 30 minutes to fall asleep, more than half the time.',
      'I take more than 60 minutes to fall asleep, more than half the time.',
    ],
  },
  {
    label: 'Sleep during the night',
    options: [
      'I do not wake up at night.',
      'I have a restless, light sleep with a few brief awakenings each night.',
      'I wake up at least once a night, but I go back to sleep easily.',
      'I awaken more than once a night and stay awake for 20 minutes or more, more than half the time.',
    ],
  },
  {
    label: 'Waking up too early',
    options: [
      'Most of the time, I awaken no more than 30 minutes before I need to get up.',
      'More than half the time, I awaken more than 30 minutes before I need to get up.',
      'I almost always awaken at least one hour or so before I need to, but I go back to sleep eventually.',
      "I awaken at least one hour before I need to, and can't go back to sleep.",
    ],
  },
  {
    label: 'Sleeping too much',
    options: [
      'I sleep no longer than 7–8 hours/night, without napping during the day.',
      'I sleep no longer than 10 hours in a 24-hour period including naps.',
      'I sleep no longer than 12 hours in a 24-hour period including naps.',
      'I sleep longer than 12 hours in a 24-hour period including naps.',
    ],
  },
  {
    label: 'Feeling sad',
    options: [
      'I do not feel sad.',
      'I feel sad less than half the time.',
      'I feel sad more than half the time.',
      'I feel sad nearly all of the time.',
    ],
  },
  {
    label: 'Decreased appetite',
    options: [
      'There is no change in my usual appetite.',
      'I eat somewhat less often or lesser amounts of food than usual.',
      'I eat much less than usual and only with personal effort.',
      'I rarely eat within a 24-hour period, and only with extreme personal effort or when others persuade me to eat.',
    ],
  },
  {
    label: 'Increased appetite',
    options: [
      'There is no change from my usual appetite.',
      'I feel a need to eat more frequently than usual.',
      'I regularly eat more often and/or greater amounts of food than usual.',
      'I feel driven to overeat both at mealtime and between meals.',
    ],
  },
  {
    label: 'Decreased weight (within the last two weeks)',
    options: [
      'I have not had a change in my weight.',
      "I feel as if I've had a slight weight loss.",
      'I have lost 2 pounds or more.',
      'I have lost 5 pounds or more.',
    ],
  },
  {
    label: 'Increased weight (within the last two weeks)',
    options: [
      'I have not had a change in my weight.',
      "I feel as if I've had a slight weight gain.",
      'I have gained 2 pounds or more.',
      'I have gained 5 pounds or more.',
    ],
  },
  {
    label: 'Concentration / decision making',
    options: [
      'There is no change in my usual capacity to concentrate or make decisions.',
      'I occasionally feel indecisive or find that my attention wanders.',
      'Most of the time, I struggle to focus my attention or to make decisions.',
      'I cannot concentrate well enough to read or cannot make even minor decisions.',
    ],
  },
  {
    label: 'View of myself',
    options: [
      'I see myself as equally worthwhile and deserving as other people.',
      'I am more self-blaming than usual.',
      'I largely believe that I cause problems for others.',
      'I think almost constantly about major and minor defects in myself.',
    ],
  },
  {
    label: 'Thoughts of death or suicide',
    options: [
      'I do not think of suicide or death.',
      "I feel that life is empty or wonder if it's worth living.",
      'I think of suicide or death several times a week for several minutes.',
      'I think of suicide or death several times a day in some detail, or I have made specific plans for suicide or have actually tried to take my life.',
    ],
  },
  {
    label: 'General interest',
    options: [
      'There is no change from usual in how interested I am in other people or activities.',
      'I notice that I am less interested in people or activities.',
      'I find I have interest in only one or two of my formerly pursued activities.',
      'I have virtually no interest in formerly pursued activities.',
    ],
  },
  {
    label: 'Energy level',
    options: [
      'There is no change in my usual level of energy.',
      'I get tired more easily than usual.',
      'I have to make a big effort to start or finish my usual daily activities (for example, shopping, homework, cooking or going to work).',
      "I really cannot carry out most of my usual daily activities because I just don't have the energy.",
    ],
  },
  {
    label: 'Feeling slowed down',
    options: [
      'I think, speak, and move at my usual rate of speed.',
      'I find that my thinking is slowed down or my voice sounds dull or flat.',
      "It takes me several seconds to respond to most questions and I'm sure my thinking is slowed.",
      'I am often unable to respond to questions without extreme effort.',
    ],
  },
  {
    label: 'Feeling restless',
    options: [
      'I do not feel restless.',
      "I'm often fidgety, wringing my hands, or need to shift how I am sitting.",
      'I have impulses to move about and am quite restless.',
      'At times, I am unable to stay seated and need to pace around.',
    ],
  },
];

/**
 * The nine DSM domains; each scores the highest of its items; total = sum of the nine, 0–27.
 * Rush AJ et al. Biol Psychiatry 2003;54:573–583; Millisecond manual (reference §1.4 [V]).
 */
export const QIDS_DOMAINS: { id: string; label: string; itemIds: string[] }[] = [
  { id: 'sleep', label: 'Sleep', itemIds: ['1', '2', '3', '4'] },
  { id: 'sad-mood', label: 'Sad mood', itemIds: ['5'] },
  { id: 'appetite-weight', label: 'Appetite/weight', itemIds: ['6', '7', '8', '9'] },
  { id: 'concentration', label: 'Concentration', itemIds: ['10'] },
  { id: 'self-view', label: 'Self-view', itemIds: ['11'] },
  { id: 'suicidal-ideation', label: 'Suicidal ideation', itemIds: ['12'] },
  { id: 'interest', label: 'Interest', itemIds: ['13'] },
  { id: 'energy', label: 'Energy', itemIds: ['14'] },
  { id: 'psychomotor', label: 'Psychomotor', itemIds: ['15', '16'] },
];

export const qidsSr16: InstrumentDefinition = {
  id: 'qids-sr16',
  version: '1.0.0',
  title: 'Quick Inventory of Depressive Symptomatology, Self-Report (QIDS-SR16)',
  rater: 'patient',
  // 7-day look-back (reference §1.4 [V]).
  recallPeriod: { days: 7, description: 'During the past seven days' },
  stem: 'Please choose the one response to each item that best describes you for the past seven days.',
  items: ITEMS.map((item, index) => ({
    id: String(index + 1),
    label: item.label,
    text: item.label,
    // Each item 0–3 (reference §1.4 [V]).
    options: item.options.map((text, value) => ({ value, label: String(value), text })),
    scored: true,
    required: true,
    // Item 12 is the suicidal-ideation item (reference §1.4 domain table, §1.9).
    suicideItem: index === 11,
  })),
  // LOINC not yet verified [U] (reference §1.4): none shipped.
  loinc: {},
  licence: {
    status: 'free-to-reproduce',
    itemTextShipped: true,
    note:
      'Paper versions "available at no cost to clinicians and researchers … used without permission". ' +
      'The IVR (telephone) format is exclusively licensed to Healthcare Technology Systems. Terms for ' +
      'electronic or commercial software are unverified [U]: contact the copyright holder.',
    source: 'ids-qids.org statement (copy on docsbay), reference §1.4',
    sourceStatus: 'V',
  },
  totalRange: { min: 0, max: 27 },
  // 0–5 none; 6–10 mild; 11–15 moderate; 16–20 severe; 21–27 very severe
  // (ids-qids.org interpretation table; Millisecond; reference §1.4 [V]).
  severityBands: [
    { label: 'none', min: 0, max: 5 },
    { label: 'mild', min: 6, max: 10 },
    { label: 'moderate', min: 11, max: 15 },
    { label: 'severe', min: 16, max: 20 },
    { label: 'very-severe', min: 21, max: 27 },
  ],
  scoringSource: 'Rush AJ et al. Biol Psychiatry 2003;54:573–583; ids-qids.org (reference §1.4 [V])',
  unverified: ['qids-sr16.electronicUseTerms [U]', 'qids-sr16.loinc [U]'],
};
