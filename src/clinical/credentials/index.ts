/**
 * A clinician's identifiers as a prescriber: the NPI, the DEA registration number and the state
 * licence. Each checker normalizes what a person typed (spaces, dashes, lower case) and answers the
 * normalized value or a reason in plain words. A passing check digit only catches typing errors; it
 * does not prove the number was issued (docs/clinical-sources/regulatory.md §1–§3).
 */
export type CredentialCheck = { ok: true; value: string } | { ok: false; reason: string };

/**
 * The NPI check digit: Luhn "double-add-double" over the 9 identifier digits as if the card-issuer
 * prefix 80840 stood before them. That prefix contributes 24 to the sum, so it is added as a
 * constant (CMS, Requirements for NPI Check Digit; regulatory.md §1).
 */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new Error('npiCheckDigit needs exactly 9 digits');
  let sum = 24;
  // Doubling starts at the rightmost identifier digit (the check digit is not yet there).
  for (let i = 0; i < 9; i++) {
    const digit = Number(first9[8 - i]);
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  }
  return (10 - (sum % 10)) % 10;
}

export function checkNpi(input: string): CredentialCheck {
  const value = input.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(value)) return { ok: false, reason: 'an NPI is 10 digits' };
  // NPIs are issued beginning with 1 or 2 (HIPAA NPI final rule, 69 FR 3434; regulatory.md §1).
  if (value[0] !== '1' && value[0] !== '2') return { ok: false, reason: 'an NPI begins with 1 or 2' };
  if (npiCheckDigit(value.slice(0, 9)) !== Number(value[9]))
    return {
      ok: false,
      reason: 'this is not a valid NPI: the last digit does not match; check for a typing error',
    };
  return { ok: true, value };
}

/**
 * The DEA check digit: (1st + 3rd + 5th digit) + 2 × (2nd + 4th + 6th digit), its last digit
 * (regulatory.md §2).
 */
export function deaCheckDigit(first6: string): number {
  if (!/^\d{6}$/.test(first6)) throw new Error('deaCheckDigit needs exactly 6 digits');
  const d = [...first6].map(Number) as [number, number, number, number, number, number];
  return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
}

/**
 * Two characters then seven digits: the registrant-type letter, then the registrant's surname
 * initial (or 9 for a business address). The registrant-type letters are not checked against a
 * list: the sources disagree on it and new letters are issued as old ones run out. A supervised
 * clinician's suffix (`-001AB`) is not part of the registration and is refused here.
 */
export function checkDeaNumber(input: string): CredentialCheck {
  const value = input.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z][A-Z9]\d{7}$/.test(value))
    return { ok: false, reason: 'a DEA number is 2 letters then 7 digits, like AB1234563' };
  if (deaCheckDigit(value.slice(2, 8)) !== Number(value[8]))
    return {
      ok: false,
      reason: 'this is not a valid DEA number: the last digit does not match; check for a typing error',
    };
  return { ok: true, value };
}

/** US states, the District of Columbia and the territories that license clinicians (USPS codes). */
export const LICENCE_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
] as const;
export type LicenceState = (typeof LICENCE_STATES)[number];

export function checkLicenceState(input: string): CredentialCheck {
  const value = input.trim().toUpperCase();
  return (LICENCE_STATES as readonly string[]).includes(value)
    ? { ok: true, value }
    : { ok: false, reason: 'must be a US state or territory code, like NY' };
}

/**
 * Each state board numbers its licences its own way (letters, digits, dashes, dots), with no
 * check digit: only the shape of a plausible number is checked.
 */
export function checkLicenceNumber(input: string): CredentialCheck {
  const value = input.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9.\- ]{0,29}$/.test(value))
    return { ok: false, reason: 'a licence number is up to 30 letters, digits, dashes or dots' };
  return { ok: true, value };
}
