/**
 * The clinic's "today": the local calendar date of the use case's instant in the clinic's time
 * zone. Use cases reason about dates (dates of birth, screening validity, ages) only through it.
 */
import { getClinic } from '../store/users';
import type { UseCaseContext } from './context';

/** The clinic's local calendar date (`YYYY-MM-DD`) of an instant. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The actor's clinic's local date at the use case's `now`, with the clinic's time zone. */
export async function clinicToday(
  ctx: Pick<UseCaseContext, 'tx' | 'actor' | 'now'>,
): Promise<{ today: string; timeZone: string }> {
  const { timeZone } = await getClinic(ctx.tx, ctx.actor.clinicId);
  return { today: localDate(ctx.now, timeZone), timeZone };
}
