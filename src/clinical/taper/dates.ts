import { ClinicalInputError } from '../errors';

/** Calendar dates as ISO strings (YYYY-MM-DD) and whole days; no clock, no time zone. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for an ISO date, or a ClinicalInputError naming `field`. */
export function parseIsoDate(field: string, value: string): number {
  const m = ISO_DATE.exec(value);
  if (!m) throw new ClinicalInputError(field, `expected an ISO date YYYY-MM-DD, got "${value}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new ClinicalInputError(field, `not a real calendar date: "${value}"`);
  }
  return Math.round(ms / MS_PER_DAY);
}

export function formatIsoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return formatIsoDate(parseIsoDate('date', isoDate) + days);
}
