import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDeaNumber,
  checkLicenceNumber,
  checkLicenceState,
  checkNpi,
  deaCheckDigit,
  npiCheckDigit,
} from './index';

describe('NPI', () => {
  it('computes the check digit of the CMS worked example (123456789 → 3)', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(checkNpi('1234567893')).toEqual({ ok: true, value: '1234567893' });
  });

  it('accepts the published example NPI 1558598797 and the typing of spaces and dashes', () => {
    expect(checkNpi('155 859-8797')).toEqual({ ok: true, value: '1558598797' });
  });

  it('refuses a wrong last digit, a wrong length and a wrong first digit, saying why', () => {
    const wrong = checkNpi('1234567890');
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toMatch(/last digit does not match/);
    expect(checkNpi('123456789')).toEqual({ ok: false, reason: 'an NPI is 10 digits' });
    expect(checkNpi('3234567891')).toEqual({ ok: false, reason: 'an NPI begins with 1 or 2' });
  });

  it('catches every single-digit typing error (a Luhn property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[12]\d{8}$/),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (first9, position, delta) => {
          const npi = first9 + String(npiCheckDigit(first9));
          expect(checkNpi(npi).ok).toBe(true);
          const typo =
            npi.slice(0, position) + String((Number(npi[position]) + delta) % 10) + npi.slice(position + 1);
          expect(checkNpi(typo).ok).toBe(false);
        },
      ),
    );
  });
});

describe('DEA registration number', () => {
  it('checks the digit: AP5836727 (5+3+7 + 2×(8+6+2) = 47 → 7)', () => {
    expect(deaCheckDigit('583672')).toBe(7);
    expect(checkDeaNumber('ap 5836727')).toEqual({ ok: true, value: 'AP5836727' });
    expect(checkDeaNumber('F91234563')).toEqual({ ok: true, value: 'F91234563' });
  });

  it('refuses a wrong check digit and a wrong shape in plain words', () => {
    const wrong = checkDeaNumber('AP5836720');
    expect(!wrong.ok && wrong.reason).toMatch(/last digit does not match/);
    expect(checkDeaNumber('A15836727').ok).toBe(false);
    expect(checkDeaNumber('AP583672').ok).toBe(false);
    expect(checkDeaNumber('AP5836727-001AB').ok).toBe(false);
  });
});

describe('state licence', () => {
  it('takes a state code and a plausible licence number', () => {
    expect(checkLicenceState(' ny ')).toEqual({ ok: true, value: 'NY' });
    expect(checkLicenceState('XX').ok).toBe(false);
    expect(checkLicenceNumber(' md-123.456 ')).toEqual({ ok: true, value: 'MD-123.456' });
    expect(checkLicenceNumber('').ok).toBe(false);
    expect(checkLicenceNumber('12345 <script>').ok).toBe(false);
  });
});
