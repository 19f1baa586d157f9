import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import type { DischargeInput, PreSessionInput } from './session';
import {
  adverseEventSchema,
  defaultDischargeSettings,
  DEFAULT_CHECKLIST_RULES,
  defaultPreSessionSettings,
  earliestDischargeMin,
  evaluateDischarge,
  evaluatePreSessionChecklist,
  pregnancyTestRequired,
  type ChecklistRules,
} from './session';
import { defaultVitalsThresholds } from './vitals';
import { IV_MIN_OBSERVATION_DEFAULT } from './infusion';

const eskSettings = defaultPreSessionSettings(defaultVitalsThresholds('esketamine'));
const ivSettings = defaultPreSessionSettings(defaultVitalsThresholds('iv-ketamine'));

const ivReady: PreSessionInput = {
  modality: 'iv-ketamine',
  sessionDate: '2026-12-01',
  identityConfirmed: true,
  weight: { weightKg: 80, measuredOn: '2026-12-01' },
  baselineVitals: { timeMin: -10, sbpMmHg: 128, dbpMmHg: 82, heartRateBpm: 72 },
  escortArranged: true,
  pregnancyTest: 'not-applicable',
  patient: { sexAtBirth: 'male', ageYears: 40 },
  interactionReviewDone: true,
  phq9AdministeredOn: '2026-12-01',
  cssrsAdministeredOn: '2026-12-01',
};
const eskReady: PreSessionInput = {
  ...ivReady,
  modality: 'esketamine',
  weight: undefined,
  lastFoodMinBeforeDose: 180,
  lastLiquidMinBeforeDose: 30,
  remsPatientEnrolled: true,
};
const state = (r: ReturnType<typeof evaluatePreSessionChecklist>, id: string) =>
  r.items.find((i) => i.id === id)?.state;

describe('evaluatePreSessionChecklist', () => {
  it('a complete IV check-in is ready', () => {
    const r = evaluatePreSessionChecklist(ivReady, ivSettings);
    expect(r.overall).toBe('ready');
    expect(state(r, 'CHK-FASTING')).toBe('not-applicable'); // no IV fasting rule in the reference
  });

  it("IV requires today's weight: yesterday's weight blocks", () => {
    const r = evaluatePreSessionChecklist(
      { ...ivReady, weight: { weightKg: 80, measuredOn: '2026-11-30' } },
      ivSettings,
    );
    expect(r.overall).toBe('blocked');
    expect(state(r, 'CHK-WEIGHT-TODAY')).toBe('fail');
  });

  it('esketamine baseline exactly 140/90 passes; 141/90 needs review (label caution)', () => {
    const at = evaluatePreSessionChecklist(
      { ...eskReady, baselineVitals: { timeMin: -5, sbpMmHg: 140, dbpMmHg: 90 } },
      eskSettings,
    );
    expect(at.overall).toBe('ready');
    const r = evaluatePreSessionChecklist(
      { ...eskReady, baselineVitals: { timeMin: -5, sbpMmHg: 141, dbpMmHg: 90 } },
      eskSettings,
    );
    expect(r.overall).toBe('review');
    const item = r.items.find((i) => i.id === 'CHK-BASELINE-VITALS')!;
    expect(item.status).toBe('V');
    expect(item.message).toMatch(/consider delaying/);
  });

  it('a baseline above the IV hold threshold blocks, and the item carries the [U] status', () => {
    const r = evaluatePreSessionChecklist(
      { ...ivReady, baselineVitals: { timeMin: -5, sbpMmHg: 185, dbpMmHg: 95 } },
      ivSettings,
    );
    expect(r.overall).toBe('blocked');
    expect(r.items.find((i) => i.id === 'CHK-BASELINE-VITALS')!.status).toBe('U');
  });

  it('esketamine fasting: food 120 min and liquids 30 min are the boundaries (label)', () => {
    expect(
      state(
        evaluatePreSessionChecklist({ ...eskReady, lastFoodMinBeforeDose: 120 }, eskSettings),
        'CHK-FASTING',
      ),
    ).toBe('pass');
    expect(
      state(
        evaluatePreSessionChecklist({ ...eskReady, lastFoodMinBeforeDose: 119 }, eskSettings),
        'CHK-FASTING',
      ),
    ).toBe('caution');
    expect(
      state(
        evaluatePreSessionChecklist({ ...eskReady, lastLiquidMinBeforeDose: 29 }, eskSettings),
        'CHK-FASTING',
      ),
    ).toBe('caution');
  });

  it('esketamine without REMS enrolment, escort, PHQ-9 or C-SSRS is blocked, each named', () => {
    const r = evaluatePreSessionChecklist(
      {
        ...eskReady,
        remsPatientEnrolled: false,
        escortArranged: false,
        phq9AdministeredOn: null,
        cssrsAdministeredOn: null,
        patient: { sexAtBirth: 'female', ageYears: 30 },
        pregnancyTest: 'not-done',
      },
      eskSettings,
    );
    expect(r.overall).toBe('blocked');
    expect(
      r.items
        .filter((i) => i.state === 'fail')
        .map((i) => i.id)
        .sort(),
    ).toEqual(['CHK-CSSRS', 'CHK-ESCORT', 'CHK-PHQ9', 'CHK-PREGNANCY-TEST', 'CHK-REMS-ENROLLED'].sort());
  });

  it('rejects a baseline taken after dosing started', () => {
    expect(() =>
      evaluatePreSessionChecklist(
        { ...ivReady, baselineVitals: { timeMin: 5, sbpMmHg: 120, dbpMmHg: 80 } },
        ivSettings,
      ),
    ).toThrow(ClinicalInputError);
  });
});

describe('checklist backed by the record', () => {
  const rules = (over: Partial<ChecklistRules>) =>
    defaultPreSessionSettings(defaultVitalsThresholds('iv-ketamine'), {
      ...DEFAULT_CHECKLIST_RULES,
      ...over,
    });

  it('PHQ-9 and C-SSRS pass only with a response on record in the window (default: the session day)', () => {
    const yesterday = evaluatePreSessionChecklist(
      { ...ivReady, phq9AdministeredOn: '2026-11-30', cssrsAdministeredOn: '2026-11-30' },
      ivSettings,
    );
    expect(state(yesterday, 'CHK-PHQ9')).toBe('fail');
    expect(state(yesterday, 'CHK-CSSRS')).toBe('fail');
    expect(yesterday.items.find((i) => i.id === 'CHK-PHQ9')!.message).toMatch(/1 day\(s\) old.*session day/);
    const none = evaluatePreSessionChecklist({ ...ivReady, phq9AdministeredOn: null }, ivSettings);
    expect(none.items.find((i) => i.id === 'CHK-PHQ9')!.message).toMatch(/no response on record/);
    expect(none.items.find((i) => i.id === 'CHK-PHQ9')!.status).toBe('clinic');
  });

  it('a clinic window of 1 day accepts yesterday and refuses the day before', () => {
    const oneDay = { value: 1, status: 'clinic' as const, source: 'Clinic setting' };
    const cfg = rules({ phq9WithinDays: oneDay, cssrsWithinDays: oneDay });
    const at = (d: string) =>
      state(evaluatePreSessionChecklist({ ...ivReady, phq9AdministeredOn: d }, cfg), 'CHK-PHQ9');
    expect(at('2026-11-30')).toBe('pass');
    expect(at('2026-11-29')).toBe('fail');
    expect(() => evaluatePreSessionChecklist({ ...ivReady, cssrsAdministeredOn: '2026-12-02' }, cfg)).toThrow(
      expect.objectContaining({ field: 'checklist.cssrsAdministeredOn' }),
    );
  });

  it("the pregnancy test is required where the clinic's rule says so (default: everyone not recorded male)", () => {
    const female = { ...ivReady, patient: { sexAtBirth: 'female' as const, ageYears: 30 } };
    const na = evaluatePreSessionChecklist({ ...female, pregnancyTest: 'not-applicable' }, ivSettings);
    expect(state(na, 'CHK-PREGNANCY-TEST')).toBe('fail');
    expect(na.overall).toBe('blocked');
    expect(na.items.find((i) => i.id === 'CHK-PREGNANCY-TEST')!.message).toMatch(/clinic's rule requires/);
    expect(
      state(
        evaluatePreSessionChecklist({ ...female, pregnancyTest: 'negative' }, ivSettings),
        'CHK-PREGNANCY-TEST',
      ),
    ).toBe('pass');
    const unknownSex = { ...ivReady, patient: { sexAtBirth: 'unknown' as const, ageYears: 30 } };
    expect(
      state(
        evaluatePreSessionChecklist({ ...unknownSex, pregnancyTest: 'not-done' }, ivSettings),
        'CHK-PREGNANCY-TEST',
      ),
    ).toBe('fail');
    // Male: not required; a positive result still blocks whatever the rule.
    expect(state(evaluatePreSessionChecklist(ivReady, ivSettings), 'CHK-PREGNANCY-TEST')).toBe(
      'not-applicable',
    );
    // A clinic rule limited to ages 12-55: a 60-year-old is not required.
    const ranged = rules({ pregnancyTestRequiredFor: 'female', pregnancyTestAgeYears: { from: 12, to: 55 } });
    const older = { ...female, patient: { sexAtBirth: 'female' as const, ageYears: 60 } };
    expect(
      state(
        evaluatePreSessionChecklist({ ...older, pregnancyTest: 'not-applicable' }, ranged),
        'CHK-PREGNANCY-TEST',
      ),
    ).toBe('not-applicable');
    expect(
      state(
        evaluatePreSessionChecklist({ ...female, pregnancyTest: 'not-applicable' }, ranged),
        'CHK-PREGNANCY-TEST',
      ),
    ).toBe('fail');
    expect(
      state(
        evaluatePreSessionChecklist({ ...older, pregnancyTest: 'positive' }, ranged),
        'CHK-PREGNANCY-TEST',
      ),
    ).toBe('fail');
  });

  it('pregnancyTestRequired follows each rule', () => {
    const p = (sexAtBirth: 'female' | 'male' | 'intersex' | 'unknown') => ({ sexAtBirth, ageYears: 30 });
    const rule = (r: ChecklistRules['pregnancyTestRequiredFor']) => ({
      pregnancyTestRequiredFor: r,
      pregnancyTestAgeYears: null,
    });
    expect(pregnancyTestRequired(p('intersex'), rule('not-male'))).toBe(true);
    expect(pregnancyTestRequired(p('male'), rule('not-male'))).toBe(false);
    expect(pregnancyTestRequired(p('unknown'), rule('female'))).toBe(false);
    expect(pregnancyTestRequired(p('male'), rule('all'))).toBe(true);
    expect(pregnancyTestRequired(p('female'), rule('none'))).toBe(false);
  });
});

describe('adverse events', () => {
  it('accepts the issue categories and requires a description for "other"', () => {
    for (const category of ['nausea', 'vomiting', 'hypertension', 'emergence-reaction']) {
      expect(
        adverseEventSchema.safeParse({ category, severity: 'mild', actionTaken: 'none', timeMin: 20 })
          .success,
      ).toBe(true);
    }
    expect(
      adverseEventSchema.safeParse({ category: 'other', severity: 'mild', actionTaken: 'none', timeMin: 20 })
        .success,
    ).toBe(false);
  });
});

describe('evaluateDischarge: esketamine', () => {
  const settings = defaultDischargeSettings(defaultVitalsThresholds('esketamine'));
  const ok: DischargeInput = {
    modality: 'esketamine',
    dosingEndMin: 10,
    dischargeAtMin: 120,
    bpReadings: [
      { timeMin: -5, sbpMmHg: 126, dbpMmHg: 80 },
      { timeMin: 40, sbpMmHg: 142, dbpMmHg: 88 },
      { timeMin: 115, sbpMmHg: 128, dbpMmHg: 80 },
    ],
    vitalsReadings: [
      { timeMin: -5, heartRateBpm: 72, spo2Pct: 98 },
      { timeMin: 115, heartRateBpm: 76, spo2Pct: 97 },
    ],
    moaas: [
      { timeMin: -5, score: 5 },
      { timeMin: 110, score: 5 },
    ],
    sedationResolved: true,
    dissociationResolved: true,
    respiratoryDepressionResolved: true,
    mentalStatusAtBaseline: true,
    clinicallyStable: true,
    escortPresent: true,
  };

  it('exactly 2 h with BP before, at ~40 min and before discharge is allowed', () => {
    const r = evaluateDischarge(ok, settings);
    expect(r.missing).toEqual([]);
    expect(r.allowed).toBe(true);
  });

  it('119 min is refused with a message naming the 2-hour rule and the time left', () => {
    const r = evaluateDischarge(
      {
        ...ok,
        dischargeAtMin: 119,
        bpReadings: [...ok.bpReadings.slice(0, 2), { timeMin: 118, sbpMmHg: 128, dbpMmHg: 80 }],
      },
      settings,
    );
    expect(r.allowed).toBe(false);
    expect(r.missing.map((m) => m.id)).toEqual(['DIS-ESK-MIN-MONITORING']);
    expect(r.message).toMatch(
      /^Discharge refused: only 119 min since the first device; .*at least 120 min.*1 min to go/,
    );
    expect(r.earliestDischargeMin).toBe(120);
  });

  it('names each missing blood pressure', () => {
    const r = evaluateDischarge(
      { ...ok, bpReadings: [{ timeMin: 20, sbpMmHg: 130, dbpMmHg: 80 }] },
      settings,
    );
    expect(r.allowed).toBe(false);
    expect(r.missing.map((m) => m.id)).toEqual([
      'DIS-ESK-BP-PRE-DOSE',
      'DIS-ESK-BP-40-MIN',
      'DIS-BP-BEFORE-DISCHARGE',
    ]);
    expect(r.message).toContain('no blood pressure recorded before dosing');
    expect(r.message).toContain('about 40 min after dosing');
  });

  it('~40 min window: 30 and 50 count (clinic tolerance 10), 29 does not', () => {
    const at = (t: number) =>
      evaluateDischarge(
        {
          ...ok,
          bpReadings: [ok.bpReadings[0]!, { timeMin: t, sbpMmHg: 140, dbpMmHg: 85 }, ok.bpReadings[2]!],
        },
        settings,
      ).missing.map((m) => m.id);
    expect(at(30)).toEqual([]);
    expect(at(50)).toEqual([]);
    expect(at(29)).toEqual(['DIS-ESK-BP-40-MIN']);
  });

  it('rising BP, unresolved sedation or no escort each refuse discharge', () => {
    const rising = evaluateDischarge(
      {
        ...ok,
        bpReadings: [ok.bpReadings[0]!, ok.bpReadings[1]!, { timeMin: 115, sbpMmHg: 150, dbpMmHg: 85 }],
      },
      settings,
    );
    expect(rising.missing.map((m) => m.id)).toEqual(['DIS-ESK-BP-NOT-RISING']);
    expect(evaluateDischarge({ ...ok, sedationResolved: false }, settings).message).toContain(
      'not resolved: sedation',
    );
    expect(evaluateDischarge({ ...ok, escortPresent: false }, settings).allowed).toBe(false);
  });

  it('property: discharge before 120 min is never allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 119 }), (t) => {
        const r = evaluateDischarge(
          {
            ...ok,
            dischargeAtMin: t,
            bpReadings: [...ok.bpReadings, { timeMin: t, sbpMmHg: 120, dbpMmHg: 75 }],
          },
          settings,
        );
        expect(r.allowed).toBe(false);
        expect(r.missing.some((m) => m.id === 'DIS-ESK-MIN-MONITORING')).toBe(true);
      }),
    );
  });
});

describe('evaluateDischarge: IV', () => {
  const thresholds = defaultVitalsThresholds('iv-ketamine');
  const settings = defaultDischargeSettings(thresholds);
  const ok: DischargeInput = {
    modality: 'iv-ketamine',
    dosingEndMin: 40,
    dischargeAtMin: 100,
    bpReadings: [
      { timeMin: -5, sbpMmHg: 124, dbpMmHg: 78 },
      { timeMin: 95, sbpMmHg: 130, dbpMmHg: 82 },
    ],
    vitalsReadings: [
      { timeMin: -5, heartRateBpm: 70, spo2Pct: 98 },
      { timeMin: 95, heartRateBpm: 74, spo2Pct: 97 },
    ],
    moaas: [{ timeMin: 90, score: 5 }],
    sedationResolved: true,
    dissociationResolved: true,
    respiratoryDepressionResolved: true,
    mentalStatusAtBaseline: true,
    clinicallyStable: true,
    escortPresent: true,
  };
  it('60 min after the end of the infusion with recovery measured is allowed', () => {
    expect(evaluateDischarge(ok, settings).missing).toEqual([]);
    expect(evaluateDischarge(ok, settings).earliestDischargeMin).toBe(100);
  });
  it('a 40-min infusion is not discharged at minute 41: the default observation is 60 min [U], cited', () => {
    const obs = settings.ivMinObservationAfterInfusionMin!;
    expect(obs).toMatchObject({ value: 60, status: 'U' });
    expect(obs.source).toMatch(/30-60 minutes to recover/);
    const r = evaluateDischarge(
      {
        ...ok,
        dischargeAtMin: 41,
        bpReadings: [ok.bpReadings[0]!, { timeMin: 41, sbpMmHg: 130, dbpMmHg: 82 }],
        vitalsReadings: [{ timeMin: 41, heartRateBpm: 74, spo2Pct: 97 }],
        moaas: [{ timeMin: 41, score: 5 }],
      },
      settings,
    );
    expect(r.allowed).toBe(false);
    expect(r.missing.map((m) => m.id)).toEqual(['DIS-IV-MIN-OBSERVATION']);
    expect(r.message).toContain('only 1 min since the infusion ended; the clinic requires 60 min');
    expect(r.earliestDischargeMin).toBe(100);
    // A clinic that sets another minimum gets its own value.
    const own = {
      ...settings,
      ivMinObservationAfterInfusionMin: { value: 90, status: 'clinic' as const, source: 'Clinic setting' },
    };
    expect(evaluateDischarge(ok, own).missing.map((m) => m.id)).toEqual(['DIS-IV-MIN-OBSERVATION']);
  });
  it('a running or paused infusion (no end yet) is never discharged', () => {
    const r = evaluateDischarge({ ...ok, dosingEndMin: null }, settings);
    expect(r.missing.map((m) => m.id)).toEqual(['DIS-IV-INFUSION-ENDED', 'DIS-MOAAS-BASELINE']);
    expect(r.message).toContain('the infusion has not ended');
  });
  it('refusals name each unmet recovery criterion: HR, SpO2, MOAA/S, CADSS-6', () => {
    const r = evaluateDischarge(
      {
        ...ok,
        vitalsReadings: [{ timeMin: 95, heartRateBpm: 118 }],
        moaas: [
          { timeMin: -5, score: 5 },
          { timeMin: 90, score: 4 },
        ],
        cadss: [
          { timeMin: -5, score: 0 },
          { timeMin: 30, score: 6 },
        ],
      },
      settings,
    );
    expect(r.missing.map((m) => m.id)).toEqual([
      'DIS-HR-WITHIN-THRESHOLDS',
      'DIS-SPO2-WITHIN-THRESHOLDS',
      'DIS-MOAAS-BASELINE',
      'DIS-CADSS-RESOLVED',
    ]);
    expect(r.message).toContain('heart rate not within thresholds: Heart rate 118 is above 110');
    expect(r.message).toContain('no SpO2 recorded within 15 min before discharge');
    expect(r.message).toContain('MOAA/S 4 at 90 min is below the pre-dose score 5');
    expect(r.message).toContain('CADSS-6 6 at 30 min is above the pre-dose 0');
    // A CADSS-6 back at the pre-dose score and the rest recovered: allowed.
    const ok2 = evaluateDischarge(
      {
        ...ok,
        cadss: [
          { timeMin: 30, score: 6 },
          { timeMin: 92, score: 0 },
        ],
      },
      settings,
    );
    expect(ok2.missing).toEqual([]);
  });
  it('a MOAA/S taken before the infusion ended does not count as recovery', () => {
    const r = evaluateDischarge({ ...ok, moaas: [{ timeMin: 30, score: 5 }] }, settings);
    expect(r.missing.map((m) => m.id)).toEqual(['DIS-MOAAS-BASELINE']);
    expect(r.message).toContain('no MOAA/S recorded after dosing ended');
  });
  it('mental status not at baseline, or last BP above hold, refuses', () => {
    expect(
      evaluateDischarge({ ...ok, mentalStatusAtBaseline: false }, settings).missing.map((m) => m.id),
    ).toEqual(['DIS-IV-MENTAL-STATUS']);
    const high = evaluateDischarge(
      { ...ok, bpReadings: [ok.bpReadings[0]!, { timeMin: 95, sbpMmHg: 185, dbpMmHg: 90 }] },
      settings,
    );
    expect(high.missing.map((m) => m.id)).toEqual(['DIS-BP-BELOW-HOLD']);
  });
});

describe('earliestDischargeMin', () => {
  it('property: is the earliest minute evaluateDischarge reports, whatever else the input holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('esketamine' as const, 'iv-ketamine' as const),
        fc.option(fc.integer({ min: 0, max: 120 })),
        fc.integer({ min: 0, max: 300 }),
        fc.option(fc.integer({ min: 0, max: 240 })),
        fc.array(
          fc.record({
            timeMin: fc.integer({ min: -10, max: 200 }),
            sbpMmHg: fc.integer({ min: 90, max: 200 }),
          }),
        ),
        (modality, dosingEndMin, dischargeAtMin, observationMin, bp) => {
          const defaults = defaultDischargeSettings(defaultVitalsThresholds(modality));
          const settings = {
            ...defaults,
            ivMinObservationAfterInfusionMin:
              observationMin === null ? null : { ...IV_MIN_OBSERVATION_DEFAULT, value: observationMin },
          };
          const r = evaluateDischarge(
            {
              modality,
              dosingEndMin,
              dischargeAtMin,
              bpReadings: bp.map((b) => ({ ...b, dbpMmHg: 80 })),
              vitalsReadings: [],
              moaas: [],
              sedationResolved: true,
              dissociationResolved: false,
              respiratoryDepressionResolved: true,
              mentalStatusAtBaseline: true,
              clinicallyStable: true,
              escortPresent: false,
            },
            settings,
          );
          expect(earliestDischargeMin(modality, dosingEndMin, settings)).toBe(r.earliestDischargeMin);
        },
      ),
    );
  });
});
