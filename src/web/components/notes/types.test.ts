import { describe, expect, it } from 'vitest';
import { noteStatusWords } from './types';

describe('noteStatusWords', () => {
  it('says draft, signed, awaiting co-sign and co-signed', () => {
    const base = { status: 'signed' as const, cosignRequired: false, cosignedAt: null };
    expect(noteStatusWords({ ...base, status: 'draft' })).toBe('draft');
    expect(noteStatusWords(base)).toBe('signed');
    expect(noteStatusWords({ ...base, cosignRequired: true })).toBe('awaiting co-sign');
    expect(noteStatusWords({ ...base, cosignRequired: true, cosignedAt: '2026-01-01T00:00:00Z' })).toBe(
      'co-signed',
    );
  });
});
