/**
 * The errors use cases raise, for the shells to map: a missing resource, a conflict with what is
 * recorded, a change that needs the clinician's confirmation, a database another process holds.
 * Defined by the store (which detects most of them); shells import them from here.
 */
export { ClinicalInputError } from '../clinical/errors';
export {
  ConfirmationRequiredError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  pgErrorOf,
} from '../store/errors';
export { DataDirLockedError } from '../store/lock';
export { SessionRefusal } from '../clinical/session';
