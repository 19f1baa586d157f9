/**
 * The clinic's "today": the calendar date in the clinic's time zone at the instant a use case
 * runs. Reports, plans, ages and exports dated "today" use this, never the UTC date.
 */
import { localDateOf } from '../clinical/calendar';
import { getClinic } from '../store/users';
import type { UseCaseContext } from './context';

/**
 * The actor's clinic's local date at the use case's `now`, with the clinic's time zone and the
 * locale its dates are written in.
 */
export async function clinicDay(
  ctx: Pick<UseCaseContext, 'tx' | 'actor' | 'now'>,
): Promise<{ today: string; timeZone: string; locale: string }> {
  const { timeZone, locale } = ctx.actor.clinicCalendar ?? (await getClinic(ctx.tx, ctx.actor.clinicId));
  return { today: localDateOf(ctx.now, timeZone), timeZone, locale };
}

/** The actor's clinic's local date (YYYY-MM-DD) at the use case's `now`. */
export async function clinicToday(ctx: Pick<UseCaseContext, 'tx' | 'actor' | 'now'>): Promise<string> {
  return (await clinicDay(ctx)).today;
}
