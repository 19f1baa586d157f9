import { isLocalDate } from './calendar';
import { ClinicalInputError } from './errors';

/**
 * Patient identity facts that every writer checks the same way. Pure: the caller supplies today's
 * date (the clinic's local calendar date).
 */

/**
 * A date of birth may not lie after today: nobody can be treated before they are born, and a
 * future date would give a negative age to every age-based rule. Throws naming `field`.
 */
export function assertDateOfBirthNotFuture(dateOfBirth: string, today: string, field = 'dateOfBirth'): void {
  if (!isLocalDate(today)) throw new ClinicalInputError('today', `must be a date YYYY-MM-DD, got "${today}"`);
  if (isLocalDate(dateOfBirth) && dateOfBirth > today) {
    throw new ClinicalInputError(field, `must not be in the future (today is ${today}), got ${dateOfBirth}`);
  }
}

/**
 * The earliest date of birth Rein accepts. Nobody alive was born before it (the oldest verified
 * person lived 122 years), so an earlier date is a typing slip (1826 for 1962).
 */
export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

/** A plausible date of birth: a date, not after today and not before 1900. Throws naming `field`. */
export function assertDateOfBirthPlausible(dateOfBirth: string, today: string, field = 'dateOfBirth'): void {
  if (!isLocalDate(dateOfBirth)) {
    throw new ClinicalInputError(field, `must be a date YYYY-MM-DD, got "${dateOfBirth}"`);
  }
  if (dateOfBirth < EARLIEST_DATE_OF_BIRTH) {
    throw new ClinicalInputError(field, `must be after ${EARLIEST_DATE_OF_BIRTH}, got ${dateOfBirth}`);
  }
  assertDateOfBirthNotFuture(dateOfBirth, today, field);
}
