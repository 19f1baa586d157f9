import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from './errors';
import { assertDateOfBirthNotFuture } from './patient';

describe('assertDateOfBirthNotFuture', () => {
  it('accepts today and earlier, refuses tomorrow naming the field', () => {
    expect(() => assertDateOfBirthNotFuture('2026-03-02', '2026-03-02')).not.toThrow();
    expect(() => assertDateOfBirthNotFuture('1980-04-12', '2026-03-02')).not.toThrow();
    expect(() => assertDateOfBirthNotFuture('2026-03-03', '2026-03-02')).toThrow(
      expect.objectContaining({ field: 'dateOfBirth', message: expect.stringMatching(/future/) }),
    );
    expect(() => assertDateOfBirthNotFuture('2027-01-01', '2026-03-02', 'body.dateOfBirth')).toThrow(
      ClinicalInputError,
    );
  });
});
