import { describe, expect, it } from 'vitest';
import {
  decideAddendum,
  decideCosign,
  decideEdit,
  decideSign,
  decideWrite,
  DEFAULT_NOTE_SETTINGS,
  NoteRefusal,
  type NoteForRules,
} from './rules';

const draft: NoteForRules = {
  kind: 'iv-administration',
  status: 'draft',
  authorId: 'nurse-1',
  cosignRequired: false,
  cosignedBy: null,
};
const signed: NoteForRules = { ...draft, status: 'signed', cosignRequired: true };
const nurse = { userId: 'nurse-1', role: 'nurse' as const };
const prescriber = { userId: 'presc-1', role: 'prescriber' as const };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof NoteRefusal) return `${err.reason}:${err.field}`;
    throw err;
  }
  return 'allowed';
};

describe('note rules', () => {
  it('lets clinicians write administration notes and only prescribers the progress note', () => {
    expect(refusal(() => decideWrite('iv-administration', nurse))).toBe('allowed');
    expect(refusal(() => decideWrite('prescriber-progress', nurse))).toBe('forbidden:kind');
    expect(refusal(() => decideWrite('prescriber-progress', prescriber))).toBe('allowed');
    expect(refusal(() => decideWrite('esketamine-treatment', { userId: 'x', role: 'staff' }))).toBe(
      'forbidden:kind',
    );
  });

  it('lets only the author edit or sign a draft, and nobody a signed note', () => {
    expect(refusal(() => decideEdit(draft, prescriber))).toBe('forbidden:author');
    expect(refusal(() => decideEdit(signed, nurse))).toBe('conflict:status');
    expect(refusal(() => decideSign(signed, nurse, DEFAULT_NOTE_SETTINGS))).toBe('conflict:status');
  });

  it("requires a co-signature for the clinic's listed author roles only", () => {
    expect(decideSign(draft, nurse, DEFAULT_NOTE_SETTINGS)).toBe(true);
    const mine = { ...draft, authorId: prescriber.userId };
    expect(decideSign(mine, prescriber, DEFAULT_NOTE_SETTINGS)).toBe(false);
    expect(decideSign(mine, prescriber, { cosignAuthorRoles: ['nurse', 'prescriber'] })).toBe(true);
    expect(decideSign(draft, nurse, { cosignAuthorRoles: [] })).toBe(false);
  });

  it('co-signs once, by a prescriber or admin who is not the author, after signing', () => {
    expect(refusal(() => decideCosign(signed, prescriber))).toBe('allowed');
    expect(refusal(() => decideCosign(signed, { userId: 'n2', role: 'nurse' }))).toBe('forbidden:role');
    expect(refusal(() => decideCosign({ ...signed, authorId: 'presc-1' }, prescriber))).toBe(
      'forbidden:author',
    );
    expect(refusal(() => decideCosign({ ...draft, cosignRequired: true }, prescriber))).toBe(
      'conflict:status',
    );
    expect(refusal(() => decideCosign({ ...signed, cosignRequired: false }, prescriber))).toBe(
      'conflict:cosign',
    );
    expect(refusal(() => decideCosign({ ...signed, cosignedBy: 'admin-1' }, prescriber))).toBe(
      'conflict:cosign',
    );
  });

  it('takes addenda on signed notes only', () => {
    expect(refusal(() => decideAddendum(draft))).toBe('conflict:status');
    expect(refusal(() => decideAddendum(signed))).toBe('allowed');
  });
});
