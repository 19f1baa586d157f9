/**
 * The mechanism in plain words for a patient: what ketamine does over minutes, hours, days and
 * weeks, each step with its source and evidence status, and — where the model has one — the
 * model's own figure for the regimen on screen. Every figure from the model is an illustration
 * (MECHANISM_BANNER), so each is phrased as "in this model".
 */
import { z } from 'zod';

export const EDUCATION_STATUSES = ['V', 'V abstract', 'S', 'illustrative'] as const;

export const educationStepSchema = z.object({
  /** Stable key for the step (minutes, hours, days, weeks). */
  id: z.enum(['minutes', 'hours', 'days', 'weeks']),
  when: z.string(),
  text: z.string(),
  /** What the educational model shows for this regimen; null where the model has nothing to say. */
  inThisModel: z.string().nullable(),
  source: z.string(),
  status: z.enum(EDUCATION_STATUSES),
});
export type EducationStep = z.infer<typeof educationStepSchema>;

/** The parts of a mechanism time course the plain-language view reads. */
export interface EducationInput {
  timesMin: readonly number[];
  trappedBlock: readonly number[];
  spineComponent: readonly number[];
  summary: { peakTrappedBlock: number; peakTrappedBlockTimeMin: number };
}

const hoursText = (min: number): string => {
  const h = min / 60;
  if (h < 1) return `${Math.round(min)} minutes`;
  if (h < 48) return `${Number(h.toFixed(h < 10 ? 1 : 0))} hours`;
  return `${Number((h / 24).toFixed(1))} days`;
};

/** The last time at which the series is at or above `level`, or null if it never is. */
function lastTimeAtOrAbove(
  times: readonly number[],
  series: readonly number[],
  level: number,
): number | null {
  for (let i = series.length - 1; i >= 0; i--) if (series[i]! >= level) return times[i]!;
  return null;
}

function argMax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/** The steps of the patient view for one simulated regimen. */
export function patientEducation(course: EducationInput): EducationStep[] {
  const { timesMin, trappedBlock, spineComponent, summary } = course;
  const endMin = timesMin.at(-1) ?? 0;
  const hasDrug = summary.peakTrappedBlock > 0;

  const halfBlockUntil = hasDrug
    ? lastTimeAtOrAbove(timesMin, trappedBlock, summary.peakTrappedBlock / 2)
    : null;
  const blockLine =
    halfBlockUntil === null
      ? null
      : `In this model the receptor block is greatest ${hoursText(summary.peakTrappedBlockTimeMin)} after the start ` +
        (halfBlockUntil >= endMin
          ? `and is still above half of that at the end of the ${hoursText(endMin)} shown.`
          : `and stays above half of that until about ${hoursText(halfBlockUntil)}.`);

  const iSpine = argMax(spineComponent);
  const spinePeak = spineComponent[iSpine] ?? 0;
  const spineLine =
    hasDrug && spinePeak > 0
      ? iSpine >= spineComponent.length - 1
        ? `In this model the new-connection index is still rising at the end of the ${hoursText(endMin)} shown.`
        : `In this model the new-connection index (an illustration, not a measurement) is highest about ${hoursText(timesMin[iSpine]!)} after the start.`
      : null;

  return [
    {
      id: 'minutes',
      when: 'During the treatment (minutes)',
      text:
        'Ketamine reaches the brain within minutes and blocks NMDA receptors, switches for the brain messenger ' +
        'glutamate. Many people feel detached or dreamlike during the treatment; this passes, and it tends to be ' +
        'milder with later treatments. Staff watch you until it has passed.',
      inThisModel: blockLine,
      source:
        'Cohen 1973 (brain peak under a minute after an IV dose, in rats); Singh 2016 (dissociation transient, ' +
        'less with repeated doses); esketamine REMS (monitoring until resolution)',
      status: 'V abstract',
    },
    {
      id: 'hours',
      when: 'The first hours',
      text:
        'In animal studies ketamine quiets bursts of activity in the lateral habenula, a small brain area that is ' +
        'overactive in depression. In people, mood can begin to lift within hours: in one study depression scores ' +
        'had already fallen 2 hours after the first infusion.',
      inThisModel: null,
      source:
        'Yang 2018, Nature (lateral habenula bursting, animals); Murrough 2013 (scores fell by 2 h); one study found ' +
        'the lasting effect does not depend on the habenula (Zhou 2021)',
      status: 'V abstract',
    },
    {
      id: 'days',
      when: 'The next one to three days',
      text:
        'In mice, new connections between nerve cells (dendritic spines) grow in the front of the brain 12–24 hours ' +
        'after a dose, not yet at 3–6 hours, and they help the improvement last. In a dose-finding trial most of the ' +
        'benefit was seen on the first day.',
      inThisModel: spineLine,
      source:
        'Moda-Sava 2019, Science (spines, mice; timing from a secondary summary); Fava 2018 (most effect at day 1)',
      status: 'S',
    },
    {
      id: 'weeks',
      when: 'The following days and weeks',
      text:
        'The effect of one treatment fades over days to weeks. After a series of six infusions, half of those who ' +
        'had responded were unwell again by 18 days. That is why care is a series of treatments, and later ' +
        'boosters, planned with your prescriber.',
      inThisModel: null,
      source: 'Murrough 2013 (median time to relapse 18 days among responders)',
      status: 'V',
    },
  ];
}
