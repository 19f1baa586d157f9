import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import type { IntakeAnswers } from './eligibility';
import {
  currentScreening,
  ELIGIBILITY_RULES,
  intakeAnswersSchema,
  screenEligibility,
  validateSignOff,
} from './eligibility';

const clean: IntakeAnswers = {
  modality: 'iv-ketamine',
  ageYears: 40,
  diagnosis: 'mdd-treatment-resistant',
  failedAntidepressantTrials: 2,
  concurrentOralAntidepressant: 'yes',
  baselineSbpMmHg: 128,
  baselineDbpMmHg: 82,
  knownAllergies: 'none',
  aneurysmalVascularDiseaseOrAvm: 'no',
  intracerebralHemorrhageHistory: 'no',
  ketamineOrEsketamineHypersensitivity: 'no',
  hypertension: 'none',
  unstableCardiovascularOrCerebrovascularDisease: 'no',
  hypertensiveEncephalopathyHistory: 'no',
  raisedIntracranialPressure: 'no',
  raisedIntraocularPressure: 'no',
  seizureDisorder: 'no',
  psychosisHistory: 'no',
  bipolarOrManiaHistory: 'no',
  currentSuicidalIntent: 'no',
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
      modality: 'esketamine',
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
      diagnosis: fc.constantFrom(
        'mdd-treatment-resistant',
        'mdd-with-suicidal-ideation',
        'mdd',
        'bipolar-depression',
        'other',
      ),
      failedAntidepressantTrials: fc.integer({ min: 0, max: 10 }),
      concurrentOralAntidepressant: yn,
      baselineSbpMmHg: fc.integer({ min: 100, max: 200 }),
      baselineDbpMmHg: fc.integer({ min: 50, max: 99 }),
      knownAllergies: fc.constant('none'),
      raisedIntracranialPressure: yn,
      raisedIntraocularPressure: yn,
      seizureDisorder: yn,
      bipolarOrManiaHistory: yn,
      currentSuicidalIntent: yn,
    });
    fc.assert(
      fc.property(arb, (a) => {
        const answers = intakeAnswersSchema.parse(a);
        const r = screenEligibility(answers);
        const iv = answers.modality === 'iv-ketamine';
        const ci =
          answers.aneurysmalVascularDiseaseOrAvm === 'yes' ||
          answers.intracerebralHemorrhageHistory === 'yes' ||
          answers.ketamineOrEsketamineHypersensitivity === 'yes' ||
          (iv &&
            (answers.hypertension === 'uncontrolled' ||
              answers.unstableCardiovascularOrCerebrovascularDisease === 'yes' ||
              answers.raisedIntracranialPressure === 'yes'));
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

describe('screening that screens', () => {
  const fieldOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof ClinicalInputError ? e.field : 'not a ClinicalInputError';
    }
    return null;
  };

  it.each([
    'seizureDisorder',
    'raisedIntracranialPressure',
    'raisedIntraocularPressure',
    'bipolarOrManiaHistory',
    'currentSuicidalIntent',
    'diagnosis',
    'failedAntidepressantTrials',
    'baselineSbpMmHg',
    'knownAllergies',
    'pregnant',
    'aneurysmalVascularDiseaseOrAvm',
  ] as const)('an unanswered %s is refused, naming the question', (field) => {
    const answers: Record<string, unknown> = { ...clean };
    delete answers[field];
    expect(fieldOf(() => screenEligibility(answers))).toBe(field);
    try {
      screenEligibility(answers);
    } catch (e) {
      expect((e as Error).message).toMatch(/not answered/);
    }
  });

  it('allergies answered yes need the details', () => {
    expect(fieldOf(() => screenEligibility({ ...clean, knownAllergies: 'yes' }))).toBe('allergyDetails');
    const r = screenEligibility({ ...clean, knownAllergies: 'yes', allergyDetails: 'penicillin: rash' });
    expect(r.status).toBe('eligible');
    expect(r.notes.map((n) => n.message)).toEqual(['Allergies recorded: penicillin: rash']);
  });

  it.each([
    ['hypertension', 'uncontrolled', 'ELIG-CI-IV-HTN-UNCONTROLLED'],
    ['unstableCardiovascularOrCerebrovascularDisease', 'yes', 'ELIG-CI-IV-CV-UNSTABLE'],
    ['raisedIntracranialPressure', 'yes', 'ELIG-CI-IV-RAISED-ICP'],
  ] as const)(
    'IV: %s = %s is a contraindication (Ketalar: BP rise a serious hazard), not a signable caution',
    (field, value, id) => {
      const r = screenEligibility({ ...clean, [field]: value });
      expect(r.status).toBe('not-eligible');
      expect(r.reasons).toEqual([expect.objectContaining({ ruleId: id, kind: 'contraindication' })]);
      expect(r.reasons[0]!.citations.map((c) => c.source).join(' ')).toMatch(/Ketalar/);
      expect(() =>
        validateSignOff(r, {
          prescriberId: 'dr-1',
          signedAt: '2026-11-26T10:00:00Z',
          decision: 'approve',
          note: 'well controlled at home',
        }),
      ).toThrow(new RegExp(id));
    },
  );

  it('esketamine: the same conditions stay label cautions (the esketamine contraindications are unchanged)', () => {
    const r = screenEligibility({
      ...clean,
      modality: 'esketamine',
      hypertension: 'uncontrolled',
      unstableCardiovascularOrCerebrovascularDisease: 'yes',
      raisedIntracranialPressure: 'yes',
    });
    expect(r.status).toBe('needs-review');
    expect(r.reasons.map((x) => x.ruleId).sort()).toEqual(
      ['ELIG-CA-CV-UNSTABLE', 'ELIG-CA-HTN-UNCONTROLLED', 'ELIG-CA-RAISED-ICP'].sort(),
    );
  });

  it.each([
    ['seizureDisorder', 'ELIG-CA-SEIZURE'],
    ['raisedIntraocularPressure', 'ELIG-CA-RAISED-IOP'],
    ['bipolarOrManiaHistory', 'ELIG-CA-BIPOLAR-MANIA'],
    ['currentSuicidalIntent', 'ELIG-CA-SUICIDAL-INTENT'],
  ] as const)('%s = yes needs prescriber review (%s) for both modalities', (field, id) => {
    for (const modality of ['iv-ketamine', 'esketamine'] as const) {
      const r = screenEligibility({ ...clean, modality, [field]: 'yes' });
      expect(r.status).toBe('needs-review');
      expect(r.reasons.map((x) => x.ruleId)).toEqual([id]);
    }
  });

  it('esketamine for TRD does not require an oral antidepressant (monotherapy, January 2025)', () => {
    const r = screenEligibility({ ...clean, modality: 'esketamine', concurrentOralAntidepressant: 'no' });
    expect(r.status).toBe('eligible');
  });

  it('esketamine for MDD with suicidal ideation still requires the oral antidepressant', () => {
    const mdsi = { ...clean, modality: 'esketamine', diagnosis: 'mdd-with-suicidal-ideation' } as const;
    expect(screenEligibility({ ...mdsi, concurrentOralAntidepressant: 'yes' }).status).toBe('eligible');
    const without = screenEligibility({ ...mdsi, concurrentOralAntidepressant: 'no' });
    expect(without.status).toBe('needs-review');
    expect(without.reasons.map((x) => x.ruleId)).toEqual(['ELIG-CA-ESK-MDSI-WITHOUT-ORAL-AD']);
  });

  it('diagnosis: esketamine off-label diagnoses and TRD with fewer than 2 failed trials need review', () => {
    const offLabel = screenEligibility({ ...clean, modality: 'esketamine', diagnosis: 'mdd' });
    expect(offLabel.reasons.map((x) => x.ruleId)).toEqual(['ELIG-CA-ESK-OFF-LABEL-DIAGNOSIS']);
    expect(screenEligibility({ ...clean, diagnosis: 'mdd' }).status).toBe('eligible'); // IV: MDD
    expect(screenEligibility({ ...clean, diagnosis: 'other' }).reasons.map((x) => x.ruleId)).toEqual([
      'ELIG-CA-IV-DIAGNOSIS',
    ]);
    const oneTrial = screenEligibility({ ...clean, failedAntidepressantTrials: 1 });
    expect(oneTrial.reasons.map((x) => x.ruleId)).toEqual(['ELIG-CA-TRD-FEWER-TRIALS']);
    expect(screenEligibility({ ...clean, failedAntidepressantTrials: 2 }).status).toBe('eligible');
    const bipolar = screenEligibility({ ...clean, diagnosis: 'bipolar-depression' });
    expect(bipolar.reasons.map((x) => x.ruleId).sort()).toEqual(
      ['ELIG-CA-BIPOLAR-MANIA', 'ELIG-CA-IV-DIAGNOSIS'].sort(),
    );
  });

  it('baseline BP: exactly 140/90 passes, 141/90 needs review with the threshold status (esketamine V)', () => {
    const esk = { ...clean, modality: 'esketamine' } as const;
    expect(screenEligibility({ ...esk, baselineSbpMmHg: 140, baselineDbpMmHg: 90 }).status).toBe('eligible');
    const high = screenEligibility({ ...esk, baselineSbpMmHg: 141, baselineDbpMmHg: 90 });
    expect(high.reasons).toEqual([
      expect.objectContaining({ ruleId: 'ELIG-CA-BASELINE-BP-RAISED', status: 'V' }),
    ]);
    expect(high.reasons[0]!.message).toMatch(/141\/90/);
    const iv = screenEligibility({ ...clean, baselineSbpMmHg: 150, baselineDbpMmHg: 85 });
    expect(iv.reasons[0]).toMatchObject({ ruleId: 'ELIG-CA-BASELINE-BP-RAISED', status: 'U' });
  });
});

describe('currentScreening', () => {
  const validDays = { value: 90, status: 'clinic' as const, source: 'Clinic setting' };
  const rec = (over: Partial<Parameters<typeof currentScreening>[0]['screenings'][number]>) => ({
    id: 's1',
    modality: 'iv-ketamine' as const,
    status: 'eligible' as const,
    screenedOn: '2026-03-01',
    signOff: null,
    ...over,
  });
  const gate = (screenings: ReturnType<typeof rec>[], onDate = '2026-03-02', modality = 'iv-ketamine') =>
    currentScreening({ modality: modality as 'iv-ketamine', onDate, screenings, validDays });

  it('no screening, or only one for the other modality, is refused', () => {
    expect(gate([]).ok).toBe(false);
    expect(gate([rec({ modality: 'esketamine' })]).message).toMatch(
      /no eligibility screening for IV ketamine/,
    );
  });

  it('eligible passes; needs-review passes only once approved; declined and not-eligible are refused', () => {
    expect(gate([rec({})]).ok).toBe(true);
    expect(gate([rec({ status: 'needs-review' })]).message).toMatch(/not been approved/);
    expect(gate([rec({ status: 'needs-review', signOff: { decision: 'approve' } })]).ok).toBe(true);
    expect(gate([rec({ signOff: { decision: 'decline' } })]).message).toMatch(/declined/);
    expect(gate([rec({ status: 'not-eligible' })]).ok).toBe(false);
  });

  it('current means recorded within the clinic window: day 90 passes, day 91 is refused', () => {
    expect(gate([rec({ screenedOn: '2026-01-01' })], '2026-04-01').ok).toBe(true); // 90 days
    const old = gate([rec({ screenedOn: '2026-01-01' })], '2026-04-02');
    expect(old.ok).toBe(false);
    expect(old.message).toMatch(/91 days old.*within 90 days/);
  });

  it('the newest screening decides: a later not-eligible one is not outweighed by an earlier eligible one', () => {
    const r = gate([
      rec({ id: 'old', screenedOn: '2026-02-01' }),
      rec({ id: 'new', screenedOn: '2026-02-20', status: 'not-eligible' }),
    ]);
    expect(r).toMatchObject({ ok: false, screeningId: 'new' });
    // Same day: the later entry in the list (recorded later) decides.
    expect(gate([rec({ id: 'a', status: 'not-eligible' }), rec({ id: 'b' })]).ok).toBe(true);
  });
});
