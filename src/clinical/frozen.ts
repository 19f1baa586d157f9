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

/**
 * A memo of values derived from frozen objects. `of(key, slot, make)` makes the value once per
 * frozen `key` (and `slot`: a modality, a schema, another frozen object) and keeps it with the key,
 * frozen in turn, since every later caller shares it; a key that is not frozen may still change, so
 * its value is made afresh at every call.
 */
export function frozenMemo<V>(): (key: unknown, slot: unknown, make: () => V) => V {
  const kept = new WeakMap<object, Map<unknown, V>>();
  return (key, slot, make) => {
    if (typeof key !== 'object' || key === null || !Object.isFrozen(key)) return make();
    let bySlot = kept.get(key);
    if (!bySlot) {
      bySlot = new Map();
      kept.set(key, bySlot);
    }
    if (bySlot.has(slot)) return bySlot.get(slot) as V;
    const value = deepFreeze(make());
    bySlot.set(slot, value);
    return value;
  };
}
