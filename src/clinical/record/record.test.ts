import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import {
  ALLERGY_STATUSES,
  ICD10CM_SUBSET,
  TRIAL_ADHERENCES,
  TRIAL_RESPONSES,
  type AllergyStatus,
} from '../vocabulary/clinical-record';
import {
  allergyConflicts,
  allergyState,
  allergyRefusal,
  decideNoKnownAllergies,
  resolveAllergySubstance,
} from './allergies';
import { resolveDiagnosis } from './diagnoses';
import { treatmentResistance, type TrialForRule } from './treatment-resistance';

const allergy = (substance: string, status: AllergyStatus = 'active') => ({
  id: `a-${substance}`,
  substance,
  status,
  reaction: 'rash',
});

describe('allergy substances', () => {
  it('resolves dictionary drugs and the treatment drugs by generic or brand name', () => {
    expect(resolveAllergySubstance('Zoloft')).toEqual({ generic: 'sertraline', freeText: false });
    expect(resolveAllergySubstance('Spravato')).toEqual({ generic: 'esketamine', freeText: false });
    expect(resolveAllergySubstance('ketamine')).toEqual({ generic: 'ketamine', freeText: false });
  });
  it('flags anything else as free text', () => {
    expect(resolveAllergySubstance('penicillin')).toEqual({ generic: null, freeText: true });
    expect(resolveAllergySubstance('latex')).toEqual({ generic: null, freeText: true });
  });
});

describe('allergyConflicts', () => {
  it('an active ketamine allergy rules out both treatment drugs, with the reason', () => {
    for (const drug of ['ketamine', 'esketamine'] as const) {
      const [c, ...rest] = allergyConflicts([allergy('Ketamine')], drug);
      expect(rest).toEqual([]);
      expect(c!.reason).toBe(`active allergy to Ketamine (rash): ${drug} is contraindicated`);
      expect(c!.source).toContain('Spravato US PI §4');
    }
  });
  it('an esketamine (Spravato) allergy rules out racemic ketamine too', () => {
    expect(allergyConflicts([allergy('Spravato')], 'ketamine')).toHaveLength(1);
  });
  it('inactive, resolved and entered-in-error allergies never conflict', () => {
    for (const status of ['inactive', 'resolved', 'entered-in-error'] as const) {
      expect(allergyConflicts([allergy('ketamine', status)], 'esketamine')).toEqual([]);
    }
  });
  it('other substances do not conflict (no cross-reactivity class is claimed)', () => {
    expect(
      allergyConflicts([allergy('penicillin'), allergy('midazolam'), allergy('sertraline')], 'ketamine'),
    ).toEqual([]);
  });
  it('free text naming ketamine among other words still conflicts', () => {
    expect(allergyConflicts([allergy('IV ketamine - severe agitation')], 'ketamine')).toHaveLength(1);
  });
  it('allergyRefusal states the reason and the rule, or null', () => {
    expect(allergyRefusal([allergy('ketamine')], 'esketamine')).toMatch(
      /^active allergy to ketamine \(rash\): esketamine is contraindicated \(Spravato US PI §4/,
    );
    expect(allergyRefusal([allergy('latex')], 'esketamine')).toBeNull();
  });
  it('property: a conflict exists exactly when some active allergy names a treatment drug', () => {
    const substance = fc.constantFrom(
      'ketamine',
      'Esketamine',
      'Ketalar',
      'latex',
      'penicillin',
      'sertraline',
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ substance, status: fc.constantFrom(...ALLERGY_STATUSES) }), { maxLength: 6 }),
        fc.constantFrom('ketamine' as const, 'esketamine' as const),
        (list, drug) => {
          const rows = list.map((a, i) => ({ ...a, id: String(i) }));
          const expected = rows.filter(
            (a) => a.status === 'active' && /ketamine|ketalar/i.test(a.substance),
          ).length;
          expect(allergyConflicts(rows, drug)).toHaveLength(expected);
        },
      ),
    );
  });
});

describe('allergyState', () => {
  const t = (iso: string) => new Date(iso);
  it('is unknown when never asked — not an empty list', () => {
    expect(allergyState([], null)).toEqual({ kind: 'unknown' });
  });
  it('"no known allergies" is a recorded statement with who and when', () => {
    expect(allergyState([], { recordedBy: 'u1', recordedAt: t('2026-01-01T10:00:00Z') })).toEqual({
      kind: 'no-known-allergies',
      recordedBy: 'u1',
      recordedAt: t('2026-01-01T10:00:00Z'),
    });
  });
  it('an allergy recorded after the statement makes it a list', () => {
    const s = { recordedBy: 'u1', recordedAt: t('2026-01-01T10:00:00Z') };
    expect(allergyState([{ status: 'active', recordedAt: t('2026-01-02T10:00:00Z') }], s)).toEqual({
      kind: 'list',
      activeCount: 1,
    });
    expect(allergyState([{ status: 'resolved', recordedAt: t('2026-01-02T10:00:00Z') }], s)).toEqual({
      kind: 'list',
      activeCount: 0,
    });
  });
  it('entries entered in error count for nothing', () => {
    expect(
      allergyState([{ status: 'entered-in-error', recordedAt: t('2026-01-02T10:00:00Z') }], null),
    ).toEqual({
      kind: 'unknown',
    });
  });
  it('"no known allergies" is refused while an allergy is active', () => {
    expect(() =>
      decideNoKnownAllergies([{ status: 'active', recordedAt: t('2026-01-02T10:00:00Z') }]),
    ).toThrow(/1 active allergy/);
    expect(() =>
      decideNoKnownAllergies([{ status: 'resolved', recordedAt: t('2026-01-02T10:00:00Z') }]),
    ).not.toThrow();
  });
  it('property: any active allergy gives a list; no counted allergy and no statement gives unknown', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom(...ALLERGY_STATUSES),
            recordedAt: fc.date({ min: t('2020-01-01'), max: t('2030-01-01'), noInvalidDate: true }),
          }),
          { maxLength: 5 },
        ),
        (rows) => {
          const state = allergyState(rows, null);
          if (rows.some((r) => r.status === 'active')) expect(state.kind).toBe('list');
          if (rows.every((r) => r.status === 'entered-in-error')) expect(state.kind).toBe('unknown');
          expect(state.kind).not.toBe('no-known-allergies');
        },
      ),
    );
  });
});

describe('resolveDiagnosis', () => {
  it('a code takes its title from the subset', () => {
    expect(resolveDiagnosis({ icd10cmCode: 'F33.2', description: 'anything' })).toEqual({
      icd10cmCode: 'F33.2',
      description: 'Major depressive disorder, recurrent severe without psychotic features',
      freeText: false,
    });
  });
  it('free text is flagged and needs words', () => {
    expect(resolveDiagnosis({ description: ' Treatment-resistant depression ' })).toEqual({
      icd10cmCode: null,
      description: 'Treatment-resistant depression',
      freeText: true,
    });
    expect(() => resolveDiagnosis({ description: '  ' })).toThrow(/choose a code/);
  });
  it('a code outside the subset is refused naming the field', () => {
    expect(() => resolveDiagnosis({ icd10cmCode: 'F99.9' })).toThrow(ClinicalInputError);
  });
  it('the subset has unique codes in the five groups the clinic uses', () => {
    const codes = ICD10CM_SUBSET.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of ICD10CM_SUBSET) expect(c.code).toMatch(/^F(3[123]|4[123])\.[0-9A][0-9]?$/);
  });
});

const trial = (over: Partial<TrialForRule> & { id: string; drug: string }): TrialForRule => ({
  currentEpisode: true,
  adequateDose: true,
  adequateDuration: true,
  adherence: 'full',
  response: 'none',
  status: 'active',
  ...over,
});

describe('treatmentResistance', () => {
  it('two adequate failed trials in the current episode are treatment-resistant, naming them', () => {
    const r = treatmentResistance([
      trial({ id: 't1', drug: 'sertraline' }),
      trial({ id: 't2', drug: 'Venlafaxine XR', response: 'partial' }),
    ]);
    expect(r.resistant).toBe(true);
    expect(r.countingTrialIds).toEqual(['t1', 't2']);
    expect(r.statement).toBe(
      'Treatment-resistant: 2 adequate trials failed in the current episode (sertraline, Venlafaxine XR).',
    );
    expect(r.definition.source).toContain('Fava');
  });
  it('says why each other trial does not count', () => {
    const r = treatmentResistance([
      trial({ id: 't1', drug: 'sertraline' }),
      trial({ id: 't2', drug: 'escitalopram', currentEpisode: false }),
      trial({ id: 't3', drug: 'bupropion', adequateDose: null, adequateDuration: false }),
      trial({ id: 't4', drug: 'duloxetine', adherence: 'poor', response: 'not-tolerated' }),
      trial({ id: 't5', drug: 'mirtazapine', response: 'response' }),
      trial({ id: 't6', drug: 'Zoloft' }),
      trial({ id: 't7', drug: 'fluoxetine', status: 'entered-in-error' }),
    ]);
    expect(r.resistant).toBe(false);
    expect(r.statement).toBe(
      'Not treatment-resistant on the record: 1 of 2 adequate failed trials in the current episode (sertraline).',
    );
    const why = Object.fromEntries(r.judgements.map((j) => [j.trialId, j.reasons]));
    expect(why.t2).toEqual(['not in the current episode']);
    expect(why.t3).toEqual(['dose adequacy not marked', 'duration marked inadequate']);
    expect(why.t4).toEqual([
      'poor adherence',
      'stopped because it was not tolerated, not a failure to respond',
    ]);
    expect(why.t5).toEqual(['the patient responded']);
    expect(why.t6).toEqual(['the same drug as a trial already counted (one treatment)']);
    expect(why.t7).toBeUndefined();
  });
  it('property: resistant exactly when at least 2 distinct drugs qualify', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            drug: fc.constantFrom('sertraline', 'Zoloft', 'venlafaxine', 'bupropion', 'lithium'),
            currentEpisode: fc.boolean(),
            adequateDose: fc.constantFrom(true, false, null),
            adequateDuration: fc.constantFrom(true, false, null),
            adherence: fc.constantFrom(...TRIAL_ADHERENCES),
            response: fc.constantFrom(...TRIAL_RESPONSES),
            status: fc.constantFrom('active' as const, 'entered-in-error' as const),
          }),
          { maxLength: 6 },
        ),
        (rows) => {
          const trials = rows.map((r, i) => ({ ...r, id: `t${i}` }));
          const r = treatmentResistance(trials);
          const qualifying = new Set(
            trials
              .filter(
                (t) =>
                  t.status === 'active' &&
                  t.currentEpisode &&
                  t.adequateDose === true &&
                  t.adequateDuration === true &&
                  t.adherence !== 'poor' &&
                  (t.response === 'none' || t.response === 'partial'),
              )
              .map((t) => (t.drug === 'Zoloft' ? 'sertraline' : t.drug)),
          );
          expect(r.adequateFailedTreatments).toBe(qualifying.size);
          expect(r.resistant).toBe(qualifying.size >= 2);
          expect(r.judgements.every((j) => j.reasons.length > 0)).toBe(true);
        },
      ),
    );
  });
});
