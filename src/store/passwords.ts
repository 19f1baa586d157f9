import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id with the parameters of OWASP's Password Storage Cheat Sheet (m = 19 MiB, t = 2, p = 1).
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

let hashOptions: { type: typeof argon2.argon2id; memoryCost: number; timeCost: number; parallelism: number } =
  {
    ...ARGON2_OPTIONS,
  };

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions);
}

/**
 * Test runs hash thousands of passwords; the production cost (~170 ms each) dominated the suite.
 * Verification reads the parameters from the stored hash, so nothing else changes. Refuses outside
 * Vitest, so production can never be weakened by it.
 */
export function useCheapPasswordHashingInTests(): void {
  if (process.env.VITEST !== 'true') {
    throw new Error('cheap password hashing is for the test runner only');
  }
  hashOptions = { ...ARGON2_OPTIONS, memoryCost: 1024, timeCost: 1 };
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of a random secret, verified against when the email is unknown so timing does not reveal it. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return decoyHash;
}

/** A strong generated password: 24 characters from a 56-symbol alphabet (~139 bits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(48);
  let out = '';
  for (const b of bytes) {
    // Rejection sampling keeps the distribution uniform (56 does not divide 256).
    if (b < 224) out += alphabet[b % 56];
    if (out.length === 24) break;
  }
  return out.length === 24 ? out : generatePassword();
}
