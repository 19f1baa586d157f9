/**
 * Actors for work started outside HTTP. A command that records clinical data on someone's behalf
 * (an import) names the staff member it is recorded by; the audit shows the command line as role.
 */
import type { Db } from '../store/open';
import { findUserByEmail } from '../store/users';
import type { Actor } from './context';

/** The active staff member with this email in the clinic, acting through the command line; null if none. */
export async function commandLineActorFor(db: Db, clinicId: string, email: string): Promise<Actor | null> {
  const user = await findUserByEmail(db, email);
  if (!user || user.clinicId !== clinicId || user.disabled) return null;
  return { clinicId, userId: user.id, role: 'cli', requestId: null };
}
