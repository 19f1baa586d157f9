import { describe, expect, it } from 'vitest';
import { taperStartFromMedication } from './from-medication';

describe('taper start from a current medication', () => {
  it('names the planner drug and the daily dose: dose × doses a day', () => {
    expect(
      taperStartFromMedication({ name: 'Xanax', dose: 0.5, doseUnit: 'mg', frequency: 'tid' }),
    ).toMatchObject({ drug: 'alprazolam', startDoseMg: 1.5, dosesPerDay: 3, notes: [] });
    expect(
      taperStartFromMedication({ name: 'sertraline', dose: 100, doseUnit: 'mg', frequency: 'once daily' }),
    ).toMatchObject({ drug: 'sertraline', startDoseMg: 100 });
  });

  it('leaves the dose empty, with the reason, when the unit or schedule does not say', () => {
    const asNeeded = taperStartFromMedication({
      name: 'lorazepam',
      dose: 1,
      doseUnit: 'mg',
      frequency: 'as needed',
    });
    expect(asNeeded.drug).toBe('lorazepam');
    expect(asNeeded.startDoseMg).toBeNull();
    expect(asNeeded.notes[0]).toMatch(/not a regular daily schedule/);
    const drops = taperStartFromMedication({
      name: 'sertraline',
      dose: 20,
      doseUnit: 'mL',
      frequency: 'daily',
    });
    expect(drops.startDoseMg).toBeNull();
    expect(drops.notes[0]).toMatch(/not mg/);
  });

  it('names no drug for a medication the planner has no rules for', () => {
    const m = taperStartFromMedication({ name: 'lamotrigine', dose: 100, doseUnit: 'mg', frequency: 'bid' });
    expect(m.drug).toBeNull();
    expect(m.startDoseMg).toBe(200);
    expect(m.notes[0]).toMatch(/no rules for lamotrigine/);
  });
});
