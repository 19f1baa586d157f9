/**
 * Freezes a plain value and everything in it. Values shared between requests (a clinic's parsed
 * settings, the thresholds resolved from them) are frozen, so a reader that changed one by mistake
 * throws instead of changing it for everyone, and memos may key on their identity.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
