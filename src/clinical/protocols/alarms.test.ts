import { describe, expect, it } from 'vitest';
import type { ClinicalInputError } from '../errors';
import type { Modality } from './evidence';
import { adverseEventAlert, adverseEventSchema, RESPIRATORY_ADVERSE_EVENT_CATEGORIES } from './session';
import { remsObservations } from './rems';
import {
  defaultVitalsThresholds,
  evaluateSedation,
  evaluateVitals,
  preDoseBaseline,
  resolveVitalsThresholds,
  sessionVitalsEvaluator,
  storedVitalsThresholdsSchema,
} from './vitals';

/** Respiratory, haemodynamic and sedation alarms, and adverse events that need a decision. */

const MODALITIES: Modality[] = ['iv-ketamine', 'esketamine'];
const base = { timeMin: -5, sbpMmHg: 125, dbpMmHg: 80, heartRateBpm: 72, spo2Pct: 98 };

describe.each(MODALITIES)('vital-sign alarms (%s)', (modality) => {
  const t = defaultVitalsThresholds(modality);
  const ids = (r: object, b?: object) => evaluateVitals(r, t, b).map((a) => a.id);

  it('a normal reading raises nothing, before and after dosing', () => {
    const normal = { sbpMmHg: 128, dbpMmHg: 82, heartRateBpm: 76, spo2Pct: 97, respiratoryRatePerMin: 14 };
    expect(ids({ timeMin: -5, ...normal })).toEqual([]);
    expect(ids({ timeMin: 30, ...normal }, base)).toEqual([]);
    expect(evaluateSedation(5, t)).toEqual([]);
    expect(evaluateSedation(3, t)).toEqual([]);
  });

  it('the issue example (SpO2 85 %, BP 85/50, HR 42, MOAA/S 2) raises alarms that each need a decision', () => {
    const alerts = [
      ...evaluateVitals({ timeMin: 30, sbpMmHg: 85, dbpMmHg: 50, heartRateBpm: 42, spo2Pct: 85 }, t, base),
      ...evaluateSedation(2, t),
    ];
    expect(alerts.map((a) => a.id).sort()).toEqual(
      ['SED-MOAAS-DEEP', 'VIT-HR-LOW', 'VIT-SBP-FALL', 'VIT-SBP-LOW', 'VIT-SPO2-FALL', 'VIT-SPO2-LOW'].sort(),
    );
    expect(alerts.every((a) => a.requiresDecision && a.severity === 'hold')).toBe(true);
    expect(alerts.every((a) => a.threshold.status === 'U')).toBe(true);
  });

  it('low SpO2 fires strictly below 92 %', () => {
    expect(ids({ timeMin: 20, spo2Pct: 92 })).toEqual([]);
    expect(ids({ timeMin: 20, spo2Pct: 91.9 })).toEqual(['VIT-SPO2-LOW']);
    expect(ids({ timeMin: -10, spo2Pct: 91 })).toEqual(['VIT-SPO2-LOW']);
  });

  it('SpO2 fall fires at 4 points below the pre-dose value, not at 3, and only after dosing', () => {
    expect(ids({ timeMin: 20, spo2Pct: 95 }, base)).toEqual([]);
    expect(ids({ timeMin: 20, spo2Pct: 94 }, base)).toEqual(['VIT-SPO2-FALL']);
    expect(ids({ timeMin: 0, spo2Pct: 94 }, base)).toEqual([]);
    expect(ids({ timeMin: 20, spo2Pct: 94 })).toEqual([]);
  });

  it('hypotension fires strictly below 90 systolic, and at a 20 % fall from the pre-dose systolic', () => {
    expect(ids({ timeMin: 20, sbpMmHg: 90, dbpMmHg: 60 })).toEqual([]);
    expect(ids({ timeMin: 20, sbpMmHg: 89, dbpMmHg: 60 })).toEqual(['VIT-SBP-LOW']);
    // 20 % of 125 = 25: 100 fires, 101 does not.
    expect(ids({ timeMin: 20, sbpMmHg: 101, dbpMmHg: 70 }, base)).toEqual([]);
    expect(ids({ timeMin: 20, sbpMmHg: 100, dbpMmHg: 70 }, base)).toEqual(['VIT-SBP-FALL']);
    // 23 from 115 is exactly 20 % (not exactly representable in binary).
    expect(ids({ timeMin: 20, sbpMmHg: 92, dbpMmHg: 70 }, { ...base, sbpMmHg: 115 })).toEqual([
      'VIT-SBP-FALL',
    ]);
  });

  it('bradycardia fires strictly below 50 bpm', () => {
    expect(ids({ timeMin: 20, heartRateBpm: 50 })).toEqual([]);
    expect(ids({ timeMin: 20, heartRateBpm: 49 })).toEqual(['VIT-HR-LOW']);
  });

  it('respiratory rate fires strictly below 10 /min, only when recorded', () => {
    expect(ids({ timeMin: 20, respiratoryRatePerMin: 10 })).toEqual([]);
    expect(ids({ timeMin: 20, respiratoryRatePerMin: 9 })).toEqual(['VIT-RR-LOW']);
    expect(ids({ timeMin: 20, respiratoryRatePerMin: 0 })).toEqual(['VIT-RR-LOW']);
    expect(ids({ timeMin: 20, heartRateBpm: 70 })).toEqual([]);
  });

  it('deep sedation fires at MOAA/S 2 or below, not at 3', () => {
    expect(evaluateSedation(3, t)).toEqual([]);
    expect(evaluateSedation(2, t).map((a) => a.id)).toEqual(['SED-MOAAS-DEEP']);
    expect(evaluateSedation(0, t)[0]!.message).toMatch(/MOAA\/S 0 is at or below 2 \[U\]/);
  });
});

describe('clinic thresholds', () => {
  it('a clinic value moves the alarm edge', () => {
    const t = defaultVitalsThresholds('iv-ketamine');
    const own = {
      ...t,
      bradycardiaHeartRateBelowBpm: { value: 45, status: 'clinic' as const, source: 'Clinic setting' },
      deepSedationMoaasAtOrBelow: { value: 3, status: 'clinic' as const, source: 'Clinic setting' },
    };
    expect(evaluateVitals({ timeMin: 10, heartRateBpm: 46 }, own)).toEqual([]);
    expect(evaluateSedation(3, own).map((a) => a.id)).toEqual(['SED-MOAAS-DEEP']);
  });

  it('a stored row from before the new alarms (SpO2 null, alarms absent) takes every default, never "off"', () => {
    const d = defaultVitalsThresholds('esketamine');
    const legacy = {
      preDoseCautionSbpAboveMmHg: d.preDoseCautionSbpAboveMmHg,
      preDoseCautionDbpAboveMmHg: d.preDoseCautionDbpAboveMmHg,
      holdSbpAboveMmHg: { value: 170, status: 'clinic' as const, source: 'Clinic setting' },
      holdDbpAboveMmHg: d.holdDbpAboveMmHg,
      holdHeartRateAboveBpm: d.holdHeartRateAboveBpm,
      riseSbpFromBaselineMmHg: null,
      riseDbpFromBaselineMmHg: null,
      spo2BelowPct: null,
    };
    const stored = storedVitalsThresholdsSchema.parse(legacy);
    const t = resolveVitalsThresholds('esketamine', stored);
    expect(t.holdSbpAboveMmHg.value).toBe(170);
    expect(t.riseSbpFromBaselineMmHg).toBeNull();
    expect(t.spo2BelowPct).toEqual(d.spo2BelowPct);
    expect(t.deepSedationMoaasAtOrBelow).toEqual(d.deepSedationMoaasAtOrBelow);
    expect(evaluateVitals({ timeMin: 10, spo2Pct: 85 }, t).map((a) => a.id)).toEqual(['VIT-SPO2-LOW']);
    expect(resolveVitalsThresholds('esketamine', null)).toEqual(d);
  });

  it('refuses a score outside 0–5 naming the field', () => {
    expect(() => evaluateSedation(6, defaultVitalsThresholds('esketamine'))).toThrow(
      expect.objectContaining({ field: 'moaasScore' }) as ClinicalInputError,
    );
  });
});

describe('a session of readings', () => {
  it('the baseline is each measure’s latest pre-dose value; post-dose readings are judged against it', () => {
    const readings = [
      { timeMin: -20, sbpMmHg: 130, dbpMmHg: 80 },
      { timeMin: -5, spo2Pct: 99, heartRateBpm: 70 },
      { timeMin: 15, spo2Pct: 95 },
      { timeMin: 25, sbpMmHg: 104, dbpMmHg: 70 },
    ];
    expect(preDoseBaseline(readings)).toEqual({
      timeMin: -5,
      sbpMmHg: 130,
      dbpMmHg: 80,
      spo2Pct: 99,
      heartRateBpm: 70,
    });
    const alerts = sessionVitalsEvaluator(defaultVitalsThresholds('esketamine'))(readings);
    expect(alerts.map((list) => list.map((a) => a.id))).toEqual([
      [],
      [],
      ['VIT-SPO2-FALL'],
      ['VIT-SBP-FALL'],
    ]);
  });
});

describe('adverse events', () => {
  const ae = (over: object) => ({
    category: 'nausea',
    severity: 'mild',
    actionTaken: 'observed',
    timeMin: 20,
    ...over,
  });

  it('a mild or moderate, non-serious, non-respiratory event needs no decision', () => {
    expect(adverseEventAlert(ae({}))).toBeNull();
    expect(adverseEventAlert(ae({ category: 'headache', severity: 'moderate' }))).toBeNull();
  });

  it('a serious, a severe or a respiratory event needs a decision, naming why', () => {
    expect(adverseEventAlert(ae({ serious: true }))?.reasons).toEqual(['serious']);
    expect(adverseEventAlert(ae({ severity: 'severe' }))?.reasons).toEqual(['severe']);
    for (const category of RESPIRATORY_ADVERSE_EVENT_CATEGORIES) {
      const a = adverseEventAlert(ae({ category }));
      expect(a).toMatchObject({ requiresDecision: true, severity: 'hold', reasons: ['respiratory'] });
    }
    const all = adverseEventAlert(
      ae({ category: 'desaturation-hypoxia', severity: 'severe', serious: true }),
    );
    expect(all?.message).toBe('Adverse event (serious, severe, respiratory): desaturation hypoxia, severe');
  });

  it('the new categories, onset time and escalation are accepted; older records stay valid', () => {
    for (const category of [
      'hypotension',
      'bradycardia',
      'tachycardia',
      'desaturation-hypoxia',
      'agitation-anxiety-panic',
      'headache',
      'dizziness',
      'hallucinations',
      'allergic-reaction',
    ]) {
      expect(adverseEventSchema.safeParse(ae({ category })).success).toBe(true);
    }
    for (const category of ['emergence-reaction', 'sedation', 'dissociation', 'respiratory-depression']) {
      expect(adverseEventSchema.safeParse(ae({ category, serious: false })).success).toBe(true);
    }
    expect(
      adverseEventSchema.parse(ae({ onsetMin: 12, escalation: 'emergency-services-called' })),
    ).toMatchObject({ onsetMin: 12, escalation: 'emergency-services-called' });
  });

  it('an onset after the time of recording is refused naming the field', () => {
    expect(() => adverseEventAlert(ae({ onsetMin: 25 }))).toThrow(
      expect.objectContaining({ field: 'adverseEvent.onsetMin' }) as ClinicalInputError,
    );
  });
});

describe('REMS form observations', () => {
  it('SpO2 and respiratory-rate alarms and respiratory events are respiratory depression; a serious AE is reported', () => {
    const r = remsObservations({
      moaas: [{ timeMin: 30, score: 2 }],
      cadss6: [],
      alerts: [
        { id: 'VIT-SPO2-LOW', timeMin: 30, message: 'SpO2 85 % is below 92 % [U]' },
        { id: 'VIT-SBP-HOLD', timeMin: 40, message: 'Systolic BP 190 is above 180 [U]' },
      ],
      adverseEvents: [{ category: 'desaturation-hypoxia', description: null, serious: true, timeMin: 31 }],
    });
    expect(r.respiratoryDepression).toEqual({
      observed: true,
      details: 'SpO2 85 % is below 92 % [U] at 30 min; desaturation hypoxia at 31 min, serious',
    });
    expect(r.sedation).toEqual({ observed: true, details: 'MOAA/S 2 at 30 min' });
    expect(r.dissociation).toEqual({ observed: false });
    expect(r.seriousAdverseEventReported).toBe(true);
  });

  it('a session with nothing observed answers no to each', () => {
    const r = remsObservations({
      moaas: [{ timeMin: 30, score: 5 }],
      cadss6: [{ timeMin: 30, score: 0 }],
      alerts: [],
      adverseEvents: [{ category: 'nausea', description: null, serious: false, timeMin: 20 }],
    });
    expect(r).toEqual({
      sedation: { observed: false },
      dissociation: { observed: false },
      respiratoryDepression: { observed: false },
      seriousAdverseEventReported: false,
    });
  });
});
