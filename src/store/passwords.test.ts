import { describe, expect, it, vi } from 'vitest';

/** The parameters argon2 encoded in a PHC string: $argon2id$v=19$m=…,p=…,t=…$salt$hash */
function encodedParameters(hash: string): { m: number; t: number; p: number } {
  const field = hash.split('$')[3] ?? '';
  const params = Object.fromEntries(field.split(',').map((kv) => kv.split('=')));
  if (!params.m || !params.t || !params.p) throw new Error(`not an argon2 PHC string: ${hash}`);
  return { m: Number(params.m), t: Number(params.t), p: Number(params.p) };
}

describe('password hashing', () => {
  it('hashes with the production parameters unless the test switch is thrown', async () => {
    vi.resetModules();
    const fresh = await import('./passwords');
    const hash = await fresh.hashPassword('correct horse battery staple');
    expect(encodedParameters(hash)).toEqual({ m: 19_456, t: 2, p: 1 });
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await fresh.verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await fresh.verifyPassword(hash, 'wrong')).toBe(false);
  });

  it('the test switch lowers the cost, and verification still reads the stored parameters', async () => {
    vi.resetModules();
    const fresh = await import('./passwords');
    const strong = await fresh.hashPassword('s3cret-phrase');
    fresh.useCheapPasswordHashingInTests();
    const cheap = await fresh.hashPassword('s3cret-phrase');
    expect(encodedParameters(cheap)).toEqual({ m: 1024, t: 1, p: 1 });
    expect(await fresh.verifyPassword(strong, 's3cret-phrase')).toBe(true);
    expect(await fresh.verifyPassword(cheap, 's3cret-phrase')).toBe(true);
  });

  it('the test switch refuses to run outside the test runner', async () => {
    vi.resetModules();
    const fresh = await import('./passwords');
    vi.stubEnv('VITEST', '');
    try {
      expect(() => fresh.useCheapPasswordHashingInTests()).toThrow(/test runner only/);
      expect(encodedParameters(await fresh.hashPassword('x'))).toEqual({ m: 19_456, t: 2, p: 1 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
