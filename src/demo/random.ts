/**
 * Seeded randomness for the synthetic demo: nothing here reads Math.random or the clock, so the same
 * seed always gives the same rows (ids included).
 */

export type Rand = () => number;

/** mulberry32: a small, well-known 32-bit PRNG; good enough for invented demo data. */
export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of strings and numbers (FNV-1a), to derive independent seeds. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${String(part)}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

export function pick<T>(rand: Rand, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Picks by weight: `[[value, weight], ...]`. */
export function weighted<T>(rand: Rand, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((a, [, w]) => a + w, 0);
  let r = rand() * total;
  for (const [v, w] of options) {
    r -= w;
    if (r < 0) return v;
  }
  return options[options.length - 1]![0];
}

/** Approximately normal deviates (sum of uniforms), clamped to a plausible range. */
export function normal(rand: Rand, mean: number, sd: number, min: number, max: number): number {
  const z = rand() + rand() + rand() + rand() + rand() + rand() - 3;
  return Math.min(max, Math.max(min, mean + sd * z * Math.SQRT2));
}

export function int(rand: Rand, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export const clampInt = (x: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, Math.round(x)));

/** Weibull deviate with shape k and scale eta. */
export function weibull(rand: Rand, k: number, eta: number): number {
  return eta * (-Math.log(1 - rand())) ** (1 / k);
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number) =>
  BYTE_HEX[(n >>> 24) & 0xff]! +
  BYTE_HEX[(n >>> 16) & 0xff]! +
  BYTE_HEX[(n >>> 8) & 0xff]! +
  BYTE_HEX[n & 0xff]!;
const hex16 = (n: number) => BYTE_HEX[(n >>> 8) & 0xff]! + BYTE_HEX[n & 0xff]!;

/**
 * A UUIDv7 (RFC 9562) whose 48-bit timestamp is `at` and whose 74 "random" bits come from the seeded
 * stream: deterministic, time-ordered like the ids the application creates.
 */
export function seededUuidv7(rand: Rand, at: Date | number): string {
  const ms = Math.max(0, Math.floor(typeof at === 'number' ? at : at.getTime()));
  const hi = Math.floor(ms / 0x100000000) & 0xffff;
  const lo = ms >>> 0;
  const a = Math.floor(rand() * 0x100000000);
  const b = Math.floor(rand() * 0x100000000);
  const c = Math.floor(rand() * 0x100000000);
  // 48-bit time; version 7 + 12 bits; variant 0b10 + 14 bits; 48 bits. Joined rather than
  // concatenated: join makes one flat string, where `+` leaves a tree of pieces several times its
  // size, and the generator keeps hundreds of thousands of ids in its rows.
  return [
    hex16(hi) + hex16(lo >>> 16),
    hex16(lo & 0xffff),
    hex16(0x7000 | (a >>> 20)),
    hex16(0x8000 | (a & 0x3fff)),
    hex32(b) + hex16(c >>> 16),
  ].join('-');
}
