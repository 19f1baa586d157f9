/**
 * The clinic's session settings as every use case reads them: the newest saved row parsed by the
 * core's schema (fields added since it was saved take their defaults); a clinic with no settings,
 * or a row that no longer parses, gets the core's defaults.
 */
import { DEFAULT_SESSION_SETTINGS, sessionSettingsSchema, type SessionSettings } from '../clinical/session';
import { getStoredSessionSettings } from '../store/courses';
import type { Queryable } from '../store/tx';

export async function getSessionSettings(db: Queryable, clinicId: string): Promise<SessionSettings> {
  const stored = await getStoredSessionSettings(db, clinicId);
  if (stored === undefined) return DEFAULT_SESSION_SETTINGS;
  const parsed = sessionSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SESSION_SETTINGS;
}
