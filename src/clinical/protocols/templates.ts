import { z } from 'zod';
import { citationSchema, modalitySchema, SOURCES } from './evidence';

/**
 * Course templates: data, with citations, editable per clinic. A clinic stores its
 * own templates validated by `courseTemplateSchema`; the built-ins below are the cited defaults.
 */

export const doseSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('weight-based'),
    doseMgPerKg: z.number().positive(),
    infusionDurationMin: z.number().positive(),
  }),
  z.object({
    kind: z.literal('fixed-intranasal'),
    /** Doses the prescriber chooses among (label: 56 or 84 mg; 28 mg device increments). */
    doseMgOptions: z.array(z.number().positive()).min(1),
    /** Dose for the first session of the phase when the label fixes it (day 1: 56 mg). */
    firstSessionDoseMg: z.number().positive().optional(),
  }),
]);
export type DoseSpec = z.infer<typeof doseSpecSchema>;

export const cadenceSchema = z.discriminatedUnion('kind', [
  /** `sessionsPerWeek` sessions in each 7-day block, for `weeks` blocks. */
  z.object({
    kind: z.literal('per-week'),
    sessionsPerWeek: z.number().int().min(1).max(7),
    weeks: z.number().int().min(1).max(104),
  }),
  /** One session every `everyDays` days, `sessions` times; may slip up to `toleranceDays` later. */
  z.object({
    kind: z.literal('interval'),
    everyDays: z.number().int().min(1).max(365),
    sessions: z.number().int().min(1).max(200),
    toleranceDays: z.number().int().min(0).max(60),
  }),
]);
export type Cadence = z.infer<typeof cadenceSchema>;

export const coursePhaseSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  cadence: cadenceSchema,
  /** Minimum whole days between consecutive sessions of this course (clinic setting). */
  minDaysBetweenSessions: z.number().int().min(1).max(60),
  dose: doseSpecSchema,
  citations: z.array(citationSchema).min(1),
});
export type CoursePhase = z.infer<typeof coursePhaseSchema>;

export const courseTemplateSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  modality: modalitySchema,
  phases: z.array(coursePhaseSchema).min(1),
  /** Shown with the template; e.g. "no validated maintenance schedule exists". */
  notes: z.array(z.string()).default([]),
  citations: z.array(citationSchema).min(1),
});
export type CourseTemplate = z.infer<typeof courseTemplateSchema>;

const CLINIC_MIN_GAP =
  'Minimum days between sessions is a clinic scheduling setting; no source in the reference states one.';

/** 0.5 mg/kg over 40 min (Fava 2018; Murrough 2013; ELEKT-D) [V]. */
const IV_STANDARD_DOSE = { kind: 'weight-based', doseMgPerKg: 0.5, infusionDurationMin: 40 } as const;

export const BUILT_IN_TEMPLATES: readonly CourseTemplate[] = [
  {
    id: 'iv-induction-2x-weekly-3wk',
    name: 'IV ketamine induction: 6 × 0.5 mg/kg over 40 min, twice weekly for 3 weeks',
    modality: 'iv-ketamine',
    notes: [CLINIC_MIN_GAP],
    citations: [
      { source: SOURCES.anand2023ElektD, status: 'V' },
      { source: SOURCES.fava2018, status: 'V', note: '0.5 mg/kg over 40 min' },
    ],
    phases: [
      {
        id: 'induction',
        label: 'Induction (weeks 1–3)',
        cadence: { kind: 'per-week', sessionsPerWeek: 2, weeks: 3 },
        minDaysBetweenSessions: 2,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: SOURCES.anand2023ElektD, status: 'V' }],
      },
    ],
  },
  {
    id: 'iv-induction-3x-weekly-12d',
    name: 'IV ketamine induction: 6 × 0.5 mg/kg over 40 min, thrice weekly over 12 days',
    modality: 'iv-ketamine',
    notes: [CLINIC_MIN_GAP],
    citations: [
      { source: SOURCES.murrough2013, status: 'V', note: 'Abstract via secondary reproduction.' },
      { source: SOURCES.singh2016, status: 'V', note: '2× and 3× weekly similarly effective at day 15.' },
    ],
    phases: [
      {
        id: 'induction',
        label: 'Induction (12 days)',
        cadence: { kind: 'per-week', sessionsPerWeek: 3, weeks: 2 },
        minDaysBetweenSessions: 1,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: SOURCES.murrough2013, status: 'V' }],
      },
    ],
  },
  {
    id: 'esketamine-trd-label',
    name: 'Esketamine (Spravato) TRD label schedule',
    modality: 'esketamine',
    notes: [
      'Evaluate therapeutic benefit at the end of induction to decide on continuing (label).',
      'Week 9 onward: every 2 weeks or weekly, individualised to the least frequent dosing that maintains response (label). This template uses every 2 weeks; edit to weekly where needed.',
      'Number of week-9+ sessions is a clinic planning horizon, not a label figure.',
      CLINIC_MIN_GAP,
    ],
    citations: [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
    phases: [
      {
        id: 'induction',
        label: 'Induction (weeks 1–4): day 1 56 mg, then 56 or 84 mg twice weekly',
        cadence: { kind: 'per-week', sessionsPerWeek: 2, weeks: 4 },
        minDaysBetweenSessions: 2,
        dose: { kind: 'fixed-intranasal', doseMgOptions: [56, 84], firstSessionDoseMg: 56 },
        citations: [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
      },
      {
        id: 'maintenance-weekly',
        label: 'Maintenance (weeks 5–8): 56 or 84 mg once weekly',
        cadence: { kind: 'per-week', sessionsPerWeek: 1, weeks: 4 },
        minDaysBetweenSessions: 2,
        dose: { kind: 'fixed-intranasal', doseMgOptions: [56, 84] },
        citations: [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
      },
      {
        id: 'maintenance-week9',
        label: 'Maintenance (week 9+): 56 or 84 mg every 2 weeks or weekly',
        cadence: { kind: 'interval', everyDays: 14, sessions: 4, toleranceDays: 3 },
        minDaysBetweenSessions: 2,
        dose: { kind: 'fixed-intranasal', doseMgOptions: [56, 84] },
        citations: [
          { source: SOURCES.spravatoLabelDosing, status: 'V' },
          {
            source: 'Clinic planning horizon',
            status: 'clinic',
            note: '4 sessions and a 3-day tolerance are scheduling defaults, not label values.',
          },
        ],
      },
    ],
  },
  {
    id: 'esketamine-mdsi-label',
    name: 'Esketamine (Spravato) MDSI label schedule: 84 mg twice weekly for 4 weeks',
    modality: 'esketamine',
    notes: [
      'May be reduced to 56 mg twice weekly for tolerability; treatment beyond 4 weeks not systematically evaluated (label).',
      CLINIC_MIN_GAP,
    ],
    citations: [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
    phases: [
      {
        id: 'mdsi',
        label: 'MDSI (weeks 1–4): 84 mg twice weekly',
        cadence: { kind: 'per-week', sessionsPerWeek: 2, weeks: 4 },
        minDaysBetweenSessions: 2,
        dose: { kind: 'fixed-intranasal', doseMgOptions: [84, 56] },
        citations: [{ source: SOURCES.spravatoLabelDosing, status: 'V' }],
      },
    ],
  },
  {
    id: 'iv-booster-single',
    name: 'IV ketamine booster: single 0.5 mg/kg infusion',
    modality: 'iv-ketamine',
    notes: [
      'No validated maintenance schedule exists for IV ketamine; maintenance is case by case (CANMAT 2021, Level 3 evidence).',
      'Give each booster a little before the previous effect is expected to wear off (Andrade 2017). See titration.ts for the due date.',
      'Real-world maintenance doses drift upward (MGH mean 0.91 mg/kg); the dose here is the standard dose, to be adjusted by the prescriber.',
    ],
    citations: [
      { source: SOURCES.canmat2021, status: 'V' },
      { source: SOURCES.andrade2017, status: 'V' },
    ],
    phases: [
      {
        id: 'booster',
        label: 'Booster',
        cadence: { kind: 'interval', everyDays: 1, sessions: 1, toleranceDays: 7 },
        minDaysBetweenSessions: 1,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: SOURCES.canmat2021, status: 'V' }],
      },
    ],
  },
  {
    id: 'iv-maintenance-tapering-example',
    name: 'IV ketamine maintenance example: weekly → every 2 weeks → monthly (clinic practice, not evidence)',
    modality: 'iv-ketamine',
    notes: [
      'Clinics individualise booster intervals (weekly → every 2 weeks → monthly); this is reported practice [S], not a validated schedule.',
      'No validated maintenance schedule exists (CANMAT 2021).',
    ],
    citations: [
      { source: 'Clinic practice, clinical-protocols.md §2.3', status: 'S' },
      { source: SOURCES.canmat2021, status: 'V' },
    ],
    phases: [
      {
        id: 'weekly',
        label: 'Weekly',
        cadence: { kind: 'interval', everyDays: 7, sessions: 2, toleranceDays: 2 },
        minDaysBetweenSessions: 2,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: 'Clinic practice, clinical-protocols.md §2.3', status: 'S' }],
      },
      {
        id: 'fortnightly',
        label: 'Every 2 weeks',
        cadence: { kind: 'interval', everyDays: 14, sessions: 2, toleranceDays: 3 },
        minDaysBetweenSessions: 2,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: 'Clinic practice, clinical-protocols.md §2.3', status: 'S' }],
      },
      {
        id: 'monthly',
        label: 'Every 4 weeks',
        cadence: { kind: 'interval', everyDays: 28, sessions: 2, toleranceDays: 7 },
        minDaysBetweenSessions: 2,
        dose: IV_STANDARD_DOSE,
        citations: [{ source: 'Clinic practice, clinical-protocols.md §2.3', status: 'S' }],
      },
    ],
  },
];

export function findTemplate(id: string): CourseTemplate | undefined {
  return BUILT_IN_TEMPLATES.find((t) => t.id === id);
}

/** Planned number of sessions in a template. */
export function plannedSessionCount(t: CourseTemplate): number {
  return t.phases.reduce(
    (n, p) =>
      n + (p.cadence.kind === 'per-week' ? p.cadence.sessionsPerWeek * p.cadence.weeks : p.cadence.sessions),
    0,
  );
}
