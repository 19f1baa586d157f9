/**
 * The clinic's "today": the calendar date in the clinic's time zone at the instant a use case
 * runs. Reports, plans and exports dated "today" use this, never the UTC date.
 */
import { getClinic } from '../store/users';
import type { UseCaseContext } from './context';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export async function clinicToday(ctx: Pick<UseCaseContext, 'tx' | 'actor' | 'now'>): Promise<string> {
  const clinic = await getClinic(ctx.tx, ctx.actor.clinicId);
  return localDateIn(clinic.timeZone, ctx.now);
}
