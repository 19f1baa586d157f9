import { describe, expect, it } from 'vitest';
import { isRunnable, mechanismHref, parseMechanismQuery, prefilled } from './url';

describe('mechanism page URL', () => {
  it('builds the documented link and reads it back', () => {
    const inputs = {
      model: 'domino-1984',
      weightKg: 70,
      doses: ['0.5 mg/kg over 40 min', '0.5 mg/kg over 40 min at 48 h'],
      untilMin: 4320,
    };
    const href = mechanismHref(inputs);
    expect(
      href.startsWith('/mechanism?model=domino-1984&weightKg=70&dose=0.5%20mg%2Fkg%20over%2040%20min&'),
    ).toBe(true);
    const back = parseMechanismQuery(new URL(href, 'http://x').searchParams);
    expect(back).toEqual(expect.objectContaining(inputs));
    expect(isRunnable(back)).toBe(true);
  });

  it('takes the weight from a patient record when patientId is given, and ignores junk', () => {
    const q = parseMechanismQuery(
      new URLSearchParams('model=kamp-2020&patientId=abc&dose=35%20mg&weightKg=heavy&sex=x&untilMin='),
    );
    expect(q.weightKg).toBeUndefined();
    expect(q.sex).toBeUndefined();
    expect(q.untilMin).toBeUndefined();
    expect(isRunnable(q)).toBe(true);
    expect(isRunnable(parseMechanismQuery(new URLSearchParams('model=kamp-2020&dose=35%20mg')))).toBe(false);
  });

  it('opens a bare link with the prefilled induction regimen, runnable at once', () => {
    const bare = prefilled(parseMechanismQuery(new URLSearchParams('')));
    expect(bare).toEqual(
      expect.objectContaining({ model: 'domino-1984', weightKg: 70, doses: ['0.5 mg/kg over 40 min'] }),
    );
    expect(isRunnable(bare)).toBe(true);
    // A patient link keeps the record's weight and its own model; only the missing dose is filled.
    const forPatient = prefilled(parseMechanismQuery(new URLSearchParams('model=kamp-2020&patientId=abc')));
    expect(forPatient.weightKg).toBeUndefined();
    expect(forPatient.model).toBe('kamp-2020');
    expect(forPatient.doses).toEqual(['0.5 mg/kg over 40 min']);
    // What the link says wins over the prefill.
    expect(
      prefilled(parseMechanismQuery(new URLSearchParams('dose=1%20mg%2Fkg%20over%2040%20min'))).doses,
    ).toEqual(['1 mg/kg over 40 min']);
  });
});
