/**
 * The clinic's session settings as every use case reads them: the newest saved row parsed by the
 * core's schema (fields added since it was saved take their defaults); a clinic with no settings,
 * or a row that no longer parses, gets the core's defaults.
 */
import { deepFreeze } from '../clinical/frozen';
import { DEFAULT_SESSION_SETTINGS, sessionSettingsSchema, type SessionSettings } from '../clinical/session';
import { getStoredSessionSettings } from '../store/courses';
import type { Queryable } from '../store/tx';

/**
 * Settings parsed lately, by their stored JSON text. Parsing is a pure function of the text, so the
 * same text gives the same settings whichever clinic or database it came from; the result is frozen,
 * being shared by every request that reads it. Bounded: a miss only parses again.
 */
const parsedByText = new Map<string, SessionSettings>();
const PARSED_MAX = 64;
const DEFAULTS: SessionSettings = deepFreeze(structuredClone(DEFAULT_SESSION_SETTINGS));

export async function getSessionSettings(db: Queryable, clinicId: string): Promise<SessionSettings> {
  const stored = await getStoredSessionSettings(db, clinicId);
  if (stored === undefined) return DEFAULTS;
  const known = parsedByText.get(stored);
  if (known) return known;
  const parsed = sessionSettingsSchema.safeParse(JSON.parse(stored));
  const settings = parsed.success ? deepFreeze(parsed.data) : DEFAULTS;
  if (parsedByText.size >= PARSED_MAX) parsedByText.clear();
  parsedByText.set(stored, settings);
  return settings;
}
