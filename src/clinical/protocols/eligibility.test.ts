import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import type { IntakeAnswers } from './eligibility';
import { ELIGIBILITY_RULES, intakeAnswersSchema, screenEligibility, validateSignOff } from './eligibility';

const clean: IntakeAnswers = {
  modality: 'iv-ketamine',
  ageYears: 40,
  aneurysmalVascularDiseaseOrAvm: 'no',
  intracerebralHemorrhageHistory: 'no',
  ketamineOrEsketamineHypersensitivity: 'no',
  hypertension: 'none',
  unstableCardiovascularOrCerebrovascularDisease: 'no',
  hypertensiveEncephalopathyHistory: 'no',
  psychosisHistory: 'no',
  substanceUseDisorder: 'none',
  ketamineOrPcpMisuseHistory: 'no',
  pregnant: 'no',
  breastfeeding: 'no',
  hepaticImpairment: 'none',
  priorAdverseReactionToKetamine: 'no',
  ulcerativeOrInterstitialCystitis: 'no',
};

describe('screenEligibility', () => {
  it('clean answers are eligible with no reasons', () => {
    const r = screenEligibility(clean);
    expect(r).toEqual({ status: 'eligible', reasons: [], notes: [] });
  });

  it.each([
    ['aneurysmalVascularDiseaseOrAvm', 'ELIG-CI-ANEURYSM-AVM'],
    ['intracerebralHemorrhageHistory', 'ELIG-CI-ICH'],
    ['ketamineOrEsketamineHypersensitivity', 'ELIG-CI-HYPERSENSITIVITY'],
  ] as const)('%s = yes is a contraindication (%s)', (field, id) => {
    const r = screenEligibility({ ...clean, [field]: 'yes' });
    expect(r.status).toBe('not-eligible');
    expect(r.reasons.map((x) => x.ruleId)).toEqual([id]);
    expect(r.reasons[0]!.citations[0]!.status).toBe('V');
  });

  it('an unanswered contraindication needs review, not refusal', () => {
    const r = screenEligibility({ ...clean, intracerebralHemorrhageHistory: 'unknown' });
    expect(r.status).toBe('needs-review');
    expect(r.reasons[0]).toMatchObject({ ruleId: 'ELIG-CI-ICH', kind: 'caution', unanswered: true });
  });

  it('cautions give needs-review, each with id, citation and status', () => {
    const r = screenEligibility({
      ...clean,
      hypertension: 'uncontrolled',
      psychosisHistory: 'yes',
      substanceUseDisorder: 'past',
      pregnant: 'yes',
      breastfeeding: 'yes',
      hepaticImpairment: 'severe',
    });
    expect(r.status).toBe('needs-review');
    expect(r.reasons.map((x) => x.ruleId).sort()).toEqual(
      [
        'ELIG-CA-BREASTFEEDING',
        'ELIG-CA-HEPATIC-SEVERE',
        'ELIG-CA-HTN-UNCONTROLLED',
        'ELIG-CA-PREGNANCY',
        'ELIG-CA-PSYCHOSIS',
        'ELIG-CA-SUD',
      ].sort(),
    );
    for (const reason of r.reasons) {
      expect(reason.citations.length).toBeGreaterThan(0);
      expect(['V', 'S', 'U']).toContain(reason.status);
    }
  });

  it('a contraindication wins over cautions', () => {
    const r = screenEligibility({ ...clean, psychosisHistory: 'yes', aneurysmalVascularDiseaseOrAvm: 'yes' });
    expect(r.status).toBe('not-eligible');
    expect(r.reasons).toHaveLength(2);
  });

  it('age boundaries: 18 is adult, 17 needs review; 50 gets a monitoring note, 49 does not', () => {
    expect(screenEligibility({ ...clean, modality: 'esketamine', ageYears: 18 }).status).toBe('eligible');
    const minor = screenEligibility({ ...clean, modality: 'esketamine', ageYears: 17 });
    expect(minor.reasons.map((x) => x.ruleId)).toEqual(['ELIG-CA-ESKETAMINE-ADULTS-ONLY']);
    const at50 = screenEligibility({ ...clean, ageYears: 50 });
    expect(at50.status).toBe('eligible');
    expect(at50.notes.map((n) => n.ruleId)).toEqual(['ELIG-NOTE-AGE-50']);
    expect(screenEligibility({ ...clean, ageYears: 49 }).notes).toEqual([]);
  });

  it('controlled hypertension is a note, not a caution', () => {
    const r = screenEligibility({ ...clean, hypertension: 'controlled' });
    expect(r.status).toBe('eligible');
    expect(r.notes[0]!.ruleId).toBe('ELIG-NOTE-HTN-CONTROLLED');
  });

  it('rejects bad input naming the field', () => {
    expect(() => screenEligibility({ ...clean, pregnant: 'maybe' })).toThrow(ClinicalInputError);
    try {
      screenEligibility({ ...clean, ageYears: -1 });
    } catch (e) {
      expect((e as ClinicalInputError).field).toBe('ageYears');
    }
    expect.assertions(2);
  });

  it('rule ids are unique and every rule cites a source', () => {
    const ids = ELIGIBILITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ELIGIBILITY_RULES) expect(r.citations.length).toBeGreaterThan(0);
  });

  it('property: status is not-eligible iff a contraindication is answered yes', () => {
    const yn = fc.constantFrom('yes', 'no', 'unknown');
    const arb = fc.record({
      modality: fc.constantFrom('iv-ketamine', 'esketamine'),
      ageYears: fc.integer({ min: 0, max: 110 }),
      aneurysmalVascularDiseaseOrAvm: yn,
      intracerebralHemorrhageHistory: yn,
      ketamineOrEsketamineHypersensitivity: yn,
      hypertension: fc.constantFrom('none', 'controlled', 'uncontrolled', 'unknown'),
      unstableCardiovascularOrCerebrovascularDisease: yn,
      hypertensiveEncephalopathyHistory: yn,
      psychosisHistory: yn,
      substanceUseDisorder: fc.constantFrom('none', 'past', 'current', 'unknown'),
      ketamineOrPcpMisuseHistory: yn,
      pregnant: fc.constantFrom('yes', 'no', 'unknown', 'not-applicable'),
      breastfeeding: fc.constantFrom('yes', 'no', 'unknown', 'not-applicable'),
      hepaticImpairment: fc.constantFrom('none', 'mild', 'moderate', 'severe', 'unknown'),
      priorAdverseReactionToKetamine: yn,
      ulcerativeOrInterstitialCystitis: yn,
    });
    fc.assert(
      fc.property(arb, (a) => {
        const answers = intakeAnswersSchema.parse(a);
        const r = screenEligibility(answers);
        const ci =
          answers.aneurysmalVascularDiseaseOrAvm === 'yes' ||
          answers.intracerebralHemorrhageHistory === 'yes' ||
          answers.ketamineOrEsketamineHypersensitivity === 'yes';
        expect(r.status === 'not-eligible').toBe(ci);
        expect(r.status === 'eligible').toBe(r.reasons.length === 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateSignOff', () => {
  const base = { prescriberId: 'dr-1', signedAt: '2026-11-26T10:00:00Z' };
  it('refuses to approve a not-eligible screening', () => {
    const r = screenEligibility({ ...clean, intracerebralHemorrhageHistory: 'yes' });
    expect(() => validateSignOff(r, { ...base, decision: 'approve' })).toThrow(/ELIG-CI-ICH/);
    expect(validateSignOff(r, { ...base, decision: 'decline' }).decision).toBe('decline');
  });
  it('approving needs-review requires a note', () => {
    const r = screenEligibility({ ...clean, psychosisHistory: 'yes' });
    expect(() => validateSignOff(r, { ...base, decision: 'approve' })).toThrow(ClinicalInputError);
    expect(validateSignOff(r, { ...base, decision: 'approve', note: 'remote, single episode' }).note).toBe(
      'remote, single episode',
    );
  });
});
