/**
 * Dates on screen, one way per clinic: every list, chart and picker writes and reads a date in the
 * clinic locale's numeric pattern (clinical/vocabulary/date-format.ts), and instants on the clinic's
 * clock, so the date a nurse types looks like the date the list shows.
 */
import { DateInput, type DateInputProps } from '@mantine/dates';
import { useMemo } from 'react';
import { clinicDateFormatOrDefault, type ClinicDateFormat } from '../clinical/vocabulary/date-format';
import { useClinicCalendar } from './auth';

export interface ClinicDates extends Omit<ClinicDateFormat, 'dateTime' | 'time' | 'dayOf'> {
  /** An instant as date and 24-hour time on the clinic's clock (or `timeZone`'s). */
  dateTime(instant: string | Date, timeZone?: string): string;
  /** An instant's 24-hour time on the clinic's clock (or `timeZone`'s). */
  time(instant: string | Date, timeZone?: string): string;
  /** The clinic's calendar date (`YYYY-MM-DD`) of an instant. */
  dayOf(instant: string | Date | number, timeZone?: string): string;
}

/** The clinic's date format, from the session the app already holds (en-US until it is known). */
export function useClinicDates(): ClinicDates {
  const clinic = useClinicCalendar();
  const locale = clinic?.locale;
  // Before the session is known the browser's zone stands in; signed-in screens always know it.
  const zone = clinic?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return useMemo(() => {
    const f = clinicDateFormatOrDefault(locale);
    return {
      ...f,
      dateTime: (instant, timeZone) => f.dateTime(instant, timeZone ?? zone),
      time: (instant, timeZone) => f.time(instant, timeZone ?? zone),
      dayOf: (instant, timeZone) => f.dayOf(instant, timeZone ?? zone),
    };
  }, [locale, zone]);
}

type ClinicDateInputProps = Omit<
  DateInputProps,
  'value' | 'defaultValue' | 'onChange' | 'valueFormat' | 'dateParser'
> & {
  /** `YYYY-MM-DD`, or '' for none: what the API receives. */
  value?: string | null | undefined;
  onChange(isoDate: string): void;
};

/**
 * A date picker that shows and reads the clinic's pattern (DD/MM/YYYY for en-GB) while the form
 * keeps ISO `YYYY-MM-DD`. Typing a date in the pattern (or ISO) works as well as picking it.
 */
export function ClinicDateInput({ value, onChange, required, ...rest }: ClinicDateInputProps) {
  const dates = useClinicDates();
  return (
    <DateInput
      valueFormat={dates.pattern}
      dateParser={(text) => dates.parse(text)}
      placeholder={dates.pattern}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      required={required}
      // An optional date can be emptied again; a required one keeps its last good value.
      allowDeselect={!required}
      clearable={!required}
      popoverProps={{ withinPortal: true }}
      {...rest}
    />
  );
}
