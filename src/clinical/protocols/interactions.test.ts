import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import type { Medication } from './interactions';
import {
  BENZODIAZEPINE_EQUIVALENTS_TO_10MG_DIAZEPAM,
  benzodiazepineDiazepamEquivalent,
  interactionFlags,
} from './interactions';

const bzd = (
  name: string,
  doseMg: number,
  frequency: Medication['frequency'] = 'once-daily',
): Medication => ({
  name,
  doseMg,
  frequency,
  classTags: ['benzodiazepine'],
});
const iv = { modality: 'iv-ketamine' };
const ids = (meds: unknown, settings: unknown = iv) => interactionFlags(meds, settings).map((f) => f.id);

describe('benzodiazepineDiazepamEquivalent (ASAM 2025 Table 7)', () => {
  it('lorazepam 1 mg twice daily: 20 mg/day by Ashton (1 mg ≈ 10), 10 mg/day by VA/DoD (2 mg ≈ 10)', () => {
    const meds = [bzd('Lorazepam', 1, 'twice-daily')];
    const a = benzodiazepineDiazepamEquivalent(meds, 'ashton');
    expect(a.totalLowMgPerDay).toBeCloseTo(20, 10);
    expect(a.totalHighMgPerDay).toBeCloseTo(20, 10);
    expect(benzodiazepineDiazepamEquivalent(meds, 'va-dod').totalLowMgPerDay).toBeCloseTo(10, 10);
  });

  it('keeps Ashton ranges as ranges: estazolam 1 mg/day = 5–10 mg diazepam', () => {
    const t = benzodiazepineDiazepamEquivalent([bzd('estazolam', 1)]);
    expect(t.totalLowMgPerDay).toBeCloseTo(5, 10);
    expect(t.totalHighMgPerDay).toBeCloseTo(10, 10);
  });

  it('sums several benzodiazepines and ignores non-benzodiazepines', () => {
    const t = benzodiazepineDiazepamEquivalent([
      bzd('alprazolam', 0.25, 'three-times-daily'), // 0.75 mg × 10/0.5 = 15
      bzd('diazepam', 2), // 2
      { name: 'sertraline', doseMg: 100, frequency: 'once-daily', classTags: ['ssri'] },
    ]);
    expect(t.totalLowMgPerDay).toBeCloseTo(17, 10);
    expect(t.lines).toHaveLength(2);
    expect(t.complete).toBe(true);
  });

  it('property: the total is linear in dose and additive across medications', () => {
    const names = Object.keys(BENZODIAZEPINE_EQUIVALENTS_TO_10MG_DIAZEPAM);
    const arbMed = fc.record({
      name: fc.constantFrom(...names),
      doseMg: fc.double({ min: 0.01, max: 50, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(arbMed, { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (ms, k) => {
          const list = ms.map((m) => bzd(m.name, m.doseMg));
          const t = benzodiazepineDiazepamEquivalent(list);
          const scaled = benzodiazepineDiazepamEquivalent(list.map((m) => ({ ...m, doseMg: m.doseMg! * k })));
          expect(scaled.totalLowMgPerDay).toBeCloseTo(t.totalLowMgPerDay * k, 6);
          const parts = list.map((m) => benzodiazepineDiazepamEquivalent([m]).totalHighMgPerDay);
          expect(t.totalHighMgPerDay).toBeCloseTo(
            parts.reduce((a, b) => a + b, 0),
            6,
          );
          expect(t.totalLowMgPerDay).toBeLessThanOrEqual(t.totalHighMgPerDay + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('interactionFlags: benzodiazepines', () => {
  it('exactly 8 mg/day diazepam-equivalent is not flagged (cut-off is >8 mg)', () => {
    const f = ids([bzd('diazepam', 4, 'twice-daily')]);
    expect(f).not.toContain('INT-BZD-ATTENUATION');
    expect(f).toContain('INT-BZD-SEDATION');
  });

  it('8.5 mg/day is flagged with the total in the message and Andrashko 2020 cited', () => {
    const [flag] = interactionFlags([bzd('diazepam', 8.5)], iv);
    expect(flag!.id).toBe('INT-BZD-ATTENUATION');
    expect(flag!.severity).toBe('warning');
    expect(flag!.message).toContain('8.5 mg/day');
    expect(flag!.citations.some((c) => c.source.includes('Andrashko'))).toBe(true);
  });

  it('the table choice matters: lorazepam 1 mg daily is 10 mg (flag) by Ashton, 5 mg (no flag) by VA/DoD', () => {
    expect(ids([bzd('lorazepam', 1)])).toContain('INT-BZD-ATTENUATION');
    expect(ids([bzd('lorazepam', 1)], { ...iv, equivalenceTable: 'va-dod' })).not.toContain(
      'INT-BZD-ATTENUATION',
    );
  });

  it('a range straddling the threshold gives a "possible" caution', () => {
    // estazolam 1.2 mg/day (Ashton 1–2 mg ≈ 10): 6–12 mg diazepam-equivalent.
    expect(ids([bzd('estazolam', 1.2)])).toContain('INT-BZD-ATTENUATION-POSSIBLE');
  });

  it('uses a caller-supplied diazepam equivalent (e.g. from the taper module), boundary at 8', () => {
    const meds = [bzd('clobazam', 10)];
    expect(ids(meds, { ...iv, diazepamEquivalentMgPerDay: 8 })).not.toContain('INT-BZD-ATTENUATION');
    expect(ids(meds, { ...iv, diazepamEquivalentMgPerDay: 8.01 })).toContain('INT-BZD-ATTENUATION');
  });

  it('a benzodiazepine missing from the table, or taken as needed, is reported as incomplete', () => {
    expect(ids([bzd('clobazam', 10)])).toContain('INT-BZD-EQUIVALENT-INCOMPLETE');
    expect(ids([bzd('lorazepam', 1, 'as-needed')])).toContain('INT-BZD-EQUIVALENT-INCOMPLETE');
  });

  it('a clinic threshold overrides the default and the message says so', () => {
    const [flag] = interactionFlags([bzd('diazepam', 6)], { ...iv, benzodiazepineThresholdMgPerDay: 5 });
    expect(flag!.id).toBe('INT-BZD-ATTENUATION');
    expect(flag!.message).toContain('clinic threshold 5');
  });

  it('for esketamine the counter-evidence (Diekamp 2021) is named in the message', () => {
    const [flag] = interactionFlags([bzd('diazepam', 10)], { modality: 'esketamine' });
    expect(flag!.message).toContain('Diekamp 2021');
  });
});

describe('interactionFlags: other classes', () => {
  const med = (name: string, tag: Medication['classTags'][number]): Medication => ({
    name,
    frequency: 'once-daily',
    classTags: [tag],
  });
  it('raises one flag per class with citations', () => {
    const flags = interactionFlags(
      [
        med('lamotrigine', 'lamotrigine'),
        med('naltrexone', 'naltrexone'),
        med('methylphenidate', 'stimulant'),
        med('phenelzine', 'maoi'),
        med('oxycodone', 'opioid'),
        med('zolpidem', 'sedative-hypnotic'),
        med('sertraline', 'ssri'),
      ],
      iv,
    );
    expect(flags.map((f) => f.id)).toEqual([
      'INT-LAMOTRIGINE',
      'INT-NALTREXONE',
      'INT-STIMULANT-BP',
      'INT-MAOI-BP',
      'INT-OPIOID-SEDATION',
      'INT-CNS-DEPRESSANT-SEDATION',
    ]);
    for (const f of flags) expect(f.citations.length).toBeGreaterThan(0);
  });

  it('the lamotrigine flag states what is unknown and does not advise tapering', () => {
    const [flag] = interactionFlags([med('lamotrigine', 'lamotrigine')], iv);
    expect(flag!.severity).toBe('info');
    expect(flag!.message).toMatch(/unknown/);
    expect(flag!.message).toMatch(/does not support tapering/);
  });

  it('an SSRI alone raises nothing', () => {
    expect(ids([med('sertraline', 'ssri')])).toEqual([]);
  });

  it('rejects bad input naming the medication field', () => {
    try {
      interactionFlags([{ name: 'x', frequency: 'other', classTags: ['other'] }], iv);
    } catch (e) {
      expect(e).toBeInstanceOf(ClinicalInputError);
      expect((e as ClinicalInputError).field).toBe('medications.0.dosesPerDay');
    }
    expect(() => interactionFlags([], { modality: 'oral' })).toThrow(ClinicalInputError);
    expect.assertions(3);
  });
});

describe('floating point at the boundary', () => {
  it('alprazolam 0.1 mg × 4 = 0.4 mg/day = exactly 8 mg diazepam (Ashton) is not flagged', () => {
    expect(ids([bzd('alprazolam', 0.1, 'four-times-daily')])).not.toContain('INT-BZD-ATTENUATION');
  });
});
