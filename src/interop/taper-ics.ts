/**
 * An iCalendar file of a taper plan: one all-day event per dose change (every step after
 * the current dose, including the stop; a replanned version's first step too), saying what to take
 * from that day on. Mapping only.
 * The file carries no patient name: it ends up in calendar apps that sync to third parties.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import { addDays } from '../clinical/calendar';
import type { TaperPlan } from '../clinical/taper';
import { doseChanges, whatToTake } from './taper-text';

export interface TaperIcsMeta {
  /** Stable id of the plan version, used for event UIDs so re-imports update rather than duplicate. */
  uidPrefix: string;
  /** The plan is a new version after a hold or step-back: its first step is an event too. */
  replanned?: boolean;
  clinicName?: string;
}

const dateArray = (iso: string): DateArray => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return [y, m, d];
};

export function taperIcs(plan: TaperPlan, meta: TaperIcsMeta): string {
  const replanned = meta.replanned ?? false;
  const events: EventAttributes[] = doseChanges(plan, replanned).map((step) => {
    const take = whatToTake(plan, step, replanned);
    const title =
      step.kind === 'stop'
        ? `Taper: stop ${plan.drug}`
        : step.doseMg === null
          ? `Taper: ${plan.drug} change — ask the clinic`
          : `Taper: ${plan.drug} ${Number(step.doseMg.toFixed(3))} mg a day`;
    const description = [
      take,
      'Keep doing the weekly check-in with the clinic. If withdrawal symptoms are hard to bear, call the clinic: the plan can be paused or slowed.',
      ...(meta.clinicName ? [meta.clinicName] : []),
    ].join('\n');
    return {
      uid: `${meta.uidPrefix}-step-${step.index}@rein`,
      title,
      description,
      start: dateArray(step.date),
      end: dateArray(addDays(step.date, 1)),
      transp: 'TRANSPARENT',
      busyStatus: 'FREE',
      productId: 'rein/taper',
      calName: `${plan.drug} taper`,
    };
  });
  const { error, value } = createEvents(events, { productId: 'rein/taper', calName: `${plan.drug} taper` });
  if (error || value === null) throw error ?? new Error('ics: no calendar produced');
  return value;
}
