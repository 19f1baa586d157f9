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
