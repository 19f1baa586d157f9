/**
 * Which scheduled assessments a patient has and which of them staff still act on. Pure: the
 * caller loads the completions and the scheduled sessions.
 */
import {
  dueAssessments,
  type CompletedAssessment,
  type DueAssessment,
  type ScheduleSession,
} from './schedule';

/**
 * The schedule for one patient from the clinic's default rules (DEFAULT_SCHEDULE_RULES) and the
 * patient's scheduled treatment sessions: baseline, pre-session, +4 h, +24 h and weekly slots.
 * With no sessions only the baseline rules apply, anchored at the patient's first recorded
 * assessment (or `now` when there is none, so the baseline is due now).
 */
export function scheduleFor(
  completed: CompletedAssessment[],
  now: Date,
  sessions: ScheduleSession[] = [],
): DueAssessment[] {
  if (sessions.length > 0) return dueAssessments({ sessions, now, completed });
  const first = completed.reduce<Date | undefined>(
    (min, c) => (min === undefined || c.completedAt < min ? c.completedAt : min),
    undefined,
  );
  return dueAssessments({ sessions: [], now, completed, courseStartAt: first ?? now });
}

/**
 * Overdue items stay on the lists for this long after their window closed; older misses are part of
 * the record (the trajectory shows the gaps) but no longer something staff can still do.
 */
export const OVERDUE_LIST_DAYS = 14;

/** Due now, or overdue within the last OVERDUE_LIST_DAYS (a missing baseline always counts). */
export function actionable(d: DueAssessment, now: Date): boolean {
  if (d.status === 'due') return true;
  if (d.status !== 'overdue') return false;
  return d.context === 'baseline' || now.getTime() - d.windowEnd.getTime() <= OVERDUE_LIST_DAYS * 86_400_000;
}

/** What a due item asks for, as one key: its instruments (and items, when only some are asked). */
export function dueInstrumentKey(d: Pick<DueAssessment, 'anyOf'>): string {
  return d.anyOf
    .map((r) => (r.itemIds?.length ? `${r.instrument}:${r.itemIds.join(',')}` : r.instrument))
    .sort()
    .join('|');
}

/**
 * One line per instrument for one patient: several rules can ask for the same instrument (a
 * baseline PHQ-9, the pre-session PHQ-9, the weekly one); one answer serves them, so staff see the
 * earliest due, with how many further items it stands for.
 */
export function dueByInstrument(
  items: readonly DueAssessment[],
): { item: DueAssessment; key: string; merged: number }[] {
  const byKey = new Map<string, { item: DueAssessment; key: string; merged: number }>();
  for (const item of items) {
    const key = dueInstrumentKey(item);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { item, key, merged: 0 });
    else {
      seen.merged += 1;
      if (item.dueAt.getTime() < seen.item.dueAt.getTime()) seen.item = item;
    }
  }
  return [...byKey.values()].sort((a, b) => a.item.dueAt.getTime() - b.item.dueAt.getTime());
}
