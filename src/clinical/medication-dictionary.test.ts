import { describe, expect, it } from 'vitest';
import {
  DRUG_DICTIONARY,
  derivedClassTags,
  effectiveClassTags,
  genericName,
  lookupMedication,
} from './medication-dictionary';
import { BENZODIAZEPINE_LIKE_DRUGS } from './taper/benzodiazepines';
import { interactionFlags, benzodiazepineDiazepamEquivalent } from './protocols/interactions';
import { remsConcomitantMedications } from './protocols/rems';

describe('drug dictionary', () => {
  it('derives class tags from the generic name, a brand name or words around it', () => {
    expect(derivedClassTags('Alprazolam')).toEqual(['benzodiazepine']);
    expect(derivedClassTags('alprazolam 0.5 mg tablet')).toEqual(['benzodiazepine']);
    expect(derivedClassTags('Xanax')).toEqual(['benzodiazepine']);
    expect(derivedClassTags('Venlafaxine XR')).toEqual(['snri']);
    expect(derivedClassTags('Zolpidem')).toEqual(['sedative-hypnotic']);
    expect(derivedClassTags('Lamotrigine')).toEqual(['lamotrigine', 'mood-stabilizer']);
    expect(derivedClassTags('Vitamin D')).toEqual([]);
  });

  it('derives from a verified RxNorm code even when the name is unknown', () => {
    expect(derivedClassTags('oral solution 0.1 mg/mL', '308049')).toEqual(['benzodiazepine']);
    expect(genericName('oral solution', '308049')).toBe('alprazolam');
  });

  it('tags every drug of the diazepam-equivalence tables (one list, shared with the taper planner)', () => {
    for (const d of BENZODIAZEPINE_LIKE_DRUGS) expect(derivedClassTags(d).length).toBe(1);
    expect(new Set(DRUG_DICTIONARY.map((e) => e.generic)).size).toBe(DRUG_DICTIONARY.length);
  });

  it('adds clinician tags to derived ones, never drops a derived tag, and drops "other" once a class is known', () => {
    expect(effectiveClassTags('Alprazolam', null, ['other'])).toEqual(['benzodiazepine']);
    expect(effectiveClassTags('Alprazolam', null, ['cns-depressant'])).toEqual([
      'benzodiazepine',
      'cns-depressant',
    ]);
    expect(effectiveClassTags('Mystery pill', null, ['other'])).toEqual(['other']);
  });

  it('a combination product matches both drugs but has no single generic name', () => {
    expect(
      lookupMedication('olanzapine/fluoxetine')
        .map((e) => e.generic)
        .sort(),
    ).toEqual(['fluoxetine', 'olanzapine']);
    expect(genericName('olanzapine/fluoxetine')).toBeNull();
  });
});

describe('interaction flags from the dictionary', () => {
  const iv = { modality: 'iv-ketamine' };
  it('alprazolam recorded without a class tag is flagged and counted in the diazepam equivalent', () => {
    // 1 mg twice daily = 2 mg/day = 40 mg diazepam by the Ashton column (0.5 mg ≈ 10 mg).
    const meds = [{ name: 'Alprazolam', doseMg: 1, frequency: 'twice-daily', classTags: ['other'] }];
    const ids = interactionFlags(meds, iv).map((f) => f.id);
    expect(ids).toContain('INT-BZD-ATTENUATION');
    expect(ids).toContain('INT-BZD-SEDATION');
    const total = benzodiazepineDiazepamEquivalent(
      meds as Parameters<typeof benzodiazepineDiazepamEquivalent>[0],
    );
    expect(total.totalLowMgPerDay).toBeCloseTo(40, 10);
    expect(total.complete).toBe(true);
  });

  it('a brand name resolves to its generic for the equivalence table (Xanax 0.25 mg once daily = 5 mg)', () => {
    const meds = [
      { name: 'Xanax', doseMg: 0.25, frequency: 'once-daily' as const, classTags: ['other' as const] },
    ];
    expect(benzodiazepineDiazepamEquivalent(meds).totalLowMgPerDay).toBeCloseTo(5, 10);
  });

  it('the REMS concomitant-medication answers use the derived tags too', () => {
    const meds = [
      { name: 'Zolpidem', frequency: 'at-bedtime' as const, classTags: ['other' as const] },
      { name: 'Methylphenidate', frequency: 'once-daily' as const, classTags: ['other' as const] },
    ];
    expect(remsConcomitantMedications(meds)).toMatchObject({
      benzodiazepines: false,
      nonBenzodiazepineSedativeHypnotics: true,
      psychostimulants: true,
    });
  });
});
