/**
 * Local calendar dates and minutes in a clinic's time zone, converted to instants (the scheduler is
 * time-zone free; the demo turns its local dates into timestamps here). Offsets are cached per
 * zone and date, taken at local noon (clinic hours never straddle a daylight-saving change, which
 * happens at night).
 */
import { dateFromDayNumber, dayNumber } from '../clinical/protocols/evidence';

const MS_PER_MIN = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC of `timeZone` at instant `ms`. */
function offsetAt(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MS_PER_MIN);
}

/** The instant of local `date` + `minutes` after local midnight in `timeZone`. */
export function localInstant(timeZone: string, date: string, minutes: number): Date {
  const key = `${timeZone}|${date}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = offsetAt(timeZone, Date.parse(`${date}T12:00:00Z`));
    offsets.set(key, offset);
  }
  return new Date(Date.parse(`${date}T00:00:00Z`) + (minutes - offset) * MS_PER_MIN);
}

/** The clinic-local calendar date of an instant. */
export function localDateOf(timeZone: string, at: Date): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export { dateFromDayNumber, dayNumber };
