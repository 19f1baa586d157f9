/** One closure entry as the form holds it: a first day, an optional last day, and its name. */
export type ClosureValues = { from: string; to: string; name: string };
type Closure = { date: string; name: string };

/** The most days one entry closes: a long closure is entered in parts, so a slip of the year is caught. */
const MAX_RANGE_DAYS = 62;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every date from `from` to `to` inclusive (local calendar dates, so plain UTC day steps). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    out.length <= MAX_RANGE_DAYS;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > to) break;
    out.push(iso);
  }
  return out;
}

/**
 * What is wrong with a closure entry, by field, in plain words: the first day, an optional last day
 * (a range), a name, and no day that is already closed (written by `formatDate`, the clinic's way).
 */
export function closureEntryErrors(
  v: ClosureValues,
  existing: readonly Closure[],
  formatDate: (isoDate: string) => string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!ISO_DATE.test(v.from)) errors.from = 'Choose the first day the clinic is closed.';
  if (v.to !== '' && !ISO_DATE.test(v.to)) errors.to = 'The last day must be a date, or left empty.';
  if (!v.name.trim()) errors.name = 'Name the closure, for example the holiday.';
  else if (v.name.trim().length > 100) errors.name = 'Keep the name under 100 characters.';
  if (errors.from || errors.to) return errors;
  const to = v.to || v.from;
  if (to < v.from) errors.to = 'The last day must be on or after the first day.';
  else if (datesBetween(v.from, to).length > MAX_RANGE_DAYS)
    errors.to = `Close at most ${MAX_RANGE_DAYS} days in one entry.`;
  else {
    const taken = existing.find((c) => datesBetween(v.from, to).includes(c.date));
    if (taken) errors.from = `The clinic is already closed on ${formatDate(taken.date)} (${taken.name}).`;
  }
  return errors;
}
