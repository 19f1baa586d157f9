import { describe, expect, it } from 'vitest';
import { clinicDateFormat } from '../../../clinical/vocabulary/date-format';
import { closureEntryErrors as entryErrors, datesBetween, type ClosureValues } from './closure-entry';

const usDate = clinicDateFormat('en-US').date;
const closureEntryErrors = (v: ClosureValues, existing: { date: string; name: string }[]) =>
  entryErrors(v, existing, usDate);

describe('closure entry', () => {
  it('lists every day of a range, across a month end, and one day for a single date', () => {
    expect(datesBetween('2027-02-27', '2027-03-02')).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
      '2027-03-02',
    ]);
    expect(datesBetween('2027-05-31', '2027-05-31')).toEqual(['2027-05-31']);
  });

  it('names each missing or wrong field in plain words', () => {
    expect(closureEntryErrors({ from: '', to: '', name: ' ' }, [])).toEqual({
      from: 'Choose the first day the clinic is closed.',
      name: 'Name the closure, for example the holiday.',
    });
    expect(closureEntryErrors({ from: '2027-05-10', to: '2027-05-09', name: 'Move' }, [])).toEqual({
      to: 'The last day must be on or after the first day.',
    });
    expect(closureEntryErrors({ from: '2027-01-01', to: '2027-12-31', name: 'Year' }, []).to).toBe(
      'Close at most 62 days in one entry.',
    );
  });

  it('refuses a day that is already closed, naming that closure', () => {
    const errors = closureEntryErrors({ from: '2027-05-29', to: '2027-06-01', name: 'Long weekend' }, [
      { date: '2027-05-31', name: 'Memorial Day' },
    ]);
    expect(errors.from).toBe('The clinic is already closed on 05/31/2027 (Memorial Day).');
    // The day is written the clinic's way.
    const gb = entryErrors(
      { from: '2027-05-31', to: '', name: 'x' },
      [{ date: '2027-05-31', name: 'Bank holiday' }],
      clinicDateFormat('en-GB').date,
    );
    expect(gb.from).toBe('The clinic is already closed on 31/05/2027 (Bank holiday).');
    expect(closureEntryErrors({ from: '2027-06-02', to: '', name: 'Training' }, [])).toEqual({});
  });
});
