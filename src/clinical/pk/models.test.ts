import { describe, expect, it } from 'vitest';
import type { ClinicalInputError } from '../errors';
import { buildModel, listModels, MODEL_IDS, PEREZ_RUIXO } from './models';
import { parseRegimen } from './regimen';
import { simulateRegimen } from './simulate';
import { makePropagator, solveLinear } from './solver';

/**
 * pharmacology.md §1.11 [C]: 0.5 mg/kg over 40 min at 70 kg (35 mg), ng/mL, computed in the
 * reference by an independent exact matrix-exponential solution. Published to 0.1 ng/mL.
 */
const TIMES = [10, 20, 40, 50, 80, 110, 120, 230, 360, 1440];
const REFERENCE_TABLE: Record<string, number[]> = {
  'domino-1984': [181.8, 209.6, 240.4, 71.1, 45.8, 38.1, 35.8, 18.4, 8.4, 0.0],
  'clements-1981': [62.0, 109.5, 177.3, 140.8, 84.7, 63.1, 58.8, 35.9, 21.9, 0.4],
  'hijazi-2003': [94.5, 156.7, 225.3, 149.3, 46.0, 17.1, 13.1, 4.7, 3.4, 0.3],
  'herd-2007': [132.0, 186.5, 253.4, 148.9, 96.4, 74.3, 68.1, 26.4, 8.6, 0.0],
  'kamp-2020': [154.5, 198.3, 253.1, 120.3, 73.7, 54.3, 49.9, 26.7, 16.0, 0.3],
};

describe('models against the reference [C] table (0.5 mg/kg over 40 min, 70 kg)', () => {
  for (const [id, expected] of Object.entries(REFERENCE_TABLE)) {
    for (const method of ['eigen', 'expm'] as const) {
      it(`${id} (${method}) within 0.1% (or the table's ±0.05 ng/mL rounding)`, () => {
        const r = simulateRegimen({
          modelId: id,
          covariates: { weightKg: 70 },
          doses: parseRegimen(['0.5 mg/kg over 40 min']),
          timesMin: TIMES,
          method,
        });
        const got = r.analytes.ketamine!;
        expected.forEach((e, i) => {
          // The table is rounded to 0.1 ng/mL, so a value can differ by up to 0.05 from rounding alone.
          const tol = Math.max(0.001 * e, 0.05);
          expect(Math.abs(got[i]! - e), `${id} at ${TIMES[i]} min: ${got[i]} vs ${e}`).toBeLessThanOrEqual(
            tol,
          );
        });
      });
    }
  }
});

describe('model parameters against independent published or derived values', () => {
  it('Domino at 70 kg reproduces stanpumpR’s derived volumes and clearances', () => {
    // stanpumpR tests/testthat/test-drugs-ketamine.R (pharmacology.md §1.1): v2 10.56972 L, v3 178.2123 L, cl1 1.93158 L/min.
    const m = buildModel('domino-1984', { weightKg: 70 });
    const a = m.system.matrix;
    const v1 = 0.063 * 70;
    expect(v1 * (a[1]![0]! / a[0]![1]!)).toBeCloseTo(10.56972, 4);
    expect(v1 * (a[2]![0]! / a[0]![2]!)).toBeCloseTo(178.2123, 3);
    const k10 = -(a[0]![0]! + a[1]![0]! + a[2]![0]!);
    expect(v1 * k10).toBeCloseTo(1.93158, 5);
  });

  it('Hijazi reproduces the abstract’s clearance 36 mL/min/kg and terminal half-life 4.9 h', () => {
    const m = buildModel('hijazi-2003', { weightKg: 70 });
    const auc = simulateRegimen({
      modelId: 'hijazi-2003',
      covariates: { weightKg: 70 },
      doses: parseRegimen(['35 mg at 0 min']),
      timesMin: [1],
    }).metrics.ketamine!.aucInfNgHPerMl;
    // CL = dose / AUC; 1 ng·h/mL = 0.001 mg·h/L, so CL in L/h = mg / (AUC/1000).
    const clLPerH = 35 / (auc / 1000);
    expect((clLPerH * 1000) / 60 / 70).toBeCloseTo(36.0, 1);
    const lambda = Math.min(
      ...(makePropagator(m.system) as unknown as { lambda: number[] }).lambda.map(Math.abs),
    );
    expect(Math.log(2) / lambda / 60).toBeCloseTo(4.9, 1);
  });

  it('the opentiva ke0 values give a time to peak effect of 1 min after a bolus (their stated derivation)', () => {
    for (const id of ['clements-1981', 'hijazi-2003', 'kamp-2020']) {
      const m = buildModel(id, { weightKg: 70 });
      const times = Array.from({ length: 3001 }, (_, i) => i * 0.001);
      const ce = solveLinear(m.system, [{ kind: 'bolus', compartment: 0, timeMin: 0, amountMg: 10 }], times, [
        m.effectRow!,
      ]).values[0]!;
      let imax = 0;
      for (let i = 1; i < ce.length; i++) if (ce[i]! > ce[imax]!) imax = i;
      expect(Math.abs(times[imax]! - 1), id).toBeLessThan(0.01);
    }
  });

  it('Herd scales volumes linearly and clearances to the 0.75 power of weight', () => {
    const a70 = buildModel('herd-2007', { weightKg: 70 }).system.matrix;
    const a35 = buildModel('herd-2007', { weightKg: 35 }).system.matrix;
    // k10 = CL/V1 scales with (W/70)^(0.75−1).
    const k10 = (a: number[][]): number => -(a[0]![0]! + a[1]![0]!);
    expect(k10(a35) / k10(a70)).toBeCloseTo(0.5 ** -0.25, 12);
    expect(k10(a70) * 38.7 * 60).toBeCloseTo(90, 10);
  });

  it('every model carries citation, population, sampling note, status and ke0 status', () => {
    for (const info of listModels()) {
      expect(info.citation.length).toBeGreaterThan(20);
      expect(info.population).not.toBe('');
      expect(info.sampling).not.toBe('');
      expect(['V', 'S', 'U', 'C']).toContain(info.status);
      expect(info.ke0.status).toBe('U');
    }
    expect(MODEL_IDS).toEqual([
      'domino-1984',
      'clements-1981',
      'hijazi-2003',
      'herd-2007',
      'kamp-2020',
      'perez-ruixo-2021',
    ]);
    const dom = listModels().find((m) => m.id === 'domino-1984')!;
    expect(dom.observations.some((o) => o.valueNgPerMl === 185 && o.timeMin === 40)).toBe(true);
  });

  it('IV-only models refuse intranasal doses, naming the dose', () => {
    expect(() =>
      simulateRegimen({
        modelId: 'kamp-2020',
        covariates: { weightKg: 70 },
        doses: parseRegimen(['56 mg intranasal at 0 min']),
        timesMin: [0],
      }),
    ).toThrowError(
      expect.objectContaining({ field: 'dose "56 mg intranasal at 0 min"' }) as ClinicalInputError,
    );
  });
});

describe('Perez-Ruixo 2021 esketamine', () => {
  const P = PEREZ_RUIXO;
  const E = (qh: number): number =>
    (P.vhL * (P.kelPerH + P.kmetPerH)) / (qh + P.vhL * (P.kelPerH + P.kmetPerH));
  const aucInf = (dose: string, extra: Partial<{ ageYears: number }> = {}): number =>
    simulateRegimen({
      modelId: 'perez-ruixo-2021',
      covariates: { weightKg: 70, ...extra },
      doses: parseRegimen([dose]),
      timesMin: [0],
    }).metrics.esketamine!.aucInfNgHPerMl;

  it('hepatic extraction 0.722 and systemic clearance ≈ 109 L/h (reference §3.1, derived)', () => {
    expect(E(P.qhLPerH)).toBeCloseTo(0.722, 3);
    const clLPerH = 28 / (aucInf('28 mg over 1 min') / 1000);
    expect(clLPerH).toBeCloseTo(P.qhLPerH * E(P.qhLPerH), 6);
    expect(Math.round(clLPerH)).toBe(109);
  });

  it('age over 60 lowers hepatic blood flow by 2.19 L/h per year', () => {
    const qh = P.qhLPerH - 2.19 * 10;
    const clLPerH = 28 / (aucInf('28 mg over 1 min', { ageYears: 70 }) / 1000);
    expect(clLPerH).toBeCloseTo(qh * E(qh), 6);
  });

  it('intranasal bioavailability equals FRn + (1 − FRn)·Fgut·(1 − E) per dose size', () => {
    const iv = aucInf('28 mg over 1 min') / 28;
    for (const [dose, n] of [
      [28, 1],
      [56, 2],
      [84, 3],
    ] as const) {
      const frn = (P.frn * (1 + (n - 1) * P.frnSubsequentDeviceFactor)) / n; // 0.54 / 0.4375 / 0.4032 (§3.1)
      const f = frn + (1 - frn) * P.fgut * (1 - E(P.qhLPerH));
      expect(aucInf(`${dose} mg intranasal at 0 min`) / dose / iv).toBeCloseTo(f, 9);
    }
  });

  it('56 mg: Tmax 20–40 min after the last device and terminal half-life 7–12 h (label [V])', () => {
    const r = simulateRegimen({
      modelId: 'perez-ruixo-2021',
      covariates: { weightKg: 70 },
      doses: parseRegimen(['56 mg intranasal at 0 min']),
      timesMin: [24 * 60, 36 * 60],
      metricsResolutionMin: 0.1,
    });
    const lastDevice = 5;
    const tmax = r.metrics.esketamine!.tmaxMin - lastDevice;
    expect(tmax).toBeGreaterThanOrEqual(20);
    expect(tmax).toBeLessThanOrEqual(40);
    const [c24, c36] = r.analytes.esketamine!;
    const halfLifeH = (12 * Math.log(2)) / Math.log(c24! / c36!);
    expect(halfLifeH).toBeGreaterThan(7);
    expect(halfLifeH).toBeLessThan(12);
    expect(Object.keys(r.analytes)).toEqual(['esketamine', 'noresketamine']);
    expect(r.analytes.noresketamine![0]).toBeGreaterThan(0);
  });

  it('intranasal doses must be whole 28 mg devices', () => {
    expect(() =>
      simulateRegimen({
        modelId: 'perez-ruixo-2021',
        covariates: { weightKg: 70 },
        doses: parseRegimen(['50 mg intranasal']),
        timesMin: [0],
      }),
    ).toThrow(/multiple of 28/);
  });
});
